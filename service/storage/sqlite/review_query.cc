#include "service/storage/sqlite/review_query.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/storage/sqlite/aspects_json.h"
#include "service/storage/sqlite/fts_query.h"
#include "service/storage/review_order.h"

namespace opinia::storage::sqlite {
namespace {

constexpr char kColumns[] =
    "id, tenant_id, source, external_id, subject_id, rating, language, label, "
    "score, priority, status, deleted, create_time, ingest_time, modify_time, "
    "respond_by, content_hash, input_hash, input, analysis, "
    "override_analysis, response_text, response_author, response_time, "
    "search_text, aspects";

// Appends "AND column IN (?, ...)" ("= ?" for one value, which lets the
// planner use a (tenant_id, column, create_time, id) index in order).
template <typename T>
void AddIn(absl::string_view column, const std::vector<T>& values,
           ReviewQuery& q) {
  if (values.empty()) return;
  if (values.size() == 1) {
    absl::StrAppend(&q.sql, " AND ", column, " = ?");
  } else {
    std::vector<absl::string_view> marks(values.size(), "?");
    absl::StrAppend(&q.sql, " AND ", column, " IN (",
                    absl::StrJoin(marks, ", "), ")");
  }
  for (const T& v : values) {
    if constexpr (std::is_same_v<T, std::string>) {
      q.params.emplace_back(v);
    } else {
      q.params.emplace_back(static_cast<int64_t>(v));
    }
  }
}

// Stored times are whole microseconds, so for a bound b with a finer part,
// t >= b and t < b hold exactly when they hold for ceil(b).
int64_t EncodeTimeCeil(absl::Time t) {
  const int64_t floor = EncodeTime(t);
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return floor;
  return DecodeTime(floor) == t ? floor : floor + 1;
}

void AddConditions(std::string_view tenant_id, const ReviewFilter& f,
                   ReviewQuery& q, bool text_first = false) {
  // Full-text matches first: each is looked up in reviews_search (narrow,
  // keyed by id, carries every filter column), never in the wide rows.
  absl::StrAppend(&q.sql,
                  text_first && !f.text_query.empty()
                      ? " FROM reviews INDEXED BY reviews_search WHERE "
                        "tenant_id = ?"
                      : " FROM reviews WHERE tenant_id = ?");
  q.params.emplace_back(std::string(tenant_id));
  if (!f.include_deleted) absl::StrAppend(&q.sql, " AND deleted = 0");
  AddIn("source", f.sources, q);
  AddIn("subject_id", f.subject_ids, q);
  AddIn("language", f.languages, q);
  AddIn("label", f.labels, q);
  AddIn("priority", f.priorities, q);
  AddIn("status", f.statuses, q);
  if (f.min_rating != 0 || f.max_rating != 0) {
    // Any rating bound excludes unrated reviews (rating 0).
    absl::StrAppend(&q.sql, " AND rating >= ?");
    q.params.emplace_back(int64_t{std::max(f.min_rating, 1)});
  }
  if (f.max_rating != 0) {
    absl::StrAppend(&q.sql, " AND rating <= ?");
    q.params.emplace_back(int64_t{f.max_rating});
  }
  if (!f.text_query.empty()) {
    // Not text first: "+id" keeps the planner from looking every match up
    // by rowid and sorting the wide rows; it walks a keyset index and tests
    // each entry against the (materialized) matches instead.
    absl::StrAppend(&q.sql, text_first ? " AND id" : " AND +id",
                    " IN (SELECT rowid FROM reviews_fts WHERE "
                    "reviews_fts MATCH ?)");
    q.params.emplace_back(FtsMatchExpression(f.text_query));
  }
  AddCreateTimeRange(f, q);
  // The partial indexes of migration 13 are usable only when the query
  // states their condition literally (deleted = 0 is above).
  if (IsInboxOrder(f.order) && KeepsToOpenReviews(f)) {
    absl::StrAppend(&q.sql, " AND status IN (1, 2)");
  }
}

// The ORDER BY of `order` and its keyset condition "strictly after the
// cursor" (a row value comparison, which walks the order's index as one
// range), with the cursor's values.
struct Keyset {
  const char* order_by;
  const char* after;
  std::vector<int64_t> values;
};

Keyset KeysetOf(ReviewOrder order, const ReviewCursor& c) {
  switch (order) {
    case ReviewOrder::kCreateTimeAsc:
      return {" ORDER BY create_time ASC, id ASC",
              " AND (create_time, id) > (?, ?)",
              {EncodeTime(c.create_time), c.id}};
    case ReviewOrder::kUrgency:
      // urgency_rank and due_time: review_order.h's keys, migration 13.
      return {" ORDER BY urgency_rank, due_time, id",
              " AND (urgency_rank, due_time, id) > (?, ?, ?)",
              {UrgencyRank(c.priority), DueTime(c.respond_by), c.id}};
    case ReviewOrder::kRespondBy:
      return {" ORDER BY due_time, id", " AND (due_time, id) > (?, ?)",
              {DueTime(c.respond_by), c.id}};
    case ReviewOrder::kCreateTimeDesc:
      break;
  }
  return {" ORDER BY create_time DESC, id DESC",
          " AND (create_time, id) < (?, ?)",
          {EncodeTime(c.create_time), c.id}};
}

}  // namespace

void AddCreateTimeRange(const ReviewFilter& f, ReviewQuery& q) {
  if (f.start_time != absl::InfinitePast()) {
    absl::StrAppend(&q.sql, " AND create_time >= ?");
    q.params.emplace_back(EncodeTimeCeil(f.start_time));
  }
  if (f.end_time != absl::InfiniteFuture()) {
    absl::StrAppend(&q.sql, " AND create_time < ?");
    q.params.emplace_back(EncodeTimeCeil(f.end_time));
  }
}

void ReviewQuery::BindTo(Statement& stmt) const {
  for (const auto& p : params) {
    if (const int64_t* i = std::get_if<int64_t>(&p)) {
      stmt.BindInt64(*i);
    } else {
      stmt.BindText(std::get<std::string>(p));
    }
  }
}

ReviewQuery ListReviewsQuery(std::string_view tenant_id,
                             const ReviewFilter& filter,
                             const std::optional<ReviewCursor>& after,
                             bool text_first) {
  ReviewQuery q;
  const bool bounded_join = text_first && !filter.text_query.empty();
  const Keyset keyset = KeysetOf(filter.order, after.value_or(ReviewCursor{}));
  const char* order = keyset.order_by;
  // Bounded join: the page's ids come from the narrow index (sorting only
  // ids and times), then only those rows are read.
  q.sql = bounded_join
              ? absl::StrCat("SELECT ", kColumns,
                             " FROM reviews WHERE id IN (SELECT id")
              : absl::StrCat("SELECT ", kColumns);
  AddConditions(tenant_id, filter, q, text_first);
  if (filter.order == ReviewOrder::kUrgency && !filter.priorities.empty()) {
    // The priorities as a range of the index's urgency_rank, walked in
    // order (the list itself is tested per entry). Not in CountReviews:
    // SQLite takes any use of a generated column for a use of every
    // column, so the count would no longer be read from the index alone.
    const auto [lo, hi] = UrgencyRankRange(filter.priorities);
    absl::StrAppend(&q.sql, " AND urgency_rank BETWEEN ? AND ?");
    q.params.emplace_back(lo);
    q.params.emplace_back(hi);
  }
  if (after.has_value()) {
    absl::StrAppend(&q.sql, keyset.after);
    for (int64_t v : keyset.values) q.params.emplace_back(v);
  }
  // The caller binds the limit last (the only parameter after these).
  absl::StrAppend(&q.sql, order, " LIMIT ?", bounded_join ? ")" : "",
                  bounded_join ? order : "");
  return q;
}

ReviewQuery CountReviewsQuery(std::string_view tenant_id,
                              const ReviewFilter& filter) {
  ReviewQuery q;
  q.sql = "SELECT COUNT(*)";
  AddConditions(tenant_id, filter, q, /*text_first=*/true);
  return q;
}

const char* ReviewColumns() { return kColumns; }

ReviewRow ReadReviewRow(const Statement& s) {
  ReviewRow r;
  r.id = s.ColumnInt64(0);
  r.tenant_id = s.ColumnString(1);
  r.source = s.ColumnString(2);
  r.external_id = s.ColumnString(3);
  r.subject_id = s.ColumnString(4);
  r.rating = static_cast<int32_t>(s.ColumnInt64(5));
  r.language = s.ColumnString(6);
  r.label = static_cast<int32_t>(s.ColumnInt64(7));
  r.score = static_cast<float>(s.ColumnDouble(8));
  r.priority = static_cast<int32_t>(s.ColumnInt64(9));
  r.status = static_cast<int32_t>(s.ColumnInt64(10));
  r.deleted = s.ColumnInt64(11) != 0;
  r.create_time = s.ColumnTime(12);
  r.ingest_time = s.ColumnTime(13);
  r.modify_time = s.ColumnTime(14);
  r.respond_by = s.ColumnTime(15);
  r.content_hash = s.ColumnString(16);
  r.input_hash = s.ColumnString(17);
  r.input = s.ColumnString(18);
  r.analysis = s.ColumnString(19);
  r.override_analysis = s.ColumnString(20);
  r.response_text = s.ColumnString(21);
  r.response_author = s.ColumnString(22);
  r.response_time = s.ColumnTime(23);
  r.search_text = s.ColumnString(24);
  r.aspects = AspectsFromJson(s.ColumnString(25));
  return r;
}

const char kInsertReview[] =
    "INSERT INTO reviews (tenant_id, source, external_id, subject_id, "
    "rating, language, label, score, priority, status, deleted, "
    "create_time, ingest_time, modify_time, respond_by, content_hash, "
    "input_hash, input, analysis, override_analysis, response_text, "
    "response_author, response_time, search_text, aspects, local_day) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, "
    // local_day: create_time (?12) in the zone of tenant ?1.
    "opinia_local_day(?12, (SELECT time_zone FROM tenants WHERE id = "
    "?1)))";

void BindReviewColumns(Statement& s, const ReviewRow& r) {
  s.BindText(r.tenant_id)
      .BindText(r.source)
      .BindText(r.external_id)
      .BindText(r.subject_id)
      .BindInt64(r.rating)
      .BindText(r.language)
      .BindInt64(r.label)
      .BindDouble(r.score)
      .BindInt64(r.priority)
      .BindInt64(r.status)
      .BindInt64(r.deleted ? 1 : 0)
      .BindTime(r.create_time)
      .BindTime(r.ingest_time)
      .BindTime(r.modify_time)
      .BindTime(r.respond_by)
      .BindBlob(r.content_hash)
      .BindBlob(r.input_hash)
      .BindBlob(r.input)
      .BindBlob(r.analysis)
      .BindBlob(r.override_analysis)
      .BindText(r.response_text)
      .BindText(r.response_author)
      .BindTime(r.response_time)
      .BindText(r.search_text)
      .BindText(AspectsToJson(r.aspects));
}

}  // namespace opinia::storage::sqlite
