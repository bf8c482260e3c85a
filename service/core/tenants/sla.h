// Response deadlines (urgency.respond_by): the one place a review's
// priority and a tenant's SLA policy become a time. The analyzer only
// assigns the priority; ingest, re-scoring, analyze-text and human
// overrides all get their deadline here.
#ifndef OPINIA_SERVICE_CORE_TENANTS_SLA_H_
#define OPINIA_SERVICE_CORE_TENANTS_SLA_H_

#include "absl/time/time.h"
#include "opinia/v1/common.pb.h"

namespace opinia::core {

// A tenant's response deadlines by priority (TenantSettings.sla_policy);
// the defaults are those of a tenant that never changed them.
struct SlaPolicy {
  absl::Duration p1 = absl::Hours(1);
  absl::Duration p2 = absl::Hours(4);
  absl::Duration p3 = absl::Hours(24);
  absl::Duration p4 = absl::Hours(72);
};

// When a review of `priority` received at `received` must be answered:
// received + policy.pN for PN; InfinitePast (no deadline) for NONE and
// unspecified.
absl::Time RespondBy(opinia::v1::Priority priority, absl::Time received,
                     const SlaPolicy& policy);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_TENANTS_SLA_H_
