#include "service/core/tenants/limits.h"

#include "absl/strings/str_cat.h"
#include "service/core/util/absl_sv.h"

namespace opinia::core {

absl::Status CheckTenantCount(int64_t count, int limit,
                              std::string_view things, std::string_view flag) {
  if (limit <= 0 || count < limit) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "this tenant has ", count, " ", Av(things), ", the most allowed (",
      Av(flag), "=", limit, "); delete one first"));
}

}  // namespace opinia::core
