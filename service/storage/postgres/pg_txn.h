// Txn over one PostgreSQL connection with an open transaction. Created by
// PgStore for the duration of one Read/Write function. The base rows
// (tenants, API keys, reviews and their aspects and full-text index, audit)
// are here; each sub-interface is a part in its own files (pg_alerts.h,
// pg_webhooks.h, pg_collectors.h, pg_insights.h) on the same connection.
//
// Codes (in addition to store.h): INVALID_ARGUMENT for limit <= 0;
// FAILED_PRECONDITION for a mutating call in a read-only transaction,
// checked before anything is sent; see pg_connection.h for the mapping of
// server errors.
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_TXN_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_TXN_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "service/storage/postgres/pg_alerts.h"
#include "service/storage/postgres/pg_collectors.h"
#include "service/storage/postgres/pg_insights.h"
#include "service/storage/postgres/pg_leases.h"
#include "service/storage/postgres/pg_replies.h"
#include "service/storage/postgres/pg_txn_part.h"
#include "service/storage/postgres/pg_webhooks.h"
#include "service/storage/store.h"

namespace opinia::storage::pg {

class PgTxn final : public Txn, private PgTxnPart {
 public:
  explicit PgTxn(const PgTxnContext& context)
      : PgTxnPart(context),
        alerts_(context),
        webhooks_(context),
        collectors_(context),
        insights_(context),
        leases_(context),
        replies_(context) {}

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

  // pg_notify on the database's tenant channel (TenantChannelSql): sent by
  // PostgreSQL at COMMIT to every listening store, never on ROLLBACK, and
  // one transaction's duplicates are folded into one.
  absl::Status NotifyTenant(std::string_view tenant_id) override;

  // Run by PgStore after the function of a Write returned OK, just before
  // COMMIT: applies what the parts deferred (the insights rollups).
  absl::Status BeforeCommit() { return insights_.FlushRollups(); }

 private:
  // The local day of row.create_time in its tenant's zone (0 for an
  // infinite time); NOT_FOUND for an unknown tenant.
  absl::StatusOr<int64_t> LocalDayOf(const ReviewRow& row);
  // Inserts `row`; std::nullopt when `if_absent` and its identity is stored
  // already (nothing changed).
  absl::StatusOr<std::optional<int64_t>> AddReview(const ReviewRow& row,
                                                   bool if_absent);
  // After review `id` was updated from `before`: its review_aspects rows
  // and the insights part's rollups. (An insert writes its aspect rows in
  // its own statement.)
  absl::Status IndexUpdatedReview(int64_t id, const PgStoredReview& before,
                                  const ReviewRow& after, int64_t local_day);

  PgAlerts alerts_;
  PgWebhooks webhooks_;
  PgCollectors collectors_;
  PgInsights insights_;
  PgLeases leases_;
  PgReplies replies_;
};

// A SQL expression for the NOTIFY channel of the stores on this schema
// (several schemas of one database must not hear each other): a fixed
// prefix and the md5 of current_schema(), well inside the 63 bytes a
// channel name may have.
inline constexpr char kTenantChannelSql[] =
    "'opinia_' || md5(current_schema())";

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_TXN_H_
