// What the alerts, webhooks and collectors parts of PgTxn (pg_alerts.h,
// pg_webhooks.h, pg_collectors.h) share: rows of a tenant's table with a
// bigint id, addressed by (tenant_id, id) so that another tenant's row
// reads as missing; statements that must change one row; id-array
// parameters; and the transaction-level advisory locks that hand out ids
// in commit order (CommitOrderLocks). Header-only.
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_TENANT_ROWS_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_TENANT_ROWS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/storage/postgres/pg_connection.h"
#include "service/storage/postgres/pg_txn_part.h"
#include "util/status_macros.h"

namespace opinia::storage::pg {

// A table whose rows belong to a tenant: its name, the columns a row is
// read with (`id` and `tenant_id` among them), and what a row is called in
// a NOT_FOUND message.
struct PgTenantTable {
  const char* name;
  const char* columns;
  const char* noun;
};

// NOT_FOUND "<noun> <id> not found".
inline absl::Status RowNotFound(const char* noun, int64_t id) {
  return absl::NotFoundError(absl::StrCat(noun, " ", id, " not found"));
}

// OK when the statement changed a row; NOT_FOUND for `noun` `id` otherwise.
inline absl::Status ExpectChanged(const absl::StatusOr<Result>& result,
                                  const char* noun, int64_t id) {
  if (!result.ok()) return result.status();
  if (result->affected() == 0) return RowNotFound(noun, id);
  return absl::OkStatus();
}

// The tenant's row `id`, read by read(result, 0).
template <typename Read>
auto GetTenantRow(Connection& conn, const PgTenantTable& table,
                  std::string_view tenant_id, int64_t id, Read read)
    -> absl::StatusOr<decltype(read(std::declval<const Result&>(), 0))> {
  ASSIGN_OR_RETURN(
      Result r,
      conn.Exec(absl::StrCat("SELECT ", table.columns, " FROM ", table.name,
                             " WHERE id = $1 AND tenant_id = $2"),
                Params().Int(id).Text(tenant_id)));
  if (r.rows() == 0) return RowNotFound(table.noun, id);
  return read(r, 0);
}

// The rows with id > after_id in id order, at most `limit`: the tenant's,
// or every tenant's when `tenant_id` is std::nullopt.
template <typename Read>
auto ListRowsAfter(Connection& conn, const PgTenantTable& table,
                   std::optional<std::string_view> tenant_id, int64_t after_id,
                   int limit, Read read)
    -> absl::StatusOr<
        std::vector<decltype(read(std::declval<const Result&>(), 0))>> {
  RETURN_IF_ERROR(CheckLimit(limit));
  Params params;
  if (tenant_id.has_value()) params.Text(*tenant_id);
  params.Int(after_id).Int(limit);
  ASSIGN_OR_RETURN(
      Result r,
      conn.Exec(absl::StrCat("SELECT ", table.columns, " FROM ", table.name,
                             tenant_id.has_value()
                                 ? " WHERE tenant_id = $1 AND id > $2 "
                                   "ORDER BY id LIMIT $3"
                                 : " WHERE id > $1 ORDER BY id LIMIT $2"),
                params));
  return ReadRows(r, read);
}

// How many rows the tenant has (0 for an unknown tenant).
inline absl::StatusOr<int64_t> CountTenantRows(Connection& conn,
                                               const PgTenantTable& table,
                                               std::string_view tenant_id) {
  ASSIGN_OR_RETURN(Result r,
                   conn.Exec(absl::StrCat("SELECT count(*) FROM ", table.name,
                                          " WHERE tenant_id = $1"),
                             Params().Text(tenant_id)));
  return r.Int(0, 0);
}

// Deletes the tenant's row `id`; NOT_FOUND when it has none.
inline absl::Status DeleteTenantRow(Connection& conn,
                                    const PgTenantTable& table,
                                    std::string_view tenant_id, int64_t id) {
  return ExpectChanged(
      conn.Exec(absl::StrCat("DELETE FROM ", table.name,
                             " WHERE id = $1 AND tenant_id = $2"),
                Params().Int(id).Text(tenant_id)),
      table.noun, id);
}

// PostgreSQL array input text of ids: {1,2}.
inline std::string IdArray(const std::vector<int64_t>& ids) {
  return absl::StrCat("{", absl::StrJoin(ids, ","), "}");
}

// Transaction-level advisory locks (pg_advisory_xact_lock: released only
// when the transaction commits or rolls back) of one transaction, each
// taken once. The key is (lock_class, hashtext(current_schema() || key)):
// advisory locks are per database, and stores in different schemas of one
// database (pg_test_db.h, two deployments) are independent. A hash
// collision only makes two keys share a lock (more waiting, never less).
//
// What they are for: ids a reader tails ("rows with id > the last I saw")
// must be in commit order, and a sequence hands out values at insert, not
// at commit. A writer that takes the lock of an id space before taking an
// id from its sequence holds it until it commits, so the next writer of
// that space gets its id only after that commit: a larger id always
// commits later, and a snapshot that sees an id sees every smaller one.
class CommitOrderLocks {
 public:
  absl::Status Take(Connection& conn, int32_t lock_class,
                    std::string_view key = "") {
    const std::string name = absl::StrCat(lock_class, "/", AsAbsl(key));
    if (taken_.contains(name)) return absl::OkStatus();
    RETURN_IF_ERROR(conn.Exec("SELECT pg_advisory_xact_lock($1::integer, "
                              "hashtext(current_schema() || $2::text))",
                              Params().Int(lock_class).Text(key))
                        .status());
    taken_.insert(name);
    return absl::OkStatus();
  }

 private:
  absl::flat_hash_set<std::string> taken_;
};

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_TENANT_ROWS_H_
