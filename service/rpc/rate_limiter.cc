#include "service/rpc/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace opinia::rpc {

RateLimiter::RateLimiter(double rate, double burst)
    : rate_(std::max(rate, 1e-6)), burst_(std::max(burst, 1.0)) {}

absl::Duration RateLimiter::Acquire(std::string_view key_id, absl::Time now) {
  absl::MutexLock lock(&mutex_);
  auto [it, inserted] =
      buckets_.try_emplace(std::string(key_id), Bucket{burst_, now});
  Bucket& b = it->second;
  if (now > b.updated) {
    b.tokens = std::min(
        burst_, b.tokens + absl::ToDoubleSeconds(now - b.updated) * rate_);
    b.updated = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return absl::ZeroDuration();
  }
  return absl::Seconds((1.0 - b.tokens) / rate_);
}

grpc::Status RateLimitedStatus(absl::Duration retry_after) {
  // The google.rpc protos are not installed; their wire format is small and
  // stable, so it is written by hand: Status{code=1, message=2,
  // details=3 (Any)}, RetryInfo{retry_delay=1 (Duration)}.
  // Whole milliseconds, rounded up: a client that waits exactly this long
  // finds a token.
  const int64_t nanos_total =
      1000000 *
      std::max<int64_t>(1, static_cast<int64_t>(std::ceil(
                               absl::ToDoubleMilliseconds(retry_after))));
  google::protobuf::Duration delay;
  delay.set_seconds(nanos_total / 1000000000);
  delay.set_nanos(static_cast<int32_t>(nanos_total % 1000000000));
  std::string retry_info;
  {
    google::protobuf::io::StringOutputStream raw(&retry_info);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.WriteTag((1 << 3) | 2);
    const std::string d = delay.SerializeAsString();
    out.WriteVarint32(static_cast<uint32_t>(d.size()));
    out.WriteString(d);
  }
  google::protobuf::Any any;
  any.set_type_url("type.googleapis.com/google.rpc.RetryInfo");
  any.set_value(retry_info);
  const std::string message = absl::StrCat(
      "rate limit of this API key exceeded (--rate-limit-rps); retry after ",
      absl::FormatDuration(absl::Milliseconds(
          std::ceil(absl::ToDoubleMilliseconds(retry_after)))));
  std::string status;
  {
    google::protobuf::io::StringOutputStream raw(&status);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.WriteTag((1 << 3) | 0);
    out.WriteVarint32(grpc::StatusCode::RESOURCE_EXHAUSTED);
    out.WriteTag((2 << 3) | 2);
    out.WriteVarint32(static_cast<uint32_t>(message.size()));
    out.WriteString(message);
    const std::string a = any.SerializeAsString();
    out.WriteTag((3 << 3) | 2);
    out.WriteVarint32(static_cast<uint32_t>(a.size()));
    out.WriteString(a);
  }
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, message, status);
}

}  // namespace opinia::rpc
