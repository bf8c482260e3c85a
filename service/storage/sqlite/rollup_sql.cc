#include "service/storage/sqlite/rollup_sql.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace opinia::storage::sqlite {
namespace {

constexpr char kNoTimeSql[] = "-9223372036854775808";
static_assert(kNoTime == -9223372036854775807LL - 1);

constexpr char kCellKey[] = "tenant_id, dims, source, subject_id, language";

std::string Col(absl::string_view row, absl::string_view column) {
  return row.empty() ? std::string(column) : absl::StrCat(row, ".", column);
}

absl::string_view ColumnName(RollupColumn column) {
  switch (column) {
    case RollupColumn::kStatus:
      return "status";
    case RollupColumn::kResponseTime:
      return "response_time";
    case RollupColumn::kRespondBy:
      return "respond_by";
  }
  return "";
}

std::string TermSql(const RollupTerm& t, absl::string_view row) {
  const std::string c = Col(row, ColumnName(t.column));
  switch (t.op) {
    case RollupTerm::Op::kSet:
      return absl::StrCat(c, " != ", kNoTimeSql);
    case RollupTerm::Op::kUnset:
      return absl::StrCat(c, " = ", kNoTimeSql);
    case RollupTerm::Op::kIn:
      return absl::StrCat(c, " IN (",
                          absl::StrJoin(t.values.begin(),
                                        t.values.begin() + t.num_values, ", "),
                          ")");
    case RollupTerm::Op::kAfterRespondBy:
      return absl::StrCat(c, " > ", Col(row, "respond_by"));
  }
  return "";
}

// The cell columns of a row of `row` for the dims of insights_dims d.
std::string CellSql(absl::string_view row) {
  return absl::StrCat(
      Col(row, "tenant_id"), ", d.dims,\n  CASE WHEN d.dims & 1 THEN ",
      Col(row, "source"), " ELSE '' END,\n  CASE WHEN d.dims & 2 THEN ",
      Col(row, "subject_id"), " ELSE '' END,\n  CASE WHEN d.dims & 4 THEN ",
      Col(row, "language"), " ELSE '' END");
}

std::string MonthSql(absl::string_view row) {
  return absl::StrCat("CAST(julianday(", Col(row, "local_day"),
                      " * 86400, 'unixepoch', 'start of month') - 2440587.5 "
                      "AS INTEGER)");
}

std::string BucketSql(absl::string_view delay) {
  return absl::StrCat("(SELECT lo FROM insights_delay_buckets WHERE lo <= ",
                      delay, " ORDER BY lo DESC LIMIT 1)");
}

template <size_t N>
std::string Columns(const std::array<RollupCounter, N>& counters) {
  return absl::StrJoin(counters, ", ",
                       [](std::string* out, const RollupCounter& c) {
                         absl::StrAppend(out, c.column);
                       });
}

template <size_t N>
std::string UpsertSql(absl::string_view table, absl::string_view key,
                      int key_params,
                      const std::array<RollupCounter, N>& counters) {
  std::vector<std::string> params(key_params + N, "?");
  std::vector<std::string> sets;
  for (const RollupCounter& c : counters) {
    sets.push_back(
        absl::StrCat(c.column, " = ", c.column, " + excluded.", c.column));
  }
  return absl::StrCat("INSERT INTO ", table, " (", key, ", ", Columns(counters),
                      ") VALUES (", absl::StrJoin(params, ", "),
                      ") ON CONFLICT (", key, ") DO UPDATE SET ",
                      absl::StrJoin(sets, ", "));
}

template <size_t N>
std::string SumsSql(const std::array<RollupCounter, N>& counters,
                    absl::string_view row) {
  return absl::StrJoin(counters, ",\n  ",
                       [&](std::string* out, const RollupCounter& c) {
                         absl::StrAppend(out, "sum(", CounterSql(c, row), ")");
                       });
}

}  // namespace

std::string FlagSql(const RollupFlag& flag, absl::string_view row) {
  std::vector<std::string> terms;
  for (int i = 0; i < flag.num_terms; ++i) {
    terms.push_back(TermSql(flag.terms[i], row));
  }
  const std::string all = absl::StrJoin(terms, " AND ");
  return terms.size() == 1 ? all : absl::StrCat("(", all, ")");
}

std::string CounterSql(const RollupCounter& counter, absl::string_view row) {
  switch (counter.counts) {
    case RollupCounter::Counts::kAll:
      return "1";
    case RollupCounter::Counts::kRating:
      return absl::StrCat(Col(row, "rating"), " = ", counter.value);
    case RollupCounter::Counts::kLabel:
      return absl::StrCat(Col(row, "label"), " = ", counter.value);
    case RollupCounter::Counts::kFlag:
      return FlagSql(kRollupFlags[counter.value], row);
  }
  return "0";
}

std::string LogInsertedReviewSql(bool has_response_delay) {
  std::string facts = "rating, label";
  for (const RollupFlag& flag : kRollupFlags) {
    absl::StrAppend(&facts, ",\n    ", FlagSql(flag, ""));
  }
  const std::string responded = FlagSql(kRollupFlags[kResponded], "");
  return absl::StrCat(
      "SELECT opinia_defer_fts(1, id, search_text),\n"
      "  CASE WHEN deleted = 0 THEN opinia_defer_rollup(tenant_id, source, "
      "subject_id, language, local_day, 1,\n    ",
      facts, ") END,\n  CASE WHEN deleted = 0 AND ", responded,
      " THEN\n    opinia_defer_response_rollup(tenant_id, source, "
      "subject_id, language, ",
      MonthSql(""), ",\n      ",
      BucketSql(has_response_delay ? "response_delay"
                                   : "max(0, response_time - create_time)"),
      ", 1) END\nFROM reviews WHERE id = ?1");
}

std::string InsightsRowSumsSql(absl::string_view row) {
  return SumsSql(kInsightsCounters, row);
}

std::string InsightsRollupSumsSql() {
  return absl::StrJoin(kInsightsCounters, ", ",
                       [](std::string* out, const RollupCounter& c) {
                         absl::StrAppend(out, "sum(", c.column, ")");
                       });
}

std::string InsightsUpsertSql() {
  return UpsertSql("insights_rollup", absl::StrCat(kCellKey, ", day"), 6,
                   kInsightsCounters);
}

std::string AspectUpsertSql() {
  return UpsertSql("insights_aspect_rollup",
                   absl::StrCat(kCellKey, ", day, aspect"), 7, kAspectCounters);
}

std::string ResponseUpsertSql() {
  return UpsertSql("insights_response_rollup",
                   absl::StrCat(kCellKey, ", month, lo"), 7, kResponseCounters);
}

std::string InsightsRollupSelectSql() {
  return absl::StrCat("SELECT ", CellSql("r"), ", r.local_day,\n  ",
                      InsightsRowSumsSql("r"),
                      "\nFROM reviews r, insights_dims d WHERE r.deleted = 0 "
                      "GROUP BY 1, 2, 3, 4, 5, 6");
}

std::string AspectRollupSelectSql() {
  return absl::StrCat("SELECT ", CellSql("a"), ", a.day, a.aspect,\n  ",
                      SumsSql(kAspectCounters, "a"),
                      "\nFROM review_aspects a, insights_dims d "
                      "GROUP BY 1, 2, 3, 4, 5, 6, 7");
}

std::string ResponseRollupSelectSql() {
  return absl::StrCat(
      "SELECT ", CellSql("r"), ", ", MonthSql("r"), ",\n  ",
      BucketSql("r.response_delay"), ",\n  ", SumsSql(kResponseCounters, "r"),
      "\nFROM reviews r, insights_dims d WHERE "
      "r.deleted = 0 AND ",
      FlagSql(kRollupFlags[kResponded], "r"), "\nGROUP BY 1, 2, 3, 4, 5, 6, 7");
}

extern const char kInsertAspectRow[] = R"sql(
INSERT OR IGNORE INTO review_aspects (review_id, aspect, tenant_id, label,
  score, span_begin, span_end, create_time, day, source, subject_id,
  language)
SELECT id, ?2, tenant_id, ?3, ?4, ?5, ?6, create_time, local_day, source,
  subject_id, language
FROM reviews WHERE id = ?1 AND deleted = 0
)sql";

extern const char kLogInsertedAspects[] = R"sql(
SELECT opinia_defer_aspect_rollup(tenant_id, source, subject_id, language, day, aspect, 1, label)
FROM review_aspects WHERE review_id = ?1
)sql";

const char* LogInsertedReviewStatement() {
  // Rendered on first use and never destroyed: SqliteTxn prepares it by
  // pointer at any time, from any thread (a function-local static is
  // initialised once, thread-safely, and stays reachable).
  static const std::string* const sql =
      new std::string(LogInsertedReviewSql(/*has_response_delay=*/true));
  return sql->c_str();
}

}  // namespace opinia::storage::sqlite
