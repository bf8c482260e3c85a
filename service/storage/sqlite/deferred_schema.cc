// Migration 8: the insights and full-text triggers of migrations
// 3 and 7 rewritten to defer their work to the end of the transaction (see
// deferred_writes.h). Written by hand; frozen like every shipped migration.
#include "service/storage/sqlite/insights_schema.h"

namespace opinia::storage::sqlite {

extern const char kDeferredIndexMigration[] = R"sql(
-- The same rollups and full-text index as migrations 3 and 7, but the
-- triggers only log each change (opinia_defer_*, deferred_writes.h); the
-- store applies a transaction's changes once, just before COMMIT: one
-- upsert per distinct rollup cell, one full-text statement.
DROP TRIGGER reviews_insights_ai;
DROP TRIGGER reviews_insights_ad;
DROP TRIGGER reviews_insights_au;
DROP TRIGGER review_aspects_ai;
DROP TRIGGER review_aspects_ad;
DROP TRIGGER reviews_response_ai;
DROP TRIGGER reviews_response_ad;
DROP TRIGGER reviews_response_au;
DROP TRIGGER reviews_fts_ai;
DROP TRIGGER reviews_fts_ad;
DROP TRIGGER reviews_fts_au;

CREATE TRIGGER reviews_insights_ai AFTER INSERT ON reviews
WHEN new.deleted = 0 BEGIN
  SELECT opinia_defer_rollup(new.tenant_id, new.source, new.subject_id, new.language, new.local_day, 1,
    new.rating, new.label, new.response_time != -9223372036854775808,
    (new.respond_by != -9223372036854775808 AND new.response_time = -9223372036854775808 AND new.status IN (1, 2)),
    (new.respond_by != -9223372036854775808 AND new.response_time != -9223372036854775808 AND new.response_time > new.respond_by));
  INSERT OR IGNORE INTO review_aspects (review_id, aspect, tenant_id, label,
    score, span_begin, span_end, create_time, day, source, subject_id,
    language)
  SELECT new.id, coalesce(json_extract(j.value, '$.a'), 0), new.tenant_id, coalesce(json_extract(j.value, '$.l'), 0), coalesce(json_extract(j.value, '$.s'), 0), coalesce(json_extract(j.value, '$.b'), 0),
    coalesce(json_extract(j.value, '$.e'), 0), new.create_time, new.local_day, new.source,
    new.subject_id, new.language
  FROM json_each(nullif(new.aspects, '')) AS j WHERE new.deleted = 0;
END;

CREATE TRIGGER reviews_insights_ad AFTER DELETE ON reviews BEGIN
  SELECT opinia_defer_rollup(old.tenant_id, old.source, old.subject_id, old.language, old.local_day, -1,
    old.rating, old.label, old.response_time != -9223372036854775808,
    (old.respond_by != -9223372036854775808 AND old.response_time = -9223372036854775808 AND old.status IN (1, 2)),
    (old.respond_by != -9223372036854775808 AND old.response_time != -9223372036854775808 AND old.response_time > old.respond_by))
  WHERE old.deleted = 0;
  DELETE FROM review_aspects WHERE review_id = old.id;
END;

CREATE TRIGGER reviews_insights_au AFTER UPDATE ON reviews
WHEN old.tenant_id IS NOT new.tenant_id OR old.deleted IS NOT new.deleted OR old.local_day IS NOT new.local_day OR old.source IS NOT new.source OR old.subject_id IS NOT new.subject_id OR old.language IS NOT new.language OR old.rating IS NOT new.rating OR old.label IS NOT new.label OR old.response_time IS NOT new.response_time OR old.respond_by IS NOT new.respond_by OR old.status IS NOT new.status BEGIN
  SELECT opinia_defer_rollup(old.tenant_id, old.source, old.subject_id, old.language, old.local_day, -1,
    old.rating, old.label, old.response_time != -9223372036854775808,
    (old.respond_by != -9223372036854775808 AND old.response_time = -9223372036854775808 AND old.status IN (1, 2)),
    (old.respond_by != -9223372036854775808 AND old.response_time != -9223372036854775808 AND old.response_time > old.respond_by))
  WHERE old.deleted = 0;
  SELECT opinia_defer_rollup(new.tenant_id, new.source, new.subject_id, new.language, new.local_day, 1,
    new.rating, new.label, new.response_time != -9223372036854775808,
    (new.respond_by != -9223372036854775808 AND new.response_time = -9223372036854775808 AND new.status IN (1, 2)),
    (new.respond_by != -9223372036854775808 AND new.response_time != -9223372036854775808 AND new.response_time > new.respond_by))
  WHERE new.deleted = 0;
END;

CREATE TRIGGER review_aspects_ai AFTER INSERT ON review_aspects BEGIN
  SELECT opinia_defer_aspect_rollup(new.tenant_id, new.source, new.subject_id, new.language, new.day, new.aspect, 1, new.label);
END;

CREATE TRIGGER review_aspects_ad AFTER DELETE ON review_aspects BEGIN
  SELECT opinia_defer_aspect_rollup(old.tenant_id, old.source, old.subject_id, old.language, old.day, old.aspect, -1, old.label);
END;

CREATE TRIGGER reviews_response_ai AFTER INSERT ON reviews
WHEN new.deleted = 0 AND new.response_time != -9223372036854775808 BEGIN
  SELECT opinia_defer_response_rollup(new.tenant_id, new.source, new.subject_id, new.language, CAST(julianday(new.local_day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
    (SELECT lo FROM insights_delay_buckets WHERE lo <= max(0, new.response_time - new.create_time) ORDER BY lo DESC LIMIT 1), 1);
END;

CREATE TRIGGER reviews_response_ad AFTER DELETE ON reviews
WHEN old.deleted = 0 AND old.response_time != -9223372036854775808 BEGIN
  SELECT opinia_defer_response_rollup(old.tenant_id, old.source, old.subject_id, old.language, CAST(julianday(old.local_day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
    (SELECT lo FROM insights_delay_buckets WHERE lo <= max(0, old.response_time - old.create_time) ORDER BY lo DESC LIMIT 1), -1);
END;

CREATE TRIGGER reviews_response_au AFTER UPDATE ON reviews
WHEN (old.tenant_id IS NOT new.tenant_id OR old.deleted IS NOT new.deleted OR old.local_day IS NOT new.local_day OR old.source IS NOT new.source OR old.subject_id IS NOT new.subject_id OR old.language IS NOT new.language OR old.response_time IS NOT new.response_time OR old.create_time IS NOT new.create_time)
  AND (old.response_time != -9223372036854775808 OR new.response_time != -9223372036854775808) BEGIN
  SELECT opinia_defer_response_rollup(old.tenant_id, old.source, old.subject_id, old.language, CAST(julianday(old.local_day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
    (SELECT lo FROM insights_delay_buckets WHERE lo <= max(0, old.response_time - old.create_time) ORDER BY lo DESC LIMIT 1), -1)
  WHERE old.deleted = 0 AND old.response_time != -9223372036854775808;
  SELECT opinia_defer_response_rollup(new.tenant_id, new.source, new.subject_id, new.language, CAST(julianday(new.local_day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
    (SELECT lo FROM insights_delay_buckets WHERE lo <= max(0, new.response_time - new.create_time) ORDER BY lo DESC LIMIT 1), 1)
  WHERE new.deleted = 0 AND new.response_time != -9223372036854775808;
END;

CREATE TRIGGER reviews_fts_ai AFTER INSERT ON reviews BEGIN
  SELECT opinia_defer_fts(1, new.id, new.search_text);
END;

CREATE TRIGGER reviews_fts_ad AFTER DELETE ON reviews BEGIN
  SELECT opinia_defer_fts(0, old.id, old.search_text);
END;

CREATE TRIGGER reviews_fts_au AFTER UPDATE ON reviews
WHEN old.search_text IS NOT new.search_text BEGIN
  SELECT opinia_defer_fts(0, old.id, old.search_text);
  SELECT opinia_defer_fts(1, new.id, new.search_text);
END;
)sql";

// Migration 9: no trigger fires on INSERT INTO reviews or
// review_aspects. Any trigger makes SQLite run the insert as a statement
// that may write several rows (a trigger program and a statement journal
// for every insert). SqliteTxn::InsertReview now logs the same changes with
// the statements below; updates and deletes keep their triggers, which now
// log the aspect rollups themselves (review_aspects has no triggers).
// Measured as a whole (interleaved A/B, 4 x 100): 5,509-6,024 against
// 4,665-5,529 reviews/s; the per-call savepoints still journal pages.
extern const char kInsertWithoutTriggersMigration[] = R"sql(
DROP TRIGGER reviews_insights_ai;
DROP TRIGGER reviews_response_ai;
DROP TRIGGER reviews_fts_ai;
DROP TRIGGER review_aspects_ai;
DROP TRIGGER review_aspects_ad;
DROP TRIGGER reviews_insights_ad;
DROP TRIGGER reviews_aspects_au;

CREATE TRIGGER reviews_insights_ad AFTER DELETE ON reviews BEGIN
  SELECT opinia_defer_rollup(old.tenant_id, old.source, old.subject_id, old.language, old.local_day, -1,
    old.rating, old.label, old.response_time != -9223372036854775808,
    (old.respond_by != -9223372036854775808 AND old.response_time = -9223372036854775808 AND old.status IN (1, 2)),
    (old.respond_by != -9223372036854775808 AND old.response_time != -9223372036854775808 AND old.response_time > old.respond_by))
  WHERE old.deleted = 0;
  SELECT opinia_defer_aspect_rollup(tenant_id, source, subject_id, language, day, aspect, -1, label)
  FROM review_aspects WHERE review_id = old.id;
  DELETE FROM review_aspects WHERE review_id = old.id;
END;

CREATE TRIGGER reviews_aspects_au AFTER UPDATE ON reviews
WHEN old.aspects IS NOT new.aspects OR old.tenant_id IS NOT new.tenant_id OR old.deleted IS NOT new.deleted OR old.local_day IS NOT new.local_day OR old.create_time IS NOT new.create_time OR old.source IS NOT new.source OR old.subject_id IS NOT new.subject_id OR old.language IS NOT new.language BEGIN
  SELECT opinia_defer_aspect_rollup(tenant_id, source, subject_id, language, day, aspect, -1, label)
  FROM review_aspects WHERE review_id = old.id;
  DELETE FROM review_aspects WHERE review_id = old.id;
  INSERT OR IGNORE INTO review_aspects (review_id, aspect, tenant_id, label,
    score, span_begin, span_end, create_time, day, source, subject_id,
    language)
  SELECT new.id, coalesce(json_extract(j.value, '$.a'), 0), new.tenant_id, coalesce(json_extract(j.value, '$.l'), 0), coalesce(json_extract(j.value, '$.s'), 0), coalesce(json_extract(j.value, '$.b'), 0),
    coalesce(json_extract(j.value, '$.e'), 0), new.create_time, new.local_day, new.source,
    new.subject_id, new.language
  FROM json_each(nullif(new.aspects, '')) AS j WHERE new.deleted = 0;
  SELECT opinia_defer_aspect_rollup(tenant_id, source, subject_id, language, day, aspect, 1, label)
  FROM review_aspects WHERE review_id = new.id;
END;
)sql";

// What the dropped insert triggers did, as statements on the inserted row
// (?1 = its id), run by SqliteTxn::InsertReview in this order after
// LogInsertedReviewStatement() (rendered from rollup_cells.h, rollup_sql.cc): one
// aspect row of the inserted review ?1 (aspect ?2, label ?3, score ?4,
// evidence span ?5..?6; the filter columns come from the review) per
// aspect, then the aspect rollups of all of them.
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

}  // namespace opinia::storage::sqlite
