#include "service/core/insights/insights.h"

#include <algorithm>
#include <array>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/auth/authorization.h"
#include "service/core/util/absl_sv.h"
#include "service/core/util/names.h"
#include "service/core/util/time_proto.h"
#include "service/core/util/utf8.h"
#include "service/storage/local_time.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

using storage::ReviewStats;

constexpr int64_t kMinDay = -100'000'000;
constexpr int64_t kMaxDay = 100'000'000;
constexpr int kNumAspects = 9;  // index = opinia.v1.Aspect
constexpr int kTopAspects = 5;
constexpr size_t kMaxQuoteBytes = 300;

using AspectCounts = std::array<std::array<int64_t, 5>, kNumAspects>;

struct Totals {
  ReviewStats stats;
  AspectCounts aspects{};
};

absl::StatusOr<storage::ReviewFilter> FilterOf(
    const opinia::v1::SummaryRequest& r, absl::string_view prefix) {
  storage::ReviewFilter f;
  for (const auto& [field, in, out] :
       {std::tuple<const char*, const google::protobuf::RepeatedPtrField<
                                    std::string>*,
                   std::vector<std::string>*>{"sources", &r.sources(),
                                              &f.sources},
        {"subject_ids", &r.subject_ids(), &f.subject_ids},
        {"languages", &r.languages(), &f.languages}}) {
    if (in->size() > kMaxFilterValues) {
      return absl::InvalidArgumentError(absl::StrCat(
          prefix, field, ": at most ", kMaxFilterValues, " values"));
    }
    for (const std::string& v : *in) {
      if (v.empty() || !IsValidUtf8(v) || v.size() > 1024) {
        return absl::InvalidArgumentError(absl::StrCat(
            prefix, field, ": values must be non-empty UTF-8 of at most 1024 "
            "bytes"));
      }
      out->push_back(v);
    }
    std::sort(out->begin(), out->end());
    out->erase(std::unique(out->begin(), out->end()), out->end());
  }
  if (r.has_start_time()) {
    RETURN_IF_ERROR(
        ValidateTimestamp(r.start_time(), absl::StrCat(prefix, "start_time")));
    f.start_time = FromTimestamp(r.start_time());
  }
  if (r.has_end_time()) {
    RETURN_IF_ERROR(
        ValidateTimestamp(r.end_time(), absl::StrCat(prefix, "end_time")));
    f.end_time = FromTimestamp(r.end_time());
    if (f.end_time == absl::InfinitePast()) f.end_time = absl::InfiniteFuture();
  }
  if (f.start_time != absl::InfinitePast() &&
      f.end_time != absl::InfiniteFuture() && f.end_time <= f.start_time) {
    return absl::InvalidArgumentError(
        absl::StrCat(prefix, "end_time: must be after start_time"));
  }
  return f;
}

int64_t WeekStart(int64_t day) { return day - (((day + 3) % 7) + 7) % 7; }

const absl::CivilDay kEpoch(1970, 1, 1);

int64_t MonthStart(int64_t day) {
  return absl::CivilDay(absl::CivilMonth(kEpoch + day)) - kEpoch;
}

int64_t NextMonth(int64_t day) {
  return absl::CivilDay(absl::CivilMonth(kEpoch + day) + 1) - kEpoch;
}

// Everything computed inside one read transaction for one tenant.
class Plan {
 public:
  Plan(storage::Txn& txn, std::string_view tenant_id, std::string tz,
       const storage::ReviewFilter& filter, Insights::Mode mode)
      : txn_(txn),
        tenant_id_(tenant_id),
        tz_(std::move(tz)),
        filter_(filter),
        mode_(mode) {}

  int64_t Day(absl::Time t) const { return storage::LocalDay(t, tz_); }
  absl::Time DayStart(int64_t day) const {
    return storage::LocalDayStart(day, tz_);
  }

  // Totals, with aspect counts, of every review in the filter's range.
  absl::StatusOr<Totals> RangeTotals() {
    std::vector<Totals> totals(1);
    RETURN_IF_ERROR(Accumulate(
        filter_.start_time, filter_.end_time, [](int64_t) { return size_t{0}; },
        /*aspects=*/true, &totals));
    return std::move(totals[0]);
  }

  // Adds the numbers of reviews created in [start, end) to
  // (*out)[bucket_of(local day)], where bucket_of maps every day of the
  // range to an index of *out. `aspects` also fills aspect counts.
  absl::Status Accumulate(absl::Time start, absl::Time end,
                          const std::function<size_t(int64_t)>& bucket_of,
                          bool aspects, std::vector<Totals>* out) {
    if (mode_ == Insights::Mode::kRowsOnly) {
      return AccumulateRows(start, end, bucket_of, aspects, out);
    }
    const bool open_start = start == absl::InfinitePast();
    const bool open_end = end == absl::InfiniteFuture();
    int64_t first_whole = kMinDay;
    if (!open_start) {
      first_whole = Day(start);
      if (DayStart(first_whole) != start) ++first_whole;
    }
    const int64_t end_whole = open_end ? kMaxDay : Day(end);
    if (first_whole >= end_whole) {
      // No whole day: at most two partial days, from rows.
      return AccumulateRows(start, end, bucket_of, aspects, out);
    }
    ASSIGN_OR_RETURN(auto days,
                     txn_.insights().ListDayStats(tenant_id_, filter_,
                                                  first_whole, end_whole));
    for (const auto& d : days) (*out)[bucket_of(d.day)].stats.Add(d.stats);
    if (aspects) {
      ASSIGN_OR_RETURN(auto rows,
                       txn_.insights().ListDayAspectStats(
                           tenant_id_, filter_, first_whole, end_whole));
      for (const auto& a : rows) AddAspect(a, &(*out)[bucket_of(a.day)]);
    }
    if (!open_start) {
      RETURN_IF_ERROR(AccumulateRows(start, DayStart(first_whole), bucket_of,
                                     aspects, out));
    }
    if (!open_end) {
      return AccumulateRows(DayStart(end_whole), end, bucket_of, aspects, out);
    }
    return absl::OkStatus();
  }

  // Exact median response delay (storage/insights_store.h; the store
  // clamps at 0) in seconds; 0 when none. Over whole local months the delay
  // histograms of the rollups say which bucket holds the middle value(s)
  // and at which rank; the value itself is then read at that rank from an
  // index ordered by delay. The partial months at the ends are corrected
  // with rows (below).
  absl::StatusOr<double> MedianResponseSeconds(absl::Time start,
                                               absl::Time end) {
    // Months [first_month, end_month) come from the histograms. A partial
    // month at either end is either read from its rows in range (`add`) or
    // taken whole from the histograms with its rows outside the range
    // subtracted (`subtract`), whichever covers less time: a range ending
    // today subtracts a few hours instead of adding most of a month.
    const bool open_start = start == absl::InfinitePast();
    const bool open_end = end == absl::InfiniteFuture();
    int64_t first_month = kMinDay, end_month = kMaxDay;
    std::vector<std::pair<absl::Time, absl::Time>> add, subtract;
    if (!open_start) {
      const int64_t month = MonthStart(Day(start));
      const absl::Time month_start = DayStart(month);
      const absl::Time next = DayStart(NextMonth(month));
      if (month_start == start) {
        first_month = month;
      } else if (start - month_start < next - start) {
        first_month = month;
        subtract.push_back({month_start, start});
      } else {
        first_month = NextMonth(month);
        add.push_back({start, std::min(next, end)});
      }
    }
    if (!open_end) {
      const int64_t month = MonthStart(Day(end));
      const absl::Time month_start = DayStart(month);
      const absl::Time next = DayStart(NextMonth(month));
      if (month_start == end) {
        end_month = month;
      } else if (next - end < end - month_start) {
        end_month = NextMonth(month);
        subtract.push_back({end, next});
      } else {
        end_month = month;
        add.push_back({std::max(month_start, start), end});
      }
    }
    if (mode_ == Insights::Mode::kRowsOnly || first_month >= end_month) {
      return MedianOfRows(start, end);
    }
    ASSIGN_OR_RETURN(auto buckets, txn_.insights().ListDelayBuckets());
    ASSIGN_OR_RETURN(auto months,
                     txn_.insights().ListMonthResponseCounts(
                         tenant_id_, filter_, first_month, end_month));
    std::map<int64_t, int64_t> counts;  // bucket lower bound -> reviews
    for (const auto& b : months) counts[b.lo] += b.count;
    for (const auto* edges : {&add, &subtract}) {
      const int64_t sign = edges == &add ? 1 : -1;
      for (const auto& [from, to] : *edges) {
        if (to <= from) continue;
        ASSIGN_OR_RETURN(auto delays, txn_.insights().ListResponseDelays(
                                          tenant_id_, Range(from, to)));
        for (int64_t d : delays) {
          auto it = std::upper_bound(buckets.begin(), buckets.end(), d);
          if (it == buckets.begin()) {
            return absl::InternalError("no delay bucket starts at 0");
          }
          counts[*(it - 1)] += sign;
        }
      }
    }
    int64_t total = 0;
    for (const auto& [lo, n] : counts) total += n;
    if (total == 0) return 0.0;
    // The values of ranks (total - 1) / 2 and total / 2 (0-based).
    auto value_at = [&](int64_t rank) -> absl::StatusOr<int64_t> {
      for (const auto& [lo, n] : counts) {
        if (rank >= n) {
          rank -= n;
          continue;
        }
        auto next = std::upper_bound(buckets.begin(), buckets.end(), lo);
        const int64_t to =
            next == buckets.end() ? std::numeric_limits<int64_t>::max() : *next;
        ASSIGN_OR_RETURN(auto v,
                         txn_.insights().ListResponseDelaysBetween(
                             tenant_id_, Range(start, end), lo, to, rank, 1));
        if (v.empty()) {
          return absl::InternalError(
              "response rollups disagree with the reviews");
        }
        return v[0];
      }
      return absl::InternalError("median rank beyond the rollup counts");
    };
    ASSIGN_OR_RETURN(auto lower, value_at((total - 1) / 2));
    double median = static_cast<double>(lower);
    if (total % 2 == 0) {
      ASSIGN_OR_RETURN(auto upper, value_at(total / 2));
      median = (static_cast<double>(upper) + median) / 2;
    }
    return median / 1e6;
  }

  absl::StatusOr<int64_t> CountOpenSla(absl::Time start, absl::Time end,
                                       absl::Time now) {
    return txn_.insights().CountOpenSla(tenant_id_, Range(start, end), now);
  }

  storage::ReviewFilter Range(absl::Time start, absl::Time end) const {
    storage::ReviewFilter f = filter_;
    f.start_time = start;
    f.end_time = end;
    return f;
  }

 private:
  absl::StatusOr<double> MedianOfRows(absl::Time start, absl::Time end) {
    ASSIGN_OR_RETURN(auto delays, txn_.insights().ListResponseDelays(
                                      tenant_id_, Range(start, end)));
    std::vector<int64_t>& v = delays;
    if (v.empty()) return 0.0;
    const size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + mid, v.end());
    double median = static_cast<double>(v[mid]);
    if (v.size() % 2 == 0) {
      const int64_t lower = *std::max_element(v.begin(), v.begin() + mid);
      median = (median + static_cast<double>(lower)) / 2;
    }
    return median / 1e6;
  }

  static void AddAspect(const storage::AspectStats& a, Totals* t) {
    if (a.aspect <= 0 || a.aspect >= kNumAspects) return;
    for (int l = 0; l < 5; ++l) t->aspects[a.aspect][l] += a.labels[l];
  }

  // Rows of [start, end), split at local midnights when the range holds no
  // more than a few days (edges), else per bucket boundary.
  absl::Status AccumulateRows(absl::Time start, absl::Time end,
                              const std::function<size_t(int64_t)>& bucket_of,
                              bool aspects, std::vector<Totals>* out) {
    if (end <= start) return absl::OkStatus();
    // Split [start, end) into runs of days that share a bucket.
    absl::Time piece_start = start;
    while (piece_start < end) {
      absl::Time piece_end = end;
      if (out->size() > 1 && piece_start != absl::InfinitePast()) {
        const int64_t day = Day(piece_start);
        const size_t bucket = bucket_of(day);
        int64_t next = day + 1;
        // Bucket runs are short (a month at most); walk them by day.
        while (DayStart(next) < end && bucket_of(next) == bucket) ++next;
        piece_end = std::min(end, DayStart(next));
      }
      const size_t bucket =
          piece_start == absl::InfinitePast() ? 0 : bucket_of(Day(piece_start));
      const storage::ReviewFilter f = Range(piece_start, piece_end);
      auto stats = txn_.insights().SumReviewStats(tenant_id_, f);
      if (!stats.ok()) return stats.status();
      (*out)[bucket].stats.Add(*stats);
      if (aspects) {
        ASSIGN_OR_RETURN(auto rows,
                         txn_.insights().SumAspectStats(tenant_id_, f));
        for (const auto& a : rows) AddAspect(a, &(*out)[bucket]);
      }
      piece_start = piece_end;
    }
    return absl::OkStatus();
  }

  storage::Txn& txn_;
  std::string_view tenant_id_;
  const std::string tz_;
  const storage::ReviewFilter& filter_;
  const Insights::Mode mode_;
};

absl::StatusOr<std::string> TenantZone(storage::Txn& txn,
                                       std::string_view tenant_id) {
  ASSIGN_OR_RETURN(auto tenant, txn.GetTenant(tenant_id));
  return tenant.time_zone.empty() ? std::string(storage::kDefaultTimeZone)
                                  : tenant.time_zone;
}

void FillCounts(const ReviewStats& s, opinia::v1::ReputationSummary* out) {
  out->set_review_count(s.count);
  int64_t rated = 0, stars = 0;
  for (int k = 0; k < 5; ++k) {
    out->add_rating_counts(s.ratings[k]);
    rated += s.ratings[k];
    stars += (k + 1) * s.ratings[k];
  }
  out->set_average_rating(rated == 0 ? 0.0
                                     : static_cast<double>(stars) /
                                           static_cast<double>(rated));
  out->set_negative_count(s.labels[opinia::v1::NEGATIVE]);
  out->set_neutral_count(s.labels[opinia::v1::NEUTRAL]);
  out->set_positive_count(s.labels[opinia::v1::POSITIVE]);
  out->set_mixed_count(s.labels[opinia::v1::MIXED]);
  if (s.count > 0) {
    const double n = static_cast<double>(s.count);
    out->set_net_sentiment(static_cast<double>(s.labels[opinia::v1::POSITIVE] -
                                               s.labels[opinia::v1::NEGATIVE]) /
                           n);
    out->set_response_rate(static_cast<double>(s.responded) / n);
  }
}

void FillTopAspects(const AspectCounts& counts, int label,
                    google::protobuf::RepeatedPtrField<opinia::v1::AspectCount>*
                        out) {
  std::vector<std::pair<int64_t, int>> ranked;  // (-count, aspect)
  for (int a = 1; a < kNumAspects; ++a) {
    if (counts[a][label] > 0) ranked.push_back({-counts[a][label], a});
  }
  std::sort(ranked.begin(), ranked.end());
  for (size_t i = 0; i < ranked.size() && i < kTopAspects; ++i) {
    auto* c = out->Add();
    c->set_aspect(static_cast<opinia::v1::Aspect>(ranked[i].second));
    c->set_count(-ranked[i].first);
  }
}

// Moves `i` back to the start of the UTF-8 character it points into.
size_t CharStart(std::string_view s, size_t i) {
  while (i > 0 && i < s.size() &&
         (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) {
    --i;
  }
  return i;
}

std::string Quote(std::string_view text, int begin, int end,
                  opinia::v1::Span* span) {
  if (begin < 0 || end <= begin || static_cast<size_t>(end) > text.size()) {
    begin = 0;
    end = static_cast<int>(text.size());
  }
  size_t b = CharStart(text, static_cast<size_t>(begin));
  size_t e = CharStart(text, static_cast<size_t>(end));
  if (e < static_cast<size_t>(end) && e < text.size()) {
    // `end` pointed into a character: include all of it.
    e = static_cast<size_t>(end);
    while (e < text.size() &&
           (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) {
      ++e;
    }
  }
  if (e - b > kMaxQuoteBytes) e = CharStart(text, b + kMaxQuoteBytes);
  span->set_begin(static_cast<int32_t>(b));
  span->set_end(static_cast<int32_t>(e));
  return std::string(text.substr(b, e - b));
}

}  // namespace

absl::StatusOr<opinia::v1::ReputationSummary> Insights::Summary(
    const Principal& caller,
    const opinia::v1::SummaryRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kGetReputationSummary));
  const std::string& tenant_id = caller.tenant_id;
  ASSIGN_OR_RETURN(auto filter, FilterOf(request, ""));
  const absl::Time now = clock_->Now();
  opinia::v1::ReputationSummary out;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto tz, TenantZone(txn, tenant_id));
    Plan plan(txn, tenant_id, tz, filter, mode_);
    ASSIGN_OR_RETURN(auto totals, plan.RangeTotals());
    const ReviewStats& stats = totals.stats;
    FillCounts(stats, &out);
    ASSIGN_OR_RETURN(auto median, plan.MedianResponseSeconds(filter.start_time,
                                                             filter.end_time));
    out.set_median_response_seconds(median);
    ASSIGN_OR_RETURN(
        auto open, plan.CountOpenSla(filter.start_time, filter.end_time, now));
    out.set_open_sla_count(open);
    out.set_breached_sla_count(stats.sla_late + stats.sla_pending - open);
    FillTopAspects(totals.aspects, opinia::v1::NEGATIVE,
                   out.mutable_top_negative_aspects());
    FillTopAspects(totals.aspects, opinia::v1::POSITIVE,
                   out.mutable_top_positive_aspects());
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<opinia::v1::Trends> Insights::Trends(
    const Principal& caller,
    const opinia::v1::TrendsRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kGetTrends));
  const std::string& tenant_id = caller.tenant_id;
  auto filter = FilterOf(request.filter(), "filter.");
  if (!filter.ok()) return filter.status();
  const opinia::v1::Interval interval = request.interval();
  if (interval != opinia::v1::DAY && interval != opinia::v1::WEEK &&
      interval != opinia::v1::MONTH) {
    return absl::InvalidArgumentError("interval: must be DAY, WEEK or MONTH");
  }
  auto bucket_start = [interval](int64_t day) {
    switch (interval) {
      case opinia::v1::WEEK:
        return WeekStart(day);
      case opinia::v1::MONTH:
        return MonthStart(day);
      default:
        return day;
    }
  };
  auto next_bucket = [interval](int64_t first_day) {
    switch (interval) {
      case opinia::v1::WEEK:
        return first_day + 7;
      case opinia::v1::MONTH:
        return NextMonth(first_day);
      default:
        return first_day + 1;
    }
  };
  opinia::v1::Trends out;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto tz, TenantZone(txn, tenant_id));
    storage::ReviewFilter f = *filter;
    if (f.end_time == absl::InfiniteFuture()) {
      f.end_time = clock_->Now();
      if (f.start_time != absl::InfinitePast() && f.end_time <= f.start_time) {
        return absl::InvalidArgumentError(
            "filter.start_time: in the future (end_time defaults to now)");
      }
    }
    Plan plan(txn, tenant_id, tz, f, mode_);
    out.set_time_zone(tz);
    if (f.start_time == absl::InfinitePast()) {
      const int back = interval == opinia::v1::DAY ? 29 : 11;
      int64_t first = bucket_start(plan.Day(f.end_time - absl::Microseconds(1)));
      for (int i = 0; i < back; ++i) first = bucket_start(first - 1);
      f.start_time = plan.DayStart(first);
    }
    const int64_t last_day = plan.Day(f.end_time - absl::Nanoseconds(1));
    std::vector<int64_t> firsts;  // first local day of each bucket
    for (int64_t d = bucket_start(plan.Day(f.start_time)); d <= last_day;
         d = next_bucket(d)) {
      if (static_cast<int>(firsts.size()) == kMaxTrendPoints) {
        return absl::InvalidArgumentError(absl::StrCat(
            "filter.start_time: the range has more than ", kMaxTrendPoints,
            " buckets; use a longer interval or a shorter range"));
      }
      firsts.push_back(d);
    }
    auto bucket_of = [&firsts](int64_t day) {
      auto it = std::upper_bound(firsts.begin(), firsts.end(), day);
      return it == firsts.begin() ? size_t{0}
                                  : static_cast<size_t>(it - firsts.begin() - 1);
    };
    std::vector<Totals> totals(firsts.size());
    RETURN_IF_ERROR(plan.Accumulate(f.start_time, f.end_time, bucket_of,
                                    /*aspects=*/false, &totals));
    for (size_t i = 0; i < firsts.size(); ++i) {
      auto* point = out.add_points();
      ToTimestamp(plan.DayStart(firsts[i]), point->mutable_start_time());
      FillCounts(totals[i].stats, point->mutable_summary());
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<opinia::v1::ListAspectInsightsResponse> Insights::AspectInsights(
    const Principal& caller,
    const opinia::v1::SummaryRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kListAspectInsights));
  const std::string& tenant_id = caller.tenant_id;
  ASSIGN_OR_RETURN(auto filter, FilterOf(request, ""));
  opinia::v1::ListAspectInsightsResponse out;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto tz, TenantZone(txn, tenant_id));
    Plan plan(txn, tenant_id, tz, filter, mode_);
    ASSIGN_OR_RETURN(auto totals, plan.RangeTotals());
    std::map<int64_t, std::string> texts;  // review id -> text
    auto text_of = [&](int64_t id) -> absl::StatusOr<std::string_view> {
      auto it = texts.find(id);
      if (it == texts.end()) {
        ASSIGN_OR_RETURN(auto row, txn.GetReview(tenant_id, id));
        opinia::v1::ReviewInput input;
        if (!input.ParseFromString(row.input)) {
          return absl::InternalError(
              absl::StrCat("stored review ", id, " has a corrupt input"));
        }
        it = texts.emplace(id, input.text()).first;
      }
      return std::string_view(it->second);
    };
    const storage::ReviewFilter range =
        plan.Range(filter.start_time, filter.end_time);
    for (int a = 1; a < kNumAspects; ++a) {
      auto* insight = out.add_aspects();
      insight->set_aspect(static_cast<opinia::v1::Aspect>(a));
      const auto& c = totals.aspects[a];
      insight->set_negative_count(c[opinia::v1::NEGATIVE]);
      insight->set_neutral_count(c[opinia::v1::NEUTRAL]);
      insight->set_positive_count(c[opinia::v1::POSITIVE]);
      insight->set_mixed_count(c[opinia::v1::MIXED]);
      for (const bool negative : {true, false}) {
        if (c[negative ? opinia::v1::NEGATIVE : opinia::v1::POSITIVE] == 0) {
          continue;
        }
        ASSIGN_OR_RETURN(
            auto mentions,
            txn.insights().ListAspectMentions(
                tenant_id, range, a,
                negative ? opinia::v1::NEGATIVE : opinia::v1::POSITIVE,
                /*ascending=*/negative, kQuotesPerSide));
        for (const auto& m : mentions) {
          ASSIGN_OR_RETURN(auto text, text_of(m.review_id));
          auto* quote = negative ? insight->add_negative_quotes()
                                 : insight->add_positive_quotes();
          quote->set_review(ReviewName(m.review_id));
          quote->set_score(m.score);
          quote->set_text(Quote(text, m.begin, m.end, quote->mutable_span()));
        }
      }
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace opinia::core
