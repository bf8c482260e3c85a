// Numbered schema migrations of the SQLite store, tracked in
// `PRAGMA user_version`. Migration N takes the schema from version N-1 to N;
// each runs in its own transaction together with the version bump, so a
// crash leaves the database at a whole version. The migrations are SQL, in
// migrations.sql (its first lines say how it is laid out), compiled in.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_MIGRATIONS_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_MIGRATIONS_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/storage/sqlite/connection.h"

namespace opinia::storage::sqlite {

// The text of migrations.sql (migrations_sql.cc, which CMake generates from
// the file).
extern const char kMigrationsSql[];

// The SQL of each migration in `sql` (laid out as migrations.sql), in
// order. INTERNAL when they are not numbered 1, 2, 3, ... or one has no SQL.
absl::StatusOr<std::vector<absl::string_view>> SplitMigrations(
    absl::string_view sql);

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
