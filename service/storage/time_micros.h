// How every storage backend keeps a time: int64 microseconds since the Unix
// epoch, with absl::InfinitePast/InfiniteFuture as INT64_MIN/INT64_MAX so
// the order is kept and both round-trip exactly. Sub-microsecond parts are
// truncated (floor).
#ifndef OPINIA_SERVICE_STORAGE_TIME_MICROS_H_
#define OPINIA_SERVICE_STORAGE_TIME_MICROS_H_

#include <cstdint>
#include <limits>

#include "absl/time/time.h"

namespace opinia::storage {

inline int64_t TimeToMicros(absl::Time t) {
  if (t == absl::InfinitePast()) return std::numeric_limits<int64_t>::min();
  if (t == absl::InfiniteFuture()) return std::numeric_limits<int64_t>::max();
  return absl::ToUnixMicros(t);
}

inline absl::Time MicrosToTime(int64_t micros) {
  if (micros == std::numeric_limits<int64_t>::min()) {
    return absl::InfinitePast();
  }
  if (micros == std::numeric_limits<int64_t>::max()) {
    return absl::InfiniteFuture();
  }
  return absl::FromUnixMicros(micros);
}

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_TIME_MICROS_H_
