// The SQLite text of the insights rollups, rendered from their one
// description (service/storage/rollup_cells.h) instead of written out per
// statement: the logging statement of InsertReview, the upserts
// DeferredWrites applies at commit, and the statements that compute the
// rollups from the rows (rebuilds; the tests compare them with the C++
// deltas).
//
// The migrations that shipped (3, 7, 8, 9, 11 in migrations.sql) keep their
// own copies of these expressions: their text is frozen, and the triggers
// they created still call opinia_defer_rollup with the facts rendered here
// (rating, label, then kRollupFlags in order; deferred_writes.h).
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_ROLLUP_SQL_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_ROLLUP_SQL_H_

#include <string>

#include "absl/strings/string_view.h"
#include "service/storage/rollup_cells.h"

namespace opinia::storage::sqlite {

// A flag or counter as an SQL expression (0 or 1) on the reviews columns
// of `row` ("r" gives r.status, ...; "" plain column names).
std::string FlagSql(const RollupFlag& flag, absl::string_view row);
std::string CounterSql(const RollupCounter& counter, absl::string_view row);

// The insights counters summed, in kInsightsCounters order: over rows of
// reviews (`row` as above) or over insights_rollup rows.
std::string InsightsRowSumsSql(absl::string_view row);
std::string InsightsRollupSumsSql();

// The statement that logs a newly inserted review's rollup and full-text
// changes (?1 = its id). Before schema 11 (no reviews.response_delay) the
// response bucket is of response_time - create_time.
std::string LogInsertedReviewSql(bool has_response_delay);

// Upserts adding one cell's deltas (bound in the order of the key, then
// the counters) to insights_rollup, insights_aspect_rollup and
// insights_response_rollup.
std::string InsightsUpsertSql();
std::string AspectUpsertSql();
std::string ResponseUpsertSql();

// SELECTs of the rollup rows computed from the rows of reviews
// (review_aspects for aspects), in the column order of their tables; a
// cell no review counts in has no row.
std::string InsightsRollupSelectSql();
std::string AspectRollupSelectSql();
std::string ResponseRollupSelectSql();

// What the insert triggers did before migration 9 dropped them, as
// statements SqliteTxn::InsertReview runs on the inserted row (?1 = its id),
// in this order: LogInsertedReviewStatement() (LogInsertedReviewSql of the
// latest schema, rendered once and kept), then kInsertAspectRow once per
// aspect (aspect ?2, label ?3, score ?4, evidence span ?5..?6; the filter
// columns come from the review), then kLogInsertedAspects for all of them.
const char* LogInsertedReviewStatement();
extern const char kInsertAspectRow[];
extern const char kLogInsertedAspects[];

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_ROLLUP_SQL_H_
