// A tenant's settings (AdminService GetTenantSettings/UpdateTenantSettings):
// the SLA policy that sets urgency.respond_by at ingest, and the k and
// cooldown of the VOLUME_SPIKE detector. Kept in the tenant's alert
// settings row (storage::AlertSettingsRow); a tenant that never changed
// them has that row's defaults (P1 1 h, P2 4 h, P3 24 h, P4 72 h; k = 3;
// cooldown 24 h).
//
// Who: a tenant key with ROLE_ADMIN for its own tenant, an operator key for
// any tenant; PERMISSION_DENIED for other keys; NOT_FOUND for another
// tenant's settings (tenant keys) or an unknown tenant (operators). Updates
// are audited ("tenant.settings.update").
#ifndef OPINIA_SERVICE_CORE_TENANTS_TENANT_SETTINGS_H_
#define OPINIA_SERVICE_CORE_TENANTS_TENANT_SETTINGS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "opinia/v1/admin.pb.h"
#include "service/core/auth/auth.h"
#include "service/core/tenants/sla.h"
#include "service/core/util/clock.h"
#include "service/storage/store.h"

namespace opinia::core {

// Bounds UpdateTenantSettings enforces.
inline constexpr double kMaxSpikeK = 20;
inline constexpr absl::Duration kMinSpikeCooldown = absl::Minutes(1);
inline constexpr absl::Duration kMaxSpikeCooldown = absl::Hours(24 * 30);
inline constexpr absl::Duration kMaxSlaDeadline = absl::Hours(24 * 365);

// "tenants/{id}/settings".
std::string TenantSettingsName(std::string_view tenant_id);

// The SLA policy of a settings row.
SlaPolicy SlaPolicyOf(const storage::AlertSettingsRow& row);
// The tenant's SLA policy, read in `txn` (the defaults when never set).
// Ingest reads it once per batch.
absl::StatusOr<SlaPolicy> LoadSlaPolicy(storage::Txn& txn,
                                        std::string_view tenant_id);

opinia::v1::TenantSettings TenantSettingsToProto(
    const storage::AlertSettingsRow& row);
// INVALID_ARGUMENT naming the field (e.g. "settings.sla_policy.p2") when k
// is outside (0, kMaxSpikeK], the cooldown outside [kMinSpikeCooldown,
// kMaxSpikeCooldown], an SLA deadline not in (0, kMaxSlaDeadline], or the
// deadlines shrink as priority falls (p1 <= p2 <= p3 <= p4 is required).
absl::Status ValidateTenantSettings(const storage::AlertSettingsRow& row);

// Thread-safe; `store` and `clock` must outlive it.
class Settings {
 public:
  Settings(storage::Store* store, const Clock* clock)
      : store_(store), clock_(clock) {}

  // request.name may be empty for a tenant key's own tenant;
  // INVALID_ARGUMENT naming `name` when malformed or empty for an operator.
  absl::StatusOr<opinia::v1::TenantSettings> Get(
      const Principal& caller,
      const opinia::v1::GetTenantSettingsRequest& request) const;
  // Applies the update_mask paths (see UpdateTenantSettingsRequest), then
  // validates the result as a whole (ValidateTenantSettings); nothing is
  // stored when it is invalid. INVALID_ARGUMENT naming update_mask for an
  // unknown path, or a duration field that is not a valid Duration.
  absl::StatusOr<opinia::v1::TenantSettings> Update(
      const Principal& caller,
      const opinia::v1::UpdateTenantSettingsRequest& request) const;

 private:
  // The tenant id named by `name` ("" = the caller's own), after the role
  // and cross-tenant checks.
  absl::StatusOr<std::string> Scope(const Principal& caller,
                                    std::string_view name,
                                    std::string_view field) const;

  storage::Store* store_;
  const Clock* clock_;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_TENANTS_TENANT_SETTINGS_H_
