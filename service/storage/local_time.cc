#include "service/storage/local_time.h"

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "unicode/timezone.h"
#include "unicode/unistr.h"

namespace opinia::storage {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// One resolved zone: ICU's when ICU knows the name, else absl's.
struct Zone {
  std::unique_ptr<icu::TimeZone> icu;
  absl::TimeZone absl_tz;

  // UTC offset in milliseconds at the UTC instant `ms`.
  int64_t OffsetAt(int64_t ms) const {
    if (icu != nullptr) {
      int32_t raw = 0, dst = 0;
      UErrorCode status = U_ZERO_ERROR;
      icu->getOffset(static_cast<UDate>(ms), /*local=*/false, raw, dst,
                     status);
      if (U_SUCCESS(status)) return int64_t{raw} + dst;
    }
    return int64_t{absl_tz.At(absl::FromUnixMillis(ms)).offset} * 1000;
  }
};

Zone Resolve(const std::string& name) {
  Zone zone;
  std::unique_ptr<icu::TimeZone> tz(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)));
  icu::UnicodeString id;
  if (tz != nullptr && tz->getID(id) != icu::UnicodeString("Etc/Unknown")) {
    zone.icu = std::move(tz);
    return zone;
  }
  if (!absl::LoadTimeZone(name, &zone.absl_tz) &&
      !absl::LoadTimeZone(kDefaultTimeZone, &zone.absl_tz)) {
    zone.absl_tz = absl::UTCTimeZone();
  }
  if (name != kDefaultTimeZone && zone.absl_tz.name() == "UTC" &&
      name != "UTC") {
    return Resolve(kDefaultTimeZone);
  }
  return zone;
}

// ICU zone objects are not documented as safe for concurrent use, so each
// thread keeps its own (there are few zones and few threads).
const Zone& ZoneFor(std::string_view tz) {
  thread_local absl::flat_hash_map<std::string, Zone> cache;
  std::string name(tz.empty() ? std::string_view(kDefaultTimeZone) : tz);
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, Resolve(name)).first;
  return it->second;
}

}  // namespace

int64_t LocalDay(absl::Time t, std::string_view tz) {
  const int64_t ms = FloorDiv(absl::ToUnixMicros(t), 1000);
  return FloorDiv(ms + ZoneFor(tz).OffsetAt(ms), kMillisPerDay);
}

absl::Time LocalDayStart(int64_t day, std::string_view tz) {
  const Zone& zone = ZoneFor(tz);
  auto day_of = [&zone](int64_t ms) {
    return FloorDiv(ms + zone.OffsetAt(ms), kMillisPerDay);
  };
  // Local midnight as if UTC, shifted by the offset found there; a second
  // pass settles days whose offset differs on either side of a transition.
  const int64_t local = day * kMillisPerDay;
  int64_t utc = local - zone.OffsetAt(local);
  utc = local - zone.OffsetAt(utc);
  if (day_of(utc) == day && day_of(utc - 1) < day) {
    return absl::FromUnixMillis(utc);  // the common case
  }
  // Midnight inside a DST gap or repeated: search for the first instant
  // whose local day is `day` (offsets change by at most a day).
  int64_t lo = local - 2 * kMillisPerDay, hi = local + 2 * kMillisPerDay;
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (day_of(mid) >= day) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return absl::FromUnixMillis(hi);
}

}  // namespace opinia::storage
