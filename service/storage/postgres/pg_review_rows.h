// How PgTxn keeps reviews: the column lists, reading a row, the parameters
// of an insert or update, the packed aspects, and the WHERE clause of
// ListReviews/CountReviews. Values are only ever parameters; the SQL text
// depends only on which filters are set (a bounded set of texts, so each is
// prepared once per connection).
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_REVIEW_ROWS_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_REVIEW_ROWS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/storage/postgres/pg_connection.h"
#include "service/storage/store.h"

namespace opinia::storage::pg {

// Every column of a review, in ReadReview's order.
extern const char kReviewColumns[];
// Every column but the serialized blobs (input, analysis,
// override_analysis) and search_text, which read as empty, plus local_day:
// in ReadLightReview's order.
extern const char kLightReviewColumns[];

// kReviewColumns of the review ($1 tenant, $2 source, $3 external id),
// through the index reviews_by_key whatever the planner's statistics say
// (migration 005 tells why).
extern const char kFindReview[];

ReviewRow ReadReview(const Result& r, int row);
// A review of kLightReviewColumns; its local_day in `local_day`.
ReviewRow ReadLightReview(const Result& r, int row, int64_t* local_day);

// INSERT of a review and its review_aspects rows, returning its id; the
// parameters of ReviewParams, then AddAspectArrays.
extern const char kInsertReview[];
// kInsertReview that changes nothing when (tenant_id, source, external_id)
// is stored already (returns no row).
extern const char kInsertReviewIfAbsent[];
// UPDATE of every column of review $28 in tenant $1 (ReviewParams, then
// the id).
extern const char kUpdateReview[];
// $1..$27: every column but id, then local_day and search (the tsvector).
Params ReviewParams(const ReviewRow& row, int64_t local_day);

// reviews.aspects: 20 bytes an aspect (aspect, label, score bits, begin,
// end; int32 little-endian), in order; a non-finite score as 0.
std::string PackAspects(const std::vector<ReviewAspect>& aspects);
std::vector<ReviewAspect> UnpackAspects(std::string_view packed);

// The review_aspects rows of a stored review. Parameters: review id,
// tenant_id, create_time, day, source, subject_id, language, then
// AddAspectArrays.
extern const char kInsertAspectRows[];
Params AspectRowParams(int64_t id, const ReviewRow& row, int64_t local_day);
// The review_aspects rows of `row` as five arrays (aspect, label, score,
// begin, end): each aspect once (its first entry); none for a deleted
// review.
void AddAspectArrays(const ReviewRow& row, Params& p);

// " WHERE tenant_id = $1 AND ..." for `filter` (cursor and ORDER BY not
// included; with an inbox order, the conditions are spelled for its partial
// indexes), and the parameters so far; std::nullopt when the filter can
// match nothing (a full-text group without a token).
struct ReviewWhere {
  std::string sql;
  Params params;
  int next = 1;  // the number of the next parameter

  // "$<next>" for a parameter added by the caller.
  std::string Next();
};
std::optional<ReviewWhere> ReviewConditions(std::string_view tenant_id,
                                            const ReviewFilter& filter);

// The whole SELECT of ListReviews: every column of the rows matching
// `filter`, in its order, strictly after `after`, at most `limit`;
// std::nullopt as ReviewConditions.
std::optional<ReviewWhere> ListReviewsQuery(
    std::string_view tenant_id, const ReviewFilter& filter,
    const std::optional<ReviewCursor>& after, int limit);

// PostgreSQL array input text: {"a","b"} and {1,2}.
std::string TextArray(const std::vector<std::string>& values);
std::string IntArray(const std::vector<int32_t>& values);

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_REVIEW_ROWS_H_
