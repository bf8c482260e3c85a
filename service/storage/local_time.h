// Local calendar days of a tenant's time zone, shared by the SQLite
// function that buckets reviews (opinia_local_day) and by core's trend
// buckets, so both always agree on which day an instant belongs to.
//
// A local day number is the count of days from 1970-01-01 of the civil
// (wall-clock) date in the zone: day(t) = floor((t + offset(t)) / 24 h).
// Zones are resolved with ICU; a zone ICU does not know (but the system
// tzdata, which tenant validation uses, does) falls back to absl. An empty
// or unknown name means Europe/Warsaw (the product's default zone).
#ifndef OPINIA_SERVICE_STORAGE_LOCAL_TIME_H_
#define OPINIA_SERVICE_STORAGE_LOCAL_TIME_H_

#include <cstdint>
#include <string_view>

#include "absl/time/time.h"

namespace opinia::storage {

inline constexpr char kDefaultTimeZone[] = "Europe/Warsaw";

// The local day of `t` (a finite time) in zone `tz`. Thread-safe.
int64_t LocalDay(absl::Time t, std::string_view tz);

// The first instant of local day `day` in `tz` (local midnight, or the first
// existing wall time after it when a DST gap swallows midnight).
absl::Time LocalDayStart(int64_t day, std::string_view tz);

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_LOCAL_TIME_H_
