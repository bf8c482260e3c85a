#include "service/storage/sqlite/sqlite_leases.h"

#include <string>

#include "service/storage/sqlite/statements.h"
#include "util/status_macros.h"

namespace opinia::storage::sqlite {

absl::StatusOr<bool> SqliteLeases::WriteLease(
    const char* op, const char* sql, std::string_view name,
    std::string_view holder, std::optional<absl::Duration> ttl,
    std::initializer_list<absl::Time> times) {
  RETURN_IF_ERROR(CheckWritable(op));
  RETURN_IF_ERROR(CheckLeaseArguments(name, holder, ttl));
  ASSIGN_OR_RETURN(Statement stmt, conn_.Prepare(sql));
  stmt.BindText(name).BindText(holder);
  for (absl::Time t : times) stmt.BindTime(t);
  RETURN_IF_ERROR(stmt.Run());
  return conn_.Changes() > 0;
}

absl::StatusOr<bool> SqliteLeases::TryAcquireLease(std::string_view name,
                                                   std::string_view holder,
                                                   absl::Time now,
                                                   absl::Duration ttl) {
  // One statement that never fails on the key: a free, expired or own
  // lease is (re)written, another holder's live one is left alone (the
  // WHERE of DO UPDATE), and changes() tells which happened.
  return WriteLease(
      "TryAcquireLease",
      "INSERT INTO leases (name, holder, acquire_time, expire_time) "
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE SET "
      "holder = excluded.holder, "
      "acquire_time = CASE WHEN leases.holder = excluded.holder "
      "THEN leases.acquire_time ELSE excluded.acquire_time END, "
      "expire_time = excluded.expire_time "
      "WHERE leases.holder = excluded.holder "
      "OR leases.expire_time <= excluded.acquire_time",
      name, holder, ttl, {now, now + ttl});
}

absl::StatusOr<bool> SqliteLeases::RenewLease(std::string_view name,
                                              std::string_view holder,
                                              absl::Time now,
                                              absl::Duration ttl) {
  return WriteLease("RenewLease",
                    "UPDATE leases SET expire_time = ?3 "
                    "WHERE name = ?1 AND holder = ?2",
                    name, holder, ttl, {now + ttl});
}

absl::StatusOr<bool> SqliteLeases::ReleaseLease(std::string_view name,
                                                std::string_view holder) {
  return WriteLease("ReleaseLease",
                    "DELETE FROM leases WHERE name = ?1 AND holder = ?2", name,
                    holder, std::nullopt, {});
}

absl::StatusOr<std::vector<LeaseRow>> SqliteLeases::ListLeases(    std::string_view prefix, int limit) {
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
