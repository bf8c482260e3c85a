#include "service/storage/postgres/pg_leases.h"

#include <string>

#include "util/status_macros.h"

namespace opinia::storage::pg {

absl::StatusOr<bool> PgLeases::WriteLease(
    const char* op, const char* sql, std::string_view name,
    std::string_view holder, std::optional<absl::Duration> ttl,
    std::initializer_list<absl::Time> times) {
  RETURN_IF_ERROR(CheckWritable(op));
  RETURN_IF_ERROR(CheckLeaseArguments(name, holder, ttl));
  Params params;
  params.Text(name).Text(holder);
  for (absl::Time t : times) params.Time(t);
  ASSIGN_OR_RETURN(Result r, conn_.Exec(sql, params));
  return r.affected() > 0;
}

absl::StatusOr<bool> PgLeases::TryAcquireLease(std::string_view name,
                                               std::string_view holder,
                                               absl::Time now,
                                               absl::Duration ttl) {
  // A free, expired or own lease is (re)written; another holder's live one
  // is left alone by the WHERE of DO UPDATE, and the row count tells which.
  return WriteLease(
      "TryAcquireLease",
      "INSERT INTO leases (name, holder, acquire_time, expire_time) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET "
      "holder = excluded.holder, "
      "acquire_time = CASE WHEN leases.holder = excluded.holder "
      "THEN leases.acquire_time ELSE excluded.acquire_time END, "
      "expire_time = excluded.expire_time "
      "WHERE leases.holder = excluded.holder "
      "OR leases.expire_time <= excluded.acquire_time",
      name, holder, ttl, {now, now + ttl});
}

absl::StatusOr<bool> PgLeases::RenewLease(std::string_view name,
                                          std::string_view holder,
                                          absl::Time now, absl::Duration ttl) {
  return WriteLease("RenewLease",
                    "UPDATE leases SET expire_time = $3 "
                    "WHERE name = $1 AND holder = $2",
                    name, holder, ttl, {now + ttl});
}

absl::StatusOr<bool> PgLeases::ReleaseLease(std::string_view name,
                                            std::string_view holder) {
  return WriteLease("ReleaseLease",
                    "DELETE FROM leases WHERE name = $1 AND holder = $2", name,
                    holder, std::nullopt, {});
}

absl::StatusOr<std::vector<LeaseRow>> PgLeases::ListLeases(
    std::string_view prefix, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec("SELECT name, holder, acquire_time, expire_time FROM leases "
                 "WHERE left(name, length($1)) = $1 ORDER BY name COLLATE "
                 "\"C\" LIMIT $2",
                 Params().Text(prefix).Int(limit)));
  return ReadRows(r, [](const Result& res, int i) {
    return LeaseRow{res.String(i, 0), res.String(i, 1), res.Time(i, 2),
                    res.Time(i, 3)};
  });
}

}  // namespace opinia::storage::pg
