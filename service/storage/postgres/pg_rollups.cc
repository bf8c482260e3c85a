#include "service/storage/postgres/pg_rollups.h"

#include <array>
#include <cstddef>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "service/storage/postgres/pg_review_rows.h"
#include "service/storage/time_micros.h"

namespace opinia::storage::pg {
namespace {

template <size_t N>
bool AllZero(const std::array<int64_t, N>& a) {
  for (int64_t v : a) {
    if (v != 0) return false;
  }
  return true;
}

template <size_t N>
void AddTo(std::array<int64_t, N>& sum, const std::array<int64_t, N>& d) {
  for (size_t i = 0; i < N; ++i) sum[i] += d[i];
}

std::string Int64Array(const std::vector<int64_t>& values) {
  return absl::StrCat("{", absl::StrJoin(values, ","), "}");
}

// A rollup table: its name, the key columns after the cell's five (tenant
// and the dims cell) with their types, and its counters.
struct Table {
  absl::string_view name;
  std::vector<std::pair<absl::string_view, absl::string_view>> tail;
  std::vector<absl::string_view> counters;
};

template <size_t N>
std::vector<absl::string_view> CounterColumns(
    const std::array<RollupCounter, N>& counters) {
  std::vector<absl::string_view> out;
  for (const RollupCounter& c : counters) {
    out.push_back(c.column);
  }
  return out;
}

// The tables in the order of Flush's statement and parameters.
const std::array<Table, 3>& Tables() {
  static const std::array<Table, 3>* const kTables = new std::array<Table, 3>{{
      {"insights_aspect_rollup",
       {{"day", "integer"}, {"aspect", "integer"}},
       CounterColumns(kAspectCounters)},
      {"insights_response_rollup",
       {{"month", "integer"}, {"lo", "bigint"}},
       CounterColumns(kResponseCounters)},
      {"insights_rollup",
       {{"day", "integer"}},
       CounterColumns(kInsightsCounters)},
  }};
  return *kTables;
}

// INSERT of the cells of `t` (each column an array parameter, from $next
// on) into the rows of the session's shard (the CTE `shard`), adding to
// the rows that exist.
std::string UpsertSql(const Table& t, int& next) {
  std::vector<std::pair<absl::string_view, absl::string_view>> key = {
      {"tenant_id", "text"},
      {"dims", "integer"},
      {"source", "text"},
      {"subject_id", "text"},
      {"language", "text"}};
  key.insert(key.end(), t.tail.begin(), t.tail.end());
  std::vector<std::string> arrays, names, values, sets;
  for (const auto& [column, type] : key) {
    arrays.push_back(absl::StrCat("$", next++, "::", type, "[]"));
    names.emplace_back(column);
    values.push_back(absl::StrCat("c.", column));
  }
  const std::string key_names = absl::StrJoin(names, ", ");
  values.push_back("shard.s");
  std::vector<std::string> columns = names;
  columns.push_back("shard");
  for (absl::string_view counter : t.counters) {
    arrays.push_back(absl::StrCat("$", next++, "::bigint[]"));
    names.emplace_back(counter);
    columns.emplace_back(counter);
    values.push_back(absl::StrCat("c.", counter));
    sets.push_back(
        absl::StrCat(counter, " = t.", counter, " + excluded.", counter));
  }
  return absl::StrCat("INSERT INTO ", t.name, " AS t (",
                      absl::StrJoin(columns, ", "), ") SELECT ",
                      absl::StrJoin(values, ", "), " FROM shard, unnest(",
                      absl::StrJoin(arrays, ", "), ") AS c(",
                      absl::StrJoin(names, ", "), ") ON CONFLICT (", key_names,
                      ", shard) DO UPDATE SET ", absl::StrJoin(sets, ", "));
}

// One statement for all three tables: the session's shard once, then the
// upserts (the first two as data-modifying WITH queries).
const std::string& FlushSql() {
  static const std::string* const kSql = [] {
    const std::array<Table, 3>& tables = Tables();
    int next = 1;
    const std::string aspects = UpsertSql(tables[0], next);
    const std::string responses = UpsertSql(tables[1], next);
    const std::string insights = UpsertSql(tables[2], next);
    return new std::string(absl::StrCat(
        "WITH shard AS MATERIALIZED (SELECT opinia_rollup_shard() AS s), "
        "aspects AS (",
        aspects, "), responses AS (", responses, ") ", insights));
  }();
  return *kSql;
}

// The parameters of one table's upsert: its cells whose deltas are not all
// zero, column by column. Returns how many cells.
template <typename Key, typename Deltas>
size_t AddCellParams(const std::map<Key, Deltas>& cells, size_t tail_columns,
                     Params& params) {
  std::vector<std::string> tenant, source, subject, language;
  std::vector<int64_t> dims;
  std::vector<std::vector<int64_t>> tail(tail_columns);
  std::vector<std::vector<int64_t>> counters(std::tuple_size<Deltas>::value);
  for (const auto& [key, deltas] : cells) {
    if (AllZero(deltas)) continue;
    tenant.push_back(std::get<0>(key));
    dims.push_back(std::get<1>(key));
    source.push_back(std::get<2>(key));
    subject.push_back(std::get<3>(key));
    language.push_back(std::get<4>(key));
    tail[0].push_back(std::get<5>(key));
    if (tail_columns > 1) tail[1].push_back(std::get<6>(key));
    for (size_t i = 0; i < deltas.size(); ++i) {
      counters[i].push_back(deltas[i]);
    }
  }
  params.Text(TextArray(tenant))
      .Text(Int64Array(dims))
      .Text(TextArray(source))
      .Text(TextArray(subject))
      .Text(TextArray(language));
  for (const std::vector<int64_t>& column : tail) {
    params.Text(Int64Array(column));
  }
  for (const std::vector<int64_t>& column : counters) {
    params.Text(Int64Array(column));
  }
  return tenant.size();
}

}  // namespace

void PgRollups::Record(const PgStoredReview* before,
                       const PgStoredReview& after) {
  if (before != nullptr) Add(*before, -1);
  Add(after, 1);
}

void PgRollups::Add(const PgStoredReview& stored, int sign) {
  const ReviewRow& row = stored.row;
  if (row.deleted) return;
  RollupReview r;
  r.tenant_id = row.tenant_id;
  r.source = row.source;
  r.subject_id = row.subject_id;
  r.language = row.language;
  r.local_day = stored.local_day;
  r.rating = row.rating;
  r.label = row.label;
  r.status = row.status;
  r.priority = row.priority;
  r.deleted = row.deleted;
  r.create_time = TimeToMicros(row.create_time);
  r.ingest_time = TimeToMicros(row.ingest_time);
  r.response_time = TimeToMicros(row.response_time);
  r.respond_by = TimeToMicros(row.respond_by);
  const RollupFacts facts = FactsOf(r);

  // Calls add(key) for each cell of the review with `day` and `last`.
  auto for_each_cell = [&](int64_t day, int64_t last, auto add) {
    ForEachRollupCell(
        r.source, r.subject_id, r.language,
        [&](int dims, const std::string& source, const std::string& subject,
            const std::string& language) {
          add(CellKey(r.tenant_id, dims, source, subject, language, day, last));
        });
  };

  const InsightsDeltas deltas = InsightsDeltasOf(facts, sign);
  for_each_cell(r.local_day, 0,
                [&](CellKey key) { AddTo(insights_[std::move(key)], deltas); });

  // As review_aspects holds them: each aspect once, its first entry.
  absl::flat_hash_set<int32_t> seen;
  for (const ReviewAspect& a : row.aspects) {
    if (!seen.insert(a.aspect).second) continue;
    const AspectDeltas d = AspectDeltasOf(a.label, sign);
    if (AllZero(d)) continue;
    for_each_cell(r.local_day, a.aspect,
                  [&](CellKey key) { AddTo(aspects_[std::move(key)], d); });
  }

  if (facts.flags[kResponded]) {
    const ResponseDeltas d = {sign};
    for_each_cell(FirstDayOfMonth(r.local_day), DelayBucket(ResponseDelay(r)),
                  [&](CellKey key) { AddTo(responses_[std::move(key)], d); });
  }
}

absl::Status PgRollups::Flush(Connection& conn) {
  if (empty()) return absl::OkStatus();
  const std::array<Table, 3>& tables = Tables();
  Params params;
  size_t cells = AddCellParams(aspects_, tables[0].tail.size(), params);
  cells += AddCellParams(responses_, tables[1].tail.size(), params);
  cells += AddCellParams(insights_, tables[2].tail.size(), params);
  insights_.clear();
  aspects_.clear();
  responses_.clear();
  if (cells == 0) return absl::OkStatus();  // every change cancelled out
  return conn.Exec(FlushSql(), params).status();
}

}  // namespace opinia::storage::pg
