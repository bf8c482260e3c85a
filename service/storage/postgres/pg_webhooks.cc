#include "service/storage/postgres/pg_webhooks.h"

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace opinia::storage::pg {

absl::StatusOr<int64_t> PgWebhooks::InsertWebhook(const WebhookRow& row) {
  return NotImplemented("WebhookTxn::InsertWebhook");
}

absl::StatusOr<WebhookRow> PgWebhooks::GetWebhook(std::string_view tenant_id,
                                                  int64_t id) {
  return absl::NotFoundError(absl::StrCat("webhook ", id, " not found"));
}

absl::StatusOr<std::vector<WebhookRow>> PgWebhooks::ListWebhooks(
    std::string_view tenant_id, int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return std::vector<WebhookRow>();
}

absl::StatusOr<std::vector<WebhookRow>> PgWebhooks::ListAllWebhooks(
    int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return std::vector<WebhookRow>();
}

absl::StatusOr<int64_t> PgWebhooks::CountWebhooks(std::string_view tenant_id) {
  return 0;
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
  return absl::NotFoundError(absl::StrCat("delivery ", id, " not found"));
}

absl::Status PgWebhooks::UpdateDelivery(const DeliveryRow& row) {
  return NotImplemented("WebhookTxn::UpdateDelivery");
}

absl::StatusOr<std::vector<DeliveryRow>> PgWebhooks::ListDueDeliveries(
    absl::Time now, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return std::vector<DeliveryRow>();
}

absl::StatusOr<std::vector<DeliveryRow>> PgWebhooks::ListDueDeliveriesExcept(
    absl::Time now, int limit, const std::vector<int64_t>& skip_webhooks) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return std::vector<DeliveryRow>();
}

absl::StatusOr<std::vector<DeliveryRow>> PgWebhooks::ListDeliveries(
    int64_t webhook_id, int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return std::vector<DeliveryRow>();
}

absl::StatusOr<DeliveryStats> PgWebhooks::GetDeliveryStats(int64_t webhook_id) {
  return DeliveryStats{};
}

}  // namespace opinia::storage::pg
