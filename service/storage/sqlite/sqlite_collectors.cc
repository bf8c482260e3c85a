#include "service/storage/sqlite/sqlite_collectors.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/storage/sqlite/statements.h"
#include "util/status_macros.h"

namespace opinia::storage::sqlite {
namespace {

constexpr char kColumns[] =
    "id, tenant_id, spec, poll_interval_seconds, create_time, update_time, "
    "next_run_time, last_run_time, last_success_time, last_full_time, "
    "last_error, reviews_fetched, runs_since_full, cursor";
constexpr TenantTable kCollectors{"collectors", kColumns, "collector"};

CollectorRow ReadRow(const Statement& s) {
  CollectorRow r;
  r.id = s.ColumnInt64(0);
  r.tenant_id = s.ColumnString(1);
  r.spec = s.ColumnString(2);
  r.poll_interval_seconds = static_cast<int32_t>(s.ColumnInt64(3));
  r.create_time = s.ColumnTime(4);
  r.update_time = s.ColumnTime(5);
  r.next_run_time = s.ColumnTime(6);
  r.last_run_time = s.ColumnTime(7);
  r.last_success_time = s.ColumnTime(8);
  r.last_full_time = s.ColumnTime(9);
  r.last_error = s.ColumnString(10);
  r.reviews_fetched = s.ColumnInt64(11);
  r.runs_since_full = static_cast<int32_t>(s.ColumnInt64(12));
  r.cursor = s.ColumnString(13);
  return r;
}

// Binds the columns after id and tenant_id in kColumns order (without
// create_time for an UPDATE: it never changes).
void BindState(Statement& stmt, const CollectorRow& r, bool with_create) {
  stmt.BindBlob(r.spec).BindInt64(r.poll_interval_seconds);
  if (with_create) stmt.BindTime(r.create_time);
  stmt.BindTime(r.update_time)
      .BindTime(r.next_run_time)
      .BindTime(r.last_run_time)
      .BindTime(r.last_success_time)
      .BindTime(r.last_full_time)
      .BindText(r.last_error)
      .BindInt64(r.reviews_fetched)
      .BindInt64(r.runs_since_full)
      .BindBlob(r.cursor);
}

}  // namespace

absl::StatusOr<int64_t> SqliteCollectors::InsertCollector(
    const CollectorRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertCollector"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT INTO collectors (tenant_id, spec, "
                    "poll_interval_seconds, create_time, update_time, "
                    "next_run_time, last_run_time, last_success_time, "
                    "last_full_time, last_error, reviews_fetched, "
                    "runs_since_full, cursor) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt.BindText(row.tenant_id);
  BindState(stmt, row, /*with_create=*/true);
  RETURN_IF_ERROR(stmt.Run());
  return conn_.LastInsertRowId();
}

absl::StatusOr<CollectorRow> SqliteCollectors::GetCollector(
    std::string_view tenant_id, int64_t id) {
  return GetTenantRow(conn_, kCollectors, tenant_id, id, ReadRow);
}

absl::StatusOr<std::vector<CollectorRow>> SqliteCollectors::ListCollectors(
    std::string_view tenant_id, int64_t after_id, int limit) {
  return ListTenantRows(conn_, kCollectors, tenant_id, after_id, limit,
                        ReadRow);
}

absl::StatusOr<int64_t> SqliteCollectors::CountCollectors(
    std::string_view tenant_id) {
  return CountTenantRows(conn_, "collectors", tenant_id);
}

absl::StatusOr<std::vector<CollectorRow>> SqliteCollectors::ListDueCollectors(
    absl::Time now, int limit) {
  return ListDueCollectorsExcept(now, limit, {});
}

absl::StatusOr<std::vector<CollectorRow>>
SqliteCollectors::ListDueCollectorsExcept(absl::Time now, int limit,
                                          const std::vector<int64_t>& skip) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(absl::StrCat(
          "SELECT ", kColumns,
          " FROM collectors WHERE poll_interval_seconds > 0 AND "
          "next_run_time <= ? AND id NOT IN (SELECT value FROM json_each(?)) "
          "ORDER BY next_run_time, id LIMIT ?")));
  stmt.BindTime(now).BindText(JsonIdArray(skip)).BindInt64(limit);
  return ReadAllRows(stmt, ReadRow);
}

absl::Status SqliteCollectors::UpdateCollector(const CollectorRow& row) {
  RETURN_IF_ERROR(CheckWritable("UpdateCollector"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(
          "UPDATE collectors SET spec = ?, "
          "poll_interval_seconds = ?, update_time = ?, next_run_time = ?, "
          "last_run_time = ?, last_success_time = ?, "
          "last_full_time = ?, last_error = ?, "
          "reviews_fetched = ?, runs_since_full = ?, cursor = ? "
          "WHERE id = ? AND tenant_id = ?"));
  BindState(stmt, row, /*with_create=*/false);
  stmt.BindInt64(row.id).BindText(row.tenant_id);
  return RunOnRow(conn_, stmt, absl::StrCat("collector ", row.id));
}

absl::Status SqliteCollectors::DeleteCollector(std::string_view tenant_id,
                                               int64_t id) {
  RETURN_IF_ERROR(CheckWritable("DeleteCollector"));
  return DeleteTenantRow(conn_, kCollectors, tenant_id, id);
}

}  // namespace opinia::storage::sqlite
