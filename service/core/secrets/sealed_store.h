// Secrets at rest: webhook signing secrets and collector specs (their
// credentials, bound to their endpoint) are stored sealed by a SecretBox
// (util/secret_box.h), whatever the backend.
//
// NewSealedStore wraps a backend's Store: core code above it reads and
// writes plaintext rows as before, the backend only ever sees sealed
// bytes. Each value is sealed for its place, the context
// "<table>.<column>\0<tenant_id>\0<row id>", so a sealed value copied into
// another row (or tenant) does not open. A value that does not open is an
// error of the call that reads it: DATA_LOSS (changed, moved, not sealed)
// or FAILED_PRECONDITION (sealed with a key the box does not hold).
//
// SealStoredSecrets runs on the backend itself at startup (and for key
// rotation): it seals rows stored before sealing existed, re-seals rows
// sealed with an old key, and checks that every other row opens.
#ifndef OPINIA_SERVICE_CORE_SECRETS_SEALED_STORE_H_
#define OPINIA_SERVICE_CORE_SECRETS_SEALED_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "service/core/util/secret_box.h"
#include "service/storage/store.h"

namespace opinia::core {

// The contexts the values are sealed for.
std::string WebhookSecretContext(std::string_view tenant_id, int64_t id);
std::string CollectorSpecContext(std::string_view tenant_id, int64_t id);

// `inner` with webhook secrets and collector specs sealed by `box`.
std::unique_ptr<storage::Store> NewSealedStore(
    std::unique_ptr<storage::Store> inner,
    std::shared_ptr<const SecretBox> box);

// What SealStoredSecrets found and did, in rows.
struct SealReport {
  int64_t sealed = 0;    // were plaintext (stored before sealing), now sealed
  int64_t resealed = 0;  // were sealed with an old key of the box
  int64_t current = 0;   // already sealed with the box's key; they open
  int64_t total() const { return sealed + resealed + current; }
};

// Brings every stored secret under `box`'s key, a page of rows per write
// transaction; running it again changes nothing. `store` is the backend
// (not a sealed store); nothing else may write secrets meanwhile (run it
// before serving). Stops at the first value that does not open, naming its
// row (e.g. "webhooks/3: ..."), with Open's code; rows done before stay
// done.
absl::StatusOr<SealReport> SealStoredSecrets(storage::Store& store,
                                             const SecretBox& box);

// The key id of some sealed value in `store` (the backend), std::nullopt
// when no value is sealed: tells whether a new key may be made for it.
absl::StatusOr<std::optional<uint8_t>> FindSealedKeyId(storage::Store& store);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_SECRETS_SEALED_STORE_H_
