#include "service/storage/postgres/pg_txn.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/storage/local_time.h"
#include "service/storage/postgres/pg_review_rows.h"
#include "util/status_macros.h"

namespace opinia::storage::pg {
namespace {

constexpr char kTenantColumns[] = "id, display_name, time_zone, create_time";
constexpr char kKeyColumns[] =
    "id, tenant_id, roles, display_name, secret_hash, create_time, revoked";
constexpr char kAuditColumns[] =
    "id, tenant_id, actor, action, target, detail, time";

TenantRow ReadTenant(const Result& r, int i) {
  return TenantRow{r.String(i, 0), r.String(i, 1), r.String(i, 2),
                   r.Time(i, 3)};
}

ApiKeyRow ReadKey(const Result& r, int i) {
  ApiKeyRow k;
  k.id = r.String(i, 0);
  k.tenant_id = r.String(i, 1);  // NULL (operator key) reads as ""
  k.roles = static_cast<uint32_t>(r.Int(i, 2));
  k.display_name = r.String(i, 3);
  k.secret_hash = r.String(i, 4);
  k.create_time = r.Time(i, 5);
  k.revoked = r.Bool(i, 6);
  return k;
}

AuditRow ReadAudit(const Result& r, int i) {
  AuditRow a;
  a.id = r.Int(i, 0);
  a.tenant_id = r.String(i, 1);
  a.actor = r.String(i, 2);
  a.action = r.String(i, 3);
  a.target = r.String(i, 4);
  a.detail = r.String(i, 5);
  a.time = r.Time(i, 6);
  return a;
}

}  // namespace

absl::Status PgTxn::NotifyTenant(std::string_view tenant_id) {
  RETURN_IF_ERROR(CheckWritable("NotifyTenant"));
  if (tenant_id.empty()) {
    return absl::InvalidArgumentError("NotifyTenant needs a tenant");
  }
  return conn_
      .Exec(absl::StrCat("SELECT pg_notify(", kTenantChannelSql, ", $1)"),
            Params().Text(tenant_id))
      .status();
}

absl::Status PgTxn::InsertTenant(const TenantRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertTenant"));
  return conn_
      .Exec(
          "INSERT INTO tenants (id, display_name, time_zone, create_time) "
          "VALUES ($1, $2, $3, $4)",
          Params()
              .Text(row.id)
              .Text(row.display_name)
              .Text(row.time_zone)
              .Time(row.create_time))
      .status();
}

absl::StatusOr<TenantRow> PgTxn::GetTenant(std::string_view id) {
  static const std::string kSql =
      absl::StrCat("SELECT ", kTenantColumns, " FROM tenants WHERE id = $1");
  ASSIGN_OR_RETURN(Result r, conn_.Exec(kSql, Params().Text(id)));
  RETURN_IF_ERROR(
      ExpectRow(r, absl::StrCat("tenant ", AsAbsl(id), " not found")));
  return ReadTenant(r, 0);
}

absl::StatusOr<std::vector<TenantRow>> PgTxn::ListTenants(
    std::string_view after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  static const std::string kSql =
      absl::StrCat("SELECT ", kTenantColumns,
                   " FROM tenants WHERE id > $1 ORDER BY id LIMIT $2");
  ASSIGN_OR_RETURN(Result r,
                   conn_.Exec(kSql, Params().Text(after_id).Int(limit)));
  return ReadRows(r, ReadTenant);
}

absl::Status PgTxn::InsertApiKey(const ApiKeyRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertApiKey"));
  return conn_
      .Exec(
          "INSERT INTO api_keys (id, tenant_id, roles, display_name, "
          "secret_hash, create_time, revoked) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7)",
          Params()
              .Text(row.id)
              .TextOrNull(row.tenant_id)
              .Int(row.roles)
              .Text(row.display_name)
              .Text(row.secret_hash)
              .Time(row.create_time)
              .Bool(row.revoked))
      .status();
}

absl::StatusOr<ApiKeyRow> PgTxn::GetApiKey(std::string_view id) {
  static const std::string kSql =
      absl::StrCat("SELECT ", kKeyColumns, " FROM api_keys WHERE id = $1");
  ASSIGN_OR_RETURN(Result r, conn_.Exec(kSql, Params().Text(id)));
  RETURN_IF_ERROR(
      ExpectRow(r, absl::StrCat("api key ", AsAbsl(id), " not found")));
  return ReadKey(r, 0);
}

absl::StatusOr<ApiKeyRow> PgTxn::GetApiKeyByHash(std::string_view secret_hash) {
  static const std::string kSql = absl::StrCat(
      "SELECT ", kKeyColumns, " FROM api_keys WHERE secret_hash = $1");
  ASSIGN_OR_RETURN(Result r, conn_.Exec(kSql, Params().Text(secret_hash)));
  RETURN_IF_ERROR(ExpectRow(r, "api key not found"));
  return ReadKey(r, 0);
}

absl::StatusOr<std::vector<ApiKeyRow>> PgTxn::ListApiKeys(
    std::optional<std::string_view> tenant_id, std::string_view after_id,
    int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  if (!tenant_id.has_value()) {
    static const std::string kAll =
        absl::StrCat("SELECT ", kKeyColumns,
                     " FROM api_keys WHERE id > $1 ORDER BY id LIMIT $2");
    ASSIGN_OR_RETURN(Result r,
                     conn_.Exec(kAll, Params().Text(after_id).Int(limit)));
    return ReadRows(r, ReadKey);
  }
  // IS NOT DISTINCT FROM matches NULL too: tenant "" lists operator keys.
  static const std::string kOfTenant = absl::StrCat(
      "SELECT ", kKeyColumns,
      " FROM api_keys WHERE tenant_id IS NOT DISTINCT FROM $1::text AND "
      "id > $2 ORDER BY id LIMIT $3");
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(kOfTenant,
                 Params().TextOrNull(*tenant_id).Text(after_id).Int(limit)));
  return ReadRows(r, ReadKey);
}

absl::Status PgTxn::RevokeApiKey(std::string_view id) {
  RETURN_IF_ERROR(CheckWritable("RevokeApiKey"));
  ASSIGN_OR_RETURN(
      Result r, conn_.Exec("UPDATE api_keys SET revoked = true WHERE id = $1",
                           Params().Text(id)));
  if (r.affected() == 0) {
    return absl::NotFoundError(
        absl::StrCat("api key ", AsAbsl(id), " not found"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> PgTxn::CountApiKeys() {
  ASSIGN_OR_RETURN(Result r, conn_.Exec("SELECT count(*) FROM api_keys"));
  return r.Int(0, 0);
}

absl::StatusOr<std::optional<ReviewRow>> PgTxn::FindReview(
    std::string_view tenant_id, std::string_view source,
    std::string_view external_id) {
  ASSIGN_OR_RETURN(Result r,
                   conn_.Exec(kFindReview, Params().Text(tenant_id).Text(source).Text(
                                        external_id)));
  if (r.rows() == 0) return std::optional<ReviewRow>();
  return std::optional<ReviewRow>(ReadReview(r, 0));
}

absl::StatusOr<ReviewRow> PgTxn::GetReview(std::string_view tenant_id,
                                           int64_t id) {
  static const std::string kSql =
      absl::StrCat("SELECT ", kReviewColumns,
                   " FROM reviews WHERE id = $1 AND tenant_id = $2");
  ASSIGN_OR_RETURN(Result r,
                   conn_.Exec(kSql, Params().Int(id).Text(tenant_id)));
  RETURN_IF_ERROR(ExpectRow(r, absl::StrCat("review ", id, " not found")));
  return ReadReview(r, 0);
}

absl::StatusOr<int64_t> PgTxn::InsertReview(const ReviewRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertReview"));
  ASSIGN_OR_RETURN(std::optional<int64_t> id,
                   AddReview(row, /*if_absent=*/false));
  return *id;
}

absl::StatusOr<InsertOrFindResult> PgTxn::InsertOrFindReview(
    const ReviewRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertOrFindReview"));
  // ON CONFLICT DO NOTHING: a stored identity fails no statement, so the
  // transaction goes on. A concurrent transaction's insert of the same
  // identity either is in our snapshot (found) or makes this insert a
  // serialization failure (ABORTED: Write runs the function again).
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

absl::StatusOr<int64_t> PgTxn::LocalDayOf(const ReviewRow& row) {
  ASSIGN_OR_RETURN(const std::string zone,
                   state_.TenantTimeZone(conn_, row.tenant_id, learned_zones_));
  if (row.create_time == absl::InfinitePast() ||
      row.create_time == absl::InfiniteFuture()) {
    return 0;
  }
  return LocalDay(row.create_time, zone);
}

absl::StatusOr<std::optional<int64_t>> PgTxn::AddReview(const ReviewRow& row,
                                                        bool if_absent) {
  // The tenant's zone also tells an unknown tenant (NOT_FOUND) before any
  // statement can fail.
  ASSIGN_OR_RETURN(const int64_t local_day, LocalDayOf(row));
  Params params = ReviewParams(row, local_day);
  AddAspectArrays(row, params);  // its review_aspects rows: same statement
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(if_absent ? kInsertReviewIfAbsent : kInsertReview, params));
  if (r.rows() == 0) return std::optional<int64_t>();
  const int64_t id = r.Int(0, 0);
  RETURN_IF_ERROR(
      insights_.OnReviewWritten(id, nullptr, PgStoredReview{row, local_day}));
  return std::optional<int64_t>(id);
}

absl::Status PgTxn::IndexUpdatedReview(int64_t id, const PgStoredReview& before,
                                       const ReviewRow& after,
                                       int64_t local_day) {
  // review_aspects copies the aspects with the review's filter columns:
  // rewritten when any of them changed.
  const bool changed =
      before.row.deleted != after.deleted || before.local_day != local_day ||
      before.row.create_time != after.create_time ||
      before.row.source != after.source ||
      before.row.subject_id != after.subject_id ||
      before.row.language != after.language ||
      PackAspects(before.row.aspects) != PackAspects(after.aspects);
  if (changed && !before.row.deleted && !before.row.aspects.empty()) {
    RETURN_IF_ERROR(conn_
                        .Exec("DELETE FROM review_aspects WHERE review_id = $1",
                              Params().Int(id))
                        .status());
  }
  if (changed && !after.deleted && !after.aspects.empty()) {
    RETURN_IF_ERROR(
        conn_.Exec(kInsertAspectRows, AspectRowParams(id, after, local_day))
            .status());
  }
  return insights_.OnReviewWritten(id, &before,
                                   PgStoredReview{after, local_day});
}

absl::Status PgTxn::UpdateReview(const ReviewRow& row) {
  RETURN_IF_ERROR(CheckWritable("UpdateReview"));
  static const std::string kSelect =
      absl::StrCat("SELECT ", kLightReviewColumns,
                   " FROM reviews WHERE id = $1 AND tenant_id = $2 FOR UPDATE");
  ASSIGN_OR_RETURN(
      Result old,
      conn_.Exec(kSelect, Params().Int(row.id).Text(row.tenant_id)));
  RETURN_IF_ERROR(
      ExpectRow(old, absl::StrCat("review ", row.id, " not found")));
  int64_t old_day = 0;
  const ReviewRow before = ReadLightReview(old, 0, &old_day);
  ASSIGN_OR_RETURN(const int64_t local_day, LocalDayOf(row));
  Params params = ReviewParams(row, local_day);
  params.Int(row.id);
  RETURN_IF_ERROR(conn_.Exec(kUpdateReview, params).status());
  const PgStoredReview stored_before{before, old_day};
  return IndexUpdatedReview(row.id, stored_before, row, local_day);
}

absl::StatusOr<std::vector<ReviewRow>> PgTxn::ListReviews(
    std::string_view tenant_id, const ReviewFilter& filter,
    const std::optional<ReviewCursor>& after, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  std::optional<ReviewWhere> query =
      ListReviewsQuery(tenant_id, filter, after, limit);
  if (!query.has_value()) return std::vector<ReviewRow>();
  ASSIGN_OR_RETURN(Result r, conn_.Exec(query->sql, query->params));
  return ReadRows(r, ReadReview);
}

absl::StatusOr<int64_t> PgTxn::CountReviews(std::string_view tenant_id,
                                            const ReviewFilter& filter) {
  std::optional<ReviewWhere> where = ReviewConditions(tenant_id, filter);
  if (!where.has_value()) return 0;
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(absl::StrCat("SELECT count(*) FROM reviews", where->sql),
                 where->params));
  return r.Int(0, 0);
}

absl::StatusOr<int64_t> PgTxn::InsertAudit(const AuditRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertAudit"));
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec("INSERT INTO audit_log (tenant_id, actor, action, target, "
                 "detail, time) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                 Params()
                     .Text(row.tenant_id)
                     .Text(row.actor)
                     .Text(row.action)
                     .Text(row.target)
                     .Text(row.detail)
                     .Time(row.time)));
  return r.Int(0, 0);
}

absl::StatusOr<std::vector<AuditRow>> PgTxn::ListAudit(
    std::string_view tenant_id, std::string_view target) {
  // An empty target lists every audit row of the tenant.
  static const std::string kAll =
      absl::StrCat("SELECT ", kAuditColumns,
                   " FROM audit_log WHERE tenant_id = $1 ORDER BY id");
  static const std::string kOfTarget = absl::StrCat(
      "SELECT ", kAuditColumns,
      " FROM audit_log WHERE tenant_id = $1 AND target = $2 ORDER BY id");
  Params params;
  params.Text(tenant_id);
  if (!target.empty()) params.Text(target);
  ASSIGN_OR_RETURN(Result r,
                   conn_.Exec(target.empty() ? kAll : kOfTarget, params));
  return ReadRows(r, ReadAudit);
}

}  // namespace opinia::storage::pg
