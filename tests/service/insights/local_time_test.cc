// LocalDay/LocalDayStart (ICU) agree with absl's civil time for every day
// of several years, across DST changes and odd offsets.
#include "service/storage/local_time.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace opinia::storage {
namespace {

TEST(LocalTimeTest, AgreesWithAbslCivilDays) {
  for (const char* name : {"Europe/Warsaw", "America/St_Johns",
                           "Asia/Kathmandu", "America/Sao_Paulo", "UTC",
                           "Australia/Lord_Howe"}) {
    absl::TimeZone tz;
    ASSERT_TRUE(absl::LoadTimeZone(name, &tz)) << name;
    for (absl::CivilDay d(2024, 1, 1); d < absl::CivilDay(2027, 1, 1); ++d) {
      const int64_t n = d - absl::CivilDay(1970, 1, 1);
      const absl::Time start = LocalDayStart(n, name);
      EXPECT_EQ(start, absl::FromCivil(d, tz)) << name << " " << d;
      EXPECT_EQ(LocalDay(start, name), n) << name << " " << d;
      EXPECT_EQ(LocalDay(start - absl::Microseconds(1), name), n - 1)
          << name << " " << d;
      EXPECT_EQ(LocalDay(start + absl::Hours(12), name), n) << name << " " << d;
    }
  }
}

TEST(LocalTimeTest, EmptyOrUnknownZoneIsWarsaw) {
  const absl::Time t = absl::FromUnixSeconds(1780000000);
  EXPECT_EQ(LocalDay(t, ""), LocalDay(t, "Europe/Warsaw"));
  EXPECT_EQ(LocalDay(t, "Not/AZone"), LocalDay(t, "Europe/Warsaw"));
}

TEST(LocalTimeTest, WarsawMidnightAroundDst) {
  absl::TimeZone utc = absl::UTCTimeZone();
  // 2026-03-29 is the spring change: midnight is still CET (+1).
  const int64_t day = absl::CivilDay(2026, 3, 29) - absl::CivilDay(1970, 1, 1);
  EXPECT_EQ(LocalDayStart(day, "Europe/Warsaw"),
            absl::FromCivil(absl::CivilSecond(2026, 3, 28, 23, 0, 0), utc));
  EXPECT_EQ(LocalDayStart(day + 1, "Europe/Warsaw"),
            absl::FromCivil(absl::CivilSecond(2026, 3, 29, 22, 0, 0), utc));
}

}  // namespace
}  // namespace opinia::storage
