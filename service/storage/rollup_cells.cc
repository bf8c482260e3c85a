#include "service/storage/rollup_cells.h"

#include <algorithm>
#include <vector>

#include "absl/time/civil_time.h"

namespace opinia::storage {
namespace {

int64_t ValueOf(RollupColumn column, const RollupReview& r) {
  switch (column) {
    case RollupColumn::kStatus:
      return r.status;
    case RollupColumn::kResponseTime:
      return r.response_time;
    case RollupColumn::kRespondBy:
      return r.respond_by;
  }
  return 0;
}

bool TermHolds(const RollupTerm& t, const RollupReview& r) {
  const int64_t v = ValueOf(t.column, r);
  switch (t.op) {
    case RollupTerm::Op::kSet:
      return v != kNoTime;
    case RollupTerm::Op::kUnset:
      return v == kNoTime;
    case RollupTerm::Op::kIn:
      return std::find(t.values.begin(), t.values.begin() + t.num_values, v) !=
             t.values.begin() + t.num_values;
    case RollupTerm::Op::kAfterRespondBy:
      return v > r.respond_by;
  }
  return false;
}

std::vector<int64_t> MakeDelayBuckets() {
  std::vector<int64_t> lo = {0};
  for (int x = 0; x <= 35; ++x) {
    for (int y = 0; y <= 15; ++y)
      lo.push_back((int64_t{1} << x) * (16 + y) * 62500);
  }
  return lo;
}

}  // namespace

bool FlagHolds(const RollupFlag& flag, const RollupReview& review) {
  for (int i = 0; i < flag.num_terms; ++i) {
    if (!TermHolds(flag.terms[i], review)) return false;
  }
  return true;
}

RollupFacts FactsOf(const RollupReview& review) {
  RollupFacts f;
  f.rating = review.rating;
  f.label = review.label;
  for (int i = 0; i < kNumRollupFlags; ++i) {
    f.flags[i] = FlagHolds(kRollupFlags[i], review);
  }
  return f;
}

bool Counts(const RollupCounter& counter, const RollupFacts& facts) {
  switch (counter.counts) {
    case RollupCounter::Counts::kAll:
      return true;
    case RollupCounter::Counts::kRating:
      return facts.rating == counter.value;
    case RollupCounter::Counts::kLabel:
      return facts.label == counter.value;
    case RollupCounter::Counts::kFlag:
      return facts.flags[counter.value];
  }
  return false;
}

InsightsDeltas InsightsDeltasOf(const RollupFacts& facts, int sign) {
  InsightsDeltas d{};
  for (size_t i = 0; i < kInsightsCounters.size(); ++i) {
    if (Counts(kInsightsCounters[i], facts)) d[i] = sign;
  }
  return d;
}

InsightsDeltas InsightsDeltasOf(const RollupReview& review, int sign) {
  if (review.deleted) return InsightsDeltas{};
  return InsightsDeltasOf(FactsOf(review), sign);
}

AspectDeltas AspectDeltasOf(int32_t label, int sign) {
  RollupFacts facts;
  facts.label = label;
  AspectDeltas d{};
  for (size_t i = 0; i < kAspectCounters.size(); ++i) {
    if (Counts(kAspectCounters[i], facts)) d[i] = sign;
  }
  return d;
}

int64_t FirstDayOfMonth(int64_t local_day) {
  const absl::CivilDay epoch(1970, 1, 1);
  const absl::CivilDay day = epoch + local_day;
  return absl::CivilDay(absl::CivilMonth(day)) - epoch;
}

int64_t ResponseDelay(const RollupReview& r) {
  const int64_t start = r.response_time < r.ingest_time
                            ? r.create_time
                            : std::max(r.create_time, r.ingest_time);
  return std::max<int64_t>(0, r.response_time - start);
}

int64_t DelayBucket(int64_t delay) {
  static const std::vector<int64_t>* const kBuckets =
      new std::vector<int64_t>(MakeDelayBuckets());
  const auto it = std::upper_bound(kBuckets->begin(), kBuckets->end(),
                                   std::max<int64_t>(0, delay));
  return *(it - 1);
}

}  // namespace opinia::storage
