#include "service/storage/sqlite/sqlite_txn.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/storage/sqlite/aspects_json.h"
#include "service/storage/sqlite/fts_query.h"
#include "service/storage/sqlite/rollup_sql.h"
#include "service/storage/sqlite/review_query.h"
#include "service/storage/sqlite/statements.h"
#include "util/status_macros.h"

namespace opinia::storage::sqlite {
namespace {

constexpr char kTenantColumns[] = "id, display_name, time_zone, create_time";
constexpr char kKeyColumns[] =
    "id, tenant_id, roles, display_name, secret_hash, create_time, revoked";
constexpr char kAuditColumns[] =
    "id, tenant_id, actor, action, target, detail, time";

TenantRow ReadTenant(const Statement& s) {
  return TenantRow{s.ColumnString(0), s.ColumnString(1), s.ColumnString(2),
                   s.ColumnTime(3)};
}

ApiKeyRow ReadKey(const Statement& s) {
  ApiKeyRow k;
  k.id = s.ColumnString(0);
  k.tenant_id = s.ColumnString(1);  // NULL (operator key) reads as ""
  k.roles = static_cast<uint32_t>(s.ColumnInt64(2));
  k.display_name = s.ColumnString(3);
  k.secret_hash = s.ColumnString(4);
  k.create_time = s.ColumnTime(5);
  k.revoked = s.ColumnInt64(6) != 0;
  return k;
}

AuditRow ReadAudit(const Statement& s) {
  AuditRow a;
  a.id = s.ColumnInt64(0);
  a.tenant_id = s.ColumnString(1);
  a.actor = s.ColumnString(2);
  a.action = s.ColumnString(3);
  a.target = s.ColumnString(4);
  a.detail = s.ColumnString(5);
  a.time = s.ColumnTime(6);
  return a;
}

}  // namespace

absl::Status SqliteTxn::InsertTenant(const TenantRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertTenant"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT INTO tenants (id, display_name, time_zone, "
                    "create_time) VALUES (?, ?, ?, ?)"));
  stmt.BindText(row.id)
      .BindText(row.display_name)
      .BindText(row.time_zone)
      .BindTime(row.create_time);
  return stmt.Run();
}

absl::StatusOr<TenantRow> SqliteTxn::GetTenant(std::string_view id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn_.Prepare(absl::StrCat("SELECT ", kTenantColumns,
                                              " FROM tenants WHERE id = ?")));
  stmt.BindText(id);
  RETURN_IF_ERROR(
      StepToRow(stmt, absl::StrCat("tenant ", AsAbsl(id), " not found")));
  return ReadTenant(stmt);
}

absl::StatusOr<std::vector<TenantRow>> SqliteTxn::ListTenants(
    std::string_view after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(Statement stmt,
                   conn_.Prepare(absl::StrCat("SELECT ", kTenantColumns,
                                              " FROM tenants WHERE id > ? "
                                              "ORDER BY id LIMIT ?")));
  stmt.BindText(after_id).BindInt64(limit);
  return ReadAllRows(stmt, ReadTenant);
}

absl::Status SqliteTxn::InsertApiKey(const ApiKeyRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertApiKey"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT INTO api_keys (id, tenant_id, roles, "
                    "display_name, secret_hash, create_time, revoked) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  stmt.BindText(row.id);
  if (row.tenant_id.empty()) {
    stmt.BindNull();
  } else {
    stmt.BindText(row.tenant_id);
  }
  stmt.BindInt64(row.roles)
      .BindText(row.display_name)
      .BindText(row.secret_hash)
      .BindTime(row.create_time)
      .BindInt64(row.revoked ? 1 : 0);
  return stmt.Run();
}

absl::StatusOr<ApiKeyRow> SqliteTxn::GetApiKey(std::string_view id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn_.Prepare(absl::StrCat("SELECT ", kKeyColumns,
                                              " FROM api_keys WHERE id = ?")));
  stmt.BindText(id);
  RETURN_IF_ERROR(
      StepToRow(stmt, absl::StrCat("api key ", AsAbsl(id), " not found")));
  return ReadKey(stmt);
}

absl::StatusOr<ApiKeyRow> SqliteTxn::GetApiKeyByHash(
    std::string_view secret_hash) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(absl::StrCat("SELECT ", kKeyColumns,
                                 " FROM api_keys WHERE secret_hash = ?")));
  stmt.BindText(secret_hash);
  RETURN_IF_ERROR(StepToRow(stmt, "api key not found"));
  return ReadKey(stmt);
}

absl::StatusOr<std::vector<ApiKeyRow>> SqliteTxn::ReadKeys(Statement& stmt) {
  return ReadAllRows(stmt, ReadKey);
}

absl::StatusOr<std::vector<ApiKeyRow>> SqliteTxn::ListApiKeys(
    std::optional<std::string_view> tenant_id, std::string_view after_id,
    int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  if (!tenant_id.has_value()) {
    ASSIGN_OR_RETURN(Statement stmt,
                     conn_.Prepare(absl::StrCat("SELECT ", kKeyColumns,
                                                " FROM api_keys WHERE id > ? "
                                                "ORDER BY id LIMIT ?")));
    stmt.BindText(after_id).BindInt64(limit);
    return ReadKeys(stmt);
  }
  // `IS ?` matches NULL too: tenant "" lists the operator keys.
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(absl::StrCat("SELECT ", kKeyColumns,
                                 " FROM api_keys WHERE tenant_id IS ? AND "
                                 "id > ? ORDER BY id LIMIT ?")));
  if (tenant_id->empty()) {
    stmt.BindNull();
  } else {
    stmt.BindText(*tenant_id);
  }
  stmt.BindText(after_id).BindInt64(limit);
  return ReadKeys(stmt);
}

absl::Status SqliteTxn::RevokeApiKey(std::string_view id) {
  RETURN_IF_ERROR(CheckWritable("RevokeApiKey"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("UPDATE api_keys SET revoked = 1 WHERE id = ?"));
  stmt.BindText(id);
  return RunOnRow(conn_, stmt,
                  absl::StrCat("api key ", AsAbsl(id), " not found"));
}

absl::StatusOr<int64_t> SqliteTxn::CountApiKeys() {
  return QueryInt64(conn_, "SELECT COUNT(*) FROM api_keys");
}

absl::StatusOr<std::optional<ReviewRow>> SqliteTxn::FindReview(
    std::string_view tenant_id, std::string_view source,
    std::string_view external_id) {
  ASSIGN_OR_RETURN(Statement stmt, conn_.Prepare(absl::StrCat(
                                       "SELECT ", ReviewColumns(),
                                       " FROM reviews WHERE tenant_id = ? AND "
                                       "source = ? AND external_id = ?")));
  stmt.BindText(tenant_id).BindText(source).BindText(external_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<ReviewRow>();
  return std::optional<ReviewRow>(ReadReviewRow(stmt));
}

absl::StatusOr<ReviewRow> SqliteTxn::GetReview(std::string_view tenant_id,
                                               int64_t id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn_.Prepare(absl::StrCat("SELECT ", ReviewColumns(),
                                              " FROM reviews WHERE id = ? AND "
                                              "tenant_id = ?")));
  stmt.BindInt64(id).BindText(tenant_id);
  RETURN_IF_ERROR(StepToRow(stmt, absl::StrCat("review ", id, " not found")));
  return ReadReviewRow(stmt);
}

absl::Status SqliteTxn::RunReviewWrite(Statement& stmt) {
  // SQLite undoes a failed statement's changes, and its triggers' deferred
  // index writes must go with them (the caller may carry on).
  const DeferredWrites::Mark mark = conn_.deferred().GetMark();
  absl::Status status = stmt.Run();
  if (!status.ok()) conn_.deferred().RollBackTo(mark);
  return status;
}

absl::StatusOr<int64_t> SqliteTxn::InsertReview(const ReviewRow& row) {
  ASSIGN_OR_RETURN(std::optional<int64_t> id,
                   AddReview(row, /*if_absent=*/false));
  return *id;
}

absl::StatusOr<InsertOrFindResult> SqliteTxn::InsertOrFindReview(
    const ReviewRow& row) {
  ASSIGN_OR_RETURN(std::optional<int64_t> id,
                   AddReview(row, /*if_absent=*/true));
  if (id.has_value()) return InsertOrFindResult{*id, std::nullopt};
  ASSIGN_OR_RETURN(std::optional<ReviewRow> existing,
                   FindReview(row.tenant_id, row.source, row.external_id));
  if (!existing.has_value()) {
    return absl::InternalError("review insert conflicted with no stored row");
  }
  const int64_t existing_id = existing->id;
  return InsertOrFindResult{existing_id, std::move(existing)};
}

absl::StatusOr<std::optional<int64_t>> SqliteTxn::AddReview(
    const ReviewRow& row, bool if_absent) {
  RETURN_IF_ERROR(
      CheckWritable(if_absent ? "InsertOrFindReview" : "InsertReview"));
  // Two fixed texts, so each is prepared once.
  static const std::string kInsertIfAbsent =
      absl::StrCat(kInsertReview,
                   " ON CONFLICT (tenant_id, source, external_id) DO NOTHING");
  ASSIGN_OR_RETURN(Statement stmt,
                   conn_.Prepare(if_absent ? absl::string_view(kInsertIfAbsent)
                                           : kInsertReview));
  BindReviewColumns(stmt, row);
  RETURN_IF_ERROR(RunReviewWrite(stmt));
  if (if_absent && conn_.Changes() == 0) return std::optional<int64_t>();
  const int64_t id = conn_.LastInsertRowId();
  // No trigger fires on this insert (migration 9: a trigger makes every
  // insert a multi-row statement with its own journal); log the rollup,
  // response and full-text changes, and add the aspect rows, as the triggers
  // did. A failure here leaves the row without its index entries, so the caller
  // must roll back (every caller returns the error to Store::Write, which
  // undoes the call's savepoint and what it logged).
  const DeferredWrites::Mark mark = conn_.deferred().GetMark();
  absl::Status status = LogInsertedReview(id, row);
  if (!status.ok()) {
    conn_.deferred().RollBackTo(mark);
    return absl::InternalError(
        absl::StrCat("indexing new review ", id, ": ", status.message()));
  }
  return id;
}

absl::Status SqliteTxn::LogInsertedReview(int64_t id, const ReviewRow& row) {
  {
    ASSIGN_OR_RETURN(Statement stmt,
                     conn_.Prepare(LogInsertedReviewStatement()));
    stmt.BindInt64(id);
    RETURN_IF_ERROR(stmt.Run());
  }
  for (const ReviewAspect& a : row.aspects) {
    ASSIGN_OR_RETURN(Statement stmt, conn_.Prepare(kInsertAspectRow));
    stmt.BindInt64(id)
        .BindInt64(a.aspect)
        .BindInt64(a.label)
        .BindDouble(StoredScore(a.score))
        .BindInt64(a.begin)
        .BindInt64(a.end);
    RETURN_IF_ERROR(stmt.Run());
  }
  if (row.aspects.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(Statement stmt, conn_.Prepare(kLogInsertedAspects));
  stmt.BindInt64(id);
  return stmt.Run();
}

absl::Status SqliteTxn::UpdateReview(const ReviewRow& row) {
  RETURN_IF_ERROR(CheckWritable("UpdateReview"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(
          "UPDATE reviews SET tenant_id = ?, source = ?, external_id = ?, "
          "subject_id = ?, rating = ?, language = ?, label = ?, score = ?, "
          "priority = ?, status = ?, deleted = ?, create_time = ?, "
          "ingest_time = ?, modify_time = ?, respond_by = ?, "
          "content_hash = ?, input_hash = ?, input = ?, analysis = ?, "
          "override_analysis = ?, response_text = ?, response_author = ?, "
          "response_time = ?, search_text = ?, aspects = ?, "
          "local_day = opinia_local_day(?12, (SELECT time_zone FROM tenants "
          "WHERE id = ?1)) WHERE id = ? AND tenant_id = ?"));
  BindReviewColumns(stmt, row);
  stmt.BindInt64(row.id).BindText(row.tenant_id);
  RETURN_IF_ERROR(RunReviewWrite(stmt));
  if (conn_.Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("review ", row.id, " not found"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ReviewRow>> SqliteTxn::ListReviews(
    std::string_view tenant_id, const ReviewFilter& filter,
    const std::optional<ReviewCursor>& after, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  bool text_first = false;
  if (!filter.text_query.empty()) {
    // Few full-text matches: look them up and sort; many: walk the keyset
    // index, where matches are dense enough to fill a page quickly.
    ASSIGN_OR_RETURN(
        Statement count,
        conn_.Prepare("SELECT count(*) FROM reviews_fts WHERE reviews_fts "
                      "MATCH ?"));
    count.BindText(FtsMatchExpression(filter.text_query));
    ASSIGN_OR_RETURN(bool row, count.Step());
    text_first = row && count.ColumnInt64(0) <= 5000;
  }
  const ReviewQuery query =
      ListReviewsQuery(tenant_id, filter, after, text_first);
  ASSIGN_OR_RETURN(Statement stmt, conn_.Prepare(query.sql));
  query.BindTo(stmt);
  stmt.BindInt64(limit);
  return ReadAllRows(stmt, ReadReviewRow);
}

absl::StatusOr<int64_t> SqliteTxn::CountReviews(std::string_view tenant_id,
                                                const ReviewFilter& filter) {
  const ReviewQuery query = CountReviewsQuery(tenant_id, filter);
  ASSIGN_OR_RETURN(Statement stmt, conn_.Prepare(query.sql));
  query.BindTo(stmt);
  RETURN_IF_ERROR(StepToRow(stmt, "count not found"));
  return stmt.ColumnInt64(0);
}

absl::StatusOr<int64_t> SqliteTxn::InsertAudit(const AuditRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertAudit"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT INTO audit_log (tenant_id, actor, action, "
                    "target, detail, time) VALUES (?, ?, ?, ?, ?, ?)"));
  stmt.BindText(row.tenant_id)
      .BindText(row.actor)
      .BindText(row.action)
      .BindText(row.target)
      .BindText(row.detail)
      .BindTime(row.time);
  RETURN_IF_ERROR(stmt.Run());
  return conn_.LastInsertRowId();
}

absl::StatusOr<std::vector<AuditRow>> SqliteTxn::ListAudit(
    std::string_view tenant_id, std::string_view target) {
  // An empty target lists every audit row of the tenant.
  const std::string sql = absl::StrCat(
      "SELECT ", kAuditColumns, " FROM audit_log WHERE tenant_id = ?",
      target.empty() ? "" : " AND target = ?", " ORDER BY id");
  ASSIGN_OR_RETURN(Statement stmt, conn_.Prepare(sql));
  stmt.BindText(tenant_id);
  if (!target.empty()) stmt.BindText(target);
  return ReadAllRows(stmt, ReadAudit);
}

absl::Status SqliteTxn::NotifyTenant(std::string_view tenant_id) {
  RETURN_IF_ERROR(CheckWritable("NotifyTenant"));
  if (tenant_id.empty()) {
    return absl::InvalidArgumentError("NotifyTenant needs a tenant");
  }
  if (notifications_ != nullptr) notifications_->emplace_back(tenant_id);
  return absl::OkStatus();
}

}  // namespace opinia::storage::sqlite
