// The sort keys of the inbox orders of ListReviews (ReviewOrder::kUrgency
// and kRespondBy, store.h), written once for every backend: as SQL over the
// columns of `reviews` (the same text is valid in SQLite and PostgreSQL)
// and in C++ for the values of a cursor.
//
// The backends index exactly these expressions (SQLite as the generated
// columns urgency_rank and due_time of migration 13, PostgreSQL as the
// expressions of the indexes of migrations/006_inbox_order.sql), and a
// planner matches an index expression only when the query spells it the
// same way: change nothing here without a migration.
#ifndef OPINIA_SERVICE_STORAGE_REVIEW_ORDER_H_
#define OPINIA_SERVICE_STORAGE_REVIEW_ORDER_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "service/storage/store.h"
#include "service/storage/time_micros.h"

namespace opinia::storage {

// P1..P4 and NONE (1..5) keep their numbers; unspecified (0: no analysis)
// sorts after them.
inline constexpr char kUrgencyRankSql[] =
    "CASE WHEN priority = 0 THEN 6 ELSE priority END";
// The deadline in stored microseconds; none (InfinitePast, INT64_MIN)
// sorts after every deadline.
inline constexpr char kDueTimeSql[] =
    "CASE WHEN respond_by = -9223372036854775808 THEN 9223372036854775807 "
    "ELSE respond_by END";

inline int64_t UrgencyRank(int32_t priority) {
  return priority == 0 ? 6 : priority;
}

inline int64_t DueTime(absl::Time respond_by) {
  return respond_by == absl::InfinitePast()
             ? std::numeric_limits<int64_t>::max()
             : TimeToMicros(respond_by);
}

// The lowest and highest rank of `priorities` (not empty): a range an index
// ordered by rank walks in order, while the exact list is tested per row.
inline std::pair<int64_t, int64_t> UrgencyRankRange(
    const std::vector<int32_t>& priorities) {
  int64_t lo = std::numeric_limits<int64_t>::max();
  int64_t hi = std::numeric_limits<int64_t>::min();
  for (int32_t p : priorities) {
    lo = std::min(lo, UrgencyRank(p));
    hi = std::max(hi, UrgencyRank(p));
  }
  return {lo, hi};
}

// Whether the rank range of `priorities` (not empty) holds exactly the
// reviews of those priorities: all are P1..NONE (1..5, where rank equals
// priority) and together fill the range without a gap.
inline bool RankRangeIsExact(const std::vector<int32_t>& priorities) {
  const auto [lo, hi] = UrgencyRankRange(priorities);
  if (lo < 1 || hi > 5) return false;
  for (int64_t r = lo; r <= hi; ++r) {
    if (std::find(priorities.begin(), priorities.end(), r) ==
        priorities.end()) {
      return false;
    }
  }
  return true;
}

inline bool IsInboxOrder(ReviewOrder order) {
  return order == ReviewOrder::kUrgency || order == ReviewOrder::kRespondBy;
}

// The inbox orders' indexes are partial, on open (NEW, ACKNOWLEDGED),
// not-deleted reviews. A query may use them only when its filter keeps to
// those: then it adds the literal condition `status IN (1, 2)` (the
// statuses themselves are bound parameters, which no planner reads when it
// matches a partial index's condition).
inline bool KeepsToOpenReviews(const ReviewFilter& f) {
  return !f.include_deleted && !f.statuses.empty() &&
         std::all_of(f.statuses.begin(), f.statuses.end(),
                     [](int32_t s) { return s == 1 || s == 2; });
}

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_REVIEW_ORDER_H_
