// InsightsTxn (insights_store.h) over the connection of one SqliteTxn.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_INSIGHTS_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_INSIGHTS_H_

#include <string_view>
#include <vector>

#include "service/storage/insights_store.h"
#include "service/storage/sqlite/connection.h"

namespace opinia::storage::sqlite {

class SqliteInsights final : public InsightsTxn {
 public:
  explicit SqliteInsights(Connection& conn) : conn_(conn) {}

  absl::StatusOr<std::vector<DayStats>> ListDayStats(
      std::string_view tenant_id, const ReviewFilter& filter,
      int64_t first_day, int64_t end_day) override;
  absl::StatusOr<std::vector<AspectStats>> ListDayAspectStats(
      std::string_view tenant_id, const ReviewFilter& filter,
      int64_t first_day, int64_t end_day) override;
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

 private:
  Connection& conn_;
};

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_INSIGHTS_H_
