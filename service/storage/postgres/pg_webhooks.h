// WebhookTxn (webhook_store.h) over the connection of one PgTxn.
// Not written yet (another part of issue 18): its reads answer as for a
// database where nothing of it was ever stored (empty lists, 0, NOT_FOUND,
// defaults), which is true while its writes return UNIMPLEMENTED.
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_WEBHOOKS_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_WEBHOOKS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/storage/postgres/pg_txn_part.h"
#include "service/storage/webhook_store.h"

namespace opinia::storage::pg {

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
};

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_WEBHOOKS_H_
