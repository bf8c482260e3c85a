// Storage of webhooks and their delivery queue. Reached from a transaction
// as `txn.webhooks()`.
//
// Delivery model (at least once): each webhook has a `cursor`, the last
// alert event id (the outbox, alert_store.h) it has considered. The
// dispatcher reads events after the cursor and, in ONE write transaction,
// inserts a delivery row per matching event and advances the cursor, so an
// event is queued exactly once per webhook even across crashes;
// UNIQUE(webhook_id, event_id) backs this up. Delivery rows carry their retry state
// (attempts, next_attempt_time), so a restart resumes where it stopped.
//
// Codes as for Txn (store.h): NOT_FOUND for a missing row or one of another
// tenant, ALREADY_EXISTS for a second delivery of one event to one webhook,
// INVALID_ARGUMENT for limit <= 0, FAILED_PRECONDITION for a write in a
// read-only transaction, INTERNAL on database errors.
#ifndef OPINIA_SERVICE_STORAGE_WEBHOOK_STORE_H_
#define OPINIA_SERVICE_STORAGE_WEBHOOK_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace opinia::storage {

struct WebhookRow {
  int64_t id = 0;  // assigned by InsertWebhook; never reused
  std::string tenant_id;
  std::string url;
  // The HMAC key; never returned by the API. The store keeps the bytes as
  // given; core keeps them sealed (core/secrets/sealed_store.h).
  std::string secret;
  std::vector<int32_t> priorities;  // opinia.v1.Priority; empty = any
  std::vector<int32_t> kinds;       // opinia.v1.AlertKind; empty = any
  absl::Time create_time = absl::UnixEpoch();
  int64_t cursor = 0;  // last alert event id considered
};

// Delivery states.
inline constexpr int32_t kDeliveryPending = 1;
inline constexpr int32_t kDeliveryDelivered = 2;
inline constexpr int32_t kDeliveryDead = 3;

struct DeliveryRow {
  // Assigned by InsertDelivery, in commit order like alert event ids
  // (alert_store.h): ListDeliveries after the last id seen misses none.
  int64_t id = 0;
  int64_t webhook_id = 0;
  std::string tenant_id;
  int64_t alert_id = 0;
  int64_t event_id = 0;  // the alert event delivered
  int32_t state = kDeliveryPending;
  int32_t attempts = 0;  // POSTs made so far
  absl::Time next_attempt_time = absl::UnixEpoch();
  absl::Time create_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();
  std::string last_error;  // "" = none
  int32_t last_status = 0;  // HTTP status of the last attempt; 0 = none
};

// Per-webhook summary of its deliveries.
struct DeliveryStats {
  int64_t pending = 0;
  int64_t retrying = 0;  // pending with attempts > 0
  int64_t delivered = 0;
  int64_t dead = 0;
  // State of the most recently finished (delivered or dead) delivery;
  // 0 when none finished.
  int32_t last_finished_state = 0;
  // last_error of the most recently updated delivery that has one.
  std::string last_error;
};

class WebhookTxn {
 public:
  virtual ~WebhookTxn() = default;

  // Returns the new id; NOT_FOUND for an unknown tenant.
  virtual absl::StatusOr<int64_t> InsertWebhook(const WebhookRow& row) = 0;
  virtual absl::StatusOr<WebhookRow> GetWebhook(std::string_view tenant_id,
                                                int64_t id) = 0;
  // The tenant's webhooks ordered by id, id > after_id.
  virtual absl::StatusOr<std::vector<WebhookRow>> ListWebhooks(
      std::string_view tenant_id, int64_t after_id, int limit) = 0;
  // Every tenant's webhooks ordered by id, id > after_id (the dispatcher).
  virtual absl::StatusOr<std::vector<WebhookRow>> ListAllWebhooks(
      int64_t after_id, int limit) = 0;
  // Deletes the webhook and all its deliveries.
  virtual absl::Status DeleteWebhook(std::string_view tenant_id,
                                     int64_t id) = 0;
  virtual absl::Status SetWebhookCursor(int64_t id, int64_t cursor) = 0;
  // Replaces the webhook's secret (sealing a new webhook once its id is
  // known, re-sealing under a new key).
  virtual absl::Status SetWebhookSecret(std::string_view tenant_id, int64_t id,
                                        std::string_view secret) = 0;

  // Returns the new id; ALREADY_EXISTS when (webhook_id, event_id) exists,
  // NOT_FOUND for an unknown webhook.
  virtual absl::StatusOr<int64_t> InsertDelivery(const DeliveryRow& row) = 0;
  // The same, but a delivery of (webhook_id, event_id) that exists already
  // is not an error: std::nullopt, nothing changed, and the transaction
  // goes on (a failed statement need not leave it usable, so callers that
  // may meet a queued event use this, not InsertDelivery).
  virtual absl::StatusOr<std::optional<int64_t>> InsertDeliveryIfAbsent(
      const DeliveryRow& row) = 0;
  virtual absl::StatusOr<DeliveryRow> GetDelivery(int64_t id) = 0;
  // Replaces state, attempts, next_attempt_time, update_time, last_error
  // and last_status; NOT_FOUND when gone (its webhook was deleted).
  virtual absl::Status UpdateDelivery(const DeliveryRow& row) = 0;
  // Pending deliveries with next_attempt_time <= now, ordered by
  // (next_attempt_time, id).
  virtual absl::StatusOr<std::vector<DeliveryRow>> ListDueDeliveries(
      absl::Time now, int limit) = 0;
  // The same without the deliveries of the webhooks in `skip_webhooks`
  // (those the dispatcher is delivering to already, so that they cannot
  // hide the others).
  virtual absl::StatusOr<std::vector<DeliveryRow>> ListDueDeliveriesExcept(
      absl::Time now, int limit, const std::vector<int64_t>& skip_webhooks) = 0;
  // The webhook's deliveries ordered by id, id > after_id.
  virtual absl::StatusOr<std::vector<DeliveryRow>> ListDeliveries(
      int64_t webhook_id, int64_t after_id, int limit) = 0;
  virtual absl::StatusOr<DeliveryStats> GetDeliveryStats(
      int64_t webhook_id) = 0;
};

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_WEBHOOK_STORE_H_
