// The shapes the SQLite store's statements share, written once: a page
// limit, a lookup that expects one row, a write that must hit a row, and
// the tables whose rows a tenant owns under an integer id (alert_rules,
// alerts, webhooks, collectors): a row is named by (tenant_id, id), a list
// is a keyset page by id.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_STATEMENTS_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_STATEMENTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "service/storage/sqlite/connection.h"

namespace opinia::storage::sqlite {

// INVALID_ARGUMENT unless limit > 0 (every List* takes one).
absl::Status CheckLimit(int limit);

// Steps a lookup to its row; NOT_FOUND `not_found` when there is none.
absl::Status StepToRow(Statement& stmt, absl::string_view not_found);

// Runs a write that must change a row; NOT_FOUND `not_found` when it
// changed none.
absl::Status RunOnRow(Connection& conn, Statement& stmt,
                      absl::string_view not_found);

// The first column of the one row `sql` (a fixed aggregate: COUNT, MAX)
// answers; 0 when it answers none.
absl::StatusOr<int64_t> QueryInt64(Connection& conn, absl::string_view sql);

// A table whose rows a tenant owns: columns id and tenant_id, `columns` the
// list a row is read from, `noun` how NOT_FOUND names a row ("<noun> <id>").
struct TenantTable {
  const char* name;
  const char* columns;
  const char* noun;
};

// The row `id` of `tenant_id`, as `read` reads it from table.columns.
template <typename Read, typename T = std::decay_t<
                             std::invoke_result_t<Read, const Statement&>>>
absl::StatusOr<T> GetTenantRow(Connection& conn, const TenantTable& table,
                               std::string_view tenant_id, int64_t id,
                               Read read) {
  absl::StatusOr<Statement> stmt =
      conn.Prepare(absl::StrCat("SELECT ", table.columns, " FROM ", table.name,
                                " WHERE id = ? AND tenant_id = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt64(id).BindText(tenant_id);
  if (absl::Status s = StepToRow(*stmt, absl::StrCat(table.noun, " ", id));
      !s.ok()) {
    return s;
  }
  return read(*stmt);
}

// Up to `limit` rows of `tenant_id` with ids above `after_id`, by id.
template <typename Read, typename T = std::decay_t<
                             std::invoke_result_t<Read, const Statement&>>>
absl::StatusOr<std::vector<T>> ListTenantRows(Connection& conn,
                                              const TenantTable& table,
                                              std::string_view tenant_id,
                                              int64_t after_id, int limit,
                                              Read read) {
  if (absl::Status s = CheckLimit(limit); !s.ok()) return s;
  absl::StatusOr<Statement> stmt = conn.Prepare(
      absl::StrCat("SELECT ", table.columns, " FROM ", table.name,
                   " WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(tenant_id).BindInt64(after_id).BindInt64(limit);
  return ReadAllRows(*stmt, read);
}

// Deletes the row `id` of `tenant_id`; NOT_FOUND when there is none.
absl::Status DeleteTenantRow(Connection& conn, const TenantTable& table,
                             std::string_view tenant_id, int64_t id);

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_STATEMENTS_H_
