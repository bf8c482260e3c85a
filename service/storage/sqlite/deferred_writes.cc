#include "service/storage/sqlite/deferred_writes.h"

#include <sqlite3.h>

#include <array>
#include <map>
#include <string_view>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "service/storage/sqlite/connection.h"
#include "service/storage/sqlite/rollup_sql.h"
#include "service/storage/text_fold.h"
#include "util/status_macros.h"

namespace opinia::storage::sqlite {
namespace {

std::string TextArg(sqlite3_value* v) {
  const unsigned char* p = sqlite3_value_text(v);
  if (p == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_value_bytes(v)));
}

int64_t IntArg(sqlite3_value* v) { return sqlite3_value_int64(v); }

// A change's sign argument: -1 takes a row out of its cells, 1 adds it.
int SignArg(sqlite3_value* v) { return IntArg(v) < 0 ? -1 : 1; }

DeferredWrites* Self(sqlite3_context* ctx) {
  return static_cast<DeferredWrites*>(sqlite3_user_data(ctx));
}

// A rollup cell: tenant, dims, source, subject, language, day (or month),
// and a last key part (aspect, delay bucket; 0 for insights_rollup).
using CellKey = std::tuple<std::string, int, std::string, std::string,
                           std::string, int64_t, int64_t>;

// The cells a change at `w` adds to (rollup_cells.h).
template <typename Where, typename Fn>
void ForEachCell(const Where& w, int64_t last, Fn fn) {
  ForEachRollupCell(
      w.source, w.subject, w.language,
      [&](int dims, const std::string& source, const std::string& subject,
          const std::string& language) {
        fn(CellKey(w.tenant, dims, source, subject, language, w.day, last));
      });
}

template <size_t N>
bool AllZero(const std::array<int64_t, N>& a) {
  for (int64_t v : a) {
    if (v != 0) return false;
  }
  return true;
}

void BindCell(Statement& stmt, const CellKey& k) {
  stmt.BindText(std::get<0>(k))
      .BindInt64(std::get<1>(k))
      .BindText(std::get<2>(k))
      .BindText(std::get<3>(k))
      .BindText(std::get<4>(k))
      .BindInt64(std::get<5>(k));
}

// JSON string literal of valid UTF-8 `s` (what json_each reads back).
void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (u < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out->append("\\u00");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 0xf]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

// Rendered once from rollup_cells.h (rollup_sql.h).
const std::string& RollupUpsert() {
  static const std::string* const kSql = new std::string(InsightsUpsertSql());
  return *kSql;
}

const std::string& AspectUpsert() {
  static const std::string* const kSql = new std::string(AspectUpsertSql());
  return *kSql;
}

const std::string& ResponseUpsert() {
  static const std::string* const kSql = new std::string(ResponseUpsertSql());
  return *kSql;
}

// Sums the deltas of `changes` per cell and upserts every cell whose sum is
// not all zero; with bind_last the key part after the day (aspect, delay
// bucket) is bound too.
template <typename Change, typename DeltasOf, typename LastOf>
absl::Status UpsertCells(Connection& conn, const std::vector<Change>& changes,
                         const std::string& upsert, bool bind_last,
                         DeltasOf deltas_of, LastOf last_of) {
  using Deltas = decltype(deltas_of(changes.front()));
  std::map<CellKey, Deltas> cells;
  for (const Change& c : changes) {
    const Deltas d = deltas_of(c);
    if (AllZero(d)) continue;
    ForEachCell(c.where, last_of(c), [&](CellKey key) {
      Deltas& sum = cells[std::move(key)];
      for (size_t i = 0; i < d.size(); ++i) sum[i] += d[i];
    });
  }
  for (const auto& [key, sum] : cells) {
    if (AllZero(sum)) continue;
    ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(upsert));
    BindCell(stmt, key);
    if (bind_last) stmt.BindInt64(std::get<6>(key));
    for (int64_t v : sum) stmt.BindInt64(v);
    RETURN_IF_ERROR(stmt.Run());
  }
  return absl::OkStatus();
}

// One statement for all of a transaction's full-text changes: FTS5 would
// flush its pending terms into a new segment at every statement boundary.
// A NULL command column is a plain insert; 'delete' removes a contentless
// row's old tokens.
constexpr char kFtsApply[] =
    "INSERT INTO reviews_fts(reviews_fts, rowid, body) SELECT "
    "CASE WHEN json_extract(value, '$[0]') THEN NULL ELSE 'delete' END, "
    "json_extract(value, '$[1]'), json_extract(value, '$[2]') "
    "FROM json_each(?) ORDER BY key";

}  // namespace

absl::Status DeferredWrites::Register(sqlite3* db) {
  struct Fn {
    const char* name;
    int args;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
  };
  // The triggers of migrations 8 and 9 (frozen) pass rating, label and
  // exactly these three flags: a new flag needs a new function.
  static_assert(kNumRollupFlags == 3);
  // Not DETERMINISTIC: they have a side effect and must run once per call.
  const Fn fns[] = {
      {"opinia_defer_rollup", 11, &DeferredWrites::RollupFn},
      {"opinia_defer_aspect_rollup", 8, &DeferredWrites::AspectFn},
      {"opinia_defer_response_rollup", 7, &DeferredWrites::ResponseFn},
      {"opinia_defer_fts", 3, &DeferredWrites::FtsFn},
  };
  for (const Fn& f : fns) {
    const int rc = sqlite3_create_function_v2(db, f.name, f.args, SQLITE_UTF8,
                                              this, f.fn, nullptr, nullptr,
                                              nullptr);
    if (rc != SQLITE_OK) return SqliteError(db, rc, f.name);
  }
  return absl::OkStatus();
}

// The first five arguments of every opinia_defer_*_rollup.
DeferredWrites::Where DeferredWrites::WhereOf(sqlite3_value** argv) {
  return {TextArg(argv[0]), TextArg(argv[1]), TextArg(argv[2]),
          TextArg(argv[3]), IntArg(argv[4])};
}

void DeferredWrites::RollupFn(sqlite3_context* ctx, int,
                              sqlite3_value** argv) {
  RollupChange c;
  c.where = WhereOf(argv);
  c.sign = SignArg(argv[5]);
  c.facts.rating = static_cast<int32_t>(IntArg(argv[6]));
  c.facts.label = static_cast<int32_t>(IntArg(argv[7]));
  for (int i = 0; i < kNumRollupFlags; ++i) {
    c.facts.flags[i] = IntArg(argv[8 + i]) != 0;
  }
  Self(ctx)->rollups_.push_back(std::move(c));
  sqlite3_result_null(ctx);
}

void DeferredWrites::AspectFn(sqlite3_context* ctx, int,
                              sqlite3_value** argv) {
  Self(ctx)->aspects_.push_back({WhereOf(argv), IntArg(argv[5]),
                                 SignArg(argv[6]),
                                 static_cast<int>(IntArg(argv[7]))});
  sqlite3_result_null(ctx);
}

void DeferredWrites::ResponseFn(sqlite3_context* ctx, int,
                                sqlite3_value** argv) {
  Self(ctx)->responses_.push_back(
      {WhereOf(argv), IntArg(argv[5]), SignArg(argv[6])});
  sqlite3_result_null(ctx);
}

void DeferredWrites::FtsFn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  Self(ctx)->fts_.push_back(
      {IntArg(argv[0]) != 0, IntArg(argv[1]), TextArg(argv[2])});
  sqlite3_result_null(ctx);
}

DeferredWrites::Mark DeferredWrites::GetMark() const {
  return {rollups_.size(), aspects_.size(), responses_.size(), fts_.size()};
}

void DeferredWrites::RollBackTo(const Mark& mark) {
  if (mark.rollups < rollups_.size()) rollups_.resize(mark.rollups);
  if (mark.aspects < aspects_.size()) aspects_.resize(mark.aspects);
  if (mark.responses < responses_.size()) responses_.resize(mark.responses);
  if (mark.fts < fts_.size()) fts_.resize(mark.fts);
}

void DeferredWrites::Clear() { RollBackTo(Mark{}); }

bool DeferredWrites::empty() const {
  return rollups_.empty() && aspects_.empty() && responses_.empty() &&
         fts_.empty();
}

absl::Status DeferredWrites::Flush(Connection& conn) {
  // Rollups first: the full-text statement must be the transaction's last
  // write to reviews_fts (see kFtsApply).
  RETURN_IF_ERROR(FlushRollups(conn));
  RETURN_IF_ERROR(FlushAspects(conn));
  RETURN_IF_ERROR(FlushResponses(conn));
  RETURN_IF_ERROR(FlushFts(conn));
  Clear();
  return absl::OkStatus();
}

absl::Status DeferredWrites::FlushRollups(Connection& conn) {
  return UpsertCells(
      conn, rollups_, RollupUpsert(), /*bind_last=*/false,
      [](const RollupChange& c) { return InsightsDeltasOf(c.facts, c.sign); },
      [](const RollupChange&) { return int64_t{0}; });
}

absl::Status DeferredWrites::FlushAspects(Connection& conn) {
  return UpsertCells(
      conn, aspects_, AspectUpsert(), /*bind_last=*/true,
      [](const AspectChange& c) { return AspectDeltasOf(c.label, c.sign); },
      [](const AspectChange& c) { return c.aspect; });
}

absl::Status DeferredWrites::FlushResponses(Connection& conn) {
  return UpsertCells(
      conn, responses_, ResponseUpsert(), /*bind_last=*/true,
      [](const ResponseChange& c) { return ResponseDeltas{c.sign}; },
      [](const ResponseChange& c) { return c.lo; });
}

absl::Status DeferredWrites::FlushFts(Connection& conn) {
  // Chunks keep each bound JSON text far below SQLite's 1 GB value limit
  // (a group can carry thousands of 64 KiB texts); a chunk is still
  // thousands of typical reviews, so segments stay large.
  constexpr size_t kChunkBytes = 8 << 20;
  size_t next = 0;
  while (next < fts_.size()) {
    std::string json = "[";
    for (; next < fts_.size() && json.size() < kChunkBytes; ++next) {
      const FtsChange& c = fts_[next];
      if (json.size() > 1) json.push_back(',');
      absl::StrAppend(&json, "[", c.insert ? 1 : 0, ",", c.rowid, ",");
      AppendJsonString(FoldForSearch(c.text), &json);
      json.push_back(']');
    }
    json.push_back(']');
    ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(kFtsApply));
    stmt.BindText(json);
    RETURN_IF_ERROR(stmt.Run());
  }
  return absl::OkStatus();
}

}  // namespace opinia::storage::sqlite
