// The SQLite implementation of Store (see service/storage/store.h).
//
// One writer connection (Write: BEGIN IMMEDIATE ... COMMIT) and a pool of
// read-only connections (Read: BEGIN DEFERRED, a snapshot), so reads run
// concurrently with the writer in WAL mode. Concurrent Write calls are
// group-committed: they share one transaction and one fsync, each function in
// its own SAVEPOINT, so a failing function undoes only its own changes and
// every caller returns after the commit that made its changes durable. A
// background thread checkpoints the WAL into the database file, outside the
// writer's commits. Thread-safe: any number
// of threads may call Read and Write at once; Read blocks while every reader
// connection is in use.
//
// Ids: review and audit ids are SQLite rowids, assigned on insert, unique
// across tenants and never reused (rows are only soft-deleted). Tenant and
// API key ids are chosen by the caller.
// Times: int64 microseconds since the epoch (sub-microsecond truncated);
// InfinitePast/InfiniteFuture round-trip exactly.
//
// Write commits only when fn returns OK *and* the database did not abort the
// transaction itself (e.g. disk full); a statement's constraint error
// (ALREADY_EXISTS, NOT_FOUND) leaves the transaction usable, more than
// store.h promises. A function that returns ABORTED is undone (its
// savepoint, or the lone transaction) and run again, at most 5 runs. The
// writer takes the database lock at BEGIN IMMEDIATE, so SQLite itself never
// reports a snapshot conflict (BUSY_SNAPSHOT) inside one. Never call
// Write from inside a Write function (it would wait for itself); a Read
// inside a Write runs, but does not see the uncommitted changes.
//
// Keep transactions short: one Write holds the only writer for its whole
// duration, so do slow work (analysis, network) outside the function.
//
// Stats(): `transactions` counts the groups, `busy` the writer thread's time
// running them.
//
// Change notifications (Txn::NotifyTenant) reach only this store's own
// listener (Store::SetTenantListener), in this process: the writer thread
// calls it once per notified tenant after the group's commit and before the
// group's Write calls return; a function that was undone (its savepoint)
// notifies nothing. Another process, or another store object on the same
// file, does not hear them: SQLite is the one-process backend.
//
// Leases (lease_store.h) are rows of the table `leases`; the single writer
// makes TryAcquireLease trivially exclusive.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_STORE_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_STORE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/storage/store.h"

namespace opinia::storage {

struct SqliteOptions {
  // PRAGMA synchronous. FULL (default) fsyncs the WAL on every commit, so an
  // acknowledged Write survives kill -9 and power loss. NORMAL survives a
  // process crash but may lose the last commits on power loss; faster.
  enum class Synchronous { kNormal, kFull };
  Synchronous synchronous = Synchronous::kFull;
  // How long a connection waits for a lock held by another process.
  absl::Duration busy_timeout = absl::Seconds(5);
  // Read-only connections for Read(); at least 1.
  int reader_pool_size = 4;
  // A background PASSIVE checkpoint starts once the WAL holds this many
  // pages after a commit; 0 disables automatic checkpoints.
  int wal_autocheckpoint = 1000;
};

// Opens (creating if needed) the database file at `path` and migrates it to
// the latest schema. Codes: FAILED_PRECONDITION when the file's schema is
// newer than this binary or WAL cannot be enabled; INVALID_ARGUMENT for bad
// options; INTERNAL/UNAVAILABLE when the file cannot be opened or migrated.
absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(
    const std::string& path, const SqliteOptions& options = {});

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_STORE_H_
