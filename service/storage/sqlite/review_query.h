// Builds the SQL of ListReviews/CountReviews from a fixed set of WHERE
// fragments with `?` placeholders; values are only ever bound, never
// spliced into the text.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_REVIEW_QUERY_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_REVIEW_QUERY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "service/storage/sqlite/connection.h"
#include "service/storage/store.h"

namespace opinia::storage::sqlite {

// SQL text plus its parameters in placeholder order.
struct ReviewQuery {
  std::string sql;
  std::vector<std::variant<int64_t, std::string>> params;

  void BindTo(Statement& stmt) const;
};

// SELECT <every column> in keyset order, strictly after `after`; the caller
// binds LIMIT as the last parameter.
// `text_first` (with a text_query): look the full-text matches up by id in
// the narrow index reviews_search and sort their ids, then read the page's
// rows only, instead of walking the keyset index and testing each row;
// faster when the matches are few.
ReviewQuery ListReviewsQuery(std::string_view tenant_id,
                             const ReviewFilter& filter,
                             const std::optional<ReviewCursor>& after,
                             bool text_first = false);
// SELECT COUNT(*) with the same conditions, no cursor (with a text_query,
// counted over the full-text matches looked up by id in reviews_search).
ReviewQuery CountReviewsQuery(std::string_view tenant_id,
                              const ReviewFilter& filter);

// Appends the create_time range of `filter` (" AND create_time >= ?" and
// " AND create_time < ?", each only for a finite bound).
void AddCreateTimeRange(const ReviewFilter& filter, ReviewQuery& q);

// Selects every column of a review, in ReadReviewRow's order.
const char* ReviewColumns();
ReviewRow ReadReviewRow(const Statement& stmt);
// Binds every column but id in ReviewColumns order (for INSERT/UPDATE).
void BindReviewColumns(Statement& stmt, const ReviewRow& row);
// Inserts a review bound by BindReviewColumns; local_day is computed from
// create_time in the tenant's zone.
extern const char kInsertReview[];

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_REVIEW_QUERY_H_
