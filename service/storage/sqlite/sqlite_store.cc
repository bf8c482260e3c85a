#include "service/storage/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "service/storage/sqlite/connection.h"
#include "service/storage/sqlite/migrations.h"
#include "service/storage/sqlite/sqlite_txn.h"
#include "service/storage/sqlite/status_macros.h"

namespace opinia::storage {
namespace {

using sqlite::Connection;
using sqlite::SqliteTxn;

// Settings every connection needs; fixed text, no values from input.
absl::Status Configure(Connection& conn, const SqliteOptions& options) {
  STORE_RETURN_IF_ERROR(conn.Exec("PRAGMA foreign_keys = ON"));
  STORE_RETURN_IF_ERROR(
      conn.Exec(options.synchronous == SqliteOptions::Synchronous::kFull
                    ? "PRAGMA synchronous = FULL"
                    : "PRAGMA synchronous = NORMAL"));
  return absl::OkStatus();
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Connection> writer,
              std::vector<std::unique_ptr<Connection>> readers)
      : writer_(std::move(writer)), readers_(std::move(readers)) {}

  absl::Status Write(const TxnFn& fn) override {
    absl::MutexLock lock(&writer_mu_);
    // IMMEDIATE takes the write lock now, so the transaction cannot fail
    // later on a lock upgrade.
    STORE_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
    SqliteTxn txn(*writer_, /*read_only=*/false);
    absl::Status status = fn(txn);
    if (writer_->InAutocommit()) {
      // SQLite itself rolled back (disk full, I/O error): nothing is stored.
      return status.ok() ? absl::InternalError(
                               "transaction was rolled back by the database")
                         : status;
    }
    if (status.ok()) {
      status = writer_->Exec("COMMIT");
      if (status.ok()) return status;
    }
    if (!writer_->InAutocommit()) writer_->Exec("ROLLBACK").IgnoreError();
    return status;
  }

  absl::Status Read(const TxnFn& fn) override {
    std::unique_ptr<Connection> conn = AcquireReader();
    absl::Status status = conn->Exec("BEGIN DEFERRED");
    if (status.ok()) {
      SqliteTxn txn(*conn, /*read_only=*/true);
      status = fn(txn);
      if (!conn->InAutocommit()) conn->Exec("ROLLBACK").IgnoreError();
    }
    ReleaseReader(std::move(conn));
    return status;
  }

 private:
  std::unique_ptr<Connection> AcquireReader() {
    absl::MutexLock lock(&readers_mu_);
    readers_mu_.Await(absl::Condition(
        +[](std::vector<std::unique_ptr<Connection>>* r) {
          return !r->empty();
        },
        &readers_));
    std::unique_ptr<Connection> conn = std::move(readers_.back());
    readers_.pop_back();
    return conn;
  }

  void ReleaseReader(std::unique_ptr<Connection> conn) {
    absl::MutexLock lock(&readers_mu_);
    readers_.push_back(std::move(conn));
  }

  absl::Mutex writer_mu_;
  std::unique_ptr<Connection> writer_ ABSL_GUARDED_BY(writer_mu_);
  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> readers_
      ABSL_GUARDED_BY(readers_mu_);
};

absl::StatusOr<std::unique_ptr<Connection>> OpenWriter(
    const std::string& path, const SqliteOptions& options) {
  STORE_ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> conn,
      Connection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                       options.busy_timeout));
  STORE_ASSIGN_OR_RETURN(std::string mode,
                         conn->PragmaValue("journal_mode = WAL"));
  if (absl::AsciiStrToLower(mode) != "wal") {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot enable WAL on ", path, " (journal_mode ", mode, ")"));
  }
  STORE_RETURN_IF_ERROR(Configure(*conn, options));
  const std::string checkpoint =
      absl::StrCat("PRAGMA wal_autocheckpoint = ", options.wal_autocheckpoint);
  STORE_RETURN_IF_ERROR(conn->Exec(checkpoint.c_str()));
  STORE_RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn));
  return conn;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(
    const std::string& path, const SqliteOptions& options) {
  if (options.reader_pool_size < 1) {
    return absl::InvalidArgumentError("reader_pool_size must be >= 1");
  }
  if (options.wal_autocheckpoint < 0) {
    return absl::InvalidArgumentError("wal_autocheckpoint must be >= 0");
  }
  STORE_ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                         OpenWriter(path, options));
  // Readers open after the writer has created the file, the WAL and the
  // schema; READONLY makes a stray write fail in SQLite as well.
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.reader_pool_size; ++i) {
    STORE_ASSIGN_OR_RETURN(
        std::unique_ptr<Connection> reader,
        Connection::Open(path, SQLITE_OPEN_READONLY, options.busy_timeout));
    STORE_RETURN_IF_ERROR(Configure(*reader, options));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<Store>(
      new SqliteStore(std::move(writer), std::move(readers)));
}

}  // namespace opinia::storage
