// InsightsTxn (insights_store.h) over the connection of one PgTxn.
// Not written yet (another part of issue 18): every method returns
// UNIMPLEMENTED (empty answers would contradict the stored reviews).
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_INSIGHTS_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_INSIGHTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/storage/insights_store.h"
#include "service/storage/postgres/pg_txn_part.h"
#include "service/storage/store.h"

namespace opinia::storage::pg {

// A review as PgTxn stored it, with its local day (reviews.local_day).
struct PgStoredReview {
  const ReviewRow& row;
  int64_t local_day = 0;
};

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
  // empty there. Nothing to do until the rollups are written.
  absl::Status OnReviewWritten(int64_t id, const PgStoredReview* before,
                               const PgStoredReview& after);
};

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_INSIGHTS_H_
