#include "service/storage/sqlite/sqlite_alerts.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "service/storage/sqlite/statements.h"
#include "util/status_macros.h"

namespace opinia::storage::sqlite {
namespace {

constexpr char kRuleColumns[] =
    "id, tenant_id, spec, create_time, update_time, last_fire_time";
constexpr char kAlertColumns[] =
    "id, tenant_id, kind, priority, review_id, rule_id, reasons, state, "
    "snooze_until, create_time, update_time, summary, source, dedup_key";
// An event joined with its alert: e.id, e.type, e.time, then the alert
// columns (ReadAlert at offset 3).
constexpr char kEventColumns[] =
    "e.id, e.type, e.time, a.id, a.tenant_id, a.kind, a.priority, "
    "a.review_id, a.rule_id, a.reasons, a.state, a.snooze_until, "
    "a.create_time, a.update_time, a.summary, a.source, a.dedup_key";
constexpr TenantTable kAlertRules{"alert_rules", kRuleColumns, "alert rule"};
constexpr TenantTable kAlerts{"alerts", kAlertColumns, "alert"};
// Active = open, acknowledged or snoozed.
constexpr char kActive[] = "state IN (1, 2, 4)";

AlertRuleRow ReadRule(const Statement& s) {
  AlertRuleRow r;
  r.id = s.ColumnInt64(0);
  r.tenant_id = s.ColumnString(1);
  r.spec = s.ColumnString(2);
  r.create_time = s.ColumnTime(3);
  r.update_time = s.ColumnTime(4);
  r.last_fire_time = s.ColumnTime(5);
  return r;
}

// Reasons are kept one per line; a reason never contains a newline (the
// writer replaces them).
std::string JoinReasons(const std::vector<std::string>& reasons) {
  std::vector<std::string> clean;
  clean.reserve(reasons.size());
  for (std::string r : reasons) {
    for (char& c : r) {
      if (c == '\n') c = ' ';
    }
    clean.push_back(std::move(r));
  }
  return absl::StrJoin(clean, "\n");
}

// The kAlertColumns starting at column `at`.
AlertRow ReadAlert(const Statement& s, int at = 0) {
  AlertRow a;
  a.id = s.ColumnInt64(at + 0);
  a.tenant_id = s.ColumnString(at + 1);
  a.kind = static_cast<int32_t>(s.ColumnInt64(at + 2));
  a.priority = static_cast<int32_t>(s.ColumnInt64(at + 3));
  a.review_id = s.ColumnInt64(at + 4);
  a.rule_id = s.ColumnInt64(at + 5);
  const std::string reasons = s.ColumnString(at + 6);
  if (!reasons.empty()) a.reasons = absl::StrSplit(reasons, '\n');
  a.state = static_cast<int32_t>(s.ColumnInt64(at + 7));
  a.snooze_until = s.ColumnTime(at + 8);
  a.create_time = s.ColumnTime(at + 9);
  a.update_time = s.ColumnTime(at + 10);
  a.summary = s.ColumnString(at + 11);
  a.source = s.ColumnString(at + 12);
  a.dedup_key = s.ColumnString(at + 13);
  return a;
}

AlertEventRow ReadEvent(const Statement& s) {
  AlertEventRow e;
  e.id = s.ColumnInt64(0);
  e.type = static_cast<int32_t>(s.ColumnInt64(1));
  e.time = s.ColumnTime(2);
  e.alert = ReadAlert(s, 3);
  return e;
}

int64_t Micros(absl::Duration d) { return absl::ToInt64Microseconds(d); }

// "col IN (?, ?, ...)" for a non-empty list, "" otherwise.
std::string InClause(const char* column, size_t n) {
  if (n == 0) return "";
  std::string s = absl::StrCat(" AND ", column, " IN (");
  for (size_t i = 0; i < n; ++i) absl::StrAppend(&s, i ? ", ?" : "?");
  absl::StrAppend(&s, ")");
  return s;
}

// No ORDER BY in SQL for the dedup/review lookups: with it, SQLite may
// pick alerts_by_tenant (tenant_id, id) to avoid a sort and scan every
// alert of the tenant; the few matching rows are sorted here instead.
absl::StatusOr<std::vector<AlertRow>> SortedById(
    absl::StatusOr<std::vector<AlertRow>> rows) {
  if (rows.ok()) {
    std::sort(rows->begin(), rows->end(),
              [](const AlertRow& a, const AlertRow& b) { return a.id < b.id; });
  }
  return rows;
}

}  // namespace

absl::StatusOr<int64_t> SqliteAlerts::InsertAlertRule(const AlertRuleRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertAlertRule"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT INTO alert_rules (tenant_id, spec, create_time, "
                    "update_time, last_fire_time) VALUES (?, ?, ?, ?, ?)"));
  stmt.BindText(row.tenant_id)
      .BindBlob(row.spec)
      .BindTime(row.create_time)
      .BindTime(row.update_time)
      .BindTime(row.last_fire_time);
  RETURN_IF_ERROR(stmt.Run());
  return conn_.LastInsertRowId();
}

absl::StatusOr<AlertRuleRow> SqliteAlerts::GetAlertRule(
    std::string_view tenant_id, int64_t id) {
  return GetTenantRow(conn_, kAlertRules, tenant_id, id, ReadRule);
}

absl::StatusOr<std::vector<AlertRuleRow>> SqliteAlerts::ListAlertRules(
    std::string_view tenant_id, int64_t after_id, int limit) {
  return ListTenantRows(conn_, kAlertRules, tenant_id, after_id, limit,
                        ReadRule);
}

absl::Status SqliteAlerts::UpdateAlertRule(const AlertRuleRow& row) {
  RETURN_IF_ERROR(CheckWritable("UpdateAlertRule"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("UPDATE alert_rules SET spec = ?, update_time = ?, "
                    "last_fire_time = ? WHERE id = ? AND tenant_id = ?"));
  stmt.BindBlob(row.spec)
      .BindTime(row.update_time)
      .BindTime(row.last_fire_time)
      .BindInt64(row.id)
      .BindText(row.tenant_id);
  return RunOnRow(conn_, stmt, absl::StrCat("alert rule ", row.id));
}

absl::Status SqliteAlerts::DeleteAlertRule(std::string_view tenant_id,
                                           int64_t id) {
  RETURN_IF_ERROR(CheckWritable("DeleteAlertRule"));
  return DeleteTenantRow(conn_, kAlertRules, tenant_id, id);
}

absl::StatusOr<int64_t> SqliteAlerts::InsertAlert(const AlertRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertAlert"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT INTO alerts (tenant_id, kind, priority, "
                    "review_id, rule_id, reasons, state, snooze_until, "
                    "create_time, update_time, summary, source, dedup_key) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt.BindText(row.tenant_id)
      .BindInt64(row.kind)
      .BindInt64(row.priority)
      .BindInt64(row.review_id)
      .BindInt64(row.rule_id)
      .BindText(JoinReasons(row.reasons))
      .BindInt64(row.state)
      .BindTime(row.snooze_until)
      .BindTime(row.create_time)
      .BindTime(row.update_time)
      .BindText(row.summary)
      .BindText(row.source)
      .BindText(row.dedup_key);
  RETURN_IF_ERROR(stmt.Run());
  const int64_t id = conn_.LastInsertRowId();
  RETURN_IF_ERROR(
      InsertAlertEvent(row.tenant_id, id, kAlertEventCreated, row.create_time)
          .status());
  return id;
}

absl::StatusOr<AlertRow> SqliteAlerts::GetAlert(std::string_view tenant_id,
                                                int64_t id) {
  return GetTenantRow(conn_, kAlerts, tenant_id, id,
                      [](const Statement& s) { return ReadAlert(s); });
}

absl::Status SqliteAlerts::UpdateAlert(const AlertRow& row) {
  RETURN_IF_ERROR(CheckWritable("UpdateAlert"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("UPDATE alerts SET state = ?, priority = ?, reasons = ?, "
                    "snooze_until = ?, update_time = ?, summary = ? "
                    "WHERE id = ? AND tenant_id = ?"));
  stmt.BindInt64(row.state)
      .BindInt64(row.priority)
      .BindText(JoinReasons(row.reasons))
      .BindTime(row.snooze_until)
      .BindTime(row.update_time)
      .BindText(row.summary)
      .BindInt64(row.id)
      .BindText(row.tenant_id);
  return RunOnRow(conn_, stmt, absl::StrCat("alert ", row.id));
}

absl::StatusOr<std::vector<AlertRow>> SqliteAlerts::ReadAlerts(
    Statement& stmt) {
  return ReadAllRows(stmt, [](const Statement& s) { return ReadAlert(s); });
}

absl::StatusOr<std::vector<AlertRow>> SqliteAlerts::ListAlertsAfter(
    std::string_view tenant_id, int64_t after_id, int limit) {
  return ListTenantRows(conn_, kAlerts, tenant_id, after_id, limit,
                        [](const Statement& s) { return ReadAlert(s); });
}

std::string ListAlertsSql(const AlertFilter& filter) {
  // One review's alerts are read from alerts_by_review, named: ordered by
  // id, SQLite may otherwise walk alerts_by_tenant (tenant_id, id) to skip
  // the sort and test every alert of the tenant. "review_id != 0" states
  // that partial index's condition, without which it may not be used.
  return absl::StrCat(
      "SELECT ", kAlertColumns, " FROM alerts",
      filter.review_id > 0 ? " INDEXED BY alerts_by_review" : "",
      " WHERE tenant_id = ? AND id < ?",
      filter.review_id > 0 ? " AND review_id = ? AND review_id != 0" : "",
      InClause("state", filter.states.size()),
      InClause("kind", filter.kinds.size()),
      InClause("priority", filter.priorities.size()),
      " ORDER BY id DESC LIMIT ?");
}

absl::StatusOr<std::vector<AlertRow>> SqliteAlerts::ListAlerts(
    std::string_view tenant_id, const AlertFilter& filter, int64_t before_id,
    int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  const std::string sql = ListAlertsSql(filter);
  ASSIGN_OR_RETURN(Statement stmt, conn_.Prepare(sql));
  stmt.BindText(tenant_id).BindInt64(before_id > 0 ? before_id : INT64_MAX);
  if (filter.review_id > 0) stmt.BindInt64(filter.review_id);
  for (int32_t v : filter.states) stmt.BindInt64(v);
  for (int32_t v : filter.kinds) stmt.BindInt64(v);
  for (int32_t v : filter.priorities) stmt.BindInt64(v);
  stmt.BindInt64(limit);
  return ReadAlerts(stmt);
}

absl::StatusOr<std::vector<AlertRow>> SqliteAlerts::FindActiveAlerts(
    std::string_view tenant_id, std::string_view dedup_key) {
  ASSIGN_OR_RETURN(Statement stmt, conn_.Prepare(absl::StrCat(
                                       "SELECT ", kAlertColumns,
                                       " FROM alerts WHERE tenant_id = ? AND "
                                       "dedup_key = ? AND ",
                                       kActive)));
  stmt.BindText(tenant_id).BindText(dedup_key);
  return SortedById(ReadAlerts(stmt));
}

absl::StatusOr<std::vector<AlertRow>> SqliteAlerts::ActiveAlertsOfReview(
    std::string_view tenant_id, int64_t review_id) {
  ASSIGN_OR_RETURN(Statement stmt, conn_.Prepare(absl::StrCat(
                                       "SELECT ", kAlertColumns,
                                       " FROM alerts WHERE tenant_id = ? AND "
                                       "review_id = ? AND review_id != 0 AND ",
                                       kActive)));
  stmt.BindText(tenant_id).BindInt64(review_id);
  return SortedById(ReadAlerts(stmt));
}

absl::StatusOr<int64_t> SqliteAlerts::MaxAlertId() {
  return QueryInt64(conn_, "SELECT COALESCE(MAX(id), 0) FROM alerts");
}

absl::StatusOr<int64_t> SqliteAlerts::InsertAlertEvent(
    std::string_view tenant_id, int64_t alert_id, int32_t type,
    absl::Time time) {
  RETURN_IF_ERROR(CheckWritable("InsertAlertEvent"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT INTO alert_events (tenant_id, alert_id, type, "
                    "time) SELECT tenant_id, id, ?, ? FROM alerts WHERE "
                    "id = ? AND tenant_id = ?"));
  stmt.BindInt64(type).BindTime(time).BindInt64(alert_id).BindText(tenant_id);
  RETURN_IF_ERROR(RunOnRow(conn_, stmt, absl::StrCat("alert ", alert_id)));
  return conn_.LastInsertRowId();
}

absl::StatusOr<std::vector<AlertEventRow>> SqliteAlerts::ReadEvents(
    Statement& stmt) {
  return ReadAllRows(stmt, ReadEvent);
}

absl::StatusOr<std::vector<AlertEventRow>> SqliteAlerts::ListAlertEventsAfter(
    std::string_view tenant_id, int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(absl::StrCat(
          "SELECT ", kEventColumns,
          " FROM alert_events e JOIN alerts a ON a.id = e.alert_id "
          "WHERE e.tenant_id = ? AND e.id > ? ORDER BY e.id LIMIT ?")));
  stmt.BindText(tenant_id).BindInt64(after_id).BindInt64(limit);
  return ReadEvents(stmt);
}

absl::StatusOr<AlertEventRow> SqliteAlerts::GetAlertEvent(
    std::string_view tenant_id, int64_t id) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(absl::StrCat(
          "SELECT ", kEventColumns,
          " FROM alert_events e JOIN alerts a ON a.id = e.alert_id "
          "WHERE e.id = ? AND e.tenant_id = ?")));
  stmt.BindInt64(id).BindText(tenant_id);
  RETURN_IF_ERROR(StepToRow(stmt, absl::StrCat("alert event ", id)));
  return ReadEvent(stmt);
}

absl::StatusOr<int64_t> SqliteAlerts::MaxAlertEventId() {
  return QueryInt64(conn_, "SELECT COALESCE(MAX(id), 0) FROM alert_events");
}

absl::StatusOr<AlertSettingsRow> SqliteAlerts::GetAlertSettings(
    std::string_view tenant_id) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("SELECT defaults_created, spike_k, spike_cooldown, "
                    "sla_p1, sla_p2, sla_p3, sla_p4 FROM alert_settings "
                    "WHERE tenant_id = ?"));
  stmt.BindText(tenant_id);
  AlertSettingsRow out;
  out.tenant_id = std::string(tenant_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (row) {
    out.defaults_created = stmt.ColumnInt64(0) != 0;
    out.spike_k = stmt.ColumnDouble(1);
    out.spike_cooldown = absl::Microseconds(stmt.ColumnInt64(2));
    out.sla_p1 = absl::Microseconds(stmt.ColumnInt64(3));
    out.sla_p2 = absl::Microseconds(stmt.ColumnInt64(4));
    out.sla_p3 = absl::Microseconds(stmt.ColumnInt64(5));
    out.sla_p4 = absl::Microseconds(stmt.ColumnInt64(6));
  }
  return out;
}

absl::Status SqliteAlerts::PutAlertSettings(const AlertSettingsRow& row) {
  RETURN_IF_ERROR(CheckWritable("PutAlertSettings"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(
          "INSERT INTO alert_settings (tenant_id, defaults_created, spike_k, "
          "spike_cooldown, sla_p1, sla_p2, sla_p3, sla_p4) VALUES (?, ?, ?, "
          "?, ?, ?, ?, ?) ON CONFLICT(tenant_id) DO UPDATE SET "
          "defaults_created = excluded.defaults_created, spike_k = "
          "excluded.spike_k, spike_cooldown = excluded.spike_cooldown, "
          "sla_p1 = excluded.sla_p1, sla_p2 = excluded.sla_p2, sla_p3 = "
          "excluded.sla_p3, sla_p4 = excluded.sla_p4"));
  stmt.BindText(row.tenant_id)
      .BindInt64(row.defaults_created ? 1 : 0)
      .BindDouble(row.spike_k)
      .BindInt64(Micros(row.spike_cooldown))
      .BindInt64(Micros(row.sla_p1))
      .BindInt64(Micros(row.sla_p2))
      .BindInt64(Micros(row.sla_p3))
      .BindInt64(Micros(row.sla_p4));
  return stmt.Run();
}

absl::StatusOr<std::vector<SlaCandidate>> SqliteAlerts::ListSlaCandidates(
    std::string_view tenant_id, absl::Time now, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  // The partial index reviews_by_respond_by covers the scan.
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(
          "SELECT r.id, r.priority, r.source, r.respond_by FROM reviews r "
          "WHERE r.tenant_id = ? AND r.deleted = 0 AND r.status IN (1, 2) "
          "AND r.respond_by > ? AND r.respond_by <= ? AND NOT EXISTS ("
          "SELECT 1 FROM alerts a WHERE a.tenant_id = r.tenant_id AND "
          "a.dedup_key = 'sla:' || r.id) ORDER BY r.respond_by, r.id "
          "LIMIT ?"));
  stmt.BindText(tenant_id)
      .BindTime(absl::InfinitePast())
      .BindTime(now)
      .BindInt64(limit);
  std::vector<SlaCandidate> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    SlaCandidate c;
    c.review_id = stmt.ColumnInt64(0);
    c.priority = static_cast<int32_t>(stmt.ColumnInt64(1));
    c.source = stmt.ColumnString(2);
    c.respond_by = stmt.ColumnTime(3);
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, int64_t>>>
SqliteAlerts::CountReviewsBySource(std::string_view tenant_id, int32_t label,
                                   absl::Time start, absl::Time end) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("SELECT source, COUNT(*) FROM reviews WHERE "
                    "tenant_id = ? AND create_time >= ? AND create_time < ? "
                    "AND deleted = 0 AND label = ? GROUP BY source "
                    "ORDER BY source"));
  stmt.BindText(tenant_id).BindTime(start).BindTime(end).BindInt64(label);
  std::vector<std::pair<std::string, int64_t>> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.emplace_back(stmt.ColumnString(0), stmt.ColumnInt64(1));
  }
  return out;
}

absl::StatusOr<absl::Time> SqliteAlerts::GetSpikeFired(
    std::string_view tenant_id, std::string_view scope) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("SELECT fired_time FROM alert_spikes WHERE tenant_id = ? "
                    "AND scope = ?"));
  stmt.BindText(tenant_id).BindText(scope);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::InfinitePast();
  return stmt.ColumnTime(0);
}

absl::Status SqliteAlerts::SetSpikeFired(std::string_view tenant_id,
                                         std::string_view scope,
                                         absl::Time time) {
  RETURN_IF_ERROR(CheckWritable("SetSpikeFired"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT INTO alert_spikes (tenant_id, scope, fired_time) "
                    "VALUES (?, ?, ?) ON CONFLICT(tenant_id, scope) DO "
                    "UPDATE SET fired_time = excluded.fired_time"));
  stmt.BindText(tenant_id).BindText(scope).BindTime(time);
  return stmt.Run();
}

}  // namespace opinia::storage::sqlite
