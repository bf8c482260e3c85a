#include "service/storage/sqlite/sqlite_webhooks.h"

#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "service/storage/sqlite/statements.h"
#include "util/status_macros.h"

namespace opinia::storage::sqlite {
namespace {

constexpr char kWebhookColumns[] =
    "id, tenant_id, url, secret, priorities, kinds, create_time, cursor";
constexpr char kDeliveryColumns[] =
    "id, webhook_id, tenant_id, alert_id, state, attempts, next_attempt_time, "
    "create_time, update_time, last_error, last_status, event_id";
constexpr TenantTable kWebhooks{"webhooks", kWebhookColumns, "webhook"};

// Enum lists are kept as "1,3" (TEXT); only this file reads them.
std::string JoinInts(const std::vector<int32_t>& v) {
  return absl::StrJoin(v, ",");
}

std::vector<int32_t> SplitInts(const std::string& s) {
  std::vector<int32_t> out;
  for (absl::string_view part : absl::StrSplit(s, ',', absl::SkipEmpty())) {
    int32_t v = 0;
    if (absl::SimpleAtoi(part, &v)) out.push_back(v);
  }
  return out;
}

WebhookRow ReadWebhook(const Statement& s) {
  WebhookRow w;
  w.id = s.ColumnInt64(0);
  w.tenant_id = s.ColumnString(1);
  w.url = s.ColumnString(2);
  w.secret = s.ColumnString(3);
  w.priorities = SplitInts(s.ColumnString(4));
  w.kinds = SplitInts(s.ColumnString(5));
  w.create_time = s.ColumnTime(6);
  w.cursor = s.ColumnInt64(7);
  return w;
}

DeliveryRow ReadDelivery(const Statement& s) {
  DeliveryRow d;
  d.id = s.ColumnInt64(0);
  d.webhook_id = s.ColumnInt64(1);
  d.tenant_id = s.ColumnString(2);
  d.alert_id = s.ColumnInt64(3);
  d.state = static_cast<int32_t>(s.ColumnInt64(4));
  d.attempts = static_cast<int32_t>(s.ColumnInt64(5));
  d.next_attempt_time = s.ColumnTime(6);
  d.create_time = s.ColumnTime(7);
  d.update_time = s.ColumnTime(8);
  d.last_error = s.ColumnString(9);
  d.last_status = static_cast<int32_t>(s.ColumnInt64(10));
  d.event_id = s.ColumnInt64(11);
  return d;
}

}  // namespace

absl::StatusOr<std::vector<DeliveryRow>> SqliteWebhooks::ReadDeliveries(
    Statement& stmt) {
  return ReadAllRows(stmt, ReadDelivery);
}

absl::StatusOr<int64_t> SqliteWebhooks::InsertWebhook(const WebhookRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertWebhook"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT INTO webhooks (tenant_id, url, secret, "
                    "priorities, kinds, create_time, cursor) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  stmt.BindText(row.tenant_id)
      .BindText(row.url)
      .BindBlob(row.secret)
      .BindText(JoinInts(row.priorities))
      .BindText(JoinInts(row.kinds))
      .BindTime(row.create_time)
      .BindInt64(row.cursor);
  RETURN_IF_ERROR(stmt.Run());
  return conn_.LastInsertRowId();
}

absl::StatusOr<WebhookRow> SqliteWebhooks::GetWebhook(
    std::string_view tenant_id, int64_t id) {
  return GetTenantRow(conn_, kWebhooks, tenant_id, id, ReadWebhook);
}

absl::StatusOr<std::vector<WebhookRow>> SqliteWebhooks::ListWebhooks(
    std::string_view tenant_id, int64_t after_id, int limit) {
  return ListTenantRows(conn_, kWebhooks, tenant_id, after_id, limit,
                        ReadWebhook);
}

absl::StatusOr<std::vector<WebhookRow>> SqliteWebhooks::ListAllWebhooks(
    int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(absl::StrCat("SELECT ", kWebhookColumns,
                                 " FROM webhooks WHERE id > ? ORDER BY id "
                                 "LIMIT ?")));
  stmt.BindInt64(after_id).BindInt64(limit);
  return ReadAllRows(stmt, ReadWebhook);
}

absl::StatusOr<int64_t> SqliteWebhooks::CountWebhooks(
    std::string_view tenant_id) {
  return CountTenantRows(conn_, "webhooks", tenant_id);
}

absl::Status SqliteWebhooks::DeleteWebhook(std::string_view tenant_id,
                                           int64_t id) {
  RETURN_IF_ERROR(CheckWritable("DeleteWebhook"));
  // Existence first, so a failed call changes nothing.
  ASSIGN_OR_RETURN(WebhookRow row, GetWebhook(tenant_id, id));
  {
    ASSIGN_OR_RETURN(
        Statement stmt,
        conn_.Prepare("DELETE FROM webhook_deliveries WHERE webhook_id = ?"));
    stmt.BindInt64(row.id);
    RETURN_IF_ERROR(stmt.Run());
  }
  return DeleteTenantRow(conn_, kWebhooks, tenant_id, row.id);
}

absl::Status SqliteWebhooks::SetWebhookCursor(int64_t id, int64_t cursor) {
  RETURN_IF_ERROR(CheckWritable("SetWebhookCursor"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("UPDATE webhooks SET cursor = ? WHERE id = ?"));
  stmt.BindInt64(cursor).BindInt64(id);
  return RunOnRow(conn_, stmt, absl::StrCat("webhook ", id));
}

absl::Status SqliteWebhooks::SetWebhookSecret(std::string_view tenant_id,
                                              int64_t id,
                                              std::string_view secret) {
  RETURN_IF_ERROR(CheckWritable("SetWebhookSecret"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(
          "UPDATE webhooks SET secret = ? WHERE id = ? AND tenant_id = ?"));
  stmt.BindBlob(secret).BindInt64(id).BindText(tenant_id);
  RETURN_IF_ERROR(stmt.Run());
  if (conn_.Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("webhook ", id));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteWebhooks::InsertDelivery(const DeliveryRow& row) {
  ASSIGN_OR_RETURN(std::optional<int64_t> id, AddDelivery(row, false));
  return *id;
}

absl::StatusOr<std::optional<int64_t>> SqliteWebhooks::InsertDeliveryIfAbsent(
    const DeliveryRow& row) {
  return AddDelivery(row, true);
}

absl::StatusOr<std::optional<int64_t>> SqliteWebhooks::AddDelivery(
    const DeliveryRow& row, bool if_absent) {
  RETURN_IF_ERROR(CheckWritable("InsertDelivery"));
  static constexpr char kInsert[] =
      "INSERT INTO webhook_deliveries (webhook_id, tenant_id, alert_id, "
      "event_id, state, attempts, next_attempt_time, create_time, "
      "update_time, last_error, last_status) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static constexpr char kInsertIfAbsent[] =
      "INSERT INTO webhook_deliveries (webhook_id, tenant_id, alert_id, "
      "event_id, state, attempts, next_attempt_time, create_time, "
      "update_time, last_error, last_status) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (webhook_id, event_id) DO NOTHING";
  ASSIGN_OR_RETURN(Statement stmt,
                   conn_.Prepare(if_absent ? kInsertIfAbsent : kInsert));
  stmt.BindInt64(row.webhook_id)
      .BindText(row.tenant_id)
      .BindInt64(row.alert_id)
      .BindInt64(row.event_id)
      .BindInt64(row.state)
      .BindInt64(row.attempts)
      .BindTime(row.next_attempt_time)
      .BindTime(row.create_time)
      .BindTime(row.update_time)
      .BindText(row.last_error)
      .BindInt64(row.last_status);
  RETURN_IF_ERROR(stmt.Run());
  if (if_absent && conn_.Changes() == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(conn_.LastInsertRowId());
}

absl::StatusOr<DeliveryRow> SqliteWebhooks::GetDelivery(int64_t id) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(absl::StrCat("SELECT ", kDeliveryColumns,
                                 " FROM webhook_deliveries WHERE id = ?")));
  stmt.BindInt64(id);
  RETURN_IF_ERROR(StepToRow(stmt, absl::StrCat("delivery ", id)));
  return ReadDelivery(stmt);
}

absl::Status SqliteWebhooks::UpdateDelivery(const DeliveryRow& row) {
  RETURN_IF_ERROR(CheckWritable("UpdateDelivery"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("UPDATE webhook_deliveries SET state = ?, attempts = ?, "
                    "next_attempt_time = ?, update_time = ?, last_error = ?, "
                    "last_status = ? WHERE id = ?"));
  stmt.BindInt64(row.state)
      .BindInt64(row.attempts)
      .BindTime(row.next_attempt_time)
      .BindTime(row.update_time)
      .BindText(row.last_error)
      .BindInt64(row.last_status)
      .BindInt64(row.id);
  return RunOnRow(conn_, stmt, absl::StrCat("delivery ", row.id));
}

absl::StatusOr<std::vector<DeliveryRow>> SqliteWebhooks::ListDueDeliveries(
    absl::Time now, int limit) {
  return ListDueDeliveriesExcept(now, limit, {});
}

absl::StatusOr<std::vector<DeliveryRow>>
SqliteWebhooks::ListDueDeliveriesExcept(
    absl::Time now, int limit, const std::vector<int64_t>& skip_webhooks) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(absl::StrCat(
          "SELECT ", kDeliveryColumns,
          " FROM webhook_deliveries WHERE state = 1 AND next_attempt_time <= "
          "? AND webhook_id NOT IN (SELECT value FROM json_each(?)) "
          "ORDER BY next_attempt_time, id LIMIT ?")));
  stmt.BindTime(now).BindText(JsonIdArray(skip_webhooks)).BindInt64(limit);
  return ReadDeliveries(stmt);
}

absl::StatusOr<std::vector<DeliveryRow>> SqliteWebhooks::ListDeliveries(
    int64_t webhook_id, int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(absl::StrCat("SELECT ", kDeliveryColumns,
                                 " FROM webhook_deliveries WHERE webhook_id "
                                 "= ? AND id > ? ORDER BY id LIMIT ?")));
  stmt.BindInt64(webhook_id).BindInt64(after_id).BindInt64(limit);
  return ReadDeliveries(stmt);
}

absl::StatusOr<DeliveryStats> SqliteWebhooks::GetDeliveryStats(
    int64_t webhook_id) {
  DeliveryStats stats;
  {
    ASSIGN_OR_RETURN(
        Statement stmt,
        conn_.Prepare("SELECT state, attempts > 0, COUNT(*) FROM "
                      "webhook_deliveries WHERE webhook_id = ? GROUP BY 1, 2"));
    stmt.BindInt64(webhook_id);
    while (true) {
      ASSIGN_OR_RETURN(bool more, stmt.Step());
      if (!more) break;
      const int64_t state = stmt.ColumnInt64(0);
      const bool tried = stmt.ColumnInt64(1) != 0;
      const int64_t n = stmt.ColumnInt64(2);
      if (state == kDeliveryPending) {
        stats.pending += n;
        if (tried) stats.retrying += n;
      } else if (state == kDeliveryDelivered) {
        stats.delivered += n;
      } else if (state == kDeliveryDead) {
        stats.dead += n;
      }
    }
  }
  {
    ASSIGN_OR_RETURN(
        Statement stmt,
        conn_.Prepare("SELECT state FROM webhook_deliveries WHERE webhook_id "
                      "= ? AND state IN (2, 3) ORDER BY update_time DESC, id "
                      "DESC LIMIT 1"));
    stmt.BindInt64(webhook_id);
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (found)
      stats.last_finished_state = static_cast<int32_t>(stmt.ColumnInt64(0));
  }
  {
    ASSIGN_OR_RETURN(
        Statement stmt,
        conn_.Prepare("SELECT last_error FROM webhook_deliveries WHERE "
                      "webhook_id = ? AND last_error != '' ORDER BY "
                      "update_time DESC, id DESC LIMIT 1"));
    stmt.BindInt64(webhook_id);
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (found) stats.last_error = stmt.ColumnString(0);
  }
  return stats;
}

}  // namespace opinia::storage::sqlite
