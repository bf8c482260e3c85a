// AlertTxn (alert_store.h) over the connection of one PgTxn.
//
// The outbox order. alert_store.h asks that alert ids and alert event ids
// be in COMMIT order: streams, resume tokens and the webhook dispatcher
// read "events with id > the last one", and MaxAlertEventId() over all
// tenants is where a new stream or webhook starts ("from now"). A
// PostgreSQL sequence hands out values at insert, not at commit: with a
// bare sequence, transaction A takes event 7, B takes 8 and commits, a
// reader sees 8 and moves its cursor past 7, then A commits 7 and the
// reader never sees it (pg_outbox_order_test provokes exactly this).
//
// Design: before its first alert or event id, a transaction takes the
// transaction-level advisory lock (kOutboxLockClass, this schema), held
// until it commits or rolls back (CommitOrderLocks, pg_tenant_rows.h). The
// next transaction that wants an id waits for that commit before it draws
// one, so a larger id always commits later, and a snapshot that sees an
// event sees every event below it. The lock is global, not per tenant,
// because MaxAlertEventId is global: a per-tenant lock would let tenant
// b's event 8 commit while a's 7 is in flight, and a stream of tenant a
// started "from now" (8) would skip 7.
//
// The cost: transactions that write alerts or alert events commit one at
// a time, from their first alert write to their commit (other servers
// too: the lock is in the database). Reviews ingested without an alert,
// reads, and everything else do not take it. Alert-producing transactions
// are a small share of ingest (an alert is raised for few reviews), and
// the lock is taken late in them (after the review is written), so what
// it serialises is the short tail of those transactions.
//
// Conflict-free statements: a call that answers NOT_FOUND (unknown tenant,
// another tenant's row) finds that out with a read, never with a failed
// statement, so the transaction stays usable (a failed statement aborts a
// PostgreSQL transaction). SetSpikeFired and PutAlertSettings are upserts.
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_ALERTS_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_ALERTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/storage/alert_store.h"
#include "service/storage/postgres/pg_tenant_rows.h"
#include "service/storage/postgres/pg_txn_part.h"

namespace opinia::storage::pg {

// The SELECT of ListAlerts. Parameters: tenant_id, before id, the state,
// kind and priority arrays, then the limit; with `of_review`, the review id
// instead (every alert of the review, in no order).
const std::string& ListAlertsSql(bool of_review);

// First key of the outbox lock ("opno"); the second is the schema's hash.
inline constexpr int32_t kOutboxLockClass = 0x6f706e6f;

class PgAlerts final : public AlertTxn, private PgTxnPart {
 public:
  using PgTxnPart::PgTxnPart;

  absl::StatusOr<int64_t> InsertAlertRule(const AlertRuleRow& row) override;
  absl::StatusOr<AlertRuleRow> GetAlertRule(std::string_view tenant_id,
                                            int64_t id) override;
  absl::StatusOr<std::vector<AlertRuleRow>> ListAlertRules(
      std::string_view tenant_id, int64_t after_id, int limit) override;
  absl::Status UpdateAlertRule(const AlertRuleRow& row) override;
  absl::Status DeleteAlertRule(std::string_view tenant_id, int64_t id) override;
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
  absl::Status SetSpikeFired(std::string_view tenant_id, std::string_view scope,
                             absl::Time time) override;

 private:
  // Takes the outbox lock (once per transaction): call right before
  // drawing an alert or alert event id.
  absl::Status LockOutbox();

  CommitOrderLocks locks_;
};

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_ALERTS_H_
