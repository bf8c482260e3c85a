// Index maintenance that the review triggers (schema 8) hand to C++ instead
// of doing row by row, applied once per write transaction just before its
// COMMIT, to cut the writer's cost per review.
//
// Why: with the triggers of schemas 3 and 7 every review paid for
// - 8 insights_rollup upserts (+ 8 per aspect, + 8 per answered review),
//   although a transaction of hundreds of reviews touches far fewer
//   distinct cells; here the deltas are summed per cell and each cell is
//   upserted once;
// - an FTS5 flush per statement: FTS5 writes its pending terms to a new
//   index segment at every statement savepoint, and every INSERT with
//   triggers opens one, so each review became its own segment (and merge
//   work). Here the transaction's full-text changes are one statement, in
//   their original order (contentless FTS5 must delete a row's old tokens
//   before new ones are added).
//
// The triggers call these SQL functions, registered on every connection
// with that connection's DeferredWrites:
//   opinia_defer_rollup(tenant, source, subject, language, day, sign,
//                       rating, label, responded, sla_pending, sla_late)
//     (the review's RollupFacts, service/storage/rollup_cells.h)
//   opinia_defer_aspect_rollup(tenant, source, subject, language, day,
//                              aspect, sign, label)
//   opinia_defer_response_rollup(tenant, source, subject, language, month,
//                                lo, sign)
//   opinia_defer_fts(insert, rowid, text)   insert 0 = delete old tokens
// Each records one change in an ordered log. Flush() sums the rollup
// changes over the cells each one adds to (ForEachRollupCell) with the
// counters of rollup_cells.h, and applies them, then the full-text changes.
//
// The log follows the transaction: Mark()/RollBackTo() undo what a failed
// statement or a rolled-back savepoint logged, Clear() drops it on
// ROLLBACK. Connection wires this up (a commit hook refuses to commit while
// the log is not empty, so a forgotten Flush fails loudly instead of losing
// index entries). Not thread-safe, like the Connection that owns it.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_DEFERRED_WRITES_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_DEFERRED_WRITES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "service/storage/rollup_cells.h"

struct sqlite3;
struct sqlite3_context;
struct sqlite3_value;

namespace opinia::storage::sqlite {

class Connection;

class DeferredWrites {
 public:
  struct Mark {
    size_t rollups = 0;
    size_t aspects = 0;
    size_t responses = 0;
    size_t fts = 0;
  };

  // Registers the opinia_defer_* functions on `db`, logging into *this.
  absl::Status Register(sqlite3* db);

  Mark GetMark() const;
  // Forgets everything logged after `mark`.
  void RollBackTo(const Mark& mark);
  void Clear();
  bool empty() const;

  // Applies the log through `conn` (inside its open transaction) and
  // clears it. On error the transaction must be rolled back.
  absl::Status Flush(Connection& conn);

 private:
  // The dimensions of one change, before expansion into cells.
  struct Where {
    std::string tenant, source, subject, language;
    int64_t day = 0;  // local day; local month for responses
  };
  struct RollupChange {
    Where where;
    int sign = 0;
    RollupFacts facts;
  };
  struct AspectChange {
    Where where;
    int64_t aspect = 0;
    int sign = 0;
    int label = 0;
  };
  struct ResponseChange {
    Where where;
    int64_t lo = 0;
    int sign = 0;
  };
  struct FtsChange {
    bool insert = false;
    int64_t rowid = 0;
    std::string text;
  };

  static Where WhereOf(sqlite3_value** argv);
  static void RollupFn(sqlite3_context* ctx, int argc,
                       sqlite3_value** argv);
  static void AspectFn(sqlite3_context* ctx, int argc,
                       sqlite3_value** argv);
  static void ResponseFn(sqlite3_context* ctx, int argc,
                         sqlite3_value** argv);
  static void FtsFn(sqlite3_context* ctx, int argc,
                    sqlite3_value** argv);

  absl::Status FlushRollups(Connection& conn);
  absl::Status FlushAspects(Connection& conn);
  absl::Status FlushResponses(Connection& conn);
  absl::Status FlushFts(Connection& conn);

  std::vector<RollupChange> rollups_;
  std::vector<AspectChange> aspects_;
  std::vector<ResponseChange> responses_;
  std::vector<FtsChange> fts_;
};

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_DEFERRED_WRITES_H_
