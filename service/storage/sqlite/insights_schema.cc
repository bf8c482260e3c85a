// The insights schema, frozen like every shipped migration (the statements
// the server runs today are rendered from service/storage/rollup_cells.h).
// See insights_schema.h.
#include "service/storage/sqlite/insights_schema.h"

namespace opinia::storage::sqlite {

extern const char kInsightsMigration[] = R"sql(
-- Columns the store fills: aspects (JSON from core, see insights_store.h)
-- and local_day (opinia_local_day of create_time in the tenant's zone).
ALTER TABLE reviews ADD COLUMN aspects TEXT NOT NULL DEFAULT '[]';
ALTER TABLE reviews ADD COLUMN local_day INTEGER NOT NULL DEFAULT 0;
UPDATE reviews SET local_day = opinia_local_day(create_time,
  (SELECT time_zone FROM tenants WHERE tenants.id = reviews.tenant_id));

-- The 8 rollup cells every review adds to: bit 0 = by source, bit 1 = by
-- subject, bit 2 = by language; a dimension not in `dims` is stored as ''.
CREATE TABLE insights_dims (dims INTEGER PRIMARY KEY);
INSERT INTO insights_dims VALUES (0), (1), (2), (3), (4), (5), (6), (7);

-- Per tenant, cell and local day: sums over non-deleted reviews.
CREATE TABLE insights_rollup (
  tenant_id   TEXT NOT NULL,
  dims        INTEGER NOT NULL,
  source      TEXT NOT NULL,
  subject_id  TEXT NOT NULL,
  language    TEXT NOT NULL,
  day         INTEGER NOT NULL,
  n           INTEGER NOT NULL,
  r1          INTEGER NOT NULL,
  r2          INTEGER NOT NULL,
  r3          INTEGER NOT NULL,
  r4          INTEGER NOT NULL,
  r5          INTEGER NOT NULL,
  neg         INTEGER NOT NULL,
  neu         INTEGER NOT NULL,
  pos         INTEGER NOT NULL,
  mix         INTEGER NOT NULL,
  responded   INTEGER NOT NULL,
  sla_pending INTEGER NOT NULL,
  sla_late    INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, dims, source, subject_id, language, day)
) WITHOUT ROWID;

-- One row per aspect of a non-deleted review (the JSON in reviews.aspects),
-- with the review's filter columns, for quotes and aspect rollups.
CREATE TABLE review_aspects (
  review_id   INTEGER NOT NULL,
  aspect      INTEGER NOT NULL,
  tenant_id   TEXT NOT NULL,
  label       INTEGER NOT NULL,
  score       REAL NOT NULL,
  span_begin  INTEGER NOT NULL,
  span_end    INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  day         INTEGER NOT NULL,
  source      TEXT NOT NULL,
  subject_id  TEXT NOT NULL,
  language    TEXT NOT NULL,
  PRIMARY KEY (review_id, aspect)
) WITHOUT ROWID;
CREATE INDEX review_aspects_by_score
  ON review_aspects(tenant_id, aspect, label, score);
CREATE INDEX review_aspects_by_time
  ON review_aspects(tenant_id, create_time, aspect, label);

CREATE TABLE insights_aspect_rollup (
  tenant_id   TEXT NOT NULL,
  dims        INTEGER NOT NULL,
  source      TEXT NOT NULL,
  subject_id  TEXT NOT NULL,
  language    TEXT NOT NULL,
  day         INTEGER NOT NULL,
  aspect      INTEGER NOT NULL,
  neg         INTEGER NOT NULL,
  neu         INTEGER NOT NULL,
  pos         INTEGER NOT NULL,
  mix         INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, dims, source, subject_id, language, day, aspect)
) WITHOUT ROWID;

-- Exact median response time and open SLAs read these instead of rows.
CREATE INDEX reviews_responded ON reviews(tenant_id, create_time, source,
  subject_id, language, response_time)
  WHERE deleted = 0 AND response_time != -9223372036854775808;
CREATE INDEX reviews_sla_open ON reviews(tenant_id, respond_by, create_time,
  source, subject_id, language)
  WHERE deleted = 0 AND response_time = -9223372036854775808 AND status IN (1, 2)
    AND respond_by != -9223372036854775808;

-- Full-text search over opinia_fold(search_text); contentless, so the old
-- text is deleted with the exact tokens it was indexed with.
CREATE VIRTUAL TABLE reviews_fts USING fts5(body, content='',
  tokenize='unicode61 remove_diacritics 2');
INSERT INTO reviews_fts(rowid, body)
  SELECT id, opinia_fold(search_text) FROM reviews;

-- Rollups of the reviews stored before this migration (they have no aspects
-- until re-analysed).
INSERT INTO insights_rollup (tenant_id, dims, source, subject_id, language, day, n, r1, r2, r3, r4, r5, neg, neu, pos, mix, responded, sla_pending, sla_late)
SELECT r.tenant_id, d.dims,
  CASE WHEN d.dims & 1 THEN r.source ELSE '' END,
  CASE WHEN d.dims & 2 THEN r.subject_id ELSE '' END,
  CASE WHEN d.dims & 4 THEN r.language ELSE '' END, r.local_day,
  count(*),
  sum(r.rating = 1),
  sum(r.rating = 2),
  sum(r.rating = 3),
  sum(r.rating = 4),
  sum(r.rating = 5),
  sum(r.label = 1),
  sum(r.label = 2),
  sum(r.label = 3),
  sum(r.label = 4),
  sum(r.response_time != -9223372036854775808),
  sum((r.respond_by != -9223372036854775808 AND r.response_time = -9223372036854775808 AND r.status IN (1, 2))),
  sum((r.respond_by != -9223372036854775808 AND r.response_time != -9223372036854775808 AND r.response_time > r.respond_by))
FROM reviews r, insights_dims d WHERE r.deleted = 0 GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER reviews_insights_ai AFTER INSERT ON reviews
WHEN new.deleted = 0 BEGIN
  INSERT INTO insights_rollup (tenant_id, dims, source, subject_id, language, day, n, r1, r2, r3, r4, r5, neg, neu, pos, mix, responded, sla_pending, sla_late)
  SELECT
    new.tenant_id,
    d.dims,
    CASE WHEN d.dims & 1 THEN new.source ELSE '' END,
    CASE WHEN d.dims & 2 THEN new.subject_id ELSE '' END,
    CASE WHEN d.dims & 4 THEN new.language ELSE '' END,
    new.local_day,
    1,
    new.rating = 1,
    new.rating = 2,
    new.rating = 3,
    new.rating = 4,
    new.rating = 5,
    new.label = 1,
    new.label = 2,
    new.label = 3,
    new.label = 4,
    new.response_time != -9223372036854775808,
    (new.respond_by != -9223372036854775808 AND new.response_time = -9223372036854775808 AND new.status IN (1, 2)),
    (new.respond_by != -9223372036854775808 AND new.response_time != -9223372036854775808 AND new.response_time > new.respond_by)
  FROM insights_dims d WHERE true
  ON CONFLICT (tenant_id, dims, source, subject_id, language, day) DO UPDATE SET
    n = n + excluded.n,
    r1 = r1 + excluded.r1,
    r2 = r2 + excluded.r2,
    r3 = r3 + excluded.r3,
    r4 = r4 + excluded.r4,
    r5 = r5 + excluded.r5,
    neg = neg + excluded.neg,
    neu = neu + excluded.neu,
    pos = pos + excluded.pos,
    mix = mix + excluded.mix,
    responded = responded + excluded.responded,
    sla_pending = sla_pending + excluded.sla_pending,
    sla_late = sla_late + excluded.sla_late;
  INSERT OR IGNORE INTO review_aspects (review_id, aspect, tenant_id, label,
    score, span_begin, span_end, create_time, day, source, subject_id,
    language)
  SELECT new.id, coalesce(json_extract(j.value, '$.a'), 0), new.tenant_id, coalesce(json_extract(j.value, '$.l'), 0), coalesce(json_extract(j.value, '$.s'), 0), coalesce(json_extract(j.value, '$.b'), 0),
    coalesce(json_extract(j.value, '$.e'), 0), new.create_time, new.local_day, new.source,
    new.subject_id, new.language
  FROM json_each(nullif(new.aspects, '')) AS j WHERE new.deleted = 0;
END;

CREATE TRIGGER reviews_insights_ad AFTER DELETE ON reviews BEGIN
  INSERT INTO insights_rollup (tenant_id, dims, source, subject_id, language, day, n, r1, r2, r3, r4, r5, neg, neu, pos, mix, responded, sla_pending, sla_late)
  SELECT
    old.tenant_id,
    d.dims,
    CASE WHEN d.dims & 1 THEN old.source ELSE '' END,
    CASE WHEN d.dims & 2 THEN old.subject_id ELSE '' END,
    CASE WHEN d.dims & 4 THEN old.language ELSE '' END,
    old.local_day,
    -(1),
    -(old.rating = 1),
    -(old.rating = 2),
    -(old.rating = 3),
    -(old.rating = 4),
    -(old.rating = 5),
    -(old.label = 1),
    -(old.label = 2),
    -(old.label = 3),
    -(old.label = 4),
    -(old.response_time != -9223372036854775808),
    -((old.respond_by != -9223372036854775808 AND old.response_time = -9223372036854775808 AND old.status IN (1, 2))),
    -((old.respond_by != -9223372036854775808 AND old.response_time != -9223372036854775808 AND old.response_time > old.respond_by))
  FROM insights_dims d WHERE old.deleted = 0
  ON CONFLICT (tenant_id, dims, source, subject_id, language, day) DO UPDATE SET
    n = n + excluded.n,
    r1 = r1 + excluded.r1,
    r2 = r2 + excluded.r2,
    r3 = r3 + excluded.r3,
    r4 = r4 + excluded.r4,
    r5 = r5 + excluded.r5,
    neg = neg + excluded.neg,
    neu = neu + excluded.neu,
    pos = pos + excluded.pos,
    mix = mix + excluded.mix,
    responded = responded + excluded.responded,
    sla_pending = sla_pending + excluded.sla_pending,
    sla_late = sla_late + excluded.sla_late;
  DELETE FROM review_aspects WHERE review_id = old.id;
END;

CREATE TRIGGER reviews_insights_au AFTER UPDATE ON reviews
WHEN old.tenant_id IS NOT new.tenant_id OR old.deleted IS NOT new.deleted OR old.local_day IS NOT new.local_day OR old.source IS NOT new.source OR old.subject_id IS NOT new.subject_id OR old.language IS NOT new.language OR old.rating IS NOT new.rating OR old.label IS NOT new.label OR old.response_time IS NOT new.response_time OR old.respond_by IS NOT new.respond_by OR old.status IS NOT new.status BEGIN
  INSERT INTO insights_rollup (tenant_id, dims, source, subject_id, language, day, n, r1, r2, r3, r4, r5, neg, neu, pos, mix, responded, sla_pending, sla_late)
  SELECT
    old.tenant_id,
    d.dims,
    CASE WHEN d.dims & 1 THEN old.source ELSE '' END,
    CASE WHEN d.dims & 2 THEN old.subject_id ELSE '' END,
    CASE WHEN d.dims & 4 THEN old.language ELSE '' END,
    old.local_day,
    -(1),
    -(old.rating = 1),
    -(old.rating = 2),
    -(old.rating = 3),
    -(old.rating = 4),
    -(old.rating = 5),
    -(old.label = 1),
    -(old.label = 2),
    -(old.label = 3),
    -(old.label = 4),
    -(old.response_time != -9223372036854775808),
    -((old.respond_by != -9223372036854775808 AND old.response_time = -9223372036854775808 AND old.status IN (1, 2))),
    -((old.respond_by != -9223372036854775808 AND old.response_time != -9223372036854775808 AND old.response_time > old.respond_by))
  FROM insights_dims d WHERE old.deleted = 0
  ON CONFLICT (tenant_id, dims, source, subject_id, language, day) DO UPDATE SET
    n = n + excluded.n,
    r1 = r1 + excluded.r1,
    r2 = r2 + excluded.r2,
    r3 = r3 + excluded.r3,
    r4 = r4 + excluded.r4,
    r5 = r5 + excluded.r5,
    neg = neg + excluded.neg,
    neu = neu + excluded.neu,
    pos = pos + excluded.pos,
    mix = mix + excluded.mix,
    responded = responded + excluded.responded,
    sla_pending = sla_pending + excluded.sla_pending,
    sla_late = sla_late + excluded.sla_late;
  INSERT INTO insights_rollup (tenant_id, dims, source, subject_id, language, day, n, r1, r2, r3, r4, r5, neg, neu, pos, mix, responded, sla_pending, sla_late)
  SELECT
    new.tenant_id,
    d.dims,
    CASE WHEN d.dims & 1 THEN new.source ELSE '' END,
    CASE WHEN d.dims & 2 THEN new.subject_id ELSE '' END,
    CASE WHEN d.dims & 4 THEN new.language ELSE '' END,
    new.local_day,
    1,
    new.rating = 1,
    new.rating = 2,
    new.rating = 3,
    new.rating = 4,
    new.rating = 5,
    new.label = 1,
    new.label = 2,
    new.label = 3,
    new.label = 4,
    new.response_time != -9223372036854775808,
    (new.respond_by != -9223372036854775808 AND new.response_time = -9223372036854775808 AND new.status IN (1, 2)),
    (new.respond_by != -9223372036854775808 AND new.response_time != -9223372036854775808 AND new.response_time > new.respond_by)
  FROM insights_dims d WHERE new.deleted = 0
  ON CONFLICT (tenant_id, dims, source, subject_id, language, day) DO UPDATE SET
    n = n + excluded.n,
    r1 = r1 + excluded.r1,
    r2 = r2 + excluded.r2,
    r3 = r3 + excluded.r3,
    r4 = r4 + excluded.r4,
    r5 = r5 + excluded.r5,
    neg = neg + excluded.neg,
    neu = neu + excluded.neu,
    pos = pos + excluded.pos,
    mix = mix + excluded.mix,
    responded = responded + excluded.responded,
    sla_pending = sla_pending + excluded.sla_pending,
    sla_late = sla_late + excluded.sla_late;
END;

CREATE TRIGGER reviews_aspects_au AFTER UPDATE ON reviews
WHEN old.aspects IS NOT new.aspects OR old.tenant_id IS NOT new.tenant_id OR old.deleted IS NOT new.deleted OR old.local_day IS NOT new.local_day OR old.create_time IS NOT new.create_time OR old.source IS NOT new.source OR old.subject_id IS NOT new.subject_id OR old.language IS NOT new.language BEGIN
  DELETE FROM review_aspects WHERE review_id = old.id;
  INSERT OR IGNORE INTO review_aspects (review_id, aspect, tenant_id, label,
    score, span_begin, span_end, create_time, day, source, subject_id,
    language)
  SELECT new.id, coalesce(json_extract(j.value, '$.a'), 0), new.tenant_id, coalesce(json_extract(j.value, '$.l'), 0), coalesce(json_extract(j.value, '$.s'), 0), coalesce(json_extract(j.value, '$.b'), 0),
    coalesce(json_extract(j.value, '$.e'), 0), new.create_time, new.local_day, new.source,
    new.subject_id, new.language
  FROM json_each(nullif(new.aspects, '')) AS j WHERE new.deleted = 0;
END;

CREATE TRIGGER review_aspects_ai AFTER INSERT ON review_aspects BEGIN
  INSERT INTO insights_aspect_rollup (tenant_id, dims, source, subject_id, language, day, aspect, neg, neu, pos, mix)
  SELECT
    new.tenant_id,
    d.dims,
    CASE WHEN d.dims & 1 THEN new.source ELSE '' END,
    CASE WHEN d.dims & 2 THEN new.subject_id ELSE '' END,
    CASE WHEN d.dims & 4 THEN new.language ELSE '' END,
    new.day,
    new.aspect,
    new.label = 1,
    new.label = 2,
    new.label = 3,
    new.label = 4
  FROM insights_dims d WHERE true
  ON CONFLICT (tenant_id, dims, source, subject_id, language, day, aspect) DO UPDATE SET
    neg = neg + excluded.neg,
    neu = neu + excluded.neu,
    pos = pos + excluded.pos,
    mix = mix + excluded.mix;
END;

CREATE TRIGGER review_aspects_ad AFTER DELETE ON review_aspects BEGIN
  INSERT INTO insights_aspect_rollup (tenant_id, dims, source, subject_id, language, day, aspect, neg, neu, pos, mix)
  SELECT
    old.tenant_id,
    d.dims,
    CASE WHEN d.dims & 1 THEN old.source ELSE '' END,
    CASE WHEN d.dims & 2 THEN old.subject_id ELSE '' END,
    CASE WHEN d.dims & 4 THEN old.language ELSE '' END,
    old.day,
    old.aspect,
    -(old.label = 1),
    -(old.label = 2),
    -(old.label = 3),
    -(old.label = 4)
  FROM insights_dims d WHERE true
  ON CONFLICT (tenant_id, dims, source, subject_id, language, day, aspect) DO UPDATE SET
    neg = neg + excluded.neg,
    neu = neu + excluded.neu,
    pos = pos + excluded.pos,
    mix = mix + excluded.mix;
END;

CREATE TRIGGER reviews_fts_ai AFTER INSERT ON reviews BEGIN
  INSERT INTO reviews_fts(rowid, body)
    VALUES (new.id, opinia_fold(new.search_text));
END;

CREATE TRIGGER reviews_fts_ad AFTER DELETE ON reviews BEGIN
  INSERT INTO reviews_fts(reviews_fts, rowid, body)
    VALUES ('delete', old.id, opinia_fold(old.search_text));
END;

CREATE TRIGGER reviews_fts_au AFTER UPDATE ON reviews
WHEN old.search_text IS NOT new.search_text BEGIN
  INSERT INTO reviews_fts(reviews_fts, rowid, body)
    VALUES ('delete', old.id, opinia_fold(old.search_text));
  INSERT INTO reviews_fts(rowid, body)
    VALUES (new.id, opinia_fold(new.search_text));
END;
)sql";

extern const char kInsightsRollupsMigration[] = R"sql(
-- Response delay buckets [lo, next lo) in microseconds of max(0,
-- response_time - create_time): [0, 1 s), then 16 per doubling from 1 s
-- (each at most 1/16 of its lower bound wide) up to about 2^36 s.
CREATE TABLE insights_delay_buckets (lo INTEGER PRIMARY KEY);
INSERT INTO insights_delay_buckets VALUES (0);
INSERT INTO insights_delay_buckets
  WITH RECURSIVE e(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM e WHERE x < 35),
    j(y) AS (SELECT 0 UNION ALL SELECT y + 1 FROM j WHERE y < 15)
  SELECT (1 << x) * (16 + y) * 62500 FROM e, j;

-- Per tenant, cell (as in insights_rollup), local month (its first local
-- day) and delay bucket: the number of non-deleted responded reviews. The
-- median's bucket and rank come from here; its exact value from
-- reviews_response_delay.
CREATE TABLE insights_response_rollup (
  tenant_id   TEXT NOT NULL,
  dims        INTEGER NOT NULL,
  source      TEXT NOT NULL,
  subject_id  TEXT NOT NULL,
  language    TEXT NOT NULL,
  month       INTEGER NOT NULL,
  lo          INTEGER NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, dims, source, subject_id, language, month, lo)
) WITHOUT ROWID;
INSERT INTO insights_response_rollup (tenant_id, dims, source, subject_id, language, month, lo, n)
SELECT r.tenant_id, d.dims,
  CASE WHEN d.dims & 1 THEN r.source ELSE '' END,
  CASE WHEN d.dims & 2 THEN r.subject_id ELSE '' END,
  CASE WHEN d.dims & 4 THEN r.language ELSE '' END,
  CAST(julianday(r.local_day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
  (SELECT lo FROM insights_delay_buckets WHERE lo <= max(0, r.response_time - r.create_time) ORDER BY lo DESC LIMIT 1), count(*)
FROM reviews r, insights_dims d WHERE r.deleted = 0 AND r.response_time != -9223372036854775808
GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- Responded reviews by delay: the median's value at its rank within one
-- bucket (covering: no row is read).
CREATE INDEX reviews_response_delay ON reviews(tenant_id,
  (response_time - create_time), create_time, source, subject_id, language,
  response_time)
  WHERE deleted = 0 AND response_time != -9223372036854775808;

-- Full-text search joins its matches (rowids, ascending) to this narrow
-- index instead of the wide rows: filters, total_size and the page order
-- are read from it, and only the rows of one page are fetched.
CREATE INDEX reviews_search ON reviews(id, tenant_id, deleted, create_time,
  source, subject_id, language, label, priority, status, rating);

CREATE TRIGGER reviews_response_ai AFTER INSERT ON reviews
WHEN new.deleted = 0 AND new.response_time != -9223372036854775808 BEGIN
  INSERT INTO insights_response_rollup (tenant_id, dims, source, subject_id, language, month, lo, n)
  SELECT
    new.tenant_id,
    d.dims,
    CASE WHEN d.dims & 1 THEN new.source ELSE '' END,
    CASE WHEN d.dims & 2 THEN new.subject_id ELSE '' END,
    CASE WHEN d.dims & 4 THEN new.language ELSE '' END,
    CAST(julianday(new.local_day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
    (SELECT lo FROM insights_delay_buckets WHERE lo <= max(0, new.response_time - new.create_time) ORDER BY lo DESC LIMIT 1),
    1
  FROM insights_dims d WHERE true
  ON CONFLICT (tenant_id, dims, source, subject_id, language, month, lo) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER reviews_response_ad AFTER DELETE ON reviews
WHEN old.deleted = 0 AND old.response_time != -9223372036854775808 BEGIN
  INSERT INTO insights_response_rollup (tenant_id, dims, source, subject_id, language, month, lo, n)
  SELECT
    old.tenant_id,
    d.dims,
    CASE WHEN d.dims & 1 THEN old.source ELSE '' END,
    CASE WHEN d.dims & 2 THEN old.subject_id ELSE '' END,
    CASE WHEN d.dims & 4 THEN old.language ELSE '' END,
    CAST(julianday(old.local_day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
    (SELECT lo FROM insights_delay_buckets WHERE lo <= max(0, old.response_time - old.create_time) ORDER BY lo DESC LIMIT 1),
    -1
  FROM insights_dims d WHERE true
  ON CONFLICT (tenant_id, dims, source, subject_id, language, month, lo) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER reviews_response_au AFTER UPDATE ON reviews
WHEN (old.tenant_id IS NOT new.tenant_id OR old.deleted IS NOT new.deleted OR old.local_day IS NOT new.local_day OR old.source IS NOT new.source OR old.subject_id IS NOT new.subject_id OR old.language IS NOT new.language OR old.response_time IS NOT new.response_time OR old.create_time IS NOT new.create_time)
  AND (old.response_time != -9223372036854775808 OR new.response_time != -9223372036854775808) BEGIN
  INSERT INTO insights_response_rollup (tenant_id, dims, source, subject_id, language, month, lo, n)
  SELECT
    old.tenant_id,
    d.dims,
    CASE WHEN d.dims & 1 THEN old.source ELSE '' END,
    CASE WHEN d.dims & 2 THEN old.subject_id ELSE '' END,
    CASE WHEN d.dims & 4 THEN old.language ELSE '' END,
    CAST(julianday(old.local_day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
    (SELECT lo FROM insights_delay_buckets WHERE lo <= max(0, old.response_time - old.create_time) ORDER BY lo DESC LIMIT 1),
    -1
  FROM insights_dims d WHERE old.deleted = 0 AND old.response_time != -9223372036854775808
  ON CONFLICT (tenant_id, dims, source, subject_id, language, month, lo) DO UPDATE SET n = n + excluded.n;
  INSERT INTO insights_response_rollup (tenant_id, dims, source, subject_id, language, month, lo, n)
  SELECT
    new.tenant_id,
    d.dims,
    CASE WHEN d.dims & 1 THEN new.source ELSE '' END,
    CASE WHEN d.dims & 2 THEN new.subject_id ELSE '' END,
    CASE WHEN d.dims & 4 THEN new.language ELSE '' END,
    CAST(julianday(new.local_day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
    (SELECT lo FROM insights_delay_buckets WHERE lo <= max(0, new.response_time - new.create_time) ORDER BY lo DESC LIMIT 1),
    1
  FROM insights_dims d WHERE new.deleted = 0 AND new.response_time != -9223372036854775808
  ON CONFLICT (tenant_id, dims, source, subject_id, language, month, lo) DO UPDATE SET n = n + excluded.n;
END;
)sql";

}  // namespace opinia::storage::sqlite
