// The insights rollups of the PostgreSQL store (rollup_cells.h: which
// counters of which cells a review adds to), kept by PgTxn in C++: each
// write of a review records its rollup deltas here, summed per cell, and
// PgTxn::BeforeCommit applies them in one statement just before COMMIT.
//
// The problem: every review adds to the same few cells of its tenant and
// day (8 cells, 8 per aspect, 8 for a response). Under SERIALIZABLE (and
// REPEATABLE READ) PostgreSQL, a transaction that updates a row which a
// concurrent transaction updated and committed after the first one's
// snapshot fails with a serialization failure, and while that transaction
// is open the second waits on its row lock. One row per cell would make
// every writer of a tenant — in this server and in every other replica —
// queue behind one row lock and then retry, so ingest would serialise on
// the hottest cell.
//
// What this does instead (see migrations/003_insights.sql):
// - Rollup rows carry a `shard` (0..63) in their key; reads sum the shards
//   of a cell (GROUP BY), which is exact because counters only add.
// - Each database session owns one shard: opinia_rollup_shard() takes the
//   lowest one no other session owns with a session-level advisory lock,
//   for the life of the session, across every replica of the database.
//   A session runs one transaction at a time, so the last writer of the
//   rows of its shard is its own previous transaction, committed before
//   the current one's snapshot: no row lock waits, no serialization
//   failures, whatever the number of writers (up to 64 sessions; beyond
//   that a session writes a random shard without owning it and may have
//   to retry). Per session rather than per transaction, because a shard
//   handed from one transaction to another whose snapshot is older than
//   the first one's commit would fail exactly as a shared row does.
// - Deltas are summed per cell in C++ over the whole transaction, and the
//   cells are written by one INSERT ... ON CONFLICT (key, shard) DO UPDATE
//   SET c = c + excluded.c per table, rows in sorted key order, all three
//   in one statement (one round trip per transaction, not per review or
//   cell). Cells whose deltas sum to zero are not written.
// - Predicate locks: the upserts read nothing through an MVCC snapshot
//   (ON CONFLICT checks with a dirty snapshot), so they take no SIREAD
//   locks, and the rollup reads run in Store::Read (REPEATABLE READ READ
//   ONLY, which takes none either), so rollup traffic adds no
//   read-write dependencies. Reads of rollups or rows inside a Write do
//   (SERIALIZABLE): core reads insights only in Read.
// - Rows per cell grow with the number of sessions that ever wrote it
//   (shards are reused lowest first, so one server with a pool of 8 uses
//   at most 8); reads sum them in the same index range.
//
// Not thread-safe: one per transaction.
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_ROLLUPS_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_ROLLUPS_H_

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "absl/status/status.h"
#include "service/storage/postgres/pg_connection.h"
#include "service/storage/rollup_cells.h"
#include "service/storage/store.h"

namespace opinia::storage::pg {

// A review as PgTxn stored it, with its local day (reviews.local_day).
struct PgStoredReview {
  const ReviewRow& row;
  int64_t local_day = 0;
};

class PgRollups {
 public:
  // A review was written: `before` is nullptr for an insert, else its old
  // values (their aspects, dimensions, times, flags).
  void Record(const PgStoredReview* before, const PgStoredReview& after);

  bool empty() const {
    return insights_.empty() && aspects_.empty() && responses_.empty();
  }

  // Adds the recorded deltas to the rollup rows of this session's shard,
  // inside the open transaction, and forgets them. On error the
  // transaction must be rolled back (ABORTED: run it again).
  absl::Status Flush(Connection& conn);

 private:
  // tenant, dims, source, subject, language, day (month for responses),
  // and the key part after it (aspect, delay bucket; 0 for reviews).
  using CellKey = std::tuple<std::string, int, std::string, std::string,
                             std::string, int64_t, int64_t>;

  // Adds what `review` counts, times `sign`, to its cells.
  void Add(const PgStoredReview& review, int sign);

  std::map<CellKey, InsightsDeltas> insights_;
  std::map<CellKey, AspectDeltas> aspects_;
  std::map<CellKey, ResponseDeltas> responses_;
};

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_ROLLUPS_H_
