// InsightsTxn (insights_store.h) over the connection of one PgTxn: the
// rollup reads sum the shards of each cell (pg_rollups.h), the row
// computations read reviews and review_aspects through partial indexes of
// migrations/003_insights.sql; the rollups follow every review write
// (OnReviewWritten) and are written once, before COMMIT (FlushRollups).
//
// Call the reads in Store::Read: inside a Write (SERIALIZABLE) they take
// predicate locks on the rows and index ranges they read, so concurrent
// ingest into those ranges may make one of the transactions retry.
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_INSIGHTS_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_INSIGHTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/storage/insights_store.h"
#include "service/storage/postgres/pg_rollups.h"
#include "service/storage/postgres/pg_txn_part.h"
#include "service/storage/store.h"

namespace opinia::storage::pg {

class PgInsights final : public InsightsTxn, private PgTxnPart {
 public:
  using PgTxnPart::PgTxnPart;

  absl::StatusOr<std::vector<DayStats>> ListDayStats(std::string_view tenant_id,
                                                     const ReviewFilter& filter,
                                                     int64_t first_day,
                                                     int64_t end_day) override;
  absl::StatusOr<std::vector<AspectStats>> ListDayAspectStats(
      std::string_view tenant_id, const ReviewFilter& filter, int64_t first_day,
      int64_t end_day) override;
  absl::StatusOr<ReviewStats> SumReviewStats(
      std::string_view tenant_id, const ReviewFilter& filter) override;
  absl::StatusOr<std::vector<AspectStats>> SumAspectStats(
      std::string_view tenant_id, const ReviewFilter& filter) override;
  absl::StatusOr<std::vector<int64_t>> ListResponseDelays(
      std::string_view tenant_id, const ReviewFilter& filter) override;
  absl::StatusOr<std::vector<int64_t>> ListDelayBuckets() override;
  absl::StatusOr<std::vector<BucketCount>> ListMonthResponseCounts(
      std::string_view tenant_id, const ReviewFilter& filter,
      int64_t first_month, int64_t end_month) override;
  absl::StatusOr<std::vector<BucketCount>> SumResponseCounts(
      std::string_view tenant_id, const ReviewFilter& filter) override;
  absl::StatusOr<std::vector<int64_t>> ListResponseDelaysBetween(
      std::string_view tenant_id, const ReviewFilter& filter, int64_t lo,
      int64_t hi, int64_t offset, int limit) override;
  absl::StatusOr<int64_t> CountOpenSla(std::string_view tenant_id,
                                       const ReviewFilter& filter,
                                       absl::Time now) override;
  absl::StatusOr<std::vector<AspectMention>> ListAspectMentions(
      std::string_view tenant_id, const ReviewFilter& filter, int32_t aspect,
      int32_t label, bool ascending, int limit) override;

  // Called by PgTxn in the same transaction after each write of a review
  // (review_aspects is up to date already), so the rollups can follow the
  // rows: `before` is nullptr for an insert, else the review's old values:
  // every column except content_hash, input_hash, the serialized blobs
  // (input, analysis, override_analysis) and search_text, which read as
  // empty there. Records the review's rollup deltas (pg_rollups.h).
  absl::Status OnReviewWritten(int64_t id, const PgStoredReview* before,
                               const PgStoredReview& after);
  // Just before COMMIT: adds the recorded deltas to the rollups.
  absl::Status FlushRollups() { return rollups_.Flush(conn_); }

 private:
  PgRollups rollups_;
};

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_INSIGHTS_H_
