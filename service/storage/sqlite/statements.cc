#include "service/storage/sqlite/statements.h"

#include "util/status_macros.h"

namespace opinia::storage::sqlite {

absl::Status CheckLimit(int limit) {
  if (limit <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit must be > 0, got ", limit));
  }
  return absl::OkStatus();
}

absl::Status StepToRow(Statement& stmt, absl::string_view not_found) {
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::NotFoundError(not_found);
  return absl::OkStatus();
}

absl::Status RunOnRow(Connection& conn, Statement& stmt,
                      absl::string_view not_found) {
  RETURN_IF_ERROR(stmt.Run());
  if (conn.Changes() == 0) return absl::NotFoundError(not_found);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> QueryInt64(Connection& conn, absl::string_view sql) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return 0;
  return stmt.ColumnInt64(0);
}

absl::Status DeleteTenantRow(Connection& conn, const TenantTable& table,
                             std::string_view tenant_id, int64_t id) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(absl::StrCat(
                                       "DELETE FROM ", table.name,
                                       " WHERE id = ? AND tenant_id = ?")));
  stmt.BindInt64(id).BindText(tenant_id);
  return RunOnRow(conn, stmt, absl::StrCat(table.noun, " ", id));
}

}  // namespace opinia::storage::sqlite
