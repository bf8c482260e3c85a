#include "service/core/auth/auth.h"

#include <functional>

#include "opinia/v1/admin.pb.h"
#include "service/core/util/crypto.h"
#include "service/core/util/names.h"
#include "util/status_macros.h"

namespace opinia::core {

std::string Principal::actor() const {
  return agent.empty() ? ApiKeyName(key_id) : agent;
}

namespace {

// The key `find` reads, if it is still good: not revoked, its tenant there.
absl::StatusOr<Principal> LiveKey(
    storage::Store& store,
    const std::function<absl::StatusOr<storage::ApiKeyRow>(storage::Txn&)>&
        find) {
  storage::ApiKeyRow row;
  bool tenant_exists = true;
  absl::Status status = store.Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(row, find(txn));
    if (row.tenant_id.empty()) return absl::OkStatus();
    auto tenant = txn.GetTenant(row.tenant_id);
    if (absl::IsNotFound(tenant.status())) tenant_exists = false;
    return tenant.ok() || !tenant_exists ? absl::OkStatus() : tenant.status();
  });
  if (absl::IsNotFound(status)) {
    return absl::UnauthenticatedError("unknown API key");
  }
  if (!status.ok()) return status;
  if (row.revoked) return absl::UnauthenticatedError("API key revoked");
  if (!tenant_exists) {
    return absl::UnauthenticatedError("the API key's tenant no longer exists");
  }
  return Principal{row.id, row.tenant_id, row.roles};
}

}  // namespace

absl::StatusOr<Principal> Authenticator::Authenticate(
    std::string_view secret) const {
  if (secret.empty()) {
    return absl::UnauthenticatedError(
        "missing API key: send \"authorization: Bearer <key>\"");
  }
  const std::string hash = Sha256Hex(secret);
  return LiveKey(*store_, [&hash](storage::Txn& txn) {
    return txn.GetApiKeyByHash(hash);
  });
}

absl::StatusOr<Principal> Authenticator::Reauthenticate(
    std::string_view key_id) const {
  return LiveKey(*store_,
                 [key_id](storage::Txn& txn) { return txn.GetApiKey(key_id); });
}

absl::StatusOr<std::optional<std::string>> BootstrapOperatorKey(
    storage::Store* store, const Clock* clock) {
  std::optional<std::string> secret;
  absl::Status status = store->Write([&](storage::Txn& txn) -> absl::Status {
    secret.reset();  // a run that conflicted committed nothing
    auto count = txn.CountApiKeys();
    if (!count.ok()) return count.status();
    if (*count > 0) return absl::OkStatus();
    storage::ApiKeyRow row;
    row.id = NewResourceId('k', 16);
    row.roles = kRoleAdmin;
    row.display_name = "bootstrap operator key";
    std::string s = NewApiKeySecret();
    row.secret_hash = Sha256Hex(s);
    row.create_time = clock->Now();
    absl::Status inserted = txn.InsertApiKey(row);
    if (!inserted.ok()) return inserted;
    secret = std::move(s);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return secret;
}

uint32_t RoleBit(int proto_role) {
  switch (proto_role) {
    case opinia::v1::ROLE_INGEST:
      return kRoleIngest;
    case opinia::v1::ROLE_READ:
      return kRoleRead;
    case opinia::v1::ROLE_RESPOND:
      return kRoleRespond;
    case opinia::v1::ROLE_ADMIN:
      return kRoleAdmin;
    default:
      return 0;
  }
}

std::string RoleName(uint32_t role_bit) {
  switch (role_bit) {
    case kRoleIngest:
      return "ingest";
    case kRoleRead:
      return "read";
    case kRoleRespond:
      return "respond";
    case kRoleAdmin:
      return "admin";
    default:
      return "unknown";
  }
}

}  // namespace opinia::core
