// Produces NEGATIVE_REVIEW alerts from review changes, inside the review's
// write transaction (the alerts table is the outbox), and wakes the tenant's
// subscribers after the commit: this replica's through the hub, every
// replica's through the store (Txn::NotifyTenant in the transaction that
// wrote an alert).
//
// Per enabled rule and review (dedup key "review:{id}:rule:{rule}"):
// - at most one active (open/acknowledged/snoozed) alert;
// - a new review that matches alerts, unless the rule fired within its
//   cooldown_seconds (P1 is never suppressed);
// - an edited/rescored/overridden review re-alerts only if its priority
//   rose: the old alert is resolved (SUPERSEDED_BY_HIGHER_PRIORITY) and a
//   new one written.
//   An ACKNOWLEDGED alert is updated in place instead (no re-notification)
//   unless the review became P1;
// - a review that stops matching (e.g. a human override lowered its
//   priority below the rule) closes its active alert (RESOLVED,
//   NO_LONGER_MATCHES_RULE);
// - a deleted review closes all its active alerts (REVIEW_DELETED).
// An alert's reasons are the review's urgency codes; its summary names the
// rule that matched.
// A tenant's default rule (DefaultAlertRule) is created on first use.
#ifndef OPINIA_SERVICE_CORE_ALERTS_ALERT_EVALUATOR_H_
#define OPINIA_SERVICE_CORE_ALERTS_ALERT_EVALUATOR_H_

#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "opinia/v1/alerts.pb.h"
#include "service/core/alerts/alert_hub.h"
#include "service/core/reviews/review_observer.h"
#include "service/storage/store.h"

namespace opinia::core {

struct LoadedRule {
  storage::AlertRuleRow row;
  opinia::v1::AlertRule spec;
};

// The tenant's rules, creating the default rule the first time a tenant is
// seen (so `txn` must be a write transaction). INTERNAL on a corrupt rule.
absl::StatusOr<std::vector<LoadedRule>> LoadAlertRules(
    storage::Txn& txn, std::string_view tenant_id, absl::Time now);

// Thread-safe. `hub` must outlive it.
class AlertEvaluator final : public ReviewObserver {
 public:
  explicit AlertEvaluator(AlertHub* hub) : hub_(hub) {}

  absl::Status OnReviewChanged(storage::Txn& txn,
                               const ReviewChange& change) override;
  // Loads the tenant's rules once for the whole batch.
  absl::Status OnReviewsChanged(
      storage::Txn& txn, absl::Span<const ReviewChange> changes) override;
  void OnCommitted(std::string_view tenant_id) override;

 private:
  // `rules`: the tenant's rules, loaded on first need; firing updates the
  // rule rows both in the store and here (cooldowns within a batch).
  absl::Status Evaluate(storage::Txn& txn, const ReviewChange& change,
                        std::optional<std::vector<LoadedRule>>& rules);

  AlertHub* hub_;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_ALERTS_ALERT_EVALUATOR_H_
