#include "service/storage/postgres/pg_alerts.h"

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace opinia::storage::pg {

absl::StatusOr<int64_t> PgAlerts::InsertAlertRule(const AlertRuleRow& row) {
  return NotImplemented("AlertTxn::InsertAlertRule");
}

absl::StatusOr<AlertRuleRow> PgAlerts::GetAlertRule(std::string_view tenant_id,
                                                    int64_t id) {
  return absl::NotFoundError(absl::StrCat("alert rule ", id, " not found"));
}

absl::StatusOr<std::vector<AlertRuleRow>> PgAlerts::ListAlertRules(
    std::string_view tenant_id, int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return std::vector<AlertRuleRow>();
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
  return absl::NotFoundError(absl::StrCat("alert ", id, " not found"));
}

absl::Status PgAlerts::UpdateAlert(const AlertRow& row) {
  return NotImplemented("AlertTxn::UpdateAlert");
}

absl::StatusOr<std::vector<AlertRow>> PgAlerts::ListAlertsAfter(
    std::string_view tenant_id, int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return std::vector<AlertRow>();
}

absl::StatusOr<std::vector<AlertRow>> PgAlerts::ListAlerts(
    std::string_view tenant_id, const AlertFilter& filter, int64_t before_id,
    int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return std::vector<AlertRow>();
}

absl::StatusOr<std::vector<AlertRow>> PgAlerts::FindActiveAlerts(
    std::string_view tenant_id, std::string_view dedup_key) {
  return std::vector<AlertRow>();
}

absl::StatusOr<std::vector<AlertRow>> PgAlerts::ActiveAlertsOfReview(
    std::string_view tenant_id, int64_t review_id) {
  return std::vector<AlertRow>();
}

absl::StatusOr<int64_t> PgAlerts::MaxAlertId() { return 0; }

absl::StatusOr<int64_t> PgAlerts::InsertAlertEvent(std::string_view tenant_id,
                                                   int64_t alert_id,
                                                   int32_t type,
                                                   absl::Time time) {
  return NotImplemented("AlertTxn::InsertAlertEvent");
}

absl::StatusOr<std::vector<AlertEventRow>> PgAlerts::ListAlertEventsAfter(
    std::string_view tenant_id, int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return std::vector<AlertEventRow>();
}

absl::StatusOr<AlertEventRow> PgAlerts::GetAlertEvent(
    std::string_view tenant_id, int64_t id) {
  return absl::NotFoundError(absl::StrCat("alert event ", id, " not found"));
}

absl::StatusOr<int64_t> PgAlerts::MaxAlertEventId() { return 0; }

absl::StatusOr<AlertSettingsRow> PgAlerts::GetAlertSettings(
    std::string_view tenant_id) {
  AlertSettingsRow row;
  row.tenant_id = std::string(tenant_id);
  return row;
}

absl::Status PgAlerts::PutAlertSettings(const AlertSettingsRow& row) {
  return NotImplemented("AlertTxn::PutAlertSettings");
}

absl::StatusOr<std::vector<SlaCandidate>> PgAlerts::ListSlaCandidates(
    std::string_view tenant_id, absl::Time now, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return std::vector<SlaCandidate>();
}

absl::StatusOr<std::vector<std::pair<std::string, int64_t>>>
PgAlerts::CountReviewsBySource(std::string_view tenant_id, int32_t label,
                               absl::Time start, absl::Time end) {
  return NotImplemented("AlertTxn::CountReviewsBySource");
}

absl::StatusOr<absl::Time> PgAlerts::GetSpikeFired(std::string_view tenant_id,
                                                   std::string_view scope) {
  return absl::InfinitePast();
}

absl::Status PgAlerts::SetSpikeFired(std::string_view tenant_id,
                                     std::string_view scope, absl::Time time) {
  return NotImplemented("AlertTxn::SetSpikeFired");
}

}  // namespace opinia::storage::pg
