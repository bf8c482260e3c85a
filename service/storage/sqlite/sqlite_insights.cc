#include "service/storage/sqlite/sqlite_insights.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/storage/sqlite/review_query.h"
#include "service/storage/sqlite/rollup_sql.h"
#include "service/storage/sqlite/statements.h"
#include "service/storage/store.h"
#include "util/status_macros.h"

namespace opinia::storage::sqlite {
namespace {

constexpr char kNoTime[] = "-9223372036854775808";
// The rows of responded reviews that count (the partial indexes'
// conditions, written the same way).
constexpr char kRespondedRows[] =
    " AND deleted = 0 AND response_time != -9223372036854775808";

void AddIn(absl::string_view column, const std::vector<std::string>& values,
           ReviewQuery& q) {
  if (values.empty()) return;
  std::vector<absl::string_view> marks(values.size(), "?");
  absl::StrAppend(&q.sql, " AND ", column, " IN (", absl::StrJoin(marks, ", "),
                  ")");
  for (const std::string& v : values) q.params.emplace_back(v);
}

// Row conditions: tenant, the three dimensions and the create_time range.
void AddRowConditions(std::string_view tenant_id, const ReviewFilter& f,
                      ReviewQuery& q) {
  absl::StrAppend(&q.sql, " WHERE tenant_id = ?");
  q.params.emplace_back(std::string(tenant_id));
  AddIn("source", f.sources, q);
  AddIn("subject_id", f.subject_ids, q);
  AddIn("language", f.languages, q);
  AddCreateTimeRange(f, q);
}

// Rollup conditions: the cell kind (dims) and its dimension values.
void AddCellConditions(std::string_view tenant_id, const ReviewFilter& f,
                       int64_t first_day, int64_t end_day, ReviewQuery& q,
                       const char* day_column = "day") {
  const int64_t dims = (f.sources.empty() ? 0 : 1) |
                       (f.subject_ids.empty() ? 0 : 2) |
                       (f.languages.empty() ? 0 : 4);
  absl::StrAppend(&q.sql, " WHERE tenant_id = ? AND dims = ?");
  q.params.emplace_back(std::string(tenant_id));
  q.params.emplace_back(dims);
  for (const auto& [column, values] :
       {std::pair<const char*, const std::vector<std::string>*>{"source",
                                                                &f.sources},
        {"subject_id", &f.subject_ids},
        {"language", &f.languages}}) {
    if (values->empty()) {
      absl::StrAppend(&q.sql, " AND ", column, " = ''");
    } else {
      AddIn(column, *values, q);
    }
  }
  absl::StrAppend(&q.sql, " AND ", day_column, " >= ? AND ", day_column,
                  " < ?");
  q.params.emplace_back(first_day);
  q.params.emplace_back(end_day);
}

// The insights counters summed over insights_rollup or over the rows
// (rollup_sql.h), in kInsightsCounters order; ReadStats reads them back.
const std::string& StatsColumns(bool rollup) {
  static const std::string* const kRollup =
      new std::string(InsightsRollupSumsSql());
  static const std::string* const kRows =
      new std::string(InsightsRowSumsSql(""));
  return rollup ? *kRollup : *kRows;
}

// Reads StatsColumns starting at column `at`.
ReviewStats ReadStats(const Statement& s, int at) {
  ReviewStats st;
  int64_t labelled = 0;
  for (size_t i = 0; i < kInsightsCounters.size(); ++i) {
    const RollupCounter& c = kInsightsCounters[i];
    const int64_t v = s.ColumnInt64(at + static_cast<int>(i));
    switch (c.counts) {
      case RollupCounter::Counts::kAll:
        st.count = v;
        break;
      case RollupCounter::Counts::kRating:
        st.ratings[c.value - 1] = v;
        break;
      case RollupCounter::Counts::kLabel:
        st.labels[c.value] = v;
        labelled += v;
        break;
      case RollupCounter::Counts::kFlag:
        (c.value == kResponded    ? st.responded
         : c.value == kSlaPending ? st.sla_pending
                                  : st.sla_late) = v;
        break;
    }
  }
  st.labels[0] = st.count - labelled;
  return st;
}

AspectStats ReadAspect(const Statement& s, int at, bool with_unspecified) {
  AspectStats a;
  a.aspect = static_cast<int32_t>(s.ColumnInt64(at));
  const int first = with_unspecified ? 0 : 1;
  for (int i = first; i < 5; ++i) {
    a.labels[i] = s.ColumnInt64(at + 1 + i - first);
  }
  return a;
}

// Prepares q.sql on `conn` and binds q.params.
absl::StatusOr<Statement> PrepareQuery(Connection& conn, const ReviewQuery& q) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(q.sql));
  q.BindTo(stmt);
  return stmt;
}

// `select` (up to its FROM) over the rows of `tenant_id` that `filter`
// admits, then `tail` (more conditions, GROUP BY, ORDER BY ...) whose
// placeholders take `tail_params`; prepared and bound.
absl::StatusOr<Statement> PrepareRowQuery(
    Connection& conn, absl::string_view select, std::string_view tenant_id,
    const ReviewFilter& filter, absl::string_view tail,
    std::initializer_list<int64_t> tail_params = {}) {
  ReviewQuery q;
  q.sql = std::string(select);
  AddRowConditions(tenant_id, filter, q);
  absl::StrAppend(&q.sql, tail);
  for (int64_t p : tail_params) q.params.emplace_back(p);
  return PrepareQuery(conn, q);
}

// `select` over the rollup cells that hold exactly what `filter` admits,
// from `first` to before `end` in `day_column`, then `tail`.
absl::StatusOr<Statement> PrepareCellQuery(
    Connection& conn, absl::string_view select, std::string_view tenant_id,
    const ReviewFilter& filter, int64_t first, int64_t end,
    absl::string_view tail, const char* day_column = "day") {
  ReviewQuery q;
  q.sql = std::string(select);
  AddCellConditions(tenant_id, filter, first, end, q, day_column);
  absl::StrAppend(&q.sql, tail);
  return PrepareQuery(conn, q);
}

// Steps `stmt` to the end; the first column of every row.
absl::StatusOr<std::vector<int64_t>> FirstColumnInt64(Statement& stmt) {
  return CollectRows<int64_t>(
      stmt, [](const Statement& s, std::vector<int64_t>& out) {
        out.push_back(s.ColumnInt64(0));
      });
}

}  // namespace

absl::StatusOr<std::vector<DayStats>> SqliteInsights::ListDayStats(
    std::string_view tenant_id, const ReviewFilter& filter, int64_t first_day,
    int64_t end_day) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      PrepareCellQuery(conn_,
                       absl::StrCat("SELECT day, ", StatsColumns(true),
                                    " FROM insights_rollup"),
                       tenant_id, filter, first_day, end_day,
                       " GROUP BY day ORDER BY day"));
  return CollectRows<DayStats>(
      stmt, [](const Statement& s, std::vector<DayStats>& out) {
        DayStats d{s.ColumnInt64(0), ReadStats(s, 1)};
        if (d.stats.count != 0) out.push_back(d);
      });
}

absl::StatusOr<std::vector<AspectStats>> SqliteInsights::ListDayAspectStats(
    std::string_view tenant_id, const ReviewFilter& filter, int64_t first_day,
    int64_t end_day) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      PrepareCellQuery(conn_,
                       "SELECT day, aspect, sum(neg), sum(neu), sum(pos), "
                       "sum(mix) FROM insights_aspect_rollup",
                       tenant_id, filter, first_day, end_day,
                       " GROUP BY day, aspect ORDER BY day, aspect"));
  return CollectRows<AspectStats>(
      stmt, [](const Statement& s, std::vector<AspectStats>& out) {
        AspectStats a = ReadAspect(s, 1, /*with_unspecified=*/false);
        a.day = s.ColumnInt64(0);
        out.push_back(a);
      });
}

absl::StatusOr<ReviewStats> SqliteInsights::SumReviewStats(
    std::string_view tenant_id, const ReviewFilter& filter) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      PrepareRowQuery(
          conn_, absl::StrCat("SELECT ", StatsColumns(false), " FROM reviews"),
          tenant_id, filter, " AND deleted = 0"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return ReviewStats{};
  return ReadStats(stmt, 0);
}

absl::StatusOr<std::vector<AspectStats>> SqliteInsights::SumAspectStats(
    std::string_view tenant_id, const ReviewFilter& filter) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      PrepareRowQuery(conn_,
                      "SELECT aspect, sum(label = 0), sum(label = 1), "
                      "sum(label = 2), sum(label = 3), sum(label = 4) FROM "
                      "review_aspects",
                      tenant_id, filter, " GROUP BY aspect ORDER BY aspect"));
  return CollectRows<AspectStats>(
      stmt, [](const Statement& s, std::vector<AspectStats>& out) {
        out.push_back(ReadAspect(s, 0, /*with_unspecified=*/true));
      });
}

absl::StatusOr<std::vector<int64_t>> SqliteInsights::ListResponseDelays(
    std::string_view tenant_id, const ReviewFilter& filter) {
  // The literal conditions match the partial index reviews_responded.
  ASSIGN_OR_RETURN(Statement stmt,
                   PrepareRowQuery(conn_, "SELECT response_delay FROM reviews",
                                   tenant_id, filter, kRespondedRows));
  return FirstColumnInt64(stmt);
}

absl::StatusOr<std::vector<int64_t>> SqliteInsights::ListDelayBuckets() {
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("SELECT lo FROM insights_delay_buckets ORDER BY lo"));
  return FirstColumnInt64(stmt);
}

namespace {

absl::StatusOr<std::vector<BucketCount>> ReadBuckets(Statement& stmt) {
  return CollectRows<BucketCount>(
      stmt, [](const Statement& s, std::vector<BucketCount>& out) {
        BucketCount b{s.ColumnInt64(0), s.ColumnInt64(1)};
        if (b.count != 0) out.push_back(b);
      });
}

}  // namespace

absl::StatusOr<std::vector<BucketCount>>
SqliteInsights::ListMonthResponseCounts(std::string_view tenant_id,
                                        const ReviewFilter& filter,
                                        int64_t first_month,
                                        int64_t end_month) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      PrepareCellQuery(conn_, "SELECT lo, sum(n) FROM insights_response_rollup",
                       tenant_id, filter, first_month, end_month,
                       " GROUP BY lo ORDER BY lo", "month"));
  return ReadBuckets(stmt);
}

absl::StatusOr<std::vector<BucketCount>> SqliteInsights::SumResponseCounts(
    std::string_view tenant_id, const ReviewFilter& filter) {
  // The triggers' bucket expression (migrations.sql), over rows.
  ASSIGN_OR_RETURN(
      Statement stmt,
      PrepareRowQuery(conn_,
                      "SELECT (SELECT lo FROM insights_delay_buckets WHERE "
                      "lo <= response_delay ORDER BY lo DESC LIMIT 1) AS b, "
                      "count(*) FROM reviews",
                      tenant_id, filter,
                      absl::StrCat(kRespondedRows, " GROUP BY b ORDER BY b")));
  return ReadBuckets(stmt);
}

absl::StatusOr<std::vector<int64_t>> SqliteInsights::ListResponseDelaysBetween(
    std::string_view tenant_id, const ReviewFilter& filter, int64_t lo,
    int64_t hi, int64_t offset, int limit) {
  if (limit <= 0 || offset < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "limit must be > 0 and offset >= 0, got ", limit, ", ", offset));
  }
  // The literal conditions match the partial index reviews_response_delay,
  // which yields the rows in delay order.
  ASSIGN_OR_RETURN(
      Statement stmt,
      PrepareRowQuery(
          conn_,
          "SELECT response_delay FROM reviews INDEXED BY "
          "reviews_response_delay",
          tenant_id, filter,
          absl::StrCat(kRespondedRows,
                       " AND response_delay >= ? AND response_delay < ?"
                       " ORDER BY response_delay LIMIT ? OFFSET ?"),
          {lo, hi, limit, offset}));
  return FirstColumnInt64(stmt);
}

absl::StatusOr<int64_t> SqliteInsights::CountOpenSla(std::string_view tenant_id,
                                                     const ReviewFilter& filter,
                                                     absl::Time now) {
  // Open deadlines are all in the future, a short range of reviews_sla_open
  // whatever the create_time range.
  ASSIGN_OR_RETURN(
      Statement stmt,
      PrepareRowQuery(
          conn_, "SELECT count(*) FROM reviews INDEXED BY reviews_sla_open",
          tenant_id, filter,
          absl::StrCat(" AND deleted = 0 AND response_time = ", kNoTime,
                       " AND status IN (1, 2) AND respond_by != ", kNoTime,
                       " AND respond_by > ?"),
          {EncodeTime(now)}));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.ColumnInt64(0) : 0;
}

absl::StatusOr<std::vector<AspectMention>> SqliteInsights::ListAspectMentions(
    std::string_view tenant_id, const ReviewFilter& filter, int32_t aspect,
    int32_t label, bool ascending, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(
      Statement stmt,
      PrepareRowQuery(
          conn_,
          "SELECT review_id, aspect, label, score, span_begin, "
          "span_end FROM review_aspects",
          tenant_id, filter,
          absl::StrCat(" AND aspect = ? AND label = ? ORDER BY "
                       "score ",
                       ascending ? "ASC" : "DESC", ", review_id ASC LIMIT ?"),
          {aspect, label, limit}));
  return CollectRows<AspectMention>(
      stmt, [](const Statement& s, std::vector<AspectMention>& out) {
        AspectMention m;
        m.review_id = s.ColumnInt64(0);
        m.aspect = static_cast<int32_t>(s.ColumnInt64(1));
        m.label = static_cast<int32_t>(s.ColumnInt64(2));
        m.score = static_cast<float>(s.ColumnDouble(3));
        m.begin = static_cast<int32_t>(s.ColumnInt64(4));
        m.end = static_cast<int32_t>(s.ColumnInt64(5));
        out.push_back(m);
      });
}

}  // namespace opinia::storage::sqlite
