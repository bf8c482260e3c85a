// Numbered schema migrations of the SQLite store, tracked in
// `PRAGMA user_version`. Migration N takes the schema from version N-1 to N;
// each runs in its own transaction together with the version bump, so a
// crash leaves the database at a whole version.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_MIGRATIONS_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_MIGRATIONS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/storage/sqlite/connection.h"

namespace opinia::storage::sqlite {

// The schema version this binary writes (the number of migrations).
int64_t LatestSchemaVersion();

// The database's current `PRAGMA user_version`.
absl::StatusOr<int64_t> SchemaVersion(Connection& conn);

// Applies every migration above the database's version, in order.
// FAILED_PRECONDITION when the database is newer than this binary;
// INTERNAL/UNAVAILABLE on a database error (the failing migration is
// rolled back, earlier ones stay).
absl::Status ApplyMigrations(Connection& conn);

// Applies the migrations above the database's version up to `version` only
// (tests of upgrades from an older schema). INVALID_ARGUMENT for a version
// this binary does not have; otherwise as ApplyMigrations.
absl::Status ApplyMigrationsUpTo(Connection& conn, int64_t version);

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_MIGRATIONS_H_
