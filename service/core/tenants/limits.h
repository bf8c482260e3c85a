// Per-tenant limits on how many resources of a kind a tenant may hold
// (webhooks, collectors): the operator sets them with server flags, so a
// tenant admin cannot make the server do unbounded work on its behalf.
#ifndef OPINIA_SERVICE_CORE_TENANTS_LIMITS_H_
#define OPINIA_SERVICE_CORE_TENANTS_LIMITS_H_

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"

namespace opinia::core {

// OK while `count` (the tenant's `things`, e.g. "webhooks") is below
// `limit` (<= 0: no limit); else FAILED_PRECONDITION naming the limit by
// its server flag `flag`: deleting one is what lets the next create pass.
absl::Status CheckTenantCount(int64_t count, int limit,
                              std::string_view things, std::string_view flag);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_TENANTS_LIMITS_H_
