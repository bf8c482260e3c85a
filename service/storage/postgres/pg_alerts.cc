#include "service/storage/postgres/pg_alerts.h"

namespace opinia::storage::pg {

absl::StatusOr<int64_t> PgAlerts::InsertAlertRule(const AlertRuleRow& row) {
  return NotImplemented("AlertTxn::InsertAlertRule");
}

absl::StatusOr<AlertRuleRow> PgAlerts::GetAlertRule(std::string_view tenant_id,
                                                    int64_t id) {
  return NotImplemented("AlertTxn::GetAlertRule");
}

absl::StatusOr<std::vector<AlertRuleRow>> PgAlerts::ListAlertRules(
    std::string_view tenant_id, int64_t after_id, int limit) {
  return NotImplemented("AlertTxn::ListAlertRules");
}

absl::Status PgAlerts::UpdateAlertRule(const AlertRuleRow& row) {
  return NotImplemented("AlertTxn::UpdateAlertRule");
}

absl::Status PgAlerts::DeleteAlertRule(std::string_view tenant_id, int64_t id) {
  return NotImplemented("AlertTxn::DeleteAlertRule");
}

absl::StatusOr<int64_t> PgAlerts::InsertAlert(const AlertRow& row) {
  return NotImplemented("AlertTxn::InsertAlert");
}

absl::StatusOr<AlertRow> PgAlerts::GetAlert(std::string_view tenant_id,
                                            int64_t id) {
  return NotImplemented("AlertTxn::GetAlert");
}

absl::Status PgAlerts::UpdateAlert(const AlertRow& row) {
  return NotImplemented("AlertTxn::UpdateAlert");
}

absl::StatusOr<std::vector<AlertRow>> PgAlerts::ListAlertsAfter(
    std::string_view tenant_id, int64_t after_id, int limit) {
  return NotImplemented("AlertTxn::ListAlertsAfter");
}

absl::StatusOr<std::vector<AlertRow>> PgAlerts::ListAlerts(
    std::string_view tenant_id, const AlertFilter& filter, int64_t before_id,
    int limit) {
  return NotImplemented("AlertTxn::ListAlerts");
}

absl::StatusOr<std::vector<AlertRow>> PgAlerts::FindActiveAlerts(
    std::string_view tenant_id, std::string_view dedup_key) {
  return NotImplemented("AlertTxn::FindActiveAlerts");
}

absl::StatusOr<std::vector<AlertRow>> PgAlerts::ActiveAlertsOfReview(
    std::string_view tenant_id, int64_t review_id) {
  return NotImplemented("AlertTxn::ActiveAlertsOfReview");
}

absl::StatusOr<int64_t> PgAlerts::MaxAlertId() {
  return NotImplemented("AlertTxn::MaxAlertId");
}

absl::StatusOr<int64_t> PgAlerts::InsertAlertEvent(std::string_view tenant_id,
                                                   int64_t alert_id,
                                                   int32_t type,
                                                   absl::Time time) {
  return NotImplemented("AlertTxn::InsertAlertEvent");
}

absl::StatusOr<std::vector<AlertEventRow>> PgAlerts::ListAlertEventsAfter(
    std::string_view tenant_id, int64_t after_id, int limit) {
  return NotImplemented("AlertTxn::ListAlertEventsAfter");
}

absl::StatusOr<AlertEventRow> PgAlerts::GetAlertEvent(
    std::string_view tenant_id, int64_t id) {
  return NotImplemented("AlertTxn::GetAlertEvent");
}

absl::StatusOr<int64_t> PgAlerts::MaxAlertEventId() {
  return NotImplemented("AlertTxn::MaxAlertEventId");
}

absl::StatusOr<AlertSettingsRow> PgAlerts::GetAlertSettings(
    std::string_view tenant_id) {
  return NotImplemented("AlertTxn::GetAlertSettings");
}

absl::Status PgAlerts::PutAlertSettings(const AlertSettingsRow& row) {
  return NotImplemented("AlertTxn::PutAlertSettings");
}

absl::StatusOr<std::vector<SlaCandidate>> PgAlerts::ListSlaCandidates(
    std::string_view tenant_id, absl::Time now, int limit) {
  return NotImplemented("AlertTxn::ListSlaCandidates");
}

absl::StatusOr<std::vector<std::pair<std::string, int64_t>>>
PgAlerts::CountReviewsBySource(std::string_view tenant_id, int32_t label,
                               absl::Time start, absl::Time end) {
  return NotImplemented("AlertTxn::CountReviewsBySource");
}

absl::StatusOr<absl::Time> PgAlerts::GetSpikeFired(std::string_view tenant_id,
                                                   std::string_view scope) {
  return NotImplemented("AlertTxn::GetSpikeFired");
}

absl::Status PgAlerts::SetSpikeFired(std::string_view tenant_id,
                                     std::string_view scope, absl::Time time) {
  return NotImplemented("AlertTxn::SetSpikeFired");
}

}  // namespace opinia::storage::pg
