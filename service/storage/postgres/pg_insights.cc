#include "service/storage/postgres/pg_insights.h"

namespace opinia::storage::pg {

absl::StatusOr<std::vector<DayStats>> PgInsights::ListDayStats(
    std::string_view tenant_id, const ReviewFilter& filter, int64_t first_day,
    int64_t end_day) {
  return NotImplemented("InsightsTxn::ListDayStats");
}

absl::StatusOr<std::vector<AspectStats>> PgInsights::ListDayAspectStats(
    std::string_view tenant_id, const ReviewFilter& filter, int64_t first_day,
    int64_t end_day) {
  return NotImplemented("InsightsTxn::ListDayAspectStats");
}

absl::StatusOr<ReviewStats> PgInsights::SumReviewStats(
    std::string_view tenant_id, const ReviewFilter& filter) {
  return NotImplemented("InsightsTxn::SumReviewStats");
}

absl::StatusOr<std::vector<AspectStats>> PgInsights::SumAspectStats(
    std::string_view tenant_id, const ReviewFilter& filter) {
  return NotImplemented("InsightsTxn::SumAspectStats");
}

absl::StatusOr<std::vector<int64_t>> PgInsights::ListResponseDelays(
    std::string_view tenant_id, const ReviewFilter& filter) {
  return NotImplemented("InsightsTxn::ListResponseDelays");
}

absl::StatusOr<std::vector<int64_t>> PgInsights::ListDelayBuckets() {
  return NotImplemented("InsightsTxn::ListDelayBuckets");
}

absl::StatusOr<std::vector<BucketCount>> PgInsights::ListMonthResponseCounts(
    std::string_view tenant_id, const ReviewFilter& filter, int64_t first_month,
    int64_t end_month) {
  return NotImplemented("InsightsTxn::ListMonthResponseCounts");
}

absl::StatusOr<std::vector<BucketCount>> PgInsights::SumResponseCounts(
    std::string_view tenant_id, const ReviewFilter& filter) {
  return NotImplemented("InsightsTxn::SumResponseCounts");
}

absl::StatusOr<std::vector<int64_t>> PgInsights::ListResponseDelaysBetween(
    std::string_view tenant_id, const ReviewFilter& filter, int64_t lo,
    int64_t hi, int64_t offset, int limit) {
  return NotImplemented("InsightsTxn::ListResponseDelaysBetween");
}

absl::StatusOr<int64_t> PgInsights::CountOpenSla(std::string_view tenant_id,
                                                 const ReviewFilter& filter,
                                                 absl::Time now) {
  return NotImplemented("InsightsTxn::CountOpenSla");
}

absl::StatusOr<std::vector<AspectMention>> PgInsights::ListAspectMentions(
    std::string_view tenant_id, const ReviewFilter& filter, int32_t aspect,
    int32_t label, bool ascending, int limit) {
  return NotImplemented("InsightsTxn::ListAspectMentions");
}

absl::Status PgInsights::OnReviewWritten(int64_t id,
                                         const PgStoredReview* before,
                                         const PgStoredReview& after) {
  return absl::OkStatus();
}

}  // namespace opinia::storage::pg
