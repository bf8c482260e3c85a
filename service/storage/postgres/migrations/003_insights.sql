-- Insights (insights_store.h): the rollups described in rollup_cells.h,
-- kept by the store in C++ (pg_rollups.h), and the indexes of the exact
-- row computations. Migrations 001-003 ship together: there are no reviews
-- to roll up yet.
--
-- Every rollup table is keyed like SQLite's (tenant, dims cell with ''
-- for a dimension left out, day or month, aspect or delay bucket) plus a
-- `shard`: the rows of one cell are summed over shards when read. Each
-- database session owns one shard (opinia_rollup_shard below) and adds its
-- transactions' deltas only to rows of that shard, so concurrent writers
-- never update the same rollup row (pg_rollups.h says why).
--
-- Counters are bigint; a shard's row may be negative (a review added
-- through one session and removed through another), the sum is exact.

-- Response delay buckets [lo, next lo) in microseconds (rollup_cells.h
-- DelayBucket): [0, 1 s), then 16 per doubling from 1 s up to about 2^36 s.
CREATE TABLE insights_delay_buckets (lo bigint PRIMARY KEY);
INSERT INTO insights_delay_buckets VALUES (0);
INSERT INTO insights_delay_buckets
  SELECT (1::bigint << x) * (16 + y) * 62500
  FROM generate_series(0, 35) AS x, generate_series(0, 15) AS y;

-- Per tenant, cell, local day and shard: the kInsightsCounters of the
-- non-deleted reviews.
CREATE TABLE insights_rollup (
  tenant_id   text NOT NULL,
  dims        integer NOT NULL,
  source      text NOT NULL,
  subject_id  text NOT NULL,
  language    text NOT NULL,
  day         integer NOT NULL,
  shard       integer NOT NULL,
  n           bigint NOT NULL,
  r1          bigint NOT NULL,
  r2          bigint NOT NULL,
  r3          bigint NOT NULL,
  r4          bigint NOT NULL,
  r5          bigint NOT NULL,
  neg         bigint NOT NULL,
  neu         bigint NOT NULL,
  pos         bigint NOT NULL,
  mix         bigint NOT NULL,
  responded   bigint NOT NULL,
  sla_pending bigint NOT NULL,
  sla_late    bigint NOT NULL,
  PRIMARY KEY (tenant_id, dims, source, subject_id, language, day, shard)
);

-- Per tenant, cell, local day, aspect and shard: aspect mentions by label.
CREATE TABLE insights_aspect_rollup (
  tenant_id   text NOT NULL,
  dims        integer NOT NULL,
  source      text NOT NULL,
  subject_id  text NOT NULL,
  language    text NOT NULL,
  day         integer NOT NULL,
  aspect      integer NOT NULL,
  shard       integer NOT NULL,
  neg         bigint NOT NULL,
  neu         bigint NOT NULL,
  pos         bigint NOT NULL,
  mix         bigint NOT NULL,
  PRIMARY KEY (tenant_id, dims, source, subject_id, language, day, aspect,
               shard)
);

-- Per tenant, cell, local month (its first local day), delay bucket and
-- shard: the non-deleted responded reviews.
CREATE TABLE insights_response_rollup (
  tenant_id   text NOT NULL,
  dims        integer NOT NULL,
  source      text NOT NULL,
  subject_id  text NOT NULL,
  language    text NOT NULL,
  month       integer NOT NULL,
  lo          bigint NOT NULL,
  shard       integer NOT NULL,
  n           bigint NOT NULL,
  PRIMARY KEY (tenant_id, dims, source, subject_id, language, month, lo,
               shard)
);

-- The response delay (insights_store.h, rollup_cells.h ResponseDelay):
-- from when the shop could first answer (the later of create_time and
-- ingest_time, or create_time for a response recorded before ingest_time)
-- to the response, clamped at 0; NULL without a response. Computed in
-- numeric, so that no time (not even an infinite one) overflows, and
-- clamped to bigint.
ALTER TABLE reviews ADD COLUMN response_delay bigint GENERATED ALWAYS AS (
  CASE WHEN response_time = -9223372036854775808 THEN NULL
  ELSE least(greatest(0, response_time::numeric - CASE
    WHEN response_time < ingest_time THEN create_time
    ELSE greatest(create_time, ingest_time) END),
    9223372036854775807)::bigint END) STORED;

-- Responded reviews in delay order (ListResponseDelaysBetween: the exact
-- median's value within its bucket) and by time (ListResponseDelays,
-- SumResponseCounts), with the filter columns for index-only scans.
CREATE INDEX reviews_response_delay ON reviews (tenant_id, response_delay)
  INCLUDE (create_time, source, subject_id, language)
  WHERE NOT deleted AND response_time <> -9223372036854775808;
CREATE INDEX reviews_responded ON reviews (tenant_id, create_time)
  INCLUDE (source, subject_id, language, response_delay)
  WHERE NOT deleted AND response_time <> -9223372036854775808;
-- Open deadlines (CountOpenSla): all in the future, a short range whatever
-- the create_time range.
CREATE INDEX reviews_sla_open ON reviews (tenant_id, respond_by)
  INCLUDE (create_time, source, subject_id, language)
  WHERE NOT deleted AND response_time = -9223372036854775808
    AND status IN (1, 2) AND respond_by <> -9223372036854775808;

-- The rollup shard of this database session: the one it owns, else the
-- lowest of 0..63 that no other session owns, taken with a session-level
-- advisory lock (kept until the session ends, whatever its transactions
-- do) and remembered in the session setting opinia.rollup_shard. A setting
-- made in a transaction that rolled back is gone while the lock is not:
-- pg_locks tells the shard the session owns then. When every shard is
-- owned (more than 64 writing sessions) a random one is used without
-- owning it: its rows may then be updated by two transactions at once, and
-- one of them fails as a serialization failure (retried). The lock key is
-- (hashtext('opinia_rollup_shard ' || schema), shard), so stores in
-- different schemas of one database shard independently.
CREATE FUNCTION opinia_rollup_shard() RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  shards CONSTANT integer := 64;
  lock_class CONSTANT integer := hashtext('opinia_rollup_shard ' || current_schema());
  s integer := nullif(current_setting('opinia.rollup_shard', true), '')::integer;
BEGIN
  IF s IS NOT NULL THEN
    RETURN s;
  END IF;
  SELECT min(objid::bigint)::integer INTO s FROM pg_locks
    WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
      AND objsubid = 2 AND classid = lock_class::oid;
  IF s IS NULL THEN
    FOR i IN 0 .. shards - 1 LOOP
      IF pg_try_advisory_lock(lock_class, i) THEN
        s := i;
        EXIT;
      END IF;
    END LOOP;
  END IF;
  IF s IS NULL THEN
    RETURN floor(random() * shards)::integer;
  END IF;
  PERFORM set_config('opinia.rollup_shard', s::text, false);
  RETURN s;
END
$$;
