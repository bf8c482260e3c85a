#include "service/storage/postgres/pg_collectors.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace opinia::storage::pg {
namespace {

constexpr char kColumns[] =
    "id, tenant_id, spec, poll_interval_seconds, create_time, update_time, "
    "next_run_time, last_run_time, last_success_time, last_full_time, "
    "last_error, reviews_fetched, runs_since_full, cursor";
constexpr PgTenantTable kCollectors{"collectors", kColumns, "collector"};

CollectorRow ReadCollector(const Result& r, int i) {
  CollectorRow c;
  c.id = r.Int(i, 0);
  c.tenant_id = r.String(i, 1);
  c.spec = r.Bytes(i, 2);
  c.poll_interval_seconds = static_cast<int32_t>(r.Int(i, 3));
  c.create_time = r.Time(i, 4);
  c.update_time = r.Time(i, 5);
  c.next_run_time = r.Time(i, 6);
  c.last_run_time = r.Time(i, 7);
  c.last_success_time = r.Time(i, 8);
  c.last_full_time = r.Time(i, 9);
  c.last_error = r.String(i, 10);
  c.reviews_fetched = r.Int(i, 11);
  c.runs_since_full = static_cast<int32_t>(r.Int(i, 12));
  c.cursor = r.Bytes(i, 13);
  return c;
}

// The columns that UpdateCollector replaces, after spec and
// poll_interval_seconds (and create_time for an insert), in kColumns
// order.
void AddState(Params& params, const CollectorRow& c) {
  params.Time(c.update_time)
      .Time(c.next_run_time)
      .Time(c.last_run_time)
      .Time(c.last_success_time)
      .Time(c.last_full_time)
      .Text(c.last_error)
      .Int(c.reviews_fetched)
      .Int(c.runs_since_full)
      .Bytes(c.cursor);
}

}  // namespace

absl::StatusOr<int64_t> PgCollectors::InsertCollector(const CollectorRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertCollector"));
  RETURN_IF_ERROR(
      state_.TenantTimeZone(conn_, row.tenant_id, learned_zones_).status());
  Params params;
  params.Text(row.tenant_id)
      .Bytes(row.spec)
      .Int(row.poll_interval_seconds)
      .Time(row.create_time);
  AddState(params, row);
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec("INSERT INTO collectors (tenant_id, spec, "
                 "poll_interval_seconds, create_time, update_time, "
                 "next_run_time, last_run_time, last_success_time, "
                 "last_full_time, last_error, reviews_fetched, "
                 "runs_since_full, cursor) VALUES ($1, $2, $3, $4, $5, $6, "
                 "$7, $8, $9, $10, $11, $12, $13) RETURNING id",
                 params));
  return r.Int(0, 0);
}

absl::StatusOr<CollectorRow> PgCollectors::GetCollector(
    std::string_view tenant_id, int64_t id) {
  return GetTenantRow(conn_, kCollectors, tenant_id, id, ReadCollector);
}

absl::StatusOr<std::vector<CollectorRow>> PgCollectors::ListCollectors(
    std::string_view tenant_id, int64_t after_id, int limit) {
  return ListRowsAfter(conn_, kCollectors, tenant_id, after_id, limit,
                       ReadCollector);
}

absl::StatusOr<std::vector<CollectorRow>> PgCollectors::ListDueCollectors(
    absl::Time now, int limit) {
  return ListDueCollectorsExcept(now, limit, {});
}

absl::StatusOr<std::vector<CollectorRow>> PgCollectors::ListDueCollectorsExcept(
    absl::Time now, int limit, const std::vector<int64_t>& skip) {
  RETURN_IF_ERROR(CheckLimit(limit));
  // The partial index collectors_due in (next_run_time, id).
  static const std::string kSql =
      absl::StrCat("SELECT ", kColumns,
                   " FROM collectors WHERE poll_interval_seconds > 0 AND "
                   "next_run_time <= $1 AND id <> ALL($2::bigint[]) "
                   "ORDER BY next_run_time, id LIMIT $3");
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(kSql, Params().Time(now).Text(IdArray(skip)).Int(limit)));
  return ReadRows(r, ReadCollector);
}

absl::Status PgCollectors::UpdateCollector(const CollectorRow& row) {
  RETURN_IF_ERROR(CheckWritable("UpdateCollector"));
  Params params;
  params.Bytes(row.spec).Int(row.poll_interval_seconds);
  AddState(params, row);
  params.Int(row.id).Text(row.tenant_id);
  return ExpectChanged(
      conn_.Exec("UPDATE collectors SET spec = $1, poll_interval_seconds = $2, "
                 "update_time = $3, next_run_time = $4, last_run_time = $5, "
                 "last_success_time = $6, last_full_time = $7, "
                 "last_error = $8, reviews_fetched = $9, "
                 "runs_since_full = $10, cursor = $11 "
                 "WHERE id = $12 AND tenant_id = $13",
                 params),
      kCollectors.noun, row.id);
}

absl::StatusOr<int64_t> PgCollectors::CountCollectors(
    std::string_view tenant_id) {
  return CountTenantRows(conn_, kCollectors, tenant_id);
}

absl::Status PgCollectors::DeleteCollector(std::string_view tenant_id,
                                           int64_t id) {
  RETURN_IF_ERROR(CheckWritable("DeleteCollector"));
  return DeleteTenantRow(conn_, kCollectors, tenant_id, id);
}

}  // namespace opinia::storage::pg
