// Storage of alerts, alert rules and the state the alert scheduler keeps
// (SLA and volume-spike bookkeeping). Reached from a transaction as
// `txn.alerts()`, so alerts commit or roll back with the review change that
// produced them.
//
// The `alert_events` table is the OUTBOX: one row per thing a subscriber
// must hear about (an alert was created; a snoozed alert reopened), written
// in the transaction that made it happen. Streams, resume tokens and the
// webhook dispatcher read "every event with id > N" (ListAlertEventsAfter),
// so every backend must give this guarantee: event ids are IN COMMIT ORDER.
// An event committed after another has a larger id, so a snapshot that
// sees an event sees every event with a smaller id (a prefix), and a reader
// resuming after the last id it saw never skips one. (SQLite gets this from
// its single writer; a backend with concurrent writers must not use ids
// that can commit out of order, such as a bare sequence.) Alerts and events
// are never deleted, so ids are never reused.
//
// Codes as for Txn (store.h): NOT_FOUND for a missing row or one of another
// tenant (or an unknown tenant on insert), INVALID_ARGUMENT for limit <= 0,
// FAILED_PRECONDITION for a write in a read-only transaction, INTERNAL on
// database errors.
#ifndef OPINIA_SERVICE_STORAGE_ALERT_STORE_H_
#define OPINIA_SERVICE_STORAGE_ALERT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace opinia::storage {

struct AlertRuleRow {
  int64_t id = 0;  // assigned by InsertAlertRule
  std::string tenant_id;
  std::string spec;  // serialized opinia.v1.AlertRule (opaque to storage)
  absl::Time create_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();
  // When the rule last produced an alert (cooldown); InfinitePast = never.
  absl::Time last_fire_time = absl::InfinitePast();
};

// Alert states (opinia.v1.AlertState values).
inline constexpr int32_t kAlertOpen = 1;
inline constexpr int32_t kAlertAcknowledged = 2;
inline constexpr int32_t kAlertResolved = 3;
inline constexpr int32_t kAlertSnoozed = 4;

struct AlertRow {
  int64_t id = 0;  // assigned by InsertAlert; the outbox order
  std::string tenant_id;
  int32_t kind = 0;      // opinia.v1.AlertKind
  int32_t priority = 0;  // opinia.v1.Priority
  int64_t review_id = 0;  // 0 = none
  int64_t rule_id = 0;    // 0 = none (SLA, spikes)
  std::vector<std::string> reasons;
  int32_t state = kAlertOpen;
  absl::Time snooze_until = absl::InfinitePast();
  absl::Time create_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();
  std::string summary;
  std::string source;  // review source or spike scope; "" = overall
  // Identity for dedup: at most one active (open, acknowledged or snoozed)
  // alert per key is what callers maintain, e.g. "review:42:rule:7",
  // "sla:42", "spike:allegro".
  std::string dedup_key;
};

// Alert event types (opinia.v1.AlertEventType values).
inline constexpr int32_t kAlertEventCreated = 1;
inline constexpr int32_t kAlertEventReopened = 2;

struct AlertEventRow {
  int64_t id = 0;  // the stream position
  int32_t type = kAlertEventCreated;
  absl::Time time = absl::UnixEpoch();
  AlertRow alert;  // the alert as it is now
};

// Conditions ANDed; empty lists match everything.
struct AlertFilter {
  std::vector<int32_t> states;
  std::vector<int32_t> kinds;
  std::vector<int32_t> priorities;
  int64_t review_id = 0;  // > 0: only the alerts of this review (indexed)
};

// An unanswered review past its deadline without an SLA alert yet.
struct SlaCandidate {
  int64_t review_id = 0;
  int32_t priority = 0;
  std::string source;
  absl::Time respond_by = absl::InfinitePast();
};

// Per-tenant settings (alerts and the SLA policy: opinia.v1.TenantSettings).
struct AlertSettingsRow {
  std::string tenant_id;
  bool defaults_created = false;  // the default rule was created once
  double spike_k = 3.0;           // standard deviations for VOLUME_SPIKE
  absl::Duration spike_cooldown = absl::Hours(24);  // per spike scope
  // Response deadlines by priority (urgency.respond_by).
  absl::Duration sla_p1 = absl::Hours(1);
  absl::Duration sla_p2 = absl::Hours(4);
  absl::Duration sla_p3 = absl::Hours(24);
  absl::Duration sla_p4 = absl::Hours(72);
};

class AlertTxn {
 public:
  virtual ~AlertTxn() = default;

  // ---- rules
  virtual absl::StatusOr<int64_t> InsertAlertRule(const AlertRuleRow& row) = 0;
  virtual absl::StatusOr<AlertRuleRow> GetAlertRule(std::string_view tenant_id,
                                                    int64_t id) = 0;
  // Ordered by id; rows with id > after_id.
  virtual absl::StatusOr<std::vector<AlertRuleRow>> ListAlertRules(
      std::string_view tenant_id, int64_t after_id, int limit) = 0;
  // Replaces spec, update_time and last_fire_time of (tenant_id, id).
  virtual absl::Status UpdateAlertRule(const AlertRuleRow& row) = 0;
  // Hard delete; alerts keep their rule_id.
  virtual absl::Status DeleteAlertRule(std::string_view tenant_id,
                                       int64_t id) = 0;

  // ---- alerts
  // Also appends the alert's kAlertEventCreated event (time = create_time).
  virtual absl::StatusOr<int64_t> InsertAlert(const AlertRow& row) = 0;
  virtual absl::StatusOr<AlertRow> GetAlert(std::string_view tenant_id,
                                            int64_t id) = 0;
  // Replaces state, priority, reasons, snooze_until, update_time and summary.
  virtual absl::Status UpdateAlert(const AlertRow& row) = 0;
  // The tenant's alerts with id > after_id, oldest first.
  virtual absl::StatusOr<std::vector<AlertRow>> ListAlertsAfter(
      std::string_view tenant_id, int64_t after_id, int limit) = 0;
  // Newest first, ids < before_id (0 = from the newest).
  virtual absl::StatusOr<std::vector<AlertRow>> ListAlerts(
      std::string_view tenant_id, const AlertFilter& filter, int64_t before_id,
      int limit) = 0;
  // Active (open, acknowledged, snoozed) alerts with this dedup key, oldest
  // first.
  virtual absl::StatusOr<std::vector<AlertRow>> FindActiveAlerts(
      std::string_view tenant_id, std::string_view dedup_key) = 0;
  // Active alerts of a review (any rule or kind), oldest first.
  virtual absl::StatusOr<std::vector<AlertRow>> ActiveAlertsOfReview(
      std::string_view tenant_id, int64_t review_id) = 0;
  // The largest alert id of any tenant; 0 when there is none.
  virtual absl::StatusOr<int64_t> MaxAlertId() = 0;

  // ---- alert events (the outbox)
  // Appends an event of the tenant's alert `alert_id` (NOT_FOUND when it
  // has no such alert); returns the event id.
  virtual absl::StatusOr<int64_t> InsertAlertEvent(std::string_view tenant_id,
                                                   int64_t alert_id,
                                                   int32_t type,
                                                   absl::Time time) = 0;
  // The tenant's events with id > after_id, oldest first (stream order).
  virtual absl::StatusOr<std::vector<AlertEventRow>> ListAlertEventsAfter(
      std::string_view tenant_id, int64_t after_id, int limit) = 0;
  virtual absl::StatusOr<AlertEventRow> GetAlertEvent(
      std::string_view tenant_id, int64_t id) = 0;
  // The largest event id of any tenant; 0 when there is none.
  virtual absl::StatusOr<int64_t> MaxAlertEventId() = 0;

  // ---- settings
  // The AlertSettingsRow defaults (with tenant_id set) when the tenant has
  // no row.
  virtual absl::StatusOr<AlertSettingsRow> GetAlertSettings(
      std::string_view tenant_id) = 0;
  virtual absl::Status PutAlertSettings(const AlertSettingsRow& row) = 0;

  // ---- scheduler state
  // Not deleted, status NEW or ACKNOWLEDGED, respond_by in (InfinitePast,
  // now], and no alert with dedup key "sla:{review_id}" exists (in any
  // state); ordered by (respond_by, review_id).
  virtual absl::StatusOr<std::vector<SlaCandidate>> ListSlaCandidates(
      std::string_view tenant_id, absl::Time now, int limit) = 0;
  // Non-deleted reviews with effective `label` and create_time in
  // [start, end), counted per source.
  virtual absl::StatusOr<std::vector<std::pair<std::string, int64_t>>>
  CountReviewsBySource(std::string_view tenant_id, int32_t label,
                       absl::Time start, absl::Time end) = 0;
  // When the spike of `scope` last fired; InfinitePast = never.
  virtual absl::StatusOr<absl::Time> GetSpikeFired(std::string_view tenant_id,
                                                   std::string_view scope) = 0;
  virtual absl::Status SetSpikeFired(std::string_view tenant_id,
                                     std::string_view scope,
                                     absl::Time time) = 0;
};

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_ALERT_STORE_H_
