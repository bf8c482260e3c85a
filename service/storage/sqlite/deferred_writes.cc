#include "service/storage/sqlite/deferred_writes.h"

#include <sqlite3.h>

#include <array>
#include <map>
#include <string_view>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "service/storage/sqlite/connection.h"
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

DeferredWrites* Self(sqlite3_context* ctx) {
  return static_cast<DeferredWrites*>(sqlite3_user_data(ctx));
}

// A rollup cell: tenant, dims, source, subject, language, day (or month),
// and a last key part (aspect, delay bucket; 0 for insights_rollup).
using CellKey = std::tuple<std::string, int, std::string, std::string,
                           std::string, int64_t, int64_t>;

// The 8 cells a change at `w` adds to: dims bit 0 keeps the source, bit 1
// the subject, bit 2 the language; a dimension left out is ''.
template <typename Where, typename Fn>
void ForEachCell(const Where& w, int64_t last, Fn fn) {
  static const std::string kEmpty;
  for (int dims = 0; dims < 8; ++dims) {
    fn(CellKey(w.tenant, dims, (dims & 1) ? w.source : kEmpty,
               (dims & 2) ? w.subject : kEmpty,
               (dims & 4) ? w.language : kEmpty, w.day, last));
  }
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

constexpr char kRollupUpsert[] =
    "INSERT INTO insights_rollup (tenant_id, dims, source, subject_id, "
    "language, day, n, r1, r2, r3, r4, r5, neg, neu, pos, mix, responded, "
    "sla_pending, sla_late) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?) ON CONFLICT (tenant_id, dims, source, subject_id, "
    "language, day) DO UPDATE SET n = n + excluded.n, r1 = r1 + excluded.r1, "
    "r2 = r2 + excluded.r2, r3 = r3 + excluded.r3, r4 = r4 + excluded.r4, "
    "r5 = r5 + excluded.r5, neg = neg + excluded.neg, "
    "neu = neu + excluded.neu, pos = pos + excluded.pos, "
    "mix = mix + excluded.mix, responded = responded + excluded.responded, "
    "sla_pending = sla_pending + excluded.sla_pending, "
    "sla_late = sla_late + excluded.sla_late";

constexpr char kAspectUpsert[] =
    "INSERT INTO insights_aspect_rollup (tenant_id, dims, source, "
    "subject_id, language, day, aspect, neg, neu, pos, mix) VALUES (?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, dims, source, "
    "subject_id, language, day, aspect) DO UPDATE SET "
    "neg = neg + excluded.neg, neu = neu + excluded.neu, "
    "pos = pos + excluded.pos, mix = mix + excluded.mix";

constexpr char kResponseUpsert[] =
    "INSERT INTO insights_response_rollup (tenant_id, dims, source, "
    "subject_id, language, month, lo, n) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (tenant_id, dims, source, subject_id, language, month, lo) "
    "DO UPDATE SET n = n + excluded.n";

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

void DeferredWrites::RollupFn(sqlite3_context* ctx, int,
                              sqlite3_value** argv) {
  RollupChange c;
  c.where = {TextArg(argv[0]), TextArg(argv[1]), TextArg(argv[2]),
             TextArg(argv[3]), IntArg(argv[4])};
  c.sign = IntArg(argv[5]) < 0 ? -1 : 1;
  c.rating = static_cast<int>(IntArg(argv[6]));
  c.label = static_cast<int>(IntArg(argv[7]));
  c.responded = IntArg(argv[8]) != 0;
  c.sla_pending = IntArg(argv[9]) != 0;
  c.sla_late = IntArg(argv[10]) != 0;
  Self(ctx)->rollups_.push_back(std::move(c));
  sqlite3_result_null(ctx);
}

void DeferredWrites::AspectFn(sqlite3_context* ctx, int,
                              sqlite3_value** argv) {
  AspectChange c;
  c.where = {TextArg(argv[0]), TextArg(argv[1]), TextArg(argv[2]),
             TextArg(argv[3]), IntArg(argv[4])};
  c.aspect = IntArg(argv[5]);
  c.sign = IntArg(argv[6]) < 0 ? -1 : 1;
  c.label = static_cast<int>(IntArg(argv[7]));
  Self(ctx)->aspects_.push_back(std::move(c));
  sqlite3_result_null(ctx);
}

void DeferredWrites::ResponseFn(sqlite3_context* ctx, int,
                                sqlite3_value** argv) {
  ResponseChange c;
  c.where = {TextArg(argv[0]), TextArg(argv[1]), TextArg(argv[2]),
             TextArg(argv[3]), IntArg(argv[4])};
  c.lo = IntArg(argv[5]);
  c.sign = IntArg(argv[6]) < 0 ? -1 : 1;
  Self(ctx)->responses_.push_back(std::move(c));
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
  if (rollups_.empty()) return absl::OkStatus();
  // n, r1..r5, neg, neu, pos, mix, responded, sla_pending, sla_late.
  std::map<CellKey, std::array<int64_t, 13>> cells;
  for (const RollupChange& c : rollups_) {
    std::array<int64_t, 13> d{};
    d[0] = c.sign;
    if (c.rating >= 1 && c.rating <= 5) d[c.rating] = c.sign;
    if (c.label >= 1 && c.label <= 4) d[5 + c.label] = c.sign;
    d[10] = c.responded ? c.sign : 0;
    d[11] = c.sla_pending ? c.sign : 0;
    d[12] = c.sla_late ? c.sign : 0;
    ForEachCell(c.where, 0, [&](CellKey key) {
      auto& sum = cells[std::move(key)];
      for (size_t i = 0; i < d.size(); ++i) sum[i] += d[i];
    });
  }
  for (const auto& [key, sum] : cells) {
    if (AllZero(sum)) continue;
    ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(kRollupUpsert));
    BindCell(stmt, key);
    for (int64_t v : sum) stmt.BindInt64(v);
    RETURN_IF_ERROR(stmt.Run());
  }
  return absl::OkStatus();
}

absl::Status DeferredWrites::FlushAspects(Connection& conn) {
  if (aspects_.empty()) return absl::OkStatus();
  std::map<CellKey, std::array<int64_t, 4>> cells;  // neg, neu, pos, mix
  for (const AspectChange& c : aspects_) {
    if (c.label < 1 || c.label > 4) continue;
    ForEachCell(c.where, c.aspect, [&](CellKey key) {
      cells[std::move(key)][c.label - 1] += c.sign;
    });
  }
  for (const auto& [key, sum] : cells) {
    if (AllZero(sum)) continue;
    ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(kAspectUpsert));
    BindCell(stmt, key);
    stmt.BindInt64(std::get<6>(key));
    for (int64_t v : sum) stmt.BindInt64(v);
    RETURN_IF_ERROR(stmt.Run());
  }
  return absl::OkStatus();
}

absl::Status DeferredWrites::FlushResponses(Connection& conn) {
  if (responses_.empty()) return absl::OkStatus();
  std::map<CellKey, int64_t> cells;
  for (const ResponseChange& c : responses_) {
    ForEachCell(c.where, c.lo,
                [&](CellKey key) { cells[std::move(key)] += c.sign; });
  }
  for (const auto& [key, n] : cells) {
    if (n == 0) continue;
    ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(kResponseUpsert));
    BindCell(stmt, key);
    stmt.BindInt64(std::get<6>(key)).BindInt64(n);
    RETURN_IF_ERROR(stmt.Run());
  }
  return absl::OkStatus();
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
