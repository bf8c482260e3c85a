// Tenants and API keys (the logic behind AdminService).
//
// Who may do what:
//  - operator keys (ROLE_ADMIN, no tenant) create and list tenants and manage
//    every key;
//  - a tenant key with ROLE_ADMIN manages the keys of its own tenant; any
//    other tenant's key or tenant answers NOT_FOUND, so existence never leaks.
// Callers authenticate first; these functions check the rest.
#ifndef OPINIA_SERVICE_CORE_TENANTS_ADMIN_H_
#define OPINIA_SERVICE_CORE_TENANTS_ADMIN_H_

#include "absl/status/statusor.h"
#include "opinia/v1/admin.pb.h"
#include "service/core/auth/auth.h"
#include "service/core/auth/key_watch.h"
#include "service/core/util/clock.h"
#include "service/storage/store.h"

namespace opinia::core {

inline constexpr char kDefaultTimeZone[] = "Europe/Warsaw";

// Thread-safe; `store`, `clock` and `key_watch` must outlive it.
class Admin {
 public:
  // `key_watch` (may be null) learns of revocations at once.
  Admin(storage::Store* store, const Clock* clock,
        KeyWatch* key_watch = nullptr)
      : store_(store), clock_(clock), key_watch_(key_watch) {}

  // Operator only (PERMISSION_DENIED otherwise). INVALID_ARGUMENT for a
  // malformed tenant_id or unknown time zone; ALREADY_EXISTS for a taken id.
  absl::StatusOr<opinia::v1::Tenant> CreateTenant(
      const Principal& caller, const opinia::v1::CreateTenantRequest& request);
  // Operators see every tenant, tenant admins only their own.
  absl::StatusOr<opinia::v1::ListTenantsResponse> ListTenants(
      const Principal& caller, const opinia::v1::ListTenantsRequest& request);
  // Returns the secret once. INVALID_ARGUMENT for no/unknown roles, or
  // tenant roles on an operator key; NOT_FOUND for an unknown tenant.
  absl::StatusOr<opinia::v1::CreateApiKeyResponse> CreateApiKey(
      const Principal& caller, const opinia::v1::CreateApiKeyRequest& request);
  absl::StatusOr<opinia::v1::ListApiKeysResponse> ListApiKeys(
      const Principal& caller, const opinia::v1::ListApiKeysRequest& request);
  // Idempotent; NOT_FOUND for an unknown key or another tenant's key. The
  // key's open streams have ended (UNAUTHENTICATED) when it returns.
  absl::StatusOr<opinia::v1::ApiKey> RevokeApiKey(
      const Principal& caller, const opinia::v1::RevokeApiKeyRequest& request);
  // The caller's own key as stored (any key may ask). UNAUTHENTICATED if
  // it was deleted or revoked since the call was authenticated.
  absl::StatusOr<opinia::v1::ApiKey> GetCallerApiKey(
      const Principal& caller,
      const opinia::v1::GetCallerApiKeyRequest& request);

 private:
  // The tenant id a caller may act on for `tenant_name` ("" = caller's own,
  // or operator scope for operators). NOT_FOUND across tenants.
  absl::StatusOr<std::string> ScopeTenant(const Principal& caller,
                                          std::string_view tenant_name,
                                          std::string_view field);

  storage::Store* store_;
  const Clock* clock_;
  KeyWatch* const key_watch_;
};

// Row -> message conversions, shared with tests.
opinia::v1::Tenant TenantToProto(const storage::TenantRow& row);
opinia::v1::ApiKey ApiKeyToProto(const storage::ApiKeyRow& row);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_TENANTS_ADMIN_H_
