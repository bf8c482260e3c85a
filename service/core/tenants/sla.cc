#include "service/core/tenants/sla.h"

namespace opinia::core {

absl::Time RespondBy(opinia::v1::Priority priority, absl::Time received,
                     const SlaPolicy& policy) {
  switch (priority) {
    case opinia::v1::P1:
      return received + policy.p1;
    case opinia::v1::P2:
      return received + policy.p2;
    case opinia::v1::P3:
      return received + policy.p3;
    case opinia::v1::P4:
      return received + policy.p4;
    default:
      return absl::InfinitePast();
  }
}

}  // namespace opinia::core
