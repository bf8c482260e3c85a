#include "service/core/util/clock.h"

#include "absl/time/clock.h"

namespace opinia::core {
namespace {

class WallClock : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace

const Clock* RealClock() {
  static const Clock* const clock = new WallClock();
  return clock;
}

}  // namespace opinia::core
