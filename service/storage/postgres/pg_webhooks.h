// WebhookTxn (webhook_store.h) over the connection of one PgTxn.
//
// Delivery ids are in commit order per webhook, like alert event ids
// (pg_alerts.h): ListDeliveries(webhook, after the last id seen) misses
// none. Before drawing a delivery id, a transaction takes the
// transaction-level advisory lock (kDeliveryLockClass, this schema and the
// webhook's id) and holds it until it commits, so deliveries of one
// webhook commit in id order; deliveries of different webhooks do not
// wait for each other. A transaction that writes alerts and deliveries
// takes the outbox lock first (core queues deliveries of committed events
// only, in transactions that write no alert); were two transactions ever
// to wait for each other's locks, PostgreSQL detects the deadlock and
// Write runs one of them again (ABORTED).
//
// Conflict-free statements: InsertDelivery and InsertDeliveryIfAbsent are
// one INSERT ... SELECT FROM webhooks ... ON CONFLICT DO NOTHING, so
// neither a queued event (ALREADY_EXISTS / std::nullopt) nor an unknown
// webhook (NOT_FOUND) fails a statement; the transaction goes on. Deleting
// a webhook deletes its deliveries (ON DELETE CASCADE).
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_WEBHOOKS_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_WEBHOOKS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/storage/postgres/pg_tenant_rows.h"
#include "service/storage/postgres/pg_txn_part.h"
#include "service/storage/webhook_store.h"

namespace opinia::storage::pg {

// First key of a webhook's delivery lock ("opnd"); the second is the hash
// of the schema and the webhook id.
inline constexpr int32_t kDeliveryLockClass = 0x6f706e64;

class PgWebhooks final : public WebhookTxn, private PgTxnPart {
 public:
  using PgTxnPart::PgTxnPart;

  absl::StatusOr<int64_t> InsertWebhook(const WebhookRow& row) override;
  absl::StatusOr<WebhookRow> GetWebhook(std::string_view tenant_id,
                                        int64_t id) override;
  absl::StatusOr<std::vector<WebhookRow>> ListWebhooks(
      std::string_view tenant_id, int64_t after_id, int limit) override;
  absl::StatusOr<std::vector<WebhookRow>> ListAllWebhooks(int64_t after_id,
                                                          int limit) override;
  absl::StatusOr<int64_t> CountWebhooks(std::string_view tenant_id) override;
  absl::Status DeleteWebhook(std::string_view tenant_id, int64_t id) override;
  absl::Status SetWebhookCursor(int64_t id, int64_t cursor) override;
  absl::Status SetWebhookSecret(std::string_view tenant_id, int64_t id,
                                std::string_view secret) override;
  absl::StatusOr<int64_t> InsertDelivery(const DeliveryRow& row) override;
  absl::StatusOr<std::optional<int64_t>> InsertDeliveryIfAbsent(
      const DeliveryRow& row) override;
  absl::StatusOr<DeliveryRow> GetDelivery(int64_t id) override;
  absl::Status UpdateDelivery(const DeliveryRow& row) override;
  absl::StatusOr<std::vector<DeliveryRow>> ListDueDeliveries(
      absl::Time now, int limit) override;
  absl::StatusOr<std::vector<DeliveryRow>> ListDueDeliveriesExcept(
      absl::Time now, int limit,
      const std::vector<int64_t>& skip_webhooks) override;
  absl::StatusOr<std::vector<DeliveryRow>> ListDeliveries(int64_t webhook_id,
                                                          int64_t after_id,
                                                          int limit) override;
  absl::StatusOr<DeliveryStats> GetDeliveryStats(int64_t webhook_id) override;

 private:
  // Inserts the delivery unless (webhook_id, event_id) is queued already
  // (std::nullopt); NOT_FOUND for an unknown webhook.
  absl::StatusOr<std::optional<int64_t>> AddDelivery(const DeliveryRow& row);

  CommitOrderLocks locks_;
};

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_WEBHOOKS_H_
