// The server's secrets key: where it comes from, the key file made on first
// start, sealing the stored secrets at startup, and --rotate-secrets-key.
// The sealing itself is core's (core/secrets/sealed_store.h).
//
// The key: --secrets-key-file (or $OPINIA_SECRETS_KEY_FILE), else the key
// itself in $OPINIA_SECRETS_KEY, else "secrets.key" in the database's
// folder. A missing key file is made (a fresh random key, mode 0600, said
// in the log) only while no stored secret is sealed: a database sealed
// with a key that is gone fails to start instead of being sealed anew.
#ifndef OPINIA_SERVICE_SERVER_SECRETS_KEY_H_
#define OPINIA_SERVICE_SERVER_SECRETS_KEY_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/server/options.h"
#include "service/storage/store.h"

namespace opinia::server {

// Loads (or makes) the key, seals or re-seals every stored secret of
// `store` (the backend) under it, and returns `store` wrapped so that core
// reads and writes plaintext while the database holds sealed values.
// Errors: an unreadable or malformed key file, a value that does not open
// (named), a key file that is missing while values are sealed.
absl::StatusOr<std::unique_ptr<storage::Store>> SealStore(
    const Options& options, std::unique_ptr<storage::Store> store);

// --rotate-secrets-key: re-seals every secret of options.db, opened with
// the key of options.old_secrets_key_file (or already with the new one),
// with the key of options.secrets_key_file (made if missing). Prints what
// it did. Running it again changes nothing.
absl::Status RotateSecretsKey(const Options& options);

}  // namespace opinia::server

#endif  // OPINIA_SERVICE_SERVER_SECRETS_KEY_H_
