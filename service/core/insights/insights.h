// Dashboards (InsightsService): reputation summary, trends and aspects of
// one tenant's reviews, over a filter (sources, subject_ids, languages; each
// a list of alternatives, the three ANDed) and a time range on create_time
// [start_time, end_time) (unset: unbounded).
//
// How answers are computed, exactly (no sampling, no approximation):
// - Whole local days of the tenant's time zone (default Europe/Warsaw) come
//   from rollups maintained by the store in the same transaction as every
//   change of a review (storage/rollup_cells.h). The partial days
//   at either end of a range that is not aligned to local midnights are
//   summed from the reviews themselves (at most two partial days).
// - Median time to first response: exact, the median of the response
//   delays of the responded reviews in range (InsightsStore: from the later
//   of create_time and ingest_time, or from create_time for a response
//   recorded before ingest_time; clamped at 0), read from a partial index;
//   with an even count, the mean of the two middle values.
//   The stored response is the last one recorded (RecordResponse replaces
//   it), so "first" means the response on record.
// - SLAs count reviews in range with a deadline (urgency respond_by; P1..P4):
//   open = no response, status NEW/ACKNOWLEDGED, deadline after now;
//   breached = the deadline passed without a response (status NEW or
//   ACKNOWLEDGED), or the response came after it. Reviews resolved without
//   a response count as neither.
// - Sentiment counts use the effective label (a human override wins); net
//   sentiment = (positive - negative) / review_count; response rate =
//   responded / review_count; average rating over rated reviews only.
// - Aspects count mentions (one per review and aspect) by the aspect's own
//   sentiment label; reviews stored before the insights migration have no
//   aspect rows until re-analysed.
// Deleted reviews never count.
//
// Every call first authorizes `caller` (auth/authorization.h:
// PERMISSION_DENIED) and reads the caller's tenant.
//
// Codes: INVALID_ARGUMENT naming the field (start_time/end_time, interval,
// sources/subject_ids/languages, too many buckets); NOT_FOUND for an unknown
// tenant; UNAVAILABLE/INTERNAL from storage.
#ifndef OPINIA_SERVICE_CORE_INSIGHTS_INSIGHTS_H_
#define OPINIA_SERVICE_CORE_INSIGHTS_INSIGHTS_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "opinia/v1/insights.pb.h"
#include "service/core/auth/auth.h"
#include "service/core/util/clock.h"
#include "service/storage/store.h"

namespace opinia::core {

inline constexpr int kMaxTrendPoints = 1000;
inline constexpr int kMaxFilterValues = 100;
inline constexpr int kQuotesPerSide = 3;

// Thread-safe and immutable; `store` and `clock` must outlive it.
class Insights {
 public:
  enum class Mode {
    kRollups,   // production: rollups for whole days, rows for the edges
    kRowsOnly,  // every number from the review rows (the property tests'
                // reference; slow on big tenants)
  };

  Insights(storage::Store* store, const Clock* clock,
           Mode mode = Mode::kRollups)
      : store_(store), clock_(clock), mode_(mode) {}

  absl::StatusOr<opinia::v1::ReputationSummary> Summary(
      const Principal& caller,
      const opinia::v1::SummaryRequest& request) const;

  // One point per DAY/WEEK (Monday)/MONTH bucket of local time that
  // intersects the range, in order, empty buckets as zeros; a point's
  // start_time is its bucket's local start and its numbers cover the bucket
  // within the range. Points fill review_count, average_rating,
  // rating_counts, the sentiment counts, net_sentiment and response_rate.
  // Unset end_time = now; unset start_time = 30 days, 12 weeks or 12 months
  // back. At most kMaxTrendPoints points.
  absl::StatusOr<opinia::v1::Trends> Trends(
      const Principal& caller,
      const opinia::v1::TrendsRequest& request) const;

  // Every aspect (PRODUCT_QUALITY..PACKAGING, in enum order) with its
  // mention counts by label and up to kQuotesPerSide quotes (the evidence
  // span of the text) of the lowest-scored NEGATIVE and the highest-scored
  // POSITIVE mentions in range.
  absl::StatusOr<opinia::v1::ListAspectInsightsResponse> AspectInsights(
      const Principal& caller,
      const opinia::v1::SummaryRequest& request) const;

 private:
  storage::Store* store_;
  const Clock* clock_;
  const Mode mode_;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_INSIGHTS_INSIGHTS_H_
