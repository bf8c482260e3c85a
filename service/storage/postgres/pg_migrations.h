// The PostgreSQL schema: the SQL files of migrations/ (NNN_name.sql),
// compiled in, applied in order.
//
// ApplyMigrations holds a session advisory lock for the whole run, so of
// several servers starting at once on one database exactly one applies what
// is missing while the others wait, then find nothing to do. Each migration
// runs in its own transaction together with its row in
// opinia_schema_version (version, name, apply_time). The lock key is
// (kMigrationLockClass, hashtext(current_schema())): advisory locks are per
// database, and stores in different schemas of one database (the URL's
// search_path) migrate independently.
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_MIGRATIONS_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_MIGRATIONS_H_

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "service/storage/postgres/pg_connection.h"

namespace opinia::storage::pg {

struct Migration {
  int version;            // NNN of the file name: 1, 2, ...
  std::string_view name;  // the file name
  std::string_view sql;   // its text
};

// The compiled-in migrations, by version (1..N, no gaps).
absl::Span<const Migration> Migrations();

// First key of the advisory lock the migrations hold ("opnm").
inline constexpr int32_t kMigrationLockClass = 0x6f706e6d;

// Brings the schema of `conn`'s database (its current schema) up to date.
// FAILED_PRECONDITION when the database has a migration this binary does
// not know (a newer server migrated it); UNAVAILABLE/INTERNAL from the
// server. `conn` must be idle (no open transaction).
absl::Status ApplyMigrations(Connection& conn);

// The last applied version; 0 for an empty database.
absl::StatusOr<int> SchemaVersion(Connection& conn);

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_MIGRATIONS_H_
