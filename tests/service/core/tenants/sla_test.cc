#include "service/core/tenants/sla.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace opinia::core {
namespace {

const absl::Time kReceived = absl::FromUnixSeconds(1'800'000'000);

TEST(RespondByTest, ByPriorityAndPolicy) {
  SlaPolicy custom;
  custom.p1 = absl::Minutes(30);
  custom.p2 = absl::Hours(2);
  custom.p3 = absl::Hours(8);
  custom.p4 = absl::Hours(48);
  const SlaPolicy defaults;
  struct {
    const char* name;
    opinia::v1::Priority priority;
    const SlaPolicy& policy;
    absl::Time want;
  } cases[] = {
      {"default P1", opinia::v1::P1, defaults, kReceived + absl::Hours(1)},
      {"default P2", opinia::v1::P2, defaults, kReceived + absl::Hours(4)},
      {"default P3", opinia::v1::P3, defaults, kReceived + absl::Hours(24)},
      {"default P4", opinia::v1::P4, defaults, kReceived + absl::Hours(72)},
      {"default NONE", opinia::v1::NONE, defaults, absl::InfinitePast()},
      {"default unspecified", opinia::v1::PRIORITY_UNSPECIFIED, defaults,
       absl::InfinitePast()},
      {"custom P1", opinia::v1::P1, custom, kReceived + absl::Minutes(30)},
      {"custom P2", opinia::v1::P2, custom, kReceived + absl::Hours(2)},
      {"custom P3", opinia::v1::P3, custom, kReceived + absl::Hours(8)},
      {"custom P4", opinia::v1::P4, custom, kReceived + absl::Hours(48)},
      {"custom NONE", opinia::v1::NONE, custom, absl::InfinitePast()},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RespondBy(c.priority, kReceived, c.policy), c.want) << c.name;
  }
}

}  // namespace
}  // namespace opinia::core
