#include "service/rpc/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "service/rpc/google_rpc_status.pb.h"

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
  // Whole milliseconds, rounded up: a client that waits exactly this long
  // finds a token.
  const int64_t millis = std::max<int64_t>(
      1, static_cast<int64_t>(std::ceil(absl::ToDoubleMilliseconds(retry_after))));
  google::rpc::RetryInfo retry_info;
  retry_info.mutable_retry_delay()->set_seconds(millis / 1000);
  retry_info.mutable_retry_delay()->set_nanos(
      static_cast<int32_t>((millis % 1000) * 1000000));
  const std::string message = absl::StrCat(
      "rate limit of this API key exceeded (--rate-limit-rps); retry after ",
      absl::FormatDuration(absl::Milliseconds(
          std::ceil(absl::ToDoubleMilliseconds(retry_after)))));
  google::rpc::Status status;
  status.set_code(grpc::StatusCode::RESOURCE_EXHAUSTED);
  status.set_message(message);
  status.add_details()->PackFrom(retry_info);
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, message,
                      status.SerializeAsString());
}

}  // namespace opinia::rpc
