#include "service/storage/sqlite/sqlite_leases.h"

#include <string>

#include "service/storage/sqlite/statements.h"
#include "util/status_macros.h"

namespace opinia::storage::sqlite {
namespace {

absl::Status CheckNames(std::string_view name, std::string_view holder) {
  if (name.empty() || holder.empty()) {
    return absl::InvalidArgumentError("a lease needs a name and a holder");
  }
  return absl::OkStatus();
}

absl::Status CheckTtl(absl::Duration ttl) {
  if (ttl <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("a lease's ttl must be positive");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<bool> SqliteLeases::TryAcquireLease(std::string_view name,
                                                   std::string_view holder,
                                                   absl::Time now,
                                                   absl::Duration ttl) {
  RETURN_IF_ERROR(CheckWritable("TryAcquireLease"));
  RETURN_IF_ERROR(CheckNames(name, holder));
  RETURN_IF_ERROR(CheckTtl(ttl));
  // One statement that never fails on the key: a free, expired or own
  // lease is (re)written, another holder's live one is left alone (the
  // WHERE of DO UPDATE), and changes() tells which happened.
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(
          "INSERT INTO leases (name, holder, acquire_time, expire_time) "
          "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE SET "
          "holder = excluded.holder, "
          "acquire_time = CASE WHEN leases.holder = excluded.holder "
          "THEN leases.acquire_time ELSE excluded.acquire_time END, "
          "expire_time = excluded.expire_time "
          "WHERE leases.holder = excluded.holder "
          "OR leases.expire_time <= excluded.acquire_time"));
  stmt.BindText(name).BindText(holder).BindTime(now).BindTime(now + ttl);
  RETURN_IF_ERROR(stmt.Run());
  return conn_.Changes() > 0;
}

absl::StatusOr<bool> SqliteLeases::RenewLease(std::string_view name,
                                              std::string_view holder,
                                              absl::Time now,
                                              absl::Duration ttl) {
  RETURN_IF_ERROR(CheckWritable("RenewLease"));
  RETURN_IF_ERROR(CheckNames(name, holder));
  RETURN_IF_ERROR(CheckTtl(ttl));
  ASSIGN_OR_RETURN(Statement stmt,
                   conn_.Prepare("UPDATE leases SET expire_time = ? "
                                 "WHERE name = ? AND holder = ?"));
  stmt.BindTime(now + ttl).BindText(name).BindText(holder);
  RETURN_IF_ERROR(stmt.Run());
  return conn_.Changes() > 0;
}

absl::StatusOr<bool> SqliteLeases::ReleaseLease(std::string_view name,
                                                std::string_view holder) {
  RETURN_IF_ERROR(CheckWritable("ReleaseLease"));
  RETURN_IF_ERROR(CheckNames(name, holder));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("DELETE FROM leases WHERE name = ? AND holder = ?"));
  stmt.BindText(name).BindText(holder);
  RETURN_IF_ERROR(stmt.Run());
  return conn_.Changes() > 0;
}

absl::StatusOr<std::vector<LeaseRow>> SqliteLeases::ListLeases(
    std::string_view prefix, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("SELECT name, holder, acquire_time, expire_time "
                    "FROM leases WHERE substr(name, 1, length(?1)) = ?1 "
                    "ORDER BY name LIMIT ?2"));
  // A std::string: an empty view may have no data, which binds NULL.
  const std::string text(prefix);
  stmt.BindText(text).BindInt64(limit);
  return ReadAllRows(stmt, [](const Statement& s) {
    return LeaseRow{s.ColumnString(0), s.ColumnString(1), s.ColumnTime(2),
                    s.ColumnTime(3)};
  });
}

}  // namespace opinia::storage::sqlite
