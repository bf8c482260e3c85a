// Txn over one SQLite connection with an open transaction. Created by
// SqliteStore for the duration of one Read/Write function.
//
// Codes (in addition to store.h): INVALID_ARGUMENT for limit <= 0;
// FAILED_PRECONDITION for a mutating call in a read-only transaction;
// UNAVAILABLE when the database is locked by another process.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_TXN_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_TXN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/storage/sqlite/connection.h"
#include "service/storage/sqlite/sqlite_insights.h"
#include "service/storage/sqlite/sqlite_alerts.h"
#include "service/storage/sqlite/sqlite_webhooks.h"
#include "service/storage/sqlite/sqlite_collectors.h"
#include "service/storage/sqlite/sqlite_leases.h"
#include "service/storage/sqlite/sqlite_replies.h"
#include "service/storage/store.h"

namespace opinia::storage::sqlite {

class SqliteTxn final : public Txn, private TxnPart {
 public:
  // NotifyTenant appends to `notifications` (the store delivers them after
  // the commit); nullptr in a read-only transaction.
  SqliteTxn(Connection& conn, bool read_only,
            std::vector<std::string>* notifications = nullptr)
      : TxnPart(conn, read_only),
        alerts_(conn, read_only),
        insights_(conn),
        webhooks_(conn, read_only),
        collectors_(conn, read_only),
        leases_(conn, read_only),
        replies_(conn, read_only),
        notifications_(notifications) {}

  absl::Status InsertTenant(const TenantRow& row) override;
  absl::StatusOr<TenantRow> GetTenant(std::string_view id) override;
  absl::StatusOr<std::vector<TenantRow>> ListTenants(std::string_view after_id,
                                                     int limit) override;

  absl::Status InsertApiKey(const ApiKeyRow& row) override;
  absl::StatusOr<ApiKeyRow> GetApiKey(std::string_view id) override;
  absl::StatusOr<ApiKeyRow> GetApiKeyByHash(
      std::string_view secret_hash) override;
  absl::StatusOr<std::vector<ApiKeyRow>> ListApiKeys(
      std::optional<std::string_view> tenant_id, std::string_view after_id,
      int limit) override;
  absl::Status RevokeApiKey(std::string_view id) override;
  absl::StatusOr<int64_t> CountApiKeys() override;

  absl::StatusOr<std::optional<ReviewRow>> FindReview(
      std::string_view tenant_id, std::string_view source,
      std::string_view external_id) override;
  absl::StatusOr<ReviewRow> GetReview(std::string_view tenant_id,
                                      int64_t id) override;
  absl::StatusOr<int64_t> InsertReview(const ReviewRow& row) override;
  absl::StatusOr<InsertOrFindResult> InsertOrFindReview(
      const ReviewRow& row) override;
  absl::Status UpdateReview(const ReviewRow& row) override;
  absl::StatusOr<std::vector<ReviewRow>> ListReviews(
      std::string_view tenant_id, const ReviewFilter& filter,
      const std::optional<ReviewCursor>& after, int limit) override;
  absl::StatusOr<int64_t> CountReviews(std::string_view tenant_id,
                                       const ReviewFilter& filter) override;

  absl::StatusOr<int64_t> InsertAudit(const AuditRow& row) override;
  absl::StatusOr<std::vector<AuditRow>> ListAudit(
      std::string_view tenant_id, std::string_view target) override;

  AlertTxn& alerts() override { return alerts_; }
  WebhookTxn& webhooks() override { return webhooks_; }

  InsightsTxn& insights() override { return insights_; }
  CollectorTxn& collectors() override { return collectors_; }
  LeaseTxn& leases() override { return leases_; }
  ReplyTxn& replies() override { return replies_; }
  absl::Status NotifyTenant(std::string_view tenant_id) override;

 private:
  // Runs an INSERT or UPDATE of reviews; on failure also forgets what its
  // triggers deferred.
  absl::Status RunReviewWrite(Statement& stmt);
  // Inserts `row`; std::nullopt when `if_absent` and its identity is stored
  // already (nothing changed).
  absl::StatusOr<std::optional<int64_t>> AddReview(const ReviewRow& row,
                                                   bool if_absent);
  // What the insert triggers did before migration 9, for the new row `id`.
  absl::Status LogInsertedReview(int64_t id, const ReviewRow& row);
  absl::StatusOr<std::vector<ApiKeyRow>> ReadKeys(Statement& stmt);

  SqliteAlerts alerts_;
  SqliteInsights insights_;
  SqliteWebhooks webhooks_;
  SqliteCollectors collectors_;
  SqliteLeases leases_;
  SqliteReplies replies_;
  std::vector<std::string>* const notifications_;
};

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_TXN_H_
