-- The SQLite store's schema, as numbered migrations (migrations.h): the
-- database's PRAGMA user_version is the last one applied, and migration N
-- takes it from version N-1 to N, in one transaction with the version bump.
-- This file is compiled into the store (kMigrationsSql).
--
-- A migration is a line "-- migration N: what it does", the comment lines
-- right below it (why), then its SQL: from the first line that is not a
-- comment (an empty line) up to the next migration's line.
--
-- Append only: never edit a migration that has shipped (migrations_test
-- pins their text); a schema change is a new migration at the end.
--
-- Times are INTEGER microseconds since the epoch (INT64_MIN/MAX for
-- InfinitePast/InfiniteFuture); opaque bytes (hashes, serialized protos) are
-- BLOBs. api_keys.tenant_id is NULL for operator keys.
--
-- Which counter of which rollup cell a review changes is described once,
-- backend-neutrally, in service/storage/rollup_cells.h; the statements the
-- store runs today are rendered from it (rollup_sql.h). The migrations
-- below keep their own copies of those expressions, because shipped
-- migration text never changes; their triggers hand rollup_cells.h's facts
-- to opinia_defer_rollup (deferred_writes.h).

-- migration 1: tenants, keys, reviews, audit log.

CREATE TABLE tenants (
  id           TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  time_zone    TEXT NOT NULL,
  create_time  INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT REFERENCES tenants(id),
  roles        INTEGER NOT NULL,
  display_name TEXT NOT NULL,
  secret_hash  TEXT NOT NULL UNIQUE,
  create_time  INTEGER NOT NULL,
  revoked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_keys_by_tenant ON api_keys(tenant_id, id);

CREATE TABLE reviews (
  id                INTEGER PRIMARY KEY,
  tenant_id         TEXT NOT NULL REFERENCES tenants(id),
  source            TEXT NOT NULL,
  external_id       TEXT NOT NULL,
  subject_id        TEXT NOT NULL,
  rating            INTEGER NOT NULL,
  language          TEXT NOT NULL,
  label             INTEGER NOT NULL,
  score             REAL NOT NULL,
  priority          INTEGER NOT NULL,
  status            INTEGER NOT NULL,
  deleted           INTEGER NOT NULL,
  create_time       INTEGER NOT NULL,
  ingest_time       INTEGER NOT NULL,
  modify_time       INTEGER NOT NULL,
  respond_by        INTEGER NOT NULL,
  content_hash      BLOB NOT NULL,
  input_hash        BLOB NOT NULL,
  input             BLOB NOT NULL,
  analysis          BLOB NOT NULL,
  override_analysis BLOB NOT NULL,
  response_text     TEXT NOT NULL,
  response_author   TEXT NOT NULL,
  response_time     INTEGER NOT NULL,
  search_text       TEXT NOT NULL,
  UNIQUE (tenant_id, source, external_id)
);
-- The ListReviews keyset order. It also carries every filter column, so a
-- filter without its own index and CountReviews scan the index, not the
-- (wide) rows.
CREATE INDEX reviews_by_time ON reviews(tenant_id, create_time, id, deleted,
  source, subject_id, language, label, priority, status, rating);
-- Selective filters keep the keyset order after their equality column.
CREATE INDEX reviews_by_subject
  ON reviews(tenant_id, subject_id, create_time, id, deleted);
CREATE INDEX reviews_by_priority
  ON reviews(tenant_id, priority, create_time, id, deleted);
CREATE INDEX reviews_by_status
  ON reviews(tenant_id, status, create_time, id, deleted);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  target    TEXT NOT NULL,
  detail    TEXT NOT NULL,
  time      INTEGER NOT NULL
);
CREATE INDEX audit_log_by_target ON audit_log(tenant_id, target, id);
-- migration 2: alerts outbox, alert rules, alert settings and scheduler
-- state. alerts.id is the outbox order (streams, resume tokens, webhooks);
-- rows are never deleted so ids are never reused.

CREATE TABLE alert_rules (
  id             INTEGER PRIMARY KEY,
  tenant_id      TEXT NOT NULL REFERENCES tenants(id),
  spec           BLOB NOT NULL,
  create_time    INTEGER NOT NULL,
  update_time    INTEGER NOT NULL,
  last_fire_time INTEGER NOT NULL
);
CREATE INDEX alert_rules_by_tenant ON alert_rules(tenant_id, id);

CREATE TABLE alerts (
  id           INTEGER PRIMARY KEY,
  tenant_id    TEXT NOT NULL REFERENCES tenants(id),
  kind         INTEGER NOT NULL,
  priority     INTEGER NOT NULL,
  review_id    INTEGER NOT NULL,
  rule_id      INTEGER NOT NULL,
  reasons      TEXT NOT NULL,
  state        INTEGER NOT NULL,
  snooze_until INTEGER NOT NULL,
  create_time  INTEGER NOT NULL,
  update_time  INTEGER NOT NULL,
  summary      TEXT NOT NULL,
  source       TEXT NOT NULL,
  dedup_key    TEXT NOT NULL
);
CREATE INDEX alerts_by_tenant ON alerts(tenant_id, id);
CREATE INDEX alerts_by_dedup ON alerts(tenant_id, dedup_key, state);
CREATE INDEX alerts_by_review ON alerts(tenant_id, review_id, state)
  WHERE review_id != 0;

CREATE TABLE alert_settings (
  tenant_id        TEXT PRIMARY KEY REFERENCES tenants(id),
  defaults_created INTEGER NOT NULL,
  spike_k          REAL NOT NULL
);

CREATE TABLE alert_spikes (
  tenant_id  TEXT NOT NULL,
  scope      TEXT NOT NULL,
  fired_time INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, scope)
);

-- SLA scan: unanswered reviews by deadline.
CREATE INDEX reviews_by_respond_by ON reviews(tenant_id, respond_by)
  WHERE deleted = 0 AND status IN (1, 2);
-- migration 3: insights rollups, review aspects and full-text search.
-- What it maintains, all by triggers in the transaction that changes a
-- review (ingest, update, override, soft delete, response, rescore):
-- - insights_rollup: per (tenant, dims cell, local day) counts of
--   non-deleted reviews: total, by rating 1..5, by effective label
--   (NEGATIVE, NEUTRAL, POSITIVE, MIXED), responded (a response is
--   recorded), sla_pending (deadline set, no response, status NEW or
--   ACKNOWLEDGED) and sla_late (responded after the deadline). Each review
--   adds to 8 cells: every subset of {source, subject_id, language} with
--   the other dimensions stored as '' (dims bit 0/1/2 says which are set),
--   so any filter with lists of sources, subjects and languages is an exact
--   sum over disjoint cells, read in one index range per combination.
-- - review_aspects: the aspects JSON of each non-deleted review as rows
--   (for quotes), and insights_aspect_rollup: per cell, day and aspect, the
--   count of mentions by aspect label.
-- - reviews_fts: contentless FTS5 over opinia_fold(search_text).
-- - partial indexes for the exact median response time (reviews_responded)
--   and open SLAs (reviews_sla_open), which depend on "now".

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
-- migration 4: webhooks and their delivery queue. A webhook's cursor is the
-- last alert id it has considered; deliveries hold the retry state so a
-- restart resumes them. AUTOINCREMENT: ids of deleted rows are never reused
-- (an attempt in flight for a deleted delivery must not update a new one).

CREATE TABLE webhooks (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id   TEXT NOT NULL REFERENCES tenants(id),
  url         TEXT NOT NULL,
  secret      BLOB NOT NULL,
  priorities  TEXT NOT NULL,
  kinds       TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  cursor      INTEGER NOT NULL
);
CREATE INDEX webhooks_by_tenant ON webhooks(tenant_id, id);

CREATE TABLE webhook_deliveries (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id        INTEGER NOT NULL REFERENCES webhooks(id),
  tenant_id         TEXT NOT NULL,
  alert_id          INTEGER NOT NULL,
  state             INTEGER NOT NULL,
  attempts          INTEGER NOT NULL,
  next_attempt_time INTEGER NOT NULL,
  create_time       INTEGER NOT NULL,
  update_time       INTEGER NOT NULL,
  last_error        TEXT NOT NULL,
  last_status       INTEGER NOT NULL,
  UNIQUE (webhook_id, alert_id)
);
-- The dispatcher's queue: pending rows by due time.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_time, id)
  WHERE state = 1;
-- ListWebhooks: counts per state, the latest finished row and error.
CREATE INDEX webhook_deliveries_by_update
  ON webhook_deliveries(webhook_id, update_time, id);
-- migration 5: collectors: configuration blob, schedule and sync state.
-- AUTOINCREMENT: a deleted collector's id is never reused (its reviews keep
-- naming it in attributes["collector"]).

CREATE TABLE collectors (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id             TEXT NOT NULL REFERENCES tenants(id),
  spec                  BLOB NOT NULL,
  poll_interval_seconds INTEGER NOT NULL,
  create_time           INTEGER NOT NULL,
  update_time           INTEGER NOT NULL,
  next_run_time         INTEGER NOT NULL,
  last_run_time         INTEGER NOT NULL,
  last_success_time     INTEGER NOT NULL,
  last_full_time        INTEGER NOT NULL,
  last_error            TEXT NOT NULL,
  reviews_fetched       INTEGER NOT NULL,
  runs_since_full       INTEGER NOT NULL,
  cursor                BLOB NOT NULL
);
CREATE INDEX collectors_by_tenant ON collectors(tenant_id, id);
-- The scheduler's query: scheduled collectors by due time.
CREATE INDEX collectors_due ON collectors(next_run_time, id)
  WHERE poll_interval_seconds > 0;
-- migration 6: per-tenant settings (SLA policy, spike cooldown; durations
-- in microseconds) and the alert event log. alert_events is the outbox
-- streams and webhooks read: an alert's creation and its later events (a
-- snooze running out) each get a row. Existing alerts' creation events keep
-- the alert id as their id, so resume tokens and webhook cursors (alert ids
-- before this migration) stay valid. Deliveries are per event now: the
-- table is rebuilt for UNIQUE (webhook_id, event_id), keeping ids and the
-- AUTOINCREMENT high-water mark.

ALTER TABLE alert_settings ADD COLUMN spike_cooldown INTEGER NOT NULL
  DEFAULT 86400000000;
ALTER TABLE alert_settings ADD COLUMN sla_p1 INTEGER NOT NULL
  DEFAULT 3600000000;
ALTER TABLE alert_settings ADD COLUMN sla_p2 INTEGER NOT NULL
  DEFAULT 14400000000;
ALTER TABLE alert_settings ADD COLUMN sla_p3 INTEGER NOT NULL
  DEFAULT 86400000000;
ALTER TABLE alert_settings ADD COLUMN sla_p4 INTEGER NOT NULL
  DEFAULT 259200000000;

CREATE TABLE alert_events (
  id        INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  alert_id  INTEGER NOT NULL,
  type      INTEGER NOT NULL,
  time      INTEGER NOT NULL
);
INSERT INTO alert_events (id, tenant_id, alert_id, type, time)
  SELECT id, tenant_id, id, 1, create_time FROM alerts;
CREATE INDEX alert_events_by_tenant ON alert_events(tenant_id, id);

CREATE TABLE webhook_deliveries_v6 (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id        INTEGER NOT NULL REFERENCES webhooks(id),
  tenant_id         TEXT NOT NULL,
  alert_id          INTEGER NOT NULL,
  event_id          INTEGER NOT NULL,
  state             INTEGER NOT NULL,
  attempts          INTEGER NOT NULL,
  next_attempt_time INTEGER NOT NULL,
  create_time       INTEGER NOT NULL,
  update_time       INTEGER NOT NULL,
  last_error        TEXT NOT NULL,
  last_status       INTEGER NOT NULL,
  UNIQUE (webhook_id, event_id)
);
INSERT INTO webhook_deliveries_v6 (id, webhook_id, tenant_id, alert_id,
  event_id, state, attempts, next_attempt_time, create_time, update_time,
  last_error, last_status)
  SELECT id, webhook_id, tenant_id, alert_id, alert_id, state, attempts,
    next_attempt_time, create_time, update_time, last_error, last_status
  FROM webhook_deliveries;
DELETE FROM sqlite_sequence WHERE name = 'webhook_deliveries_v6';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'webhook_deliveries_v6', seq FROM sqlite_sequence
  WHERE name = 'webhook_deliveries';
DROP TABLE webhook_deliveries;
ALTER TABLE webhook_deliveries_v6 RENAME TO webhook_deliveries;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_time, id)
  WHERE state = 1;
CREATE INDEX webhook_deliveries_by_update
  ON webhook_deliveries(webhook_id, update_time, id);
-- migration 7: monthly response delay histograms and an index by delay,
-- for the exact median response time:
-- - insights_response_rollup: per (tenant, dims cell, local month, delay
--   bucket) the number of non-deleted responded reviews; the buckets are
--   insights_delay_buckets (0, then 16 per doubling from 1 s), a review's
--   is the last lower bound <= max(0, response_time - create_time).
-- - reviews_response_delay: responded reviews ordered by response_time -
--   create_time. Over whole months the histogram gives the bucket and rank
--   of the median, this index its exact value, so the median costs one
--   histogram read and one short index range instead of every responded
--   review in range.
-- - reviews_response_ai/ad/au keeping the histograms (only reviews with a
--   response, before or after the change, touch them).

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
-- migration 8: the insights and full-text triggers of migrations 3 and 7
-- defer their work to the end of the write transaction (the writer's cost
-- per review): they log their changes through opinia_defer_*, applied per
-- transaction by DeferredWrites (deferred_writes.h).

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
-- migration 9: no trigger fires on INSERT INTO reviews or review_aspects.
-- Any trigger makes SQLite run the insert as a statement that may write
-- several rows (a trigger program and a statement journal for every
-- insert). SqliteTxn::InsertReview logs the same changes instead, with
-- LogInsertedReviewStatement(), kInsertAspectRow and kLogInsertedAspects
-- (rollup_sql.h); updates and deletes keep their triggers, which now log
-- the aspect rollups themselves (review_aspects has no triggers). Measured
-- as a whole (interleaved A/B, 4 x 100): 5,509-6,024 against 4,665-5,529
-- reviews/s; the per-call savepoints still journal pages.

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
-- migration 10: the server secret (Store::ServerSecret). randomblob()
-- draws from SQLite's ChaCha20 generator, seeded from /dev/urandom.

CREATE TABLE server_secrets (
  name   TEXT PRIMARY KEY,
  secret BLOB NOT NULL
);
INSERT INTO server_secrets (name, secret) VALUES ('server', randomblob(32));
-- migration 11: response delays measured from when Opinia first saw the
-- review, not from its create_time: the virtual column
-- reviews.response_delay replaces response_time - create_time in the
-- histograms, in reviews_response_delay and in their triggers.
-- InsertReview logs with LogInsertedReviewStatement(), which reads it.

-- response_delay: microseconds from when the shop could first answer to the
-- response, clamped at 0; NULL without a response. That start is the later
-- of create_time and ingest_time (when Opinia first stored the review;
-- migration 1 has always filled it, and updates keep it), except for a
-- response recorded before ingest_time (imported history that already
-- carried the shop's reply), which keeps its delay from create_time.
-- VIRTUAL: rows are not rewritten and inserts bind no new value; only the
-- index below stores it, as it stored response_time - create_time before.
ALTER TABLE reviews ADD COLUMN response_delay INTEGER GENERATED ALWAYS AS (
  CASE WHEN response_time = -9223372036854775808 THEN NULL
  ELSE max(0, response_time - CASE WHEN response_time < ingest_time
    THEN create_time ELSE max(create_time, ingest_time) END) END) VIRTUAL;

DROP INDEX reviews_response_delay;
CREATE INDEX reviews_response_delay ON reviews(tenant_id, response_delay,
  create_time, source, subject_id, language, response_time)
  WHERE deleted = 0 AND response_time != -9223372036854775808;

-- The histograms again, bucketed by response_delay.
DELETE FROM insights_response_rollup;
INSERT INTO insights_response_rollup (tenant_id, dims, source, subject_id, language, month, lo, n)
SELECT r.tenant_id, d.dims,
  CASE WHEN d.dims & 1 THEN r.source ELSE '' END,
  CASE WHEN d.dims & 2 THEN r.subject_id ELSE '' END,
  CASE WHEN d.dims & 4 THEN r.language ELSE '' END,
  CAST(julianday(r.local_day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
  (SELECT lo FROM insights_delay_buckets WHERE lo <= r.response_delay ORDER BY lo DESC LIMIT 1), count(*)
FROM reviews r, insights_dims d WHERE r.deleted = 0 AND r.response_time != -9223372036854775808
GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- The triggers of migration 8 with the new bucket; a changed ingest_time
-- moves a review between buckets too (response_delay covers it).
DROP TRIGGER reviews_response_ad;
DROP TRIGGER reviews_response_au;

CREATE TRIGGER reviews_response_ad AFTER DELETE ON reviews
WHEN old.deleted = 0 AND old.response_time != -9223372036854775808 BEGIN
  SELECT opinia_defer_response_rollup(old.tenant_id, old.source, old.subject_id, old.language, CAST(julianday(old.local_day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
    (SELECT lo FROM insights_delay_buckets WHERE lo <= old.response_delay ORDER BY lo DESC LIMIT 1), -1);
END;

CREATE TRIGGER reviews_response_au AFTER UPDATE ON reviews
WHEN (old.tenant_id IS NOT new.tenant_id OR old.deleted IS NOT new.deleted OR old.local_day IS NOT new.local_day OR old.source IS NOT new.source OR old.subject_id IS NOT new.subject_id OR old.language IS NOT new.language OR old.response_delay IS NOT new.response_delay)
  AND (old.response_time != -9223372036854775808 OR new.response_time != -9223372036854775808) BEGIN
  SELECT opinia_defer_response_rollup(old.tenant_id, old.source, old.subject_id, old.language, CAST(julianday(old.local_day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
    (SELECT lo FROM insights_delay_buckets WHERE lo <= old.response_delay ORDER BY lo DESC LIMIT 1), -1)
  WHERE old.deleted = 0 AND old.response_time != -9223372036854775808;
  SELECT opinia_defer_response_rollup(new.tenant_id, new.source, new.subject_id, new.language, CAST(julianday(new.local_day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
    (SELECT lo FROM insights_delay_buckets WHERE lo <= new.response_delay ORDER BY lo DESC LIMIT 1), 1)
  WHERE new.deleted = 0 AND new.response_time != -9223372036854775808;
END;
-- migration 12: leases (lease_store.h): claims of scheduled work across
-- replicas. A released lease is deleted; an expired one stays until it is
-- taken again.

CREATE TABLE leases (
  name         TEXT PRIMARY KEY,
  holder       TEXT NOT NULL,
  acquire_time INTEGER NOT NULL,
  expire_time  INTEGER NOT NULL
) WITHOUT ROWID;
-- migration 13: the inbox orders of ListReviews (ReviewOrder::kUrgency,
-- most urgent first, and kRespondBy, store.h). urgency_rank and due_time
-- are their sort keys (the expressions of service/storage/review_order.h),
-- as VIRTUAL columns: rows are not rewritten and only the indexes store
-- them; and a column, unlike an indexed expression, lets the keyset
-- condition (urgency_rank, due_time, id) > (?, ?, ?) be one index range.
-- The indexes are partial, on open (NEW, ACKNOWLEDGED) reviews that are not
-- deleted: the inbox lists only those; they are few next to the answered
-- and resolved reviews of years that a database keeps, and a review leaves
-- the indexes when it is answered, so the indexes stay small and cheap to
-- keep up. priority, status and deleted ride along so the inbox's filter
-- and its count (total_size) are read from index entries, not from the
-- wide rows (SQLite counts a column of the index's WHERE as covered only
-- when the index holds it).

ALTER TABLE reviews ADD COLUMN urgency_rank INTEGER GENERATED ALWAYS AS (
  CASE WHEN priority = 0 THEN 6 ELSE priority END) VIRTUAL;
ALTER TABLE reviews ADD COLUMN due_time INTEGER GENERATED ALWAYS AS (
  CASE WHEN respond_by = -9223372036854775808 THEN 9223372036854775807
  ELSE respond_by END) VIRTUAL;

CREATE INDEX reviews_open_by_urgency ON reviews(tenant_id, urgency_rank,
  due_time, id, priority, status, deleted)
  WHERE deleted = 0 AND status IN (1, 2);
CREATE INDEX reviews_open_by_due ON reviews(tenant_id, due_time, id,
  priority, status, deleted)
  WHERE deleted = 0 AND status IN (1, 2);
-- migration 14: the reply outbox (reply_store.h): per review the latest
-- publish or delete of its reply on the review's platform, queued in the
-- transaction that records the response, and its delivery state.
-- replies_due is the worker's scan: pending rows by next attempt.

CREATE TABLE replies (
  review_id         INTEGER PRIMARY KEY REFERENCES reviews(id),
  tenant_id         TEXT NOT NULL REFERENCES tenants(id),
  generation        INTEGER NOT NULL,
  action            INTEGER NOT NULL,
  text              TEXT NOT NULL,
  collector         TEXT NOT NULL,
  state             INTEGER NOT NULL,
  attempts          INTEGER NOT NULL,
  next_attempt_time INTEGER NOT NULL,
  in_flight         INTEGER NOT NULL,
  publish_time      INTEGER NOT NULL,
  last_error        TEXT NOT NULL,
  policy_rejection  INTEGER NOT NULL,
  create_time       INTEGER NOT NULL,
  update_time       INTEGER NOT NULL
);
CREATE INDEX replies_due ON replies(next_attempt_time, review_id)
  WHERE state = 1;
