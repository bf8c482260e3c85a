// AlertTxn (alert_store.h) over the connection of one SqliteTxn.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_ALERTS_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_ALERTS_H_

#include <string>
#include <utility>
#include <vector>

#include "service/storage/alert_store.h"
#include "service/storage/sqlite/connection.h"

namespace opinia::storage::sqlite {

// The SELECT of ListAlerts for `filter`. Parameters: tenant_id, before id,
// the review id when filter.review_id > 0, the states, kinds and
// priorities, the limit.
std::string ListAlertsSql(const AlertFilter& filter);

class SqliteAlerts final : public AlertTxn, private TxnPart {
 public:
  using TxnPart::TxnPart;

  absl::StatusOr<int64_t> InsertAlertRule(const AlertRuleRow& row) override;
  absl::StatusOr<AlertRuleRow> GetAlertRule(std::string_view tenant_id,
                                            int64_t id) override;
  absl::StatusOr<std::vector<AlertRuleRow>> ListAlertRules(
      std::string_view tenant_id, int64_t after_id, int limit) override;
  absl::Status UpdateAlertRule(const AlertRuleRow& row) override;
  absl::Status DeleteAlertRule(std::string_view tenant_id,
                               int64_t id) override;

  absl::StatusOr<int64_t> InsertAlert(const AlertRow& row) override;
  absl::StatusOr<AlertRow> GetAlert(std::string_view tenant_id,
                                    int64_t id) override;
  absl::Status UpdateAlert(const AlertRow& row) override;
  absl::StatusOr<std::vector<AlertRow>> ListAlertsAfter(
      std::string_view tenant_id, int64_t after_id, int limit) override;
  absl::StatusOr<std::vector<AlertRow>> ListAlerts(std::string_view tenant_id,
                                                   const AlertFilter& filter,
                                                   int64_t before_id,
                                                   int limit) override;
  absl::StatusOr<std::vector<AlertRow>> FindActiveAlerts(
      std::string_view tenant_id, std::string_view dedup_key) override;
  absl::StatusOr<std::vector<AlertRow>> ActiveAlertsOfReview(
      std::string_view tenant_id, int64_t review_id) override;
  absl::StatusOr<int64_t> MaxAlertId() override;

  absl::StatusOr<int64_t> InsertAlertEvent(std::string_view tenant_id,
                                           int64_t alert_id, int32_t type,
                                           absl::Time time) override;
  absl::StatusOr<std::vector<AlertEventRow>> ListAlertEventsAfter(
      std::string_view tenant_id, int64_t after_id, int limit) override;
  absl::StatusOr<AlertEventRow> GetAlertEvent(std::string_view tenant_id,
                                              int64_t id) override;
  absl::StatusOr<int64_t> MaxAlertEventId() override;

  absl::StatusOr<AlertSettingsRow> GetAlertSettings(
      std::string_view tenant_id) override;
  absl::Status PutAlertSettings(const AlertSettingsRow& row) override;

  absl::StatusOr<std::vector<SlaCandidate>> ListSlaCandidates(
      std::string_view tenant_id, absl::Time now, int limit) override;
  absl::StatusOr<std::vector<std::pair<std::string, int64_t>>>
  CountReviewsBySource(std::string_view tenant_id, int32_t label,
                       absl::Time start, absl::Time end) override;
  absl::StatusOr<absl::Time> GetSpikeFired(std::string_view tenant_id,
                                           std::string_view scope) override;
  absl::Status SetSpikeFired(std::string_view tenant_id,
                             std::string_view scope, absl::Time time) override;

 private:
  absl::StatusOr<std::vector<AlertRow>> ReadAlerts(Statement& stmt);
  absl::StatusOr<std::vector<AlertEventRow>> ReadEvents(Statement& stmt);
};

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_ALERTS_H_
