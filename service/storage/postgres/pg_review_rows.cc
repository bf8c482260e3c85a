#include "service/storage/postgres/pg_review_rows.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/storage/postgres/pg_search.h"
#include "service/storage/review_order.h"
#include "service/storage/time_micros.h"

namespace opinia::storage::pg {
namespace {

// Columns 0..15 of both kReviewColumns and kLightReviewColumns.
#define OPINIA_PG_REVIEW_HEAD                                                 \
  "id, tenant_id, source, external_id, subject_id, rating, language, label, " \
  "score, priority, status, deleted, create_time, ingest_time, modify_time, " \
  "respond_by"

constexpr size_t kPackedAspectBytes = 20;

void PutInt32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

uint32_t GetInt32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    v |= static_cast<uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  }
  return v;
}

// Reads columns 0..15 (OPINIA_PG_REVIEW_HEAD).
ReviewRow ReadHead(const Result& r, int i) {
  ReviewRow row;
  row.id = r.Int(i, 0);
  row.tenant_id = r.String(i, 1);
  row.source = r.String(i, 2);
  row.external_id = r.String(i, 3);
  row.subject_id = r.String(i, 4);
  row.rating = static_cast<int32_t>(r.Int(i, 5));
  row.language = r.String(i, 6);
  row.label = static_cast<int32_t>(r.Int(i, 7));
  row.score = r.Float(i, 8);
  row.priority = static_cast<int32_t>(r.Int(i, 9));
  row.status = static_cast<int32_t>(r.Int(i, 10));
  row.deleted = r.Bool(i, 11);
  row.create_time = r.Time(i, 12);
  row.ingest_time = r.Time(i, 13);
  row.modify_time = r.Time(i, 14);
  row.respond_by = r.Time(i, 15);
  return row;
}

// Stored times are whole microseconds, so for a bound b with a finer part,
// t >= b and t < b hold exactly when they hold for ceil(b).
int64_t MicrosCeil(absl::Time t) {
  const int64_t floor = TimeToMicros(t);
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return floor;
  return MicrosToTime(floor) == t ? floor : floor + 1;
}

// " AND column = $n" for one value, " AND column = ANY($n::type[])" for
// more; nothing for none.
template <typename T>
void AddIn(const char* column, const char* array_type,
           const std::vector<T>& values, ReviewWhere& w) {
  if (values.empty()) return;
  if (values.size() == 1) {
    absl::StrAppend(&w.sql, " AND ", column, " = ", w.Next());
    if constexpr (std::is_same_v<T, std::string>) {
      w.params.Text(values[0]);
    } else {
      w.params.Int(values[0]);
    }
    return;
  }
  absl::StrAppend(&w.sql, " AND ", column, " = ANY(", w.Next(),
                  "::", array_type, "[])");
  if constexpr (std::is_same_v<T, std::string>) {
    w.params.Text(TextArray(values));
  } else {
    w.params.Text(IntArray(values));
  }
}

}  // namespace

const char kReviewColumns[] = OPINIA_PG_REVIEW_HEAD
    ", content_hash, input_hash, input, analysis, override_analysis, "
    "response_text, response_author, response_time, search_text, aspects";

// reviews_by_key (migration 005): the array is matched by no other index.
const char kFindReview[] = "SELECT " OPINIA_PG_REVIEW_HEAD
    ", content_hash, input_hash, input, analysis, override_analysis, "
    "response_text, response_author, response_time, search_text, aspects "
    "FROM reviews WHERE ARRAY[tenant_id, source, external_id] = "
    "ARRAY[$1, $2, $3]::text[]";

const char kLightReviewColumns[] = OPINIA_PG_REVIEW_HEAD
    ", response_text, response_author, response_time, aspects, local_day";

ReviewRow ReadReview(const Result& r, int i) {
  ReviewRow row = ReadHead(r, i);
  row.content_hash = r.Bytes(i, 16);
  row.input_hash = r.Bytes(i, 17);
  row.input = r.Bytes(i, 18);
  row.analysis = r.Bytes(i, 19);
  row.override_analysis = r.Bytes(i, 20);
  row.response_text = r.String(i, 21);
  row.response_author = r.String(i, 22);
  row.response_time = r.Time(i, 23);
  row.search_text = r.String(i, 24);
  row.aspects = UnpackAspects(r.Bytes(i, 25));
  return row;
}

ReviewRow ReadLightReview(const Result& r, int i, int64_t* local_day) {
  ReviewRow row = ReadHead(r, i);
  row.response_text = r.String(i, 16);
  row.response_author = r.String(i, 17);
  row.response_time = r.Time(i, 18);
  row.aspects = UnpackAspects(r.Bytes(i, 19));
  *local_day = r.Int(i, 20);
  return row;
}

// The review, and in the same statement its review_aspects rows (the
// arrays $28..$32 of AddAspectArrays: empty for a deleted review): one
// round trip per review.
#define OPINIA_PG_INSERT_REVIEW(on_conflict)                                   \
  "WITH r AS (INSERT INTO reviews (tenant_id, source, external_id, "           \
  "subject_id, rating, language, label, score, priority, status, deleted, "    \
  "create_time, ingest_time, modify_time, respond_by, content_hash, "          \
  "input_hash, input, analysis, override_analysis, response_text, "            \
  "response_author, response_time, search_text, aspects, local_day, search) "  \
  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, " \
  "$16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)" on_conflict    \
  " RETURNING id), a AS (INSERT INTO review_aspects (review_id, aspect, "      \
  "tenant_id, label, score, span_begin, span_end, create_time, day, source, "  \
  "subject_id, language) SELECT r.id, u.a, $1, u.l, u.s, u.b, u.e, $12, $26, " \
  "$2, $4, $6 FROM r, unnest($28::integer[], $29::integer[], $30::real[], "    \
  "$31::integer[], $32::integer[]) AS u(a, l, s, b, e)) SELECT id FROM r"

const char kInsertReview[] = OPINIA_PG_INSERT_REVIEW("");

const char kInsertReviewIfAbsent[] = OPINIA_PG_INSERT_REVIEW(
    " ON CONFLICT ((ARRAY[tenant_id, source, external_id])) DO NOTHING");

const char kUpdateReview[] =
    "UPDATE reviews SET source = $2, external_id = $3, subject_id = $4, "
    "rating = $5, language = $6, label = $7, score = $8, priority = $9, "
    "status = $10, deleted = $11, create_time = $12, ingest_time = $13, "
    "modify_time = $14, respond_by = $15, content_hash = $16, "
    "input_hash = $17, input = $18, analysis = $19, override_analysis = $20, "
    "response_text = $21, response_author = $22, response_time = $23, "
    "search_text = $24, aspects = $25, local_day = $26, search = $27 "
    "WHERE id = $28 AND tenant_id = $1";

Params ReviewParams(const ReviewRow& r, int64_t local_day) {
  Params p;
  p.Text(r.tenant_id)
      .Text(r.source)
      .Text(r.external_id)
      .Text(r.subject_id)
      .Int(r.rating)
      .Text(r.language)
      .Int(r.label)
      .Float(r.score)
      .Int(r.priority)
      .Int(r.status)
      .Bool(r.deleted)
      .Time(r.create_time)
      .Time(r.ingest_time)
      .Time(r.modify_time)
      .Time(r.respond_by)
      .Bytes(r.content_hash)
      .Bytes(r.input_hash)
      .Bytes(r.input)
      .Bytes(r.analysis)
      .Bytes(r.override_analysis)
      .Text(r.response_text)
      .Text(r.response_author)
      .Time(r.response_time)
      .Text(r.search_text)
      .Bytes(PackAspects(r.aspects))
      .Int(local_day)
      .Text(TsVectorText(r.search_text));
  return p;
}

std::string PackAspects(const std::vector<ReviewAspect>& aspects) {
  std::string out;
  out.reserve(aspects.size() * kPackedAspectBytes);
  for (const ReviewAspect& a : aspects) {
    const float score = std::isfinite(a.score) ? a.score : 0.0f;
    uint32_t bits;
    std::memcpy(&bits, &score, sizeof(bits));
    PutInt32(out, static_cast<uint32_t>(a.aspect));
    PutInt32(out, static_cast<uint32_t>(a.label));
    PutInt32(out, bits);
    PutInt32(out, static_cast<uint32_t>(a.begin));
    PutInt32(out, static_cast<uint32_t>(a.end));
  }
  return out;
}

std::vector<ReviewAspect> UnpackAspects(std::string_view packed) {
  std::vector<ReviewAspect> out;
  out.reserve(packed.size() / kPackedAspectBytes);
  for (size_t at = 0; at + kPackedAspectBytes <= packed.size();
       at += kPackedAspectBytes) {
    const char* p = packed.data() + at;
    ReviewAspect a;
    a.aspect = static_cast<int32_t>(GetInt32(p));
    a.label = static_cast<int32_t>(GetInt32(p + 4));
    const uint32_t bits = GetInt32(p + 8);
    std::memcpy(&a.score, &bits, sizeof(bits));
    a.begin = static_cast<int32_t>(GetInt32(p + 12));
    a.end = static_cast<int32_t>(GetInt32(p + 16));
    out.push_back(a);
  }
  return out;
}

const char kInsertAspectRows[] =
    "INSERT INTO review_aspects (review_id, aspect, tenant_id, label, score, "
    "span_begin, span_end, create_time, day, source, subject_id, language) "
    "SELECT $1, a, $2, l, s, b, e, $3, $4, $5, $6, $7 FROM "
    "unnest($8::integer[], $9::integer[], $10::real[], $11::integer[], "
    "$12::integer[]) AS u(a, l, s, b, e)";

Params AspectRowParams(int64_t id, const ReviewRow& row, int64_t local_day) {
  Params p;
  p.Int(id)
      .Text(row.tenant_id)
      .Time(row.create_time)
      .Int(local_day)
      .Text(row.source)
      .Text(row.subject_id)
      .Text(row.language);
  AddAspectArrays(row, p);
  return p;
}

void AddAspectArrays(const ReviewRow& row, Params& p) {
  std::vector<int32_t> aspect, label, begin, end;
  std::vector<std::string> score;
  if (!row.deleted) {
    absl::flat_hash_set<int32_t> seen;
    for (const ReviewAspect& a : row.aspects) {
      if (!seen.insert(a.aspect).second) continue;  // indexed as its first
      aspect.push_back(a.aspect);
      label.push_back(a.label);
      score.push_back(FloatText(std::isfinite(a.score) ? a.score : 0.0f));
      begin.push_back(a.begin);
      end.push_back(a.end);
    }
  }
  p.Text(IntArray(aspect))
      .Text(IntArray(label))
      .Text(absl::StrCat("{", absl::StrJoin(score, ","), "}"))
      .Text(IntArray(begin))
      .Text(IntArray(end));
}

std::string ReviewWhere::Next() { return absl::StrCat("$", next++); }

std::optional<ReviewWhere> ReviewConditions(std::string_view tenant_id,
                                            const ReviewFilter& f) {
  ReviewWhere w;
  absl::StrAppend(&w.sql, " WHERE tenant_id = ", w.Next());
  w.params.Text(tenant_id);
  if (!f.include_deleted) absl::StrAppend(&w.sql, " AND NOT deleted");
  AddIn("source", "text", f.sources, w);
  AddIn("subject_id", "text", f.subject_ids, w);
  AddIn("language", "text", f.languages, w);
  AddIn("label", "integer", f.labels, w);
  // The inbox orders: the partial indexes of migration 006 serve a query
  // whose condition implies theirs (NOT deleted AND status IN (1, 2)),
  // which a generic plan cannot see through a parameter; so statuses that
  // keep to open reviews are written as literals (only 1 and 2 can be).
  // And each column gets one condition, not a literal next to a parameter:
  // the planner multiplies the selectivities of both, underestimates the
  // rows and then prefers sorting them to walking the index in order.
  const bool inbox = IsInboxOrder(f.order);
  if (inbox && KeepsToOpenReviews(f)) {
    const bool both =
        std::find(f.statuses.begin(), f.statuses.end(), 1) != f.statuses.end() &&
        std::find(f.statuses.begin(), f.statuses.end(), 2) != f.statuses.end();
    absl::StrAppend(&w.sql, both ? " AND status IN (1, 2)"
                                 : absl::StrCat(" AND status = ", f.statuses[0]));
  } else {
    AddIn("status", "integer", f.statuses, w);
  }
  if (f.order == ReviewOrder::kUrgency && !f.priorities.empty()) {
    // The priorities as a range of the index's rank, walked in order; the
    // list itself only when the range holds more.
    const auto [lo, hi] = UrgencyRankRange(f.priorities);
    absl::StrAppend(&w.sql, " AND (", kUrgencyRankSql, ") BETWEEN ", lo,
                    " AND ", hi);
    if (!RankRangeIsExact(f.priorities)) {
      AddIn("priority", "integer", f.priorities, w);
    }
  } else {
    AddIn("priority", "integer", f.priorities, w);
  }
  if (f.min_rating != 0 || f.max_rating != 0) {
    // Any rating bound excludes unrated reviews (rating 0).
    absl::StrAppend(&w.sql, " AND rating >= ", w.Next());
    w.params.Int(std::max(f.min_rating, 1));
  }
  if (f.max_rating != 0) {
    absl::StrAppend(&w.sql, " AND rating <= ", w.Next());
    w.params.Int(f.max_rating);
  }
  if (!f.text_query.empty()) {
    std::optional<std::string> query = TsQueryText(f.text_query);
    if (!query.has_value()) return std::nullopt;
    absl::StrAppend(&w.sql, " AND search @@ ", w.Next(), "::tsquery");
    w.params.Text(*query);
  }
  if (f.start_time != absl::InfinitePast()) {
    absl::StrAppend(&w.sql, " AND create_time >= ", w.Next());
    w.params.Int(MicrosCeil(f.start_time));
  }
  if (f.end_time != absl::InfiniteFuture()) {
    absl::StrAppend(&w.sql, " AND create_time < ", w.Next());
    w.params.Int(MicrosCeil(f.end_time));
  }
  return w;
}

std::optional<ReviewWhere> ListReviewsQuery(
    std::string_view tenant_id, const ReviewFilter& filter,
    const std::optional<ReviewCursor>& after, int limit) {
  std::optional<ReviewWhere> where = ReviewConditions(tenant_id, filter);
  if (!where.has_value()) return std::nullopt;
  // The order's keys (the inbox orders' are review_order.h's expressions,
  // as migration 006 indexes them) and its direction; a row comparison
  // "strictly after the cursor" walks the order's index as one range.
  std::vector<std::string> keys;
  bool ascending = true;
  switch (filter.order) {
    case ReviewOrder::kCreateTimeDesc:
      ascending = false;
      [[fallthrough]];
    case ReviewOrder::kCreateTimeAsc:
      keys = {"create_time", "id"};
      if (after.has_value()) where->params.Time(after->create_time);
      break;
    case ReviewOrder::kUrgency:
      keys = {absl::StrCat("(", kUrgencyRankSql, ")"),
              absl::StrCat("(", kDueTimeSql, ")"), "id"};
      if (after.has_value()) {
        where->params.Int(UrgencyRank(after->priority))
            .Int(DueTime(after->respond_by));
      }
      break;
    case ReviewOrder::kRespondBy:
      keys = {absl::StrCat("(", kDueTimeSql, ")"), "id"};
      if (after.has_value()) where->params.Int(DueTime(after->respond_by));
      break;
  }
  if (after.has_value()) {
    where->params.Int(after->id);
    std::vector<std::string> values;
    for (size_t i = 0; i < keys.size(); ++i) values.push_back(where->Next());
    absl::StrAppend(&where->sql, " AND (", absl::StrJoin(keys, ", "), ") ",
                    ascending ? ">" : "<", " (", absl::StrJoin(values, ", "),
                    ")");
  }
  absl::StrAppend(&where->sql, " ORDER BY ",
                  absl::StrJoin(keys, ascending ? ", " : " DESC, "),
                  ascending ? "" : " DESC", " LIMIT ", where->Next());
  where->params.Int(limit);
  where->sql = absl::StrCat("SELECT ", kReviewColumns, " FROM reviews",
                            where->sql);
  return where;
}

std::string TextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('"');
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

std::string IntArray(const std::vector<int32_t>& values) {
  return absl::StrCat("{", absl::StrJoin(values, ","), "}");
}

}  // namespace opinia::storage::pg
