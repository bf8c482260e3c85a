// Storage side of InsightsService: rollup reads and the exact (row-level)
// computations the rollups are checked against and complete. Reached through
// Txn::insights(), inside the caller's transaction.
//
// Semantics shared by rollups and row queries (see
// rollup_cells.h): only non-deleted reviews count; a review is
// "responded" when a response is recorded (response_time set); "pending"
// when it has a deadline (respond_by), no response and status NEW or
// ACKNOWLEDGED; "late" when responded after its deadline.
//
// Filters: only sources, subject_ids, languages, start_time and end_time of
// ReviewFilter are used (create_time in [start, end)); other fields are
// ignored. Days are local day numbers (local_time.h) of the tenant's zone.
#ifndef OPINIA_SERVICE_STORAGE_INSIGHTS_STORE_H_
#define OPINIA_SERVICE_STORAGE_INSIGHTS_STORE_H_

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace opinia::storage {

struct ReviewFilter;

struct ReviewStats {
  int64_t count = 0;
  std::array<int64_t, 5> ratings{};  // [0] = 1 star; unrated count nowhere
  std::array<int64_t, 5> labels{};   // by opinia.v1.SentimentLabel 0..4
  int64_t responded = 0;
  int64_t sla_pending = 0;
  int64_t sla_late = 0;

  void Add(const ReviewStats& o) {
    count += o.count;
    for (int i = 0; i < 5; ++i) {
      ratings[i] += o.ratings[i];
      labels[i] += o.labels[i];
    }
    responded += o.responded;
    sla_pending += o.sla_pending;
    sla_late += o.sla_late;
  }
  bool operator==(const ReviewStats& o) const {
    return count == o.count && ratings == o.ratings && labels == o.labels &&
           responded == o.responded && sla_pending == o.sla_pending &&
           sla_late == o.sla_late;
  }
};

struct DayStats {
  int64_t day = 0;
  ReviewStats stats;
};

// Mentions of one aspect by aspect label (opinia.v1.SentimentLabel 0..4).
struct AspectStats {
  int64_t day = 0;  // only set by ListDayAspectStats
  int32_t aspect = 0;
  std::array<int64_t, 5> labels{};
};

// Responded reviews in one response delay bucket.
struct BucketCount {
  int64_t lo = 0;  // the bucket's lower bound, microseconds
  int64_t count = 0;
  bool operator==(const BucketCount& o) const {
    return lo == o.lo && count == o.count;
  }
};

// One aspect of one review (a row of review_aspects).
struct AspectMention {
  int64_t review_id = 0;
  int32_t aspect = 0;
  int32_t label = 0;
  float score = 0;
  int32_t begin = 0;  // evidence span, byte offsets into the review's text
  int32_t end = 0;
};

// Codes as in store.h: INVALID_ARGUMENT for a `limit` <= 0 (or a negative
// `offset`), UNAVAILABLE, INTERNAL.
class InsightsTxn {
 public:
  virtual ~InsightsTxn() = default;

  // Rollups of local days [first_day, end_day), one entry per day with
  // data, ascending. start_time/end_time of `filter` are ignored.
  virtual absl::StatusOr<std::vector<DayStats>> ListDayStats(
      std::string_view tenant_id, const ReviewFilter& filter,
      int64_t first_day, int64_t end_day) = 0;
  // Aspect rollups of local days [first_day, end_day), by (day, aspect);
  // entries whose counts are all zero may appear.
  virtual absl::StatusOr<std::vector<AspectStats>> ListDayAspectStats(
      std::string_view tenant_id, const ReviewFilter& filter,
      int64_t first_day, int64_t end_day) = 0;

  // The same sums computed from the reviews (and review_aspects) rows with
  // create_time in [filter.start_time, filter.end_time).
  virtual absl::StatusOr<ReviewStats> SumReviewStats(
      std::string_view tenant_id, const ReviewFilter& filter) = 0;
  virtual absl::StatusOr<std::vector<AspectStats>> SumAspectStats(
      std::string_view tenant_id, const ReviewFilter& filter) = 0;

  // The response delay (below) of every responded review in range,
  // unordered.
  virtual absl::StatusOr<std::vector<int64_t>> ListResponseDelays(
      std::string_view tenant_id, const ReviewFilter& filter) = 0;

  // Response delay histograms. A responded review's delay, in microseconds,
  // runs from when the shop could first answer it in Opinia to its
  // response: response_time - max(create_time, ingest_time), or
  // response_time - create_time for a response recorded before ingest_time
  // (imported history that carried the reply); clamped at 0. Its bucket is
  // the last of these lower bounds (ascending, the first is 0) not above
  // the delay.
  virtual absl::StatusOr<std::vector<int64_t>> ListDelayBuckets() = 0;
  // Responded reviews by bucket (ascending lower bound, no zero counts)
  // over the local months starting at local days [first_month, end_month),
  // from rollups. start_time/end_time of `filter` are ignored.
  virtual absl::StatusOr<std::vector<BucketCount>> ListMonthResponseCounts(
      std::string_view tenant_id, const ReviewFilter& filter,
      int64_t first_month, int64_t end_month) = 0;
  // The same counts computed from the rows in [start_time, end_time).
  virtual absl::StatusOr<std::vector<BucketCount>> SumResponseCounts(
      std::string_view tenant_id, const ReviewFilter& filter) = 0;
  // Ascending response delays of the responded reviews in range with the
  // delay in [lo, hi), skipping the first `offset`, at most `limit`. Reads
  // an index ordered by delay, so the cost is the number of reviews in
  // [lo, hi) over all time.
  virtual absl::StatusOr<std::vector<int64_t>> ListResponseDelaysBetween(
      std::string_view tenant_id, const ReviewFilter& filter, int64_t lo,
      int64_t hi, int64_t offset, int limit) = 0;
  // Pending reviews in range whose deadline is after `now`.
  virtual absl::StatusOr<int64_t> CountOpenSla(std::string_view tenant_id,
                                               const ReviewFilter& filter,
                                               absl::Time now) = 0;

  // Up to `limit` mentions of `aspect` with aspect label `label` in range,
  // lowest score first (`ascending`) or highest first; ties by review id.
  virtual absl::StatusOr<std::vector<AspectMention>> ListAspectMentions(
      std::string_view tenant_id, const ReviewFilter& filter, int32_t aspect,
      int32_t label, bool ascending, int limit) = 0;
};

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_INSIGHTS_STORE_H_
