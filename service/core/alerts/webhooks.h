// Webhooks: CreateWebhook / ListWebhooks / DeleteWebhook (AlertService),
// and the pieces the dispatcher shares (the filter, the JSON event).
//
// Who: tenant keys with ROLE_ADMIN only (PERMISSION_DENIED otherwise;
// operator keys hold no tenant data). Another tenant's webhook answers
// NOT_FOUND, so existence never leaks.
//
// The secret is input only: required on create (16..1024 bytes), used as
// the HMAC-SHA256 key of every delivery (webhook_signing.h), never returned.
// A new webhook receives alert events after it (its cursor starts at the
// newest event id): alerts created and snoozed alerts reopened.
//
// State in ListWebhooks: RETRYING while some delivery failed and waits for
// its next attempt; else DEAD_LETTER when the most recently finished
// delivery was given up; else HEALTHY. delivered/pending/dead_lettered
// count deliveries; last_error is the most recent failure (kept after a
// recovery, for diagnosis).
#ifndef OPINIA_SERVICE_CORE_ALERTS_WEBHOOKS_H_
#define OPINIA_SERVICE_CORE_ALERTS_WEBHOOKS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "opinia/v1/alerts.pb.h"
#include "service/core/alerts/alert_outbox.h"
#include "service/core/auth/auth.h"
#include "service/core/util/clock.h"
#include "service/core/util/outbound_policy.h"
#include "service/storage/alert_store.h"
#include "service/storage/store.h"
#include "service/storage/webhook_store.h"

namespace opinia::core {

inline constexpr size_t kMinWebhookSecret = 16;
inline constexpr size_t kMaxWebhookSecret = 1024;
inline constexpr size_t kMaxWebhookUrl = 2048;

std::string WebhookName(int64_t id);
// "webhooks/{positive int64}"; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<int64_t> ParseWebhookName(std::string_view name,
                                         std::string_view field);

// OK for an absolute http(s) URL with a host and no whitespace or control
// characters, at most kMaxWebhookUrl bytes; INVALID_ARGUMENT naming `field`.
absl::Status ValidateWebhookUrl(std::string_view url, std::string_view field);

// The alerts a webhook receives: its priority and kind filters (webhooks
// have no source filter).
SubscriberFilter WebhookFilter(const storage::WebhookRow& webhook);

// The Opinia-Event-Id of an event: "alerts/{id}" for the creation of an
// alert, "alerts/{id}/events/{event id}" for its later events.
std::string WebhookEventId(const storage::AlertEventRow& event);

// The delivery body of `event` for `webhook` (see WebhookEvent in
// alerts.proto) and its JSON (proto field names, compact).
opinia::v1::WebhookEvent MakeWebhookEvent(const storage::WebhookRow& webhook,
                                          const storage::AlertEventRow& event);
std::string WebhookEventJson(const opinia::v1::WebhookEvent& event);

opinia::v1::Webhook WebhookToProto(const storage::WebhookRow& row,
                                   const storage::DeliveryStats& stats);

// Thread-safe; `store`, `clock` and `outbound` must outlive it.
class Webhooks {
 public:
  // `outbound` refuses URLs whose host is an address the server does not
  // send requests to.
  Webhooks(storage::Store* store, const Clock* clock,
           const OutboundPolicy* outbound)
      : store_(store), clock_(clock), outbound_(outbound) {}

  // INVALID_ARGUMENT naming the field (webhook.url, webhook.secret,
  // webhook.priorities, webhook.kinds): webhook.url also when its host is
  // a literal address the outbound policy refuses (127.0.0.1, [::1],
  // 169.254.169.254, 10.0.0.1, ...). The answer has no secret.
  absl::StatusOr<opinia::v1::Webhook> Create(
      const Principal& caller, const opinia::v1::CreateWebhookRequest& request);
  // The caller's tenant's webhooks by id, with their delivery state.
  absl::StatusOr<opinia::v1::ListWebhooksResponse> List(
      const Principal& caller, const opinia::v1::ListWebhooksRequest& request);
  // Deletes the webhook and its queued deliveries; an attempt in flight may
  // still reach the receiver once. NOT_FOUND across tenants.
  absl::StatusOr<opinia::v1::DeleteResponse> Delete(
      const Principal& caller, const opinia::v1::DeleteWebhookRequest& request);

 private:
  storage::Store* store_;
  const Clock* clock_;
  const OutboundPolicy* outbound_;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_ALERTS_WEBHOOKS_H_
