#include "service/core/util/time_proto.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace opinia::core {
namespace {

// google.protobuf.Timestamp's valid range.
constexpr int64_t kMinSeconds = -62135596800;
constexpr int64_t kMaxSeconds = 253402300799;

}  // namespace

void ToTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  out->Clear();
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return;
  int64_t seconds = absl::ToUnixSeconds(t);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return absl::InfinitePast();
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

absl::Status ValidateTimestamp(const google::protobuf::Timestamp& ts,
                               absl::string_view field) {
  if (ts.seconds() < kMinSeconds || ts.seconds() > kMaxSeconds ||
      ts.nanos() < 0 || ts.nanos() >= 1000000000) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": timestamp out of range"));
  }
  return absl::OkStatus();
}

}  // namespace opinia::core
