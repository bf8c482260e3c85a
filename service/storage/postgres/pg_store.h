// The PostgreSQL implementation of Store (see service/storage/store.h), for
// many stateless servers on one database.
//
// A pool of libpq connections (PgOptions::pool_size), each used by one Read
// or Write at a time; a call waits while all are in use. Write runs its
// function in BEGIN ISOLATION LEVEL SERIALIZABLE ... COMMIT, so concurrent
// writers, in this process or in other servers, behave as if they ran one
// at a time; a serialization failure or deadlock (ABORTED, from a statement
// or from COMMIT) rolls back and runs the function again after a short
// jittered pause, at most PgOptions::max_write_runs times. Read runs in
// REPEATABLE READ READ ONLY: one snapshot, never blocking or blocked by
// writers; a write inside it fails with FAILED_PRECONDITION before it is
// sent. A Read inside a Write runs on another connection and does not see
// the Write's uncommitted changes.
//
// A failed statement aborts a PostgreSQL transaction: a function that
// returns OK after one is not committed (INTERNAL). Connections: any libpq
// URI; a connection the server dropped (restart, failover, idle timeout) is
// replaced when a transaction finds it broken at BEGIN, transparently, and
// a Write whose connection was lost before COMMIT runs again like an
// ABORTED one; a connection lost during COMMIT returns UNAVAILABLE (the
// outcome is unknown). While the server is unreachable calls fail with
// UNAVAILABLE; they succeed again once it is back, without a restart.
//
// Ids: review and audit ids come from sequences: unique across tenants,
// never reused, but in insert order, not commit order. Times: bigint
// microseconds (time_micros.h). The schema lives in the first schema of the
// connection's search_path (a URL may set it: options=-csearch_path%3Dname),
// so several stores can share one database in different schemas.
//
// Stats(): `writes` counts Write calls, `transactions` the transactions they
// ran (retries included), `waiting` the calls waiting for a connection, and
// `busy` the time spent in write transactions summed over connections.
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_STORE_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "service/storage/store.h"

namespace opinia::storage {

struct PgOptions {
  // Connections to PostgreSQL; at least 1. Each server of a deployment opens
  // up to this many (mind the server's max_connections).
  int pool_size = 8;
  // How often Write runs a function that keeps conflicting; at least 1.
  int max_write_runs = 10;
};

// Whether `url` names PostgreSQL: it starts with postgresql:// or
// postgres://.
bool IsPostgresUrl(std::string_view url);

// Connects to the database at `url` (a libpq connection URI), migrates it to
// the latest schema (once, under an advisory lock, when several servers
// start at once) and makes the server secret on first use. Codes:
// INVALID_ARGUMENT for bad options; UNAVAILABLE when the server cannot be
// reached; FAILED_PRECONDITION when the database's schema is newer than
// this binary; INTERNAL for other database errors.
absl::StatusOr<std::unique_ptr<Store>> OpenPgStore(
    const std::string& url, const PgOptions& options = {});

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_STORE_H_
