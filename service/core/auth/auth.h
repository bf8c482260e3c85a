// Who is calling: API key secrets and their verification. What a caller
// may do is decided in authorization.h.
//
// A secret is "opk_" + base64url(32 random bytes); only its hex SHA-256 is
// stored. Keys are looked up on every call (no cache), so a revocation takes
// effect on the next call; two indexed SQLite reads (the key, its tenant)
// plus one SHA-256 cost a few microseconds. Streams, authenticated once when
// they open, are re-checked by key_watch.h.
#ifndef OPINIA_SERVICE_CORE_AUTH_H_
#define OPINIA_SERVICE_CORE_AUTH_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/core/util/clock.h"
#include "service/storage/store.h"

namespace opinia::core {

// Role bits of a key (storage::ApiKeyRow::roles, Principal::roles). Stored
// as numbers: never renumber one.
inline constexpr uint32_t kRoleIngest = 1u << 0;
inline constexpr uint32_t kRoleRead = 1u << 1;
inline constexpr uint32_t kRoleRespond = 1u << 2;
inline constexpr uint32_t kRoleAdmin = 1u << 3;

// The verified caller.
struct Principal {
  std::string key_id;
  std::string tenant_id;  // empty: a server operator key
  uint32_t roles = 0;     // kRole* bits
  // Non-empty when the server acts for a tenant on its own (a collector's
  // sync): the resource named as the actor instead of a key.
  std::string agent = {};

  bool is_operator() const { return tenant_id.empty(); }
  bool has(uint32_t role) const { return (roles & role) != 0; }
  // "apiKeys/{id}" (or `agent`), recorded as the actor of audited changes.
  std::string actor() const;
};

// Thread-safe; `store` must outlive it.
class Authenticator {
 public:
  explicit Authenticator(storage::Store* store) : store_(store) {}

  // UNAUTHENTICATED for an empty, unknown or revoked secret, or a key whose
  // tenant no longer exists; INTERNAL on a storage error.
  absl::StatusOr<Principal> Authenticate(std::string_view secret) const;
  // The key `key_id` as it is now in the store (its roles may have changed
  // since it was authenticated). Codes as Authenticate; a key deleted since
  // is UNAUTHENTICATED too.
  absl::StatusOr<Principal> Reauthenticate(std::string_view key_id) const;

 private:
  storage::Store* store_;
};

// On an empty key table, creates an operator key (ROLE_ADMIN, no tenant) in
// one transaction and returns its secret; std::nullopt when keys exist.
absl::StatusOr<std::optional<std::string>> BootstrapOperatorKey(
    storage::Store* store, const Clock* clock);

// Role bit of an opinia.v1.Role value; 0 for ROLE_UNSPECIFIED or unknown.
uint32_t RoleBit(int proto_role);
// Human name for messages ("ingest", "read", "respond", "admin").
std::string RoleName(uint32_t role_bit);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_AUTH_H_
