// WebhookTxn (webhook_store.h) over the connection of one SqliteTxn.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_WEBHOOKS_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_WEBHOOKS_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "service/storage/sqlite/connection.h"
#include "service/storage/webhook_store.h"

namespace opinia::storage::sqlite {

// The schema (tables webhooks and webhook_deliveries) is a migration in
// migrations.cc.
class SqliteWebhooks final : public WebhookTxn, private TxnPart {
 public:
  using TxnPart::TxnPart;

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
  absl::StatusOr<std::vector<DeliveryRow>> ListDeliveries(
      int64_t webhook_id, int64_t after_id, int limit) override;
  absl::StatusOr<DeliveryStats> GetDeliveryStats(int64_t webhook_id) override;

 private:
  // Inserts `row`; std::nullopt when `if_absent` and the delivery exists.
  absl::StatusOr<std::optional<int64_t>> AddDelivery(const DeliveryRow& row,
                                                     bool if_absent);
  absl::StatusOr<std::vector<DeliveryRow>> ReadDeliveries(Statement& stmt);
};

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_WEBHOOKS_H_
