#include "service/storage/sqlite/migrations.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "util/status_macros.h"

namespace opinia::storage::sqlite {
namespace {

// The number of a "-- migration N: ..." line, or 0 for any other line.
int64_t MarkerNumber(absl::string_view line) {
  if (!absl::ConsumePrefix(&line, "-- migration ")) return 0;
  const size_t colon = line.find(':');
  int64_t n = 0;
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(line.substr(0, colon), &n) || n <= 0) {
    return 0;
  }
  return n;
}

// The migrations compiled in (kMigrationsSql), split once.
const absl::StatusOr<std::vector<absl::string_view>>& Migrations() {
  static const auto* const migrations =
      new absl::StatusOr<std::vector<absl::string_view>>(
          SplitMigrations(kMigrationsSql));
  return *migrations;
}

// Applies the migration after the current version, reading that version
// inside the write transaction so two processes opening one file at once
// cannot both apply it. Sets *done when nothing was left to apply.
absl::Status ApplyNext(Connection& conn,
                       const std::vector<absl::string_view>& migrations,
                       int64_t target, bool* done) {
  RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
  absl::StatusOr<int64_t> current = SchemaVersion(conn);
  absl::Status status = current.status();
  const int64_t latest = static_cast<int64_t>(migrations.size());
  int64_t next = 0;
  if (status.ok() && *current > latest) {
    status = absl::FailedPreconditionError(absl::StrCat(
        "database schema version ", *current, " is newer than this binary (",
        latest, "); upgrade opinia-server"));
  } else if (status.ok() && *current >= target) {
    *done = true;
  } else if (status.ok()) {
    next = *current + 1;
    const std::string sql(migrations[next - 1]);
    status = conn.Exec(sql.c_str());
    // PRAGMA takes no bound parameters; `next` is our own integer.
    const std::string bump = absl::StrCat("PRAGMA user_version = ", next);
    if (status.ok()) status = conn.Exec(bump.c_str());
  }
  if (status.ok()) status = conn.Commit();
  if (status.ok() && next > 0) conn.SetUserVersionCache(next);
  if (!status.ok()) {
    if (!conn.InAutocommit()) conn.Exec("ROLLBACK").IgnoreError();
    if (next == 0) return status;
    return absl::Status(status.code(), absl::StrCat("migration ", next, ": ",
                                                    status.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<absl::string_view>> SplitMigrations(
    absl::string_view sql) {
  std::vector<absl::string_view> out;
  size_t sql_begin = absl::string_view::npos;  // of the last one's SQL
  bool in_header = false;
  auto close_last = [&](size_t end) -> absl::Status {
    if (out.empty()) return absl::OkStatus();
    if (sql_begin == absl::string_view::npos || sql_begin == end) {
      return absl::InternalError(
          absl::StrCat("migration ", out.size(), " has no SQL"));
    }
    out.back() = sql.substr(sql_begin, end - sql_begin);
    return absl::OkStatus();
  };
  for (size_t pos = 0; pos < sql.size();) {
    size_t end = sql.find('\n', pos);
    end = end == absl::string_view::npos ? sql.size() : end + 1;
    const absl::string_view line = sql.substr(pos, end - pos);
    if (const int64_t n = MarkerNumber(line); n > 0) {
      RETURN_IF_ERROR(close_last(pos));
      if (n != static_cast<int64_t>(out.size()) + 1) {
        return absl::InternalError(
            absl::StrCat("migration ", n, " follows migration ", out.size()));
      }
      out.emplace_back();
      sql_begin = absl::string_view::npos;
      in_header = true;
    } else if (in_header && !absl::StartsWith(line, "--")) {
      in_header = false;
      sql_begin = pos;
    }
    pos = end;
  }
  RETURN_IF_ERROR(close_last(sql.size()));
  return out;
}

int64_t LatestSchemaVersion() {
  const auto& migrations = Migrations();
  return migrations.ok() ? static_cast<int64_t>(migrations->size()) : 0;
}

absl::StatusOr<int64_t> SchemaVersion(Connection& conn) {
  ASSIGN_OR_RETURN(std::string v, conn.PragmaValue("user_version"));
  const int64_t version = std::stoll(v);
  conn.SetUserVersionCache(version);
  return version;
}

absl::Status ApplyMigrations(Connection& conn) {
  return ApplyMigrationsUpTo(conn, LatestSchemaVersion());
}

absl::Status ApplyMigrationsUpTo(Connection& conn, int64_t version) {
  const auto& migrations = Migrations();
  if (!migrations.ok()) return migrations.status();
  if (version < 0 || version > static_cast<int64_t>(migrations->size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("no schema version ", version));
  }
  bool done = false;
  while (!done) {
    RETURN_IF_ERROR(ApplyNext(conn, *migrations, version, &done));
  }
  return absl::OkStatus();
}

}  // namespace opinia::storage::sqlite
