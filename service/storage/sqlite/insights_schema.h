// The insights migration, kept in its own file because it is long;
// migrations.cc lists it like any other. Frozen (append-only migrations).
//
// Which counter of which rollup cell a review changes is described once,
// backend-neutrally, in service/storage/rollup_cells.h; the statements the
// store runs today are rendered from it (sqlite/rollup_sql.h). The shipped
// migrations here, in deferred_schema.cc and response_delay_schema.cc keep
// their own copies of those expressions, because shipped migration text
// never changes; their triggers hand rollup_cells.h's facts to
// opinia_defer_rollup (deferred_writes.h).
//
// What it maintains, all by triggers in the transaction that changes a
// review (ingest, update, override, soft delete, response, rescore):
// - insights_rollup: per (tenant, dims cell, local day) counts of
//   non-deleted reviews: total, by rating 1..5, by effective label
//   (NEGATIVE, NEUTRAL, POSITIVE, MIXED), responded (a response is
//   recorded), sla_pending (deadline set, no response, status NEW or
//   ACKNOWLEDGED) and sla_late (responded after the deadline). Each review
//   adds to 8 cells: every subset of {source, subject_id, language} with the
//   other dimensions stored as '' (dims bit 0/1/2 says which are set), so
//   any filter with lists of sources, subjects and languages is an exact
//   sum over disjoint cells, read in one index range per combination.
// - review_aspects: the aspects JSON of each non-deleted review as rows
//   (for quotes), and insights_aspect_rollup: per cell, day and aspect, the
//   count of mentions by aspect label.
// - reviews_fts: contentless FTS5 over opinia_fold(search_text).
// - partial indexes for the exact median response time (reviews_responded)
//   and open SLAs (reviews_sla_open), which depend on "now".
//
// kInsightsRollupsMigration (migration 7) adds, for the median response
// time:
// - insights_response_rollup: per (tenant, dims cell, local month, delay
//   bucket) the number of non-deleted responded reviews; the buckets are
//   insights_delay_buckets (0, then 16 per doubling from 1 s), a review's
//   is the last lower bound <= max(0, response_time - create_time).
// - reviews_response_delay: responded reviews ordered by response_time -
//   create_time. Over whole months the histogram gives the bucket and rank
//   of the median, this index its exact value, so the median costs one
//   histogram read and one short index range instead of every responded
//   review in range.
// - reviews_response_ai/ad/au keeping the histograms (only reviews with a
//   response, before or after the change, touch them).
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_INSIGHTS_SCHEMA_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_INSIGHTS_SCHEMA_H_

namespace opinia::storage::sqlite {

extern const char kInsightsMigration[];
extern const char kInsightsRollupsMigration[];
// Migration 8 (deferred_schema.cc): the triggers above log their changes
// through opinia_defer_* instead, applied per transaction by
// DeferredWrites (deferred_writes.h).
extern const char kDeferredIndexMigration[];
// Migration 9 (deferred_schema.cc): no triggers on INSERT INTO reviews or
// review_aspects; SqliteTxn::InsertReview runs these statements on the new
// row (?1 = its id) instead (the aspect row statement once per aspect). The
// first is rendered at startup from the rollup description (rollup_sql.h:
// LogInsertedReviewSql).
extern const char kInsertWithoutTriggersMigration[];
extern const char kInsertAspectRow[];
extern const char kLogInsertedAspects[];
// Migration 11 (response_delay_schema.cc): the virtual column
// reviews.response_delay, the delay from when Opinia first saw a review to
// its response, replaces response_time - create_time in the histograms, in
// reviews_response_delay and in their triggers. InsertReview logs with
// LogInsertedReviewStatement(), which reads it.
extern const char kResponseDelayMigration[];
const char* LogInsertedReviewStatement();

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_INSIGHTS_SCHEMA_H_
