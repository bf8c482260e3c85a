// Which insights rollup counters a review adds to: the one description of
// the rollups that every storage backend maintains, kept free of SQL so that
// each backend renders or evaluates the same description.
//
// A review that is not deleted adds, for its tenant and local day, to the
// cells of every subset of {source, subject, language} (RollupCells; a
// dimension left out is ''):
// - insights_rollup: the counters of kInsightsCounters, each counting the
//   review when its condition holds;
// - insights_aspect_rollup (per aspect mention, keyed by aspect too):
//   kAspectCounters by the mention's label;
// - insights_response_rollup (responded reviews only, keyed by the local
//   month and the delay bucket instead of the day): one count, n.
// A change to a review subtracts what its old values added and adds what
// its new values add.
//
// Conditions come in two layers, because the SQLite triggers of schemas 8
// and 9 (frozen text) hand over rating, label and the three flags, not the
// columns the flags are made of: RollupFacts are a review's rating, label
// and kRollupFlags, each flag a conjunction of terms on the review's
// columns; a counter counts all reviews, a rating, a label or a flag.
//
// Everything here is constant data and pure functions: thread-safe.
#ifndef OPINIA_SERVICE_STORAGE_ROLLUP_CELLS_H_
#define OPINIA_SERVICE_STORAGE_ROLLUP_CELLS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/string_view.h"

namespace opinia::storage {

// Times as the stores keep them: microseconds since the epoch, kNoTime for
// "not set" (absl::InfinitePast).
inline constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

// The values of a review the rollups read.
struct RollupReview {
  std::string tenant_id, source, subject_id, language;
  int64_t local_day = 0;  // days since the epoch in the tenant's zone
  int32_t rating = 0;     // 1..5, else counted by no rating
  int32_t label = 0;      // opinia.v1.SentimentLabel
  int32_t status = 0;     // opinia.v1.ReviewStatus
  int32_t priority = 0;   // counted by nothing (listed so tests vary it)
  bool deleted = false;
  int64_t create_time = 0, ingest_time = 0;
  int64_t response_time = kNoTime, respond_by = kNoTime;
};

// One condition on a review column.
enum class RollupColumn { kStatus, kResponseTime, kRespondBy };
struct RollupTerm {
  enum class Op {
    kSet,             // column != kNoTime
    kUnset,           // column == kNoTime
    kIn,              // column is one of values[0..num_values)
    kAfterRespondBy,  // column > respond_by
  };
  RollupColumn column;
  Op op;
  std::array<int32_t, 2> values{};
  int num_values = 0;
};

// A yes/no property of a review: all of its terms hold.
struct RollupFlag {
  absl::string_view name;
  std::array<RollupTerm, 3> terms;
  int num_terms;
};
enum RollupFlagIndex { kResponded = 0, kSlaPending = 1, kSlaLate = 2 };
inline constexpr int kNumRollupFlags = 3;
inline constexpr std::array<RollupFlag, kNumRollupFlags> kRollupFlags = {{
    // A response is recorded.
    {"responded", {{{RollupColumn::kResponseTime, RollupTerm::Op::kSet}}}, 1},
    // Waiting for a response within a deadline: status NEW or ACKNOWLEDGED.
    {"sla_pending",
     {{{RollupColumn::kRespondBy, RollupTerm::Op::kSet},
       {RollupColumn::kResponseTime, RollupTerm::Op::kUnset},
       {RollupColumn::kStatus, RollupTerm::Op::kIn, {1, 2}, 2}}},
     3},
    // Responded after its deadline.
    {"sla_late",
     {{{RollupColumn::kRespondBy, RollupTerm::Op::kSet},
       {RollupColumn::kResponseTime, RollupTerm::Op::kSet},
       {RollupColumn::kResponseTime, RollupTerm::Op::kAfterRespondBy}}},
     3},
}};

// What a counter counts: every review, one rating, one label, or a flag.
struct RollupCounter {
  enum class Counts { kAll, kRating, kLabel, kFlag };
  absl::string_view column;  // in the rollup table
  Counts counts;
  int value = 0;  // the rating, label or RollupFlagIndex
};

inline constexpr std::array<RollupCounter, 13> kInsightsCounters = {{
    {"n", RollupCounter::Counts::kAll},
    {"r1", RollupCounter::Counts::kRating, 1},
    {"r2", RollupCounter::Counts::kRating, 2},
    {"r3", RollupCounter::Counts::kRating, 3},
    {"r4", RollupCounter::Counts::kRating, 4},
    {"r5", RollupCounter::Counts::kRating, 5},
    {"neg", RollupCounter::Counts::kLabel, 1},
    {"neu", RollupCounter::Counts::kLabel, 2},
    {"pos", RollupCounter::Counts::kLabel, 3},
    {"mix", RollupCounter::Counts::kLabel, 4},
    {"responded", RollupCounter::Counts::kFlag, kResponded},
    {"sla_pending", RollupCounter::Counts::kFlag, kSlaPending},
    {"sla_late", RollupCounter::Counts::kFlag, kSlaLate},
}};
using InsightsDeltas = std::array<int64_t, kInsightsCounters.size()>;

// Counted by an aspect mention's label.
inline constexpr std::array<RollupCounter, 4> kAspectCounters = {{
    {"neg", RollupCounter::Counts::kLabel, 1},
    {"neu", RollupCounter::Counts::kLabel, 2},
    {"pos", RollupCounter::Counts::kLabel, 3},
    {"mix", RollupCounter::Counts::kLabel, 4},
}};
using AspectDeltas = std::array<int64_t, kAspectCounters.size()>;

// insights_response_rollup counts every responded review in its cell.
inline constexpr std::array<RollupCounter, 1> kResponseCounters = {{
    {"n", RollupCounter::Counts::kAll},
}};
using ResponseDeltas = std::array<int64_t, kResponseCounters.size()>;

// The rollup cells of a review: dims bit 0 keeps the source, bit 1 the
// subject, bit 2 the language.
inline constexpr int kNumRollupDims = 8;

// Calls fn(dims, source, subject, language) for each of a review's cells,
// with '' for the dimensions a cell leaves out.
template <typename Fn>
void ForEachRollupCell(const std::string& source, const std::string& subject,
                       const std::string& language, Fn fn) {
  static const std::string kEmpty;
  for (int dims = 0; dims < kNumRollupDims; ++dims) {
    fn(dims, (dims & 1) ? source : kEmpty, (dims & 2) ? subject : kEmpty,
       (dims & 4) ? language : kEmpty);
  }
}

// What the insights counters are computed from.
struct RollupFacts {
  int32_t rating = 0;
  int32_t label = 0;
  std::array<bool, kNumRollupFlags> flags{};
};

bool FlagHolds(const RollupFlag& flag, const RollupReview& review);
RollupFacts FactsOf(const RollupReview& review);

// Whether `counter` counts a review (or an aspect mention: its label) with
// these facts.
bool Counts(const RollupCounter& counter, const RollupFacts& facts);

// sign (+1 adds, -1 removes) times each counter of kInsightsCounters that
// counts `facts`.
InsightsDeltas InsightsDeltasOf(const RollupFacts& facts, int sign);
// The same for a review: all zero when it is deleted.
InsightsDeltas InsightsDeltasOf(const RollupReview& review, int sign);
// An aspect mention with this label.
AspectDeltas AspectDeltasOf(int32_t label, int sign);

// The response histogram: the first local day of the month of `local_day`,
// the microseconds from when the shop could first answer to the response
// (clamped at 0; measured from create_time when the response predates
// ingest_time), and the lower bound of the delay's bucket ([0, 1 s), then
// 16 per doubling from 1 s up to about 2^36 s).
int64_t FirstDayOfMonth(int64_t local_day);
int64_t ResponseDelay(const RollupReview& review);
int64_t DelayBucket(int64_t delay);

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_ROLLUP_CELLS_H_
