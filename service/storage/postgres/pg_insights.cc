#include "service/storage/postgres/pg_insights.h"

#include <array>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/storage/postgres/pg_review_rows.h"
#include "service/storage/rollup_cells.h"
#include "service/storage/time_micros.h"
#include "util/status_macros.h"

namespace opinia::storage::pg {
namespace {

// kNoTime as SQL (a bigint literal), written out so that queries imply the
// predicates of the partial indexes of 003_insights.sql.
constexpr char kNoTimeSql[] = "-9223372036854775808";
constexpr char kRespondedRows[] = " AND response_time <> -9223372036854775808";

// " WHERE tenant_id = $1 AND NOT deleted ..." for the rows `filter` admits
// as insights_store.h reads it (tenant, the three dimensions, create_time
// in [start, end)), of reviews or, without `deleted`, of review_aspects
// (which holds non-deleted reviews only).
ReviewWhere RowConditions(std::string_view tenant_id, const ReviewFilter& f,
                          bool of_reviews) {
  ReviewFilter rows;
  rows.sources = f.sources;
  rows.subject_ids = f.subject_ids;
  rows.languages = f.languages;
  rows.start_time = f.start_time;
  rows.end_time = f.end_time;
  rows.include_deleted = !of_reviews;
  // Without a full-text condition there is always a WHERE clause.
  return *ReviewConditions(tenant_id, rows);
}

// The placeholder of a new parameter `v` of `w`.
std::string Bind(ReviewWhere& w, int64_t v) {
  w.params.Int(v);
  return w.Next();
}

// The rollup cells that hold exactly what `filter` admits (the dims cell
// of the dimensions it lists, '' in the others) from `first` to before
// `end` in `period` (day or month).
ReviewWhere CellConditions(std::string_view tenant_id, const ReviewFilter& f,
                           int64_t first, int64_t end, const char* period) {
  // The dimensions in the order of the dims bits (rollup_cells.h).
  const struct {
    const char* column;
    const std::vector<std::string>& values;
  } dimensions[] = {{"source", f.sources},
                    {"subject_id", f.subject_ids},
                    {"language", f.languages}};
  ReviewWhere w;
  absl::StrAppend(&w.sql, " WHERE tenant_id = ", w.Next());
  w.params.Text(tenant_id);
  int64_t dims = 0;
  std::string cell;
  for (int bit = 0; bit < 3; ++bit) {
    const auto& d = dimensions[bit];
    if (d.values.empty()) {
      absl::StrAppend(&cell, " AND ", d.column, " = ''");
      continue;
    }
    dims |= int64_t{1} << bit;
    absl::StrAppend(&cell, " AND ", d.column, " = ANY(", w.Next(), "::text[])");
    w.params.Text(TextArray(d.values));
  }
  const std::string dims_param = Bind(w, dims);
  absl::StrAppend(&w.sql, cell, " AND dims = ", dims_param);
  const std::string from = Bind(w, first);
  const std::string to = Bind(w, end);
  absl::StrAppend(&w.sql, " AND ", period, " >= ", from, "::bigint AND ",
                  period, " < ", to, "::bigint");
  return w;
}

// sum(n)::bigint, sum(r1)::bigint, ... in kInsightsCounters order.
const std::string& RollupSums() {
  static const std::string* const kSql = new std::string(absl::StrJoin(
      kInsightsCounters, ", ", [](std::string* out, const RollupCounter& c) {
        absl::StrAppend(out, "sum(", c.column, ")::bigint");
      }));
  return *kSql;
}

// The insights counters (kInsightsCounters order) as ReviewStats; a review
// without a label 1..4 counts as labels[0].
ReviewStats StatsOf(const InsightsDeltas& d) {
  ReviewStats st;
  int64_t labelled = 0;
  for (size_t i = 0; i < kInsightsCounters.size(); ++i) {
    const RollupCounter& c = kInsightsCounters[i];
    switch (c.counts) {
      case RollupCounter::Counts::kAll:
        st.count = d[i];
        break;
      case RollupCounter::Counts::kRating:
        st.ratings[c.value - 1] = d[i];
        break;
      case RollupCounter::Counts::kLabel:
        st.labels[c.value] = d[i];
        labelled += d[i];
        break;
      case RollupCounter::Counts::kFlag:
        (c.value == kResponded    ? st.responded
         : c.value == kSlaPending ? st.sla_pending
                                  : st.sla_late) = d[i];
        break;
    }
  }
  st.labels[0] = st.count - labelled;
  return st;
}

// The counters read as columns [at, at + 13) of row `i`.
InsightsDeltas ReadDeltas(const Result& r, int i, int at) {
  InsightsDeltas d{};
  for (size_t k = 0; k < d.size(); ++k) {
    d[k] = r.Int(i, at + static_cast<int>(k));
  }
  return d;
}

std::vector<int64_t> FirstColumn(const Result& r) {
  return ReadRows(r, [](const Result& res, int i) { return res.Int(i, 0); });
}

std::vector<BucketCount> ReadBuckets(const Result& r) {
  std::vector<BucketCount> out;
  for (int i = 0; i < r.rows(); ++i) {
    const BucketCount b{r.Int(i, 0), r.Int(i, 1)};
    if (b.count != 0) out.push_back(b);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<DayStats>> PgInsights::ListDayStats(
    std::string_view tenant_id, const ReviewFilter& filter, int64_t first_day,
    int64_t end_day) {
  ReviewWhere w = CellConditions(tenant_id, filter, first_day, end_day, "day");
  ASSIGN_OR_RETURN(Result r,
                   conn_.Exec(absl::StrCat("SELECT day, ", RollupSums(),
                                           " FROM insights_rollup", w.sql,
                                           " GROUP BY day ORDER BY day"),
                              w.params));
  std::vector<DayStats> out;
  for (int i = 0; i < r.rows(); ++i) {
    const DayStats d{r.Int(i, 0), StatsOf(ReadDeltas(r, i, 1))};
    if (d.stats.count != 0) out.push_back(d);
  }
  return out;
}

absl::StatusOr<std::vector<AspectStats>> PgInsights::ListDayAspectStats(
    std::string_view tenant_id, const ReviewFilter& filter, int64_t first_day,
    int64_t end_day) {
  static_assert(kAspectCounters.size() == 4);
  ReviewWhere w = CellConditions(tenant_id, filter, first_day, end_day, "day");
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(
          absl::StrCat("SELECT day, aspect, sum(neg)::bigint, "
                       "sum(neu)::bigint, sum(pos)::bigint, "
                       "sum(mix)::bigint FROM insights_aspect_rollup",
                       w.sql, " GROUP BY day, aspect ORDER BY day, aspect"),
          w.params));
  return ReadRows(r, [](const Result& res, int i) {
    AspectStats a;
    a.day = res.Int(i, 0);
    a.aspect = static_cast<int32_t>(res.Int(i, 1));
    for (size_t k = 0; k < kAspectCounters.size(); ++k) {
      a.labels[kAspectCounters[k].value] = res.Int(i, 2 + static_cast<int>(k));
    }
    return a;
  });
}

absl::StatusOr<ReviewStats> PgInsights::SumReviewStats(
    std::string_view tenant_id, const ReviewFilter& filter) {
  // The rows grouped by what the counters' conditions read (rollup_cells.h:
  // rating, label, status, and response_time and respond_by compared with
  // kNoTime and with each other); each group is counted by the C++
  // description (FactsOf) of a review with exactly those properties.
  ReviewWhere w = RowConditions(tenant_id, filter, /*of_reviews=*/true);
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(absl::StrCat("SELECT rating, label, status, response_time <> ",
                              kNoTimeSql, ", respond_by <> ", kNoTimeSql,
                              ", response_time > respond_by, count(*) FROM "
                              "reviews",
                              w.sql, " GROUP BY 1, 2, 3, 4, 5, 6"),
                 w.params));
  InsightsDeltas sums{};
  for (int i = 0; i < r.rows(); ++i) {
    RollupReview review;
    review.rating = static_cast<int32_t>(r.Int(i, 0));
    review.label = static_cast<int32_t>(r.Int(i, 1));
    review.status = static_cast<int32_t>(r.Int(i, 2));
    const bool responded = r.Bool(i, 3);
    const bool has_deadline = r.Bool(i, 4);
    const bool after_deadline = r.Bool(i, 5);
    review.respond_by = has_deadline ? 0 : kNoTime;
    review.response_time = !responded ? kNoTime : after_deadline ? 1 : 0;
    const InsightsDeltas d = InsightsDeltasOf(FactsOf(review), 1);
    const int64_t n = r.Int(i, 6);
    for (size_t k = 0; k < d.size(); ++k) sums[k] += d[k] * n;
  }
  return StatsOf(sums);
}

absl::StatusOr<std::vector<AspectStats>> PgInsights::SumAspectStats(
    std::string_view tenant_id, const ReviewFilter& filter) {
  ReviewWhere w = RowConditions(tenant_id, filter, /*of_reviews=*/false);
  ASSIGN_OR_RETURN(
      Result r, conn_.Exec(absl::StrCat("SELECT aspect, label, count(*) FROM "
                                        "review_aspects",
                                        w.sql, " GROUP BY 1, 2"),
                           w.params));
  std::map<int32_t, AspectStats> by_aspect;
  for (int i = 0; i < r.rows(); ++i) {
    const int32_t aspect = static_cast<int32_t>(r.Int(i, 0));
    const int64_t label = r.Int(i, 1);
    AspectStats& a = by_aspect[aspect];
    a.aspect = aspect;
    if (label >= 0 && label < 5) a.labels[label] += r.Int(i, 2);
  }
  std::vector<AspectStats> out;
  for (const auto& [aspect, stats] : by_aspect) out.push_back(stats);
  return out;
}

absl::StatusOr<std::vector<int64_t>> PgInsights::ListResponseDelays(
    std::string_view tenant_id, const ReviewFilter& filter) {
  ReviewWhere w = RowConditions(tenant_id, filter, /*of_reviews=*/true);
  ASSIGN_OR_RETURN(Result r,
                   conn_.Exec(absl::StrCat("SELECT response_delay FROM reviews",
                                           w.sql, kRespondedRows),
                              w.params));
  return FirstColumn(r);
}

absl::StatusOr<std::vector<int64_t>> PgInsights::ListDelayBuckets() {
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec("SELECT lo FROM insights_delay_buckets ORDER BY lo"));
  return FirstColumn(r);
}

absl::StatusOr<std::vector<BucketCount>> PgInsights::ListMonthResponseCounts(
    std::string_view tenant_id, const ReviewFilter& filter, int64_t first_month,
    int64_t end_month) {
  ReviewWhere w =
      CellConditions(tenant_id, filter, first_month, end_month, "month");
  ASSIGN_OR_RETURN(Result r,
                   conn_.Exec(absl::StrCat("SELECT lo, sum(n)::bigint FROM "
                                           "insights_response_rollup",
                                           w.sql, " GROUP BY lo ORDER BY lo"),
                              w.params));
  return ReadBuckets(r);
}

absl::StatusOr<std::vector<BucketCount>> PgInsights::SumResponseCounts(
    std::string_view tenant_id, const ReviewFilter& filter) {
  // Each delay's bucket: the last lower bound not above it.
  ReviewWhere w = RowConditions(tenant_id, filter, /*of_reviews=*/true);
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(
          absl::StrCat("SELECT b.lo, count(*) FROM reviews CROSS JOIN LATERAL "
                       "(SELECT lo FROM insights_delay_buckets WHERE lo <= "
                       "response_delay ORDER BY lo DESC LIMIT 1) AS b",
                       w.sql, kRespondedRows, " GROUP BY b.lo ORDER BY b.lo"),
          w.params));
  return ReadBuckets(r);
}

absl::StatusOr<std::vector<int64_t>> PgInsights::ListResponseDelaysBetween(
    std::string_view tenant_id, const ReviewFilter& filter, int64_t lo,
    int64_t hi, int64_t offset, int limit) {
  if (limit <= 0 || offset < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "limit must be > 0 and offset >= 0, got ", limit, ", ", offset));
  }
  // reviews_response_delay yields the rows in delay order.
  ReviewWhere w = RowConditions(tenant_id, filter, /*of_reviews=*/true);
  const std::string from = Bind(w, lo);
  const std::string to = Bind(w, hi);
  const std::string limit_param = Bind(w, limit);
  const std::string offset_param = Bind(w, offset);
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(absl::StrCat("SELECT response_delay FROM reviews", w.sql,
                              kRespondedRows, " AND response_delay >= ", from,
                              "::bigint AND response_delay < ", to,
                              "::bigint ORDER BY response_delay LIMIT ",
                              limit_param, " OFFSET ", offset_param),
                 w.params));
  return FirstColumn(r);
}

absl::StatusOr<int64_t> PgInsights::CountOpenSla(std::string_view tenant_id,
                                                 const ReviewFilter& filter,
                                                 absl::Time now) {
  // The conditions of reviews_sla_open (the pending flag of rollup_cells.h),
  // then deadlines after `now`: stored times are whole microseconds, so
  // respond_by > now exactly when respond_by > floor(now).
  ReviewWhere w = RowConditions(tenant_id, filter, /*of_reviews=*/true);
  const std::string now_param = Bind(w, TimeToMicros(now));
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(
          absl::StrCat("SELECT count(*) FROM reviews", w.sql,
                       " AND response_time = ", kNoTimeSql,
                       " AND status IN (1, 2) AND respond_by <> ", kNoTimeSql,
                       " AND respond_by > ", now_param, "::bigint"),
          w.params));
  return r.Int(0, 0);
}

absl::StatusOr<std::vector<AspectMention>> PgInsights::ListAspectMentions(
    std::string_view tenant_id, const ReviewFilter& filter, int32_t aspect,
    int32_t label, bool ascending, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ReviewWhere w = RowConditions(tenant_id, filter, /*of_reviews=*/false);
  const std::string aspect_param = Bind(w, aspect);
  const std::string label_param = Bind(w, label);
  const std::string limit_param = Bind(w, limit);
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(
          absl::StrCat("SELECT review_id, aspect, label, score, span_begin, "
                       "span_end FROM review_aspects",
                       w.sql, " AND aspect = ", aspect_param,
                       " AND label = ", label_param, " ORDER BY score ",
                       ascending ? "ASC" : "DESC", ", review_id LIMIT ",
                       limit_param),
          w.params));
  return ReadRows(r, [](const Result& res, int i) {
    AspectMention m;
    m.review_id = res.Int(i, 0);
    m.aspect = static_cast<int32_t>(res.Int(i, 1));
    m.label = static_cast<int32_t>(res.Int(i, 2));
    m.score = res.Float(i, 3);
    m.begin = static_cast<int32_t>(res.Int(i, 4));
    m.end = static_cast<int32_t>(res.Int(i, 5));
    return m;
  });
}

absl::Status PgInsights::OnReviewWritten(int64_t id,
                                         const PgStoredReview* before,
                                         const PgStoredReview& after) {
  rollups_.Record(before, after);
  return absl::OkStatus();
}

}  // namespace opinia::storage::pg
