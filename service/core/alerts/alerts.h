// AlertService's logic without gRPC: rules CRUD, the alert workflow
// (list/get/acknowledge/resolve/snooze) and what streams need (resume
// tokens, reading the outbox). Every call taking a Principal first
// authorizes it (auth/authorization.h: PERMISSION_DENIED) and is scoped by
// the caller's tenant: an alert or rule of another tenant answers NOT_FOUND
// exactly like a missing one. Workflow changes write an audit row naming the
// caller's actor().
#ifndef OPINIA_SERVICE_CORE_ALERTS_ALERTS_H_
#define OPINIA_SERVICE_CORE_ALERTS_ALERTS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "opinia/v1/alerts.pb.h"
#include "service/core/alerts/alert_outbox.h"
#include "service/core/auth/auth.h"
#include "service/core/util/clock.h"
#include "service/storage/store.h"

namespace opinia::core {

// Thread-safe; the pointees must outlive it.
class Alerts {
 public:
  Alerts(storage::Store* store, const Clock* clock)
      : store_(store), clock_(clock) {}

  // ---- rules. INVALID_ARGUMENT naming the field (ValidateAlertRule, bad
  // names, update_mask paths); NOT_FOUND.
  absl::StatusOr<opinia::v1::AlertRule> CreateRule(
      const Principal& caller, const opinia::v1::AlertRule& rule) const;
  absl::StatusOr<opinia::v1::AlertRule> GetRule(const Principal& caller,
                                                std::string_view name) const;
  absl::StatusOr<opinia::v1::ListAlertRulesResponse> ListRules(
      const Principal& caller,
      const opinia::v1::ListAlertRulesRequest& request) const;
  // update_mask paths are AlertRule field names (not name/create_time);
  // an empty mask replaces every settable field.
  absl::StatusOr<opinia::v1::AlertRule> UpdateRule(
      const Principal& caller,
      const opinia::v1::UpdateAlertRuleRequest& request) const;
  absl::Status DeleteRule(const Principal& caller,
                          std::string_view name) const;

  // ---- alerts. Newest first; filters ANDed. `review` ("reviews/{id}";
  // INVALID_ARGUMENT naming it when malformed) keeps that review's alerts.
  absl::StatusOr<opinia::v1::ListAlertsResponse> List(
      const Principal& caller,
      const opinia::v1::ListAlertsRequest& request) const;
  absl::StatusOr<opinia::v1::Alert> Get(const Principal& caller,
                                        std::string_view name) const;
  // OPEN/SNOOZED -> ACKNOWLEDGED (idempotent); FAILED_PRECONDITION when
  // resolved.
  absl::StatusOr<opinia::v1::Alert> Acknowledge(const Principal& caller,
                                                std::string_view name) const;
  // Any -> RESOLVED (idempotent).
  absl::StatusOr<opinia::v1::Alert> Resolve(const Principal& caller,
                                            std::string_view name) const;
  // -> SNOOZED until a future time (INVALID_ARGUMENT naming snooze_until
  // otherwise); FAILED_PRECONDITION when resolved. The scheduler reopens it
  // when the time has passed.
  absl::StatusOr<opinia::v1::Alert> Snooze(
      const Principal& caller,
      const opinia::v1::SnoozeAlertRequest& request) const;

  // ---- streams (over the alert event log, alert_store.h)
  // The event id to stream after: from `request.resume_token`, or the current
  // newest event id for an empty token. INVALID_ARGUMENT naming
  // resume_token for a malformed token or one issued to another tenant.
  // INVALID_ARGUMENT naming the field for an unknown priority or kind.
  absl::StatusOr<int64_t> StreamStart(
      const Principal& caller,
      const opinia::v1::StreamAlertsRequest& request) const;
  std::string ResumeToken(std::string_view tenant_id, int64_t id) const;
  // One page of the outbox for a subscriber (core::ReadOutbox in a read
  // transaction).
  absl::StatusOr<OutboxPage> ReadOutbox(const Principal& caller,
                                        int64_t after_position,
                                        const SubscriberFilter& filter,
                                        int limit) const;

 private:
  using Transition = std::function<absl::Status(storage::AlertRow&)>;
  absl::StatusOr<opinia::v1::Alert> Transit(std::string_view tenant_id,
                                            std::string_view actor,
                                            std::string_view name,
                                            std::string_view action,
                                            const Transition& fn) const;

  storage::Store* store_;
  const Clock* clock_;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_ALERTS_ALERTS_H_
