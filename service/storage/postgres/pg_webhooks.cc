#include "service/storage/postgres/pg_webhooks.h"

#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "service/storage/postgres/pg_review_rows.h"
#include "util/status_macros.h"

namespace opinia::storage::pg {
namespace {

constexpr char kWebhookColumns[] =
    "id, tenant_id, url, secret, priorities, kinds, create_time, cursor";
constexpr char kDeliveryColumns[] =
    "id, webhook_id, tenant_id, alert_id, state, attempts, next_attempt_time, "
    "create_time, update_time, last_error, last_status, event_id";
constexpr PgTenantTable kWebhooks{"webhooks", kWebhookColumns, "webhook"};
constexpr char kDeliveryNoun[] = "delivery";

// An integer[] as PostgreSQL prints it: {1,3}.
std::vector<int32_t> ReadIntArray(std::string_view text) {
  absl::string_view inner = AsAbsl(text);
  absl::ConsumePrefix(&inner, "{");
  absl::ConsumeSuffix(&inner, "}");
  std::vector<int32_t> out;
  for (absl::string_view part : absl::StrSplit(inner, ',', absl::SkipEmpty())) {
    int32_t v = 0;
    if (absl::SimpleAtoi(part, &v)) out.push_back(v);
  }
  return out;
}

WebhookRow ReadWebhook(const Result& r, int i) {
  WebhookRow w;
  w.id = r.Int(i, 0);
  w.tenant_id = r.String(i, 1);
  w.url = r.String(i, 2);
  w.secret = r.Bytes(i, 3);
  w.priorities = ReadIntArray(r.View(i, 4));
  w.kinds = ReadIntArray(r.View(i, 5));
  w.create_time = r.Time(i, 6);
  w.cursor = r.Int(i, 7);
  return w;
}

DeliveryRow ReadDelivery(const Result& r, int i) {
  DeliveryRow d;
  d.id = r.Int(i, 0);
  d.webhook_id = r.Int(i, 1);
  d.tenant_id = r.String(i, 2);
  d.alert_id = r.Int(i, 3);
  d.state = static_cast<int32_t>(r.Int(i, 4));
  d.attempts = static_cast<int32_t>(r.Int(i, 5));
  d.next_attempt_time = r.Time(i, 6);
  d.create_time = r.Time(i, 7);
  d.update_time = r.Time(i, 8);
  d.last_error = r.String(i, 9);
  d.last_status = static_cast<int32_t>(r.Int(i, 10));
  d.event_id = r.Int(i, 11);
  return d;
}

}  // namespace

absl::StatusOr<int64_t> PgWebhooks::InsertWebhook(const WebhookRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertWebhook"));
  RETURN_IF_ERROR(
      state_.TenantTimeZone(conn_, row.tenant_id, learned_zones_).status());
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec("INSERT INTO webhooks (tenant_id, url, secret, priorities, "
                 "kinds, create_time, cursor) VALUES ($1, $2, $3, $4, $5, $6, "
                 "$7) RETURNING id",
                 Params()
                     .Text(row.tenant_id)
                     .Text(row.url)
                     .Bytes(row.secret)
                     .Text(IntArray(row.priorities))
                     .Text(IntArray(row.kinds))
                     .Time(row.create_time)
                     .Int(row.cursor)));
  return r.Int(0, 0);
}

absl::StatusOr<WebhookRow> PgWebhooks::GetWebhook(std::string_view tenant_id,
                                                  int64_t id) {
  return GetTenantRow(conn_, kWebhooks, tenant_id, id, ReadWebhook);
}

absl::StatusOr<std::vector<WebhookRow>> PgWebhooks::ListWebhooks(
    std::string_view tenant_id, int64_t after_id, int limit) {
  return ListRowsAfter(conn_, kWebhooks, tenant_id, after_id, limit,
                       ReadWebhook);
}

absl::StatusOr<std::vector<WebhookRow>> PgWebhooks::ListAllWebhooks(
    int64_t after_id, int limit) {
  return ListRowsAfter(conn_, kWebhooks, std::nullopt, after_id, limit,
                       ReadWebhook);
}

absl::StatusOr<int64_t> PgWebhooks::CountWebhooks(std::string_view tenant_id) {
  return CountTenantRows(conn_, kWebhooks, tenant_id);
}

absl::Status PgWebhooks::DeleteWebhook(std::string_view tenant_id, int64_t id) {
  RETURN_IF_ERROR(CheckWritable("DeleteWebhook"));
  // Its deliveries go with it (ON DELETE CASCADE).
  return DeleteTenantRow(conn_, kWebhooks, tenant_id, id);
}

absl::Status PgWebhooks::SetWebhookCursor(int64_t id, int64_t cursor) {
  RETURN_IF_ERROR(CheckWritable("SetWebhookCursor"));
  return ExpectChanged(
      conn_.Exec("UPDATE webhooks SET cursor = $1 WHERE id = $2",
                 Params().Int(cursor).Int(id)),
      kWebhooks.noun, id);
}

absl::Status PgWebhooks::SetWebhookSecret(std::string_view tenant_id,
                                          int64_t id, std::string_view secret) {
  RETURN_IF_ERROR(CheckWritable("SetWebhookSecret"));
  return ExpectChanged(
      conn_.Exec("UPDATE webhooks SET secret = $1 WHERE id = $2 AND "
                 "tenant_id = $3",
                 Params().Bytes(secret).Int(id).Text(tenant_id)),
      kWebhooks.noun, id);
}

absl::StatusOr<int64_t> PgWebhooks::InsertDelivery(const DeliveryRow& row) {
  ASSIGN_OR_RETURN(std::optional<int64_t> id, AddDelivery(row));
  if (!id.has_value()) {
    return absl::AlreadyExistsError(absl::StrCat("a delivery of alert event ",
                                                 row.event_id, " to webhook ",
                                                 row.webhook_id, " exists"));
  }
  return *id;
}

absl::StatusOr<std::optional<int64_t>> PgWebhooks::InsertDeliveryIfAbsent(
    const DeliveryRow& row) {
  return AddDelivery(row);
}

absl::StatusOr<std::optional<int64_t>> PgWebhooks::AddDelivery(
    const DeliveryRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertDelivery"));
  RETURN_IF_ERROR(locks_.Take(conn_, kDeliveryLockClass,
                              absl::StrCat("/", row.webhook_id)));
  // From the webhook's row: an unknown webhook inserts nothing; a queued
  // event neither (ON CONFLICT DO NOTHING), without failing the statement.
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(
          "INSERT INTO webhook_deliveries (webhook_id, tenant_id, alert_id, "
          "event_id, state, attempts, next_attempt_time, create_time, "
          "update_time, last_error, last_status) "
          "SELECT id, $2::text, $3::bigint, $4::bigint, $5::integer, "
          "$6::integer, $7::bigint, $8::bigint, $9::bigint, $10::text, "
          "$11::integer FROM webhooks WHERE id = $1 "
          "ON CONFLICT (webhook_id, event_id) DO NOTHING RETURNING id",
          Params()
              .Int(row.webhook_id)
              .Text(row.tenant_id)
              .Int(row.alert_id)
              .Int(row.event_id)
              .Int(row.state)
              .Int(row.attempts)
              .Time(row.next_attempt_time)
              .Time(row.create_time)
              .Time(row.update_time)
              .Text(row.last_error)
              .Int(row.last_status)));
  if (r.rows() > 0) return std::optional<int64_t>(r.Int(0, 0));
  ASSIGN_OR_RETURN(Result webhook,
                   conn_.Exec("SELECT 1 FROM webhooks WHERE id = $1",
                              Params().Int(row.webhook_id)));
  if (webhook.rows() == 0) return RowNotFound(kWebhooks.noun, row.webhook_id);
  return std::optional<int64_t>();
}

absl::StatusOr<DeliveryRow> PgWebhooks::GetDelivery(int64_t id) {
  static const std::string kSql = absl::StrCat(
      "SELECT ", kDeliveryColumns, " FROM webhook_deliveries WHERE id = $1");
  ASSIGN_OR_RETURN(Result r, conn_.Exec(kSql, Params().Int(id)));
  if (r.rows() == 0) return RowNotFound(kDeliveryNoun, id);
  return ReadDelivery(r, 0);
}

absl::Status PgWebhooks::UpdateDelivery(const DeliveryRow& row) {
  RETURN_IF_ERROR(CheckWritable("UpdateDelivery"));
  return ExpectChanged(
      conn_.Exec("UPDATE webhook_deliveries SET state = $1, attempts = $2, "
                 "next_attempt_time = $3, update_time = $4, last_error = $5, "
                 "last_status = $6 WHERE id = $7",
                 Params()
                     .Int(row.state)
                     .Int(row.attempts)
                     .Time(row.next_attempt_time)
                     .Time(row.update_time)
                     .Text(row.last_error)
                     .Int(row.last_status)
                     .Int(row.id)),
      kDeliveryNoun, row.id);
}

absl::StatusOr<std::vector<DeliveryRow>> PgWebhooks::ListDueDeliveries(
    absl::Time now, int limit) {
  return ListDueDeliveriesExcept(now, limit, {});
}

absl::StatusOr<std::vector<DeliveryRow>> PgWebhooks::ListDueDeliveriesExcept(
    absl::Time now, int limit, const std::vector<int64_t>& skip_webhooks) {
  RETURN_IF_ERROR(CheckLimit(limit));
  // The partial index webhook_deliveries_due in (next_attempt_time, id).
  static const std::string kSql = absl::StrCat(
      "SELECT ", kDeliveryColumns,
      " FROM webhook_deliveries WHERE state = 1 AND next_attempt_time <= $1 "
      "AND webhook_id <> ALL($2::bigint[]) "
      "ORDER BY next_attempt_time, id LIMIT $3");
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(kSql,
                 Params().Time(now).Text(IdArray(skip_webhooks)).Int(limit)));
  return ReadRows(r, ReadDelivery);
}

absl::StatusOr<std::vector<DeliveryRow>> PgWebhooks::ListDeliveries(
    int64_t webhook_id, int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  static const std::string kSql =
      absl::StrCat("SELECT ", kDeliveryColumns,
                   " FROM webhook_deliveries WHERE webhook_id = $1 AND id > $2 "
                   "ORDER BY id LIMIT $3");
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(kSql, Params().Int(webhook_id).Int(after_id).Int(limit)));
  return ReadRows(r, ReadDelivery);
}

absl::StatusOr<DeliveryStats> PgWebhooks::GetDeliveryStats(int64_t webhook_id) {
  // Counts by state, the state of the latest finished delivery and the
  // latest error, in one statement.
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(
          "SELECT count(*) FILTER (WHERE state = 1), "
          "count(*) FILTER (WHERE state = 1 AND attempts > 0), "
          "count(*) FILTER (WHERE state = 2), "
          "count(*) FILTER (WHERE state = 3), "
          "(SELECT state FROM webhook_deliveries WHERE webhook_id = $1 AND "
          "state IN (2, 3) ORDER BY update_time DESC, id DESC LIMIT 1), "
          "(SELECT last_error FROM webhook_deliveries WHERE webhook_id = $1 "
          "AND last_error <> '' ORDER BY update_time DESC, id DESC LIMIT 1) "
          "FROM webhook_deliveries WHERE webhook_id = $1",
          Params().Int(webhook_id)));
  DeliveryStats stats;
  stats.pending = r.Int(0, 0);
  stats.retrying = r.Int(0, 1);
  stats.delivered = r.Int(0, 2);
  stats.dead = r.Int(0, 3);
  stats.last_finished_state = static_cast<int32_t>(r.Int(0, 4));  // NULL: 0
  stats.last_error = r.String(0, 5);                              // NULL: ""
  return stats;
}

}  // namespace opinia::storage::pg
