#include "service/storage/postgres/pg_webhooks.h"

namespace opinia::storage::pg {

absl::StatusOr<int64_t> PgWebhooks::InsertWebhook(const WebhookRow& row) {
  return NotImplemented("WebhookTxn::InsertWebhook");
}

absl::StatusOr<WebhookRow> PgWebhooks::GetWebhook(std::string_view tenant_id,
                                                  int64_t id) {
  return NotImplemented("WebhookTxn::GetWebhook");
}

absl::StatusOr<std::vector<WebhookRow>> PgWebhooks::ListWebhooks(
    std::string_view tenant_id, int64_t after_id, int limit) {
  return NotImplemented("WebhookTxn::ListWebhooks");
}

absl::StatusOr<std::vector<WebhookRow>> PgWebhooks::ListAllWebhooks(
    int64_t after_id, int limit) {
  return NotImplemented("WebhookTxn::ListAllWebhooks");
}

absl::StatusOr<int64_t> PgWebhooks::CountWebhooks(std::string_view tenant_id) {
  return NotImplemented("WebhookTxn::CountWebhooks");
}

absl::Status PgWebhooks::DeleteWebhook(std::string_view tenant_id, int64_t id) {
  return NotImplemented("WebhookTxn::DeleteWebhook");
}

absl::Status PgWebhooks::SetWebhookCursor(int64_t id, int64_t cursor) {
  return NotImplemented("WebhookTxn::SetWebhookCursor");
}

absl::Status PgWebhooks::SetWebhookSecret(std::string_view tenant_id,
                                          int64_t id, std::string_view secret) {
  return NotImplemented("WebhookTxn::SetWebhookSecret");
}

absl::StatusOr<int64_t> PgWebhooks::InsertDelivery(const DeliveryRow& row) {
  return NotImplemented("WebhookTxn::InsertDelivery");
}

absl::StatusOr<std::optional<int64_t>> PgWebhooks::InsertDeliveryIfAbsent(
    const DeliveryRow& row) {
  return NotImplemented("WebhookTxn::InsertDeliveryIfAbsent");
}

absl::StatusOr<DeliveryRow> PgWebhooks::GetDelivery(int64_t id) {
  return NotImplemented("WebhookTxn::GetDelivery");
}

absl::Status PgWebhooks::UpdateDelivery(const DeliveryRow& row) {
  return NotImplemented("WebhookTxn::UpdateDelivery");
}

absl::StatusOr<std::vector<DeliveryRow>> PgWebhooks::ListDueDeliveries(
    absl::Time now, int limit) {
  return NotImplemented("WebhookTxn::ListDueDeliveries");
}

absl::StatusOr<std::vector<DeliveryRow>> PgWebhooks::ListDueDeliveriesExcept(
    absl::Time now, int limit, const std::vector<int64_t>& skip_webhooks) {
  return NotImplemented("WebhookTxn::ListDueDeliveriesExcept");
}

absl::StatusOr<std::vector<DeliveryRow>> PgWebhooks::ListDeliveries(
    int64_t webhook_id, int64_t after_id, int limit) {
  return NotImplemented("WebhookTxn::ListDeliveries");
}

absl::StatusOr<DeliveryStats> PgWebhooks::GetDeliveryStats(int64_t webhook_id) {
  return NotImplemented("WebhookTxn::GetDeliveryStats");
}

}  // namespace opinia::storage::pg
