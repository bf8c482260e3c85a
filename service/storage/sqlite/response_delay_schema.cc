// The response delay migration: a review's response delay is
// measured from when Opinia first saw it, not from its create_time.
// Written by hand; frozen like every shipped migration.
#include "service/storage/sqlite/insights_schema.h"

namespace opinia::storage::sqlite {

extern const char kResponseDelayMigration[] = R"sql(
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
)sql";

}  // namespace opinia::storage::sqlite
