MIN = "-9223372036854775808"
KEY = "tenant_id, dims, source, subject_id, language, day"
VALS = ["n", "r1", "r2", "r3", "r4", "r5", "neg", "neu", "pos", "mix",
        "responded", "sla_pending", "sla_late"]
AVALS = ["neg", "neu", "pos", "mix"]

def exprs(r):
    return ["1"] + [f"{r}.rating = {k}" for k in range(1, 6)] + \
        [f"{r}.label = {k}" for k in range(1, 5)] + [
        f"{r}.response_time != {MIN}",
        f"({r}.respond_by != {MIN} AND {r}.response_time = {MIN} AND {r}.status IN (1, 2))",
        f"({r}.respond_by != {MIN} AND {r}.response_time != {MIN} AND {r}.response_time > {r}.respond_by)"]

def dimcols(r, day):
    return [f"{r}.tenant_id", "d.dims",
            f"CASE WHEN d.dims & 1 THEN {r}.source ELSE '' END",
            f"CASE WHEN d.dims & 2 THEN {r}.subject_id ELSE '' END",
            f"CASE WHEN d.dims & 4 THEN {r}.language ELSE '' END", f"{r}.{day}"]

def upsert(table, vals, r, day, values, where):
    cols = KEY + ", " + ", ".join(vals)
    sel = ",\n    ".join(dimcols(r, day) + values)
    upd = ",\n    ".join(f"{v} = {v} + excluded.{v}" for v in vals)
    return (f"  INSERT INTO {table} ({cols})\n  SELECT\n    {sel}\n"
            f"  FROM insights_dims d WHERE {where}\n"
            f"  ON CONFLICT ({KEY}) DO UPDATE SET\n    {upd};\n")

def add(r, sign, where):
    vals = [e if sign > 0 else f"-({e})" for e in exprs(r)]
    return upsert("insights_rollup", VALS, r, "local_day", vals, where)

def aadd(r, sign):
    vals = [f"{r}.label = {k}" if sign > 0 else f"-({r}.label = {k})" for k in range(1, 5)]
    cols_key = KEY
    return upsert("insights_aspect_rollup", ["aspect"] + AVALS, r, "day",
                  [f"{r}.aspect"] + vals, "true").replace(
        f"ON CONFLICT ({KEY})", f"ON CONFLICT ({KEY}, aspect)").replace(
        "aspect = aspect + excluded.aspect,\n    ", "")

ROLLUP_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in [
    "tenant_id", "deleted", "local_day", "source", "subject_id", "language",
    "rating", "label", "response_time", "respond_by", "status"])
ASPECTS_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in [
    "aspects", "tenant_id", "deleted", "local_day", "create_time", "source",
    "subject_id", "language"])

def insert_aspects(r):
    j = lambda k: f"coalesce(json_extract(j.value, '$.{k}'), 0)"
    return (f"  INSERT OR IGNORE INTO review_aspects (review_id, aspect, tenant_id, label,\n"
            f"    score, span_begin, span_end, create_time, day, source, subject_id,\n"
            f"    language)\n"
            f"  SELECT {r}.id, {j('a')}, {r}.tenant_id, {j('l')}, {j('s')}, {j('b')},\n"
            f"    {j('e')}, {r}.create_time, {r}.local_day, {r}.source,\n"
            f"    {r}.subject_id, {r}.language\n"
            f"  FROM json_each(nullif({r}.aspects, '')) AS j WHERE {r}.deleted = 0;\n")

out = []
out.append(f"""-- Columns the store fills: aspects (JSON from core, see insights_store.h)
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
""" + "".join(f"  {v:<11} INTEGER NOT NULL,\n" for v in VALS) + f"""  PRIMARY KEY ({KEY})
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
""" + "".join(f"  {v:<11} INTEGER NOT NULL,\n" for v in AVALS) + f"""  PRIMARY KEY ({KEY}, aspect)
) WITHOUT ROWID;

-- Exact median response time and open SLAs read these instead of rows.
CREATE INDEX reviews_responded ON reviews(tenant_id, create_time, source,
  subject_id, language, response_time)
  WHERE deleted = 0 AND response_time != {MIN};
CREATE INDEX reviews_sla_open ON reviews(tenant_id, respond_by, create_time,
  source, subject_id, language)
  WHERE deleted = 0 AND response_time = {MIN} AND status IN (1, 2)
    AND respond_by != {MIN};

-- Full-text search over opinia_fold(search_text); contentless, so the old
-- text is deleted with the exact tokens it was indexed with.
CREATE VIRTUAL TABLE reviews_fts USING fts5(body, content='',
  tokenize='unicode61 remove_diacritics 2');
INSERT INTO reviews_fts(rowid, body)
  SELECT id, opinia_fold(search_text) FROM reviews;

-- Rollups of the reviews stored before this migration (they have no aspects
-- until re-analysed).
INSERT INTO insights_rollup ({KEY}, {", ".join(VALS)})
SELECT r.tenant_id, d.dims,
  CASE WHEN d.dims & 1 THEN r.source ELSE '' END,
  CASE WHEN d.dims & 2 THEN r.subject_id ELSE '' END,
  CASE WHEN d.dims & 4 THEN r.language ELSE '' END, r.local_day,
  """ + ",\n  ".join(f"sum({e})" if e != "1" else "count(*)" for e in exprs("r")) + f"""
FROM reviews r, insights_dims d WHERE r.deleted = 0 GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER reviews_insights_ai AFTER INSERT ON reviews
WHEN new.deleted = 0 BEGIN
{add("new", 1, "true")}{insert_aspects("new")}END;

CREATE TRIGGER reviews_insights_ad AFTER DELETE ON reviews BEGIN
{add("old", -1, "old.deleted = 0")}  DELETE FROM review_aspects WHERE review_id = old.id;
END;

CREATE TRIGGER reviews_insights_au AFTER UPDATE ON reviews
WHEN {ROLLUP_CHANGED} BEGIN
{add("old", -1, "old.deleted = 0")}{add("new", 1, "new.deleted = 0")}END;

CREATE TRIGGER reviews_aspects_au AFTER UPDATE ON reviews
WHEN {ASPECTS_CHANGED} BEGIN
  DELETE FROM review_aspects WHERE review_id = old.id;
{insert_aspects("new")}END;

CREATE TRIGGER review_aspects_ai AFTER INSERT ON review_aspects BEGIN
{aadd("new", 1)}END;

CREATE TRIGGER review_aspects_ad AFTER DELETE ON review_aspects BEGIN
{aadd("old", -1)}END;

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
""")
sql = "".join(out)

# ---- migration 7: response delay histograms per month and the index for
# the exact median (see insights_schema.h). ----

RKEY = "tenant_id, dims, source, subject_id, language, month, lo"

def month(r):
    return (f"CAST(julianday({r}.local_day * 86400, 'unixepoch', "
            f"'start of month') - 2440587.5 AS INTEGER)")

def bucket(r):
    return (f"(SELECT lo FROM insights_delay_buckets WHERE lo <= "
            f"max(0, {r}.response_time - {r}.create_time) "
            f"ORDER BY lo DESC LIMIT 1)")

def hist(r, sign, where):
    sel = ",\n    ".join(dimcols(r, "local_day")[:5] +
                          [month(r), bucket(r), "1" if sign > 0 else "-1"])
    return (f"  INSERT INTO insights_response_rollup ({RKEY}, n)\n"
            f"  SELECT\n    {sel}\n"
            f"  FROM insights_dims d WHERE {where}\n"
            f"  ON CONFLICT ({RKEY}) DO UPDATE SET n = n + excluded.n;\n")

def responded(r):
    p = f"{r}." if r else ""
    return f"{p}deleted = 0 AND {p}response_time != {MIN}"

HIST_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in [
    "tenant_id", "deleted", "local_day", "source", "subject_id", "language",
    "response_time", "create_time"])

m7 = f"""-- Response delay buckets [lo, next lo) in microseconds of max(0,
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
  PRIMARY KEY ({RKEY})
) WITHOUT ROWID;
INSERT INTO insights_response_rollup ({RKEY}, n)
SELECT r.tenant_id, d.dims,
  CASE WHEN d.dims & 1 THEN r.source ELSE '' END,
  CASE WHEN d.dims & 2 THEN r.subject_id ELSE '' END,
  CASE WHEN d.dims & 4 THEN r.language ELSE '' END,
  {month("r")},
  {bucket("r")}, count(*)
FROM reviews r, insights_dims d WHERE {responded("r")}
GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- Responded reviews by delay: the median's value at its rank within one
-- bucket (covering: no row is read).
CREATE INDEX reviews_response_delay ON reviews(tenant_id,
  (response_time - create_time), create_time, source, subject_id, language,
  response_time)
  WHERE {responded("")};

-- Full-text search joins its matches (rowids, ascending) to this narrow
-- index instead of the wide rows: filters, total_size and the page order
-- are read from it, and only the rows of one page are fetched.
CREATE INDEX reviews_search ON reviews(id, tenant_id, deleted, create_time,
  source, subject_id, language, label, priority, status, rating);

CREATE TRIGGER reviews_response_ai AFTER INSERT ON reviews
WHEN {responded("new")} BEGIN
{hist("new", 1, "true")}END;

CREATE TRIGGER reviews_response_ad AFTER DELETE ON reviews
WHEN {responded("old")} BEGIN
{hist("old", -1, "true")}END;

CREATE TRIGGER reviews_response_au AFTER UPDATE ON reviews
WHEN ({HIST_CHANGED})
  AND (old.response_time != {MIN} OR new.response_time != {MIN}) BEGIN
{hist("old", -1, responded("old"))}{hist("new", 1, responded("new"))}END;
"""

print('''// GENERATED once by hand-run script, then frozen like every shipped
// migration: the insights schema (issue 5). See insights_schema.h.
#include "service/storage/sqlite/insights_schema.h"

namespace opinia::storage::sqlite {

extern const char kInsightsMigration[] = R"sql(
''' + sql + ''')sql";

extern const char kInsightsRollupsMigration[] = R"sql(
''' + m7 + ''')sql";

}  // namespace opinia::storage::sqlite''')
