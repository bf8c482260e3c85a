#include "service/storage/postgres/pg_migrations.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "util/status_macros.h"

namespace opinia::storage::pg {
namespace {

constexpr char kLockKey[] = "$1::integer, hashtext(current_schema())";

absl::Status Migrate(Connection& conn) {
  RETURN_IF_ERROR(
      conn.ExecScript("CREATE TABLE IF NOT EXISTS opinia_schema_version ("
                      "version integer PRIMARY KEY, name text NOT NULL, "
                      "apply_time bigint NOT NULL)"));
  ASSIGN_OR_RETURN(const int current, SchemaVersion(conn));
  const absl::Span<const Migration> migrations = Migrations();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (current > latest) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the PostgreSQL database is at schema version ", current,
        ", newer than this server's ", latest, "; run a newer opinia-server"));
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    RETURN_IF_ERROR(conn.ExecScript("BEGIN"));
    absl::Status status = conn.ExecScript(std::string(m.sql).c_str());
    if (status.ok()) {
      status = conn.Exec(
                       "INSERT INTO opinia_schema_version (version, name, "
                       "apply_time) VALUES ($1, $2, $3)",
                       Params().Int(m.version).Text(m.name).Time(absl::Now()))
                   .status();
    }
    if (status.ok()) status = conn.ExecScript("COMMIT");
    if (!status.ok()) {
      if (!conn.broken()) conn.ExecScript("ROLLBACK").IgnoreError();
      return absl::Status(
          status.code(),
          absl::StrCat("migration ", AsAbsl(m.name), ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> SchemaVersion(Connection& conn) {
  ASSIGN_OR_RETURN(
      Result exists,
      conn.ExecOnce("SELECT to_regclass('opinia_schema_version') IS NOT NULL"));
  if (!exists.Bool(0, 0)) return 0;
  ASSIGN_OR_RETURN(Result version,
                   conn.ExecOnce("SELECT coalesce(max(version), 0) FROM "
                                 "opinia_schema_version"));
  return static_cast<int>(version.Int(0, 0));
}

absl::Status ApplyMigrations(Connection& conn) {
  const Params key = Params().Int(kMigrationLockClass);
  RETURN_IF_ERROR(
      conn.ExecOnce(absl::StrCat("SELECT pg_advisory_lock(", kLockKey, ")"),
                    key)
          .status());
  absl::Status status = Migrate(conn);
  // A lost connection has released the lock already.
  if (!conn.broken()) {
    absl::Status unlock =
        conn.ExecOnce(absl::StrCat("SELECT pg_advisory_unlock(", kLockKey, ")"),
                      key)
            .status();
    if (status.ok()) status = unlock;
  }
  return status;
}

}  // namespace opinia::storage::pg
