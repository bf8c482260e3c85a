#include "service/storage/postgres/pg_alerts.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "service/storage/postgres/pg_review_rows.h"
#include "util/status_macros.h"

namespace opinia::storage::pg {
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
constexpr char kEventsFrom[] =
    " FROM alert_events e JOIN alerts a ON a.id = e.alert_id";
constexpr PgTenantTable kAlertRules{"alert_rules", kRuleColumns, "alert rule"};
constexpr PgTenantTable kAlerts{"alerts", kAlertColumns, "alert"};
// Active = open, acknowledged or snoozed.
constexpr char kActive[] = "state IN (1, 2, 4)";

AlertRuleRow ReadRule(const Result& r, int i) {
  AlertRuleRow row;
  row.id = r.Int(i, 0);
  row.tenant_id = r.String(i, 1);
  row.spec = r.Bytes(i, 2);
  row.create_time = r.Time(i, 3);
  row.update_time = r.Time(i, 4);
  row.last_fire_time = r.Time(i, 5);
  return row;
}

// Reasons are kept one per line; a newline inside a reason becomes a space.
std::string JoinReasons(const std::vector<std::string>& reasons) {
  std::string joined;
  for (size_t k = 0; k < reasons.size(); ++k) {
    if (k > 0) joined += '\n';
    for (char c : reasons[k]) joined += c == '\n' ? ' ' : c;
  }
  return joined;
}

// The kAlertColumns starting at column `at`.
AlertRow ReadAlertAt(const Result& r, int i, int at) {
  AlertRow a;
  a.id = r.Int(i, at + 0);
  a.tenant_id = r.String(i, at + 1);
  a.kind = static_cast<int32_t>(r.Int(i, at + 2));
  a.priority = static_cast<int32_t>(r.Int(i, at + 3));
  a.review_id = r.Int(i, at + 4);
  a.rule_id = r.Int(i, at + 5);
  const std::string_view reasons = r.View(i, at + 6);
  if (!reasons.empty()) a.reasons = absl::StrSplit(AsAbsl(reasons), '\n');
  a.state = static_cast<int32_t>(r.Int(i, at + 7));
  a.snooze_until = r.Time(i, at + 8);
  a.create_time = r.Time(i, at + 9);
  a.update_time = r.Time(i, at + 10);
  a.summary = r.String(i, at + 11);
  a.source = r.String(i, at + 12);
  a.dedup_key = r.String(i, at + 13);
  return a;
}

AlertRow ReadAlert(const Result& r, int i) { return ReadAlertAt(r, i, 0); }

AlertEventRow ReadEvent(const Result& r, int i) {
  AlertEventRow e;
  e.id = r.Int(i, 0);
  e.type = static_cast<int32_t>(r.Int(i, 1));
  e.time = r.Time(i, 2);
  e.alert = ReadAlertAt(r, i, 3);
  return e;
}

int64_t Micros(absl::Duration d) { return absl::ToInt64Microseconds(d); }

// A double as text that reads back as the same double.
std::string DoubleText(double v) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

}  // namespace

absl::Status PgAlerts::LockOutbox() {
  return locks_.Take(conn_, kOutboxLockClass);
}

absl::StatusOr<int64_t> PgAlerts::InsertAlertRule(const AlertRuleRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertAlertRule"));
  RETURN_IF_ERROR(
      state_.TenantTimeZone(conn_, row.tenant_id, learned_zones_).status());
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec("INSERT INTO alert_rules (tenant_id, spec, create_time, "
                 "update_time, last_fire_time) VALUES ($1, $2, $3, $4, $5) "
                 "RETURNING id",
                 Params()
                     .Text(row.tenant_id)
                     .Bytes(row.spec)
                     .Time(row.create_time)
                     .Time(row.update_time)
                     .Time(row.last_fire_time)));
  return r.Int(0, 0);
}

absl::StatusOr<AlertRuleRow> PgAlerts::GetAlertRule(std::string_view tenant_id,
                                                    int64_t id) {
  return GetTenantRow(conn_, kAlertRules, tenant_id, id, ReadRule);
}

absl::StatusOr<std::vector<AlertRuleRow>> PgAlerts::ListAlertRules(
    std::string_view tenant_id, int64_t after_id, int limit) {
  return ListRowsAfter(conn_, kAlertRules, tenant_id, after_id, limit,
                       ReadRule);
}

absl::Status PgAlerts::UpdateAlertRule(const AlertRuleRow& row) {
  RETURN_IF_ERROR(CheckWritable("UpdateAlertRule"));
  return ExpectChanged(
      conn_.Exec("UPDATE alert_rules SET spec = $1, update_time = $2, "
                 "last_fire_time = $3 WHERE id = $4 AND tenant_id = $5",
                 Params()
                     .Bytes(row.spec)
                     .Time(row.update_time)
                     .Time(row.last_fire_time)
                     .Int(row.id)
                     .Text(row.tenant_id)),
      kAlertRules.noun, row.id);
}

absl::Status PgAlerts::DeleteAlertRule(std::string_view tenant_id, int64_t id) {
  RETURN_IF_ERROR(CheckWritable("DeleteAlertRule"));
  return DeleteTenantRow(conn_, kAlertRules, tenant_id, id);
}

absl::StatusOr<int64_t> PgAlerts::InsertAlert(const AlertRow& row) {
  RETURN_IF_ERROR(CheckWritable("InsertAlert"));
  RETURN_IF_ERROR(
      state_.TenantTimeZone(conn_, row.tenant_id, learned_zones_).status());
  RETURN_IF_ERROR(LockOutbox());
  // The alert and its created event in one statement; neither reads a
  // table, so concurrent alert writers do not conflict (serializable) over
  // the newest pages of alerts.
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(
          "WITH a AS (INSERT INTO alerts (tenant_id, kind, priority, "
          "review_id, rule_id, reasons, state, snooze_until, create_time, "
          "update_time, summary, source, dedup_key) VALUES ($1, $2, $3, $4, "
          "$5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id) "
          "INSERT INTO alert_events (tenant_id, alert_id, type, time) "
          "SELECT $1::text, id, $14::integer, $9::bigint FROM a RETURNING "
          "alert_id",
          Params()
              .Text(row.tenant_id)
              .Int(row.kind)
              .Int(row.priority)
              .Int(row.review_id)
              .Int(row.rule_id)
              .Text(JoinReasons(row.reasons))
              .Int(row.state)
              .Time(row.snooze_until)
              .Time(row.create_time)
              .Time(row.update_time)
              .Text(row.summary)
              .Text(row.source)
              .Text(row.dedup_key)
              .Int(kAlertEventCreated)));
  return r.Int(0, 0);
}

absl::StatusOr<AlertRow> PgAlerts::GetAlert(std::string_view tenant_id,
                                            int64_t id) {
  return GetTenantRow(conn_, kAlerts, tenant_id, id, ReadAlert);
}

absl::Status PgAlerts::UpdateAlert(const AlertRow& row) {
  RETURN_IF_ERROR(CheckWritable("UpdateAlert"));
  return ExpectChanged(
      conn_.Exec("UPDATE alerts SET state = $1, priority = $2, reasons = $3, "
                 "snooze_until = $4, update_time = $5, summary = $6 "
                 "WHERE id = $7 AND tenant_id = $8",
                 Params()
                     .Int(row.state)
                     .Int(row.priority)
                     .Text(JoinReasons(row.reasons))
                     .Time(row.snooze_until)
                     .Time(row.update_time)
                     .Text(row.summary)
                     .Int(row.id)
                     .Text(row.tenant_id)),
      kAlerts.noun, row.id);
}

absl::StatusOr<std::vector<AlertRow>> PgAlerts::ListAlertsAfter(
    std::string_view tenant_id, int64_t after_id, int limit) {
  return ListRowsAfter(conn_, kAlerts, tenant_id, after_id, limit, ReadAlert);
}

const std::string& ListAlertsSql(bool of_review) {
  // One statement for every filter of lists (an empty list matches
  // everything).
  static const std::string kLists =
      "AND (cardinality($3::integer[]) = 0 OR state = ANY($3::integer[])) "
      "AND (cardinality($4::integer[]) = 0 OR kind = ANY($4::integer[])) "
      "AND (cardinality($5::integer[]) = 0 OR priority = ANY($5::integer[])) ";
  static const std::string kSql = absl::StrCat(
      "SELECT ", kAlertColumns, " FROM alerts WHERE tenant_id = $1 AND id < $2 ",
      kLists, "ORDER BY id DESC LIMIT $6");
  // One review's alerts: all of them (a review has a few), in no order, so
  // that no plan walks alerts_by_tenant (tenant_id, id) backwards to save
  // the sort, testing every alert of the tenant; the planner takes that
  // walk whenever it believes the tenant has few alerts (a tenant that
  // ANALYZE has not seen yet). "review_id <> 0" states the condition of the
  // partial index alerts_by_review, which a generic plan cannot prove from
  // a parameter.
  static const std::string kOfReviewSql = absl::StrCat(
      "SELECT ", kAlertColumns,
      " FROM alerts WHERE tenant_id = $1 AND id < $2 AND review_id = $6 "
      "AND review_id <> 0 ",
      kLists);
  return of_review ? kOfReviewSql : kSql;
}

absl::StatusOr<std::vector<AlertRow>> PgAlerts::ListAlerts(
    std::string_view tenant_id, const AlertFilter& filter, int64_t before_id,
    int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  const bool of_review = filter.review_id > 0;
  Params params = Params()
                      .Text(tenant_id)
                      .Int(before_id > 0 ? before_id : INT64_MAX)
                      .Text(IntArray(filter.states))
                      .Text(IntArray(filter.kinds))
                      .Text(IntArray(filter.priorities))
                      .Int(of_review ? filter.review_id : limit);
  ASSIGN_OR_RETURN(Result r, conn_.Exec(ListAlertsSql(of_review), params));
  std::vector<AlertRow> rows = ReadRows(r, ReadAlert);
  if (of_review) {
    std::sort(rows.begin(), rows.end(),
              [](const AlertRow& a, const AlertRow& b) { return a.id > b.id; });
    if (rows.size() > static_cast<size_t>(limit)) rows.resize(limit);
  }
  return rows;
}

absl::StatusOr<std::vector<AlertRow>> PgAlerts::FindActiveAlerts(
    std::string_view tenant_id, std::string_view dedup_key) {
  static const std::string kSql =
      absl::StrCat("SELECT ", kAlertColumns,
                   " FROM alerts WHERE tenant_id = $1 AND dedup_key = $2 AND ",
                   kActive, " ORDER BY id");
  ASSIGN_OR_RETURN(Result r,
                   conn_.Exec(kSql, Params().Text(tenant_id).Text(dedup_key)));
  return ReadRows(r, ReadAlert);
}

absl::StatusOr<std::vector<AlertRow>> PgAlerts::ActiveAlertsOfReview(
    std::string_view tenant_id, int64_t review_id) {
  static const std::string kSql =
      absl::StrCat("SELECT ", kAlertColumns,
                   " FROM alerts WHERE tenant_id = $1 AND review_id = $2 AND "
                   "review_id <> 0 AND ",
                   kActive, " ORDER BY id");
  ASSIGN_OR_RETURN(Result r,
                   conn_.Exec(kSql, Params().Text(tenant_id).Int(review_id)));
  return ReadRows(r, ReadAlert);
}

absl::StatusOr<int64_t> PgAlerts::MaxAlertId() {
  ASSIGN_OR_RETURN(Result r,
                   conn_.Exec("SELECT coalesce(max(id), 0) FROM alerts"));
  return r.Int(0, 0);
}

absl::StatusOr<int64_t> PgAlerts::InsertAlertEvent(std::string_view tenant_id,
                                                   int64_t alert_id,
                                                   int32_t type,
                                                   absl::Time time) {
  RETURN_IF_ERROR(CheckWritable("InsertAlertEvent"));
  RETURN_IF_ERROR(LockOutbox());
  // From the tenant's alert row: none (NOT_FOUND) inserts nothing.
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec("INSERT INTO alert_events (tenant_id, alert_id, type, time) "
                 "SELECT tenant_id, id, $3::integer, $4::bigint FROM alerts "
                 "WHERE id = $1 AND tenant_id = $2 RETURNING id",
                 Params().Int(alert_id).Text(tenant_id).Int(type).Time(time)));
  if (r.rows() == 0) return RowNotFound(kAlerts.noun, alert_id);
  return r.Int(0, 0);
}

absl::StatusOr<std::vector<AlertEventRow>> PgAlerts::ListAlertEventsAfter(
    std::string_view tenant_id, int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  static const std::string kSql =
      absl::StrCat("SELECT ", kEventColumns, kEventsFrom,
                   " WHERE e.tenant_id = $1 AND e.id > $2 ORDER BY e.id "
                   "LIMIT $3");
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(kSql, Params().Text(tenant_id).Int(after_id).Int(limit)));
  return ReadRows(r, ReadEvent);
}

absl::StatusOr<AlertEventRow> PgAlerts::GetAlertEvent(
    std::string_view tenant_id, int64_t id) {
  static const std::string kSql =
      absl::StrCat("SELECT ", kEventColumns, kEventsFrom,
                   " WHERE e.id = $1 AND e.tenant_id = $2");
  ASSIGN_OR_RETURN(Result r,
                   conn_.Exec(kSql, Params().Int(id).Text(tenant_id)));
  if (r.rows() == 0) return RowNotFound("alert event", id);
  return ReadEvent(r, 0);
}

absl::StatusOr<int64_t> PgAlerts::MaxAlertEventId() {
  ASSIGN_OR_RETURN(Result r,
                   conn_.Exec("SELECT coalesce(max(id), 0) FROM alert_events"));
  return r.Int(0, 0);
}

absl::StatusOr<AlertSettingsRow> PgAlerts::GetAlertSettings(
    std::string_view tenant_id) {
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec("SELECT defaults_created, spike_k, spike_cooldown, sla_p1, "
                 "sla_p2, sla_p3, sla_p4 FROM alert_settings "
                 "WHERE tenant_id = $1",
                 Params().Text(tenant_id)));
  AlertSettingsRow out;
  out.tenant_id = std::string(tenant_id);
  if (r.rows() > 0) {
    out.defaults_created = r.Bool(0, 0);
    out.spike_k = r.Double(0, 1);
    out.spike_cooldown = absl::Microseconds(r.Int(0, 2));
    out.sla_p1 = absl::Microseconds(r.Int(0, 3));
    out.sla_p2 = absl::Microseconds(r.Int(0, 4));
    out.sla_p3 = absl::Microseconds(r.Int(0, 5));
    out.sla_p4 = absl::Microseconds(r.Int(0, 6));
  }
  return out;
}

absl::Status PgAlerts::PutAlertSettings(const AlertSettingsRow& row) {
  RETURN_IF_ERROR(CheckWritable("PutAlertSettings"));
  RETURN_IF_ERROR(
      state_.TenantTimeZone(conn_, row.tenant_id, learned_zones_).status());
  return conn_
      .Exec(
          "INSERT INTO alert_settings (tenant_id, defaults_created, spike_k, "
          "spike_cooldown, sla_p1, sla_p2, sla_p3, sla_p4) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
          "ON CONFLICT (tenant_id) DO UPDATE SET "
          "defaults_created = excluded.defaults_created, "
          "spike_k = excluded.spike_k, "
          "spike_cooldown = excluded.spike_cooldown, "
          "sla_p1 = excluded.sla_p1, sla_p2 = excluded.sla_p2, "
          "sla_p3 = excluded.sla_p3, sla_p4 = excluded.sla_p4",
          Params()
              .Text(row.tenant_id)
              .Bool(row.defaults_created)
              .Text(DoubleText(row.spike_k))
              .Int(Micros(row.spike_cooldown))
              .Int(Micros(row.sla_p1))
              .Int(Micros(row.sla_p2))
              .Int(Micros(row.sla_p3))
              .Int(Micros(row.sla_p4)))
      .status();
}

absl::StatusOr<std::vector<SlaCandidate>> PgAlerts::ListSlaCandidates(
    std::string_view tenant_id, absl::Time now, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  // The partial index reviews_by_respond_by covers the scan; the SLA alert
  // lookup uses alerts_by_dedup.
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(
          "SELECT r.id, r.priority, r.source, r.respond_by FROM reviews r "
          "WHERE r.tenant_id = $1 AND NOT r.deleted AND r.status IN (1, 2) "
          "AND r.respond_by > $2 AND r.respond_by <= $3 AND NOT EXISTS ("
          "SELECT 1 FROM alerts a WHERE a.tenant_id = r.tenant_id AND "
          "a.dedup_key = 'sla:' || r.id) ORDER BY r.respond_by, r.id "
          "LIMIT $4",
          Params()
              .Text(tenant_id)
              .Time(absl::InfinitePast())
              .Time(now)
              .Int(limit)));
  return ReadRows(r, [](const Result& res, int i) {
    SlaCandidate c;
    c.review_id = res.Int(i, 0);
    c.priority = static_cast<int32_t>(res.Int(i, 1));
    c.source = res.String(i, 2);
    c.respond_by = res.Time(i, 3);
    return c;
  });
}

absl::StatusOr<std::vector<std::pair<std::string, int64_t>>>
PgAlerts::CountReviewsBySource(std::string_view tenant_id, int32_t label,
                               absl::Time start, absl::Time end) {
  // Sources in byte order, whatever the database's collation.
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec("SELECT source, count(*) FROM reviews WHERE tenant_id = $1 "
                 "AND create_time >= $2 AND create_time < $3 AND NOT deleted "
                 "AND label = $4 GROUP BY source ORDER BY source COLLATE \"C\"",
                 Params().Text(tenant_id).Time(start).Time(end).Int(label)));
  return ReadRows(r, [](const Result& res, int i) {
    return std::make_pair(res.String(i, 0), res.Int(i, 1));
  });
}

absl::StatusOr<absl::Time> PgAlerts::GetSpikeFired(std::string_view tenant_id,
                                                   std::string_view scope) {
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec("SELECT fired_time FROM alert_spikes WHERE tenant_id = $1 "
                 "AND scope = $2",
                 Params().Text(tenant_id).Text(scope)));
  if (r.rows() == 0) return absl::InfinitePast();
  return r.Time(0, 0);
}

absl::Status PgAlerts::SetSpikeFired(std::string_view tenant_id,
                                     std::string_view scope, absl::Time time) {
  RETURN_IF_ERROR(CheckWritable("SetSpikeFired"));
  return conn_
      .Exec(
          "INSERT INTO alert_spikes (tenant_id, scope, fired_time) "
          "VALUES ($1, $2, $3) ON CONFLICT (tenant_id, scope) DO UPDATE "
          "SET fired_time = excluded.fired_time",
          Params().Text(tenant_id).Text(scope).Time(time))
      .status();
}

}  // namespace opinia::storage::pg
