#include "service/storage/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <deque>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "service/storage/sqlite/connection.h"
#include "service/storage/sqlite/migrations.h"
#include "service/storage/sqlite/sqlite_txn.h"
#include "util/status_macros.h"

namespace opinia::storage {
namespace {

using sqlite::Connection;
using sqlite::SqliteTxn;

// Settings every connection needs; fixed text, no values from input.
absl::Status Configure(Connection& conn, const SqliteOptions& options) {
  RETURN_IF_ERROR(conn.Exec("PRAGMA foreign_keys = ON"));
  RETURN_IF_ERROR(
      conn.Exec(options.synchronous == SqliteOptions::Synchronous::kFull
                    ? "PRAGMA synchronous = FULL"
                    : "PRAGMA synchronous = NORMAL"));
  return absl::OkStatus();
}

// Copies committed WAL frames into the database file on its own thread and
// connection, so the writer never pays for a checkpoint inside a commit.
// PASSIVE checkpoints never block the writer or the readers; frames still
// in a reader's snapshot are copied by a later round.
class Checkpointer {
 public:
  static constexpr int kCatchUpFactor = 4;

  Checkpointer(std::unique_ptr<Connection> conn, int threshold_pages)
      : conn_(std::move(conn)),
        threshold_pages_(threshold_pages),
        thread_([this] { Loop(); }) {}

  ~Checkpointer() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    thread_.join();
  }

  // sqlite3_wal_hook callback: runs on the writer's thread after each commit.
  // Under a steady stream of commits a background checkpoint never catches
  // up with the last frame, and only a fully checkpointed WAL is rewound, so
  // the file would grow forever. Once the WAL is kCatchUpFactor times the
  // threshold the writer finishes the checkpoint itself: the background
  // rounds have copied most frames already, so this round is short.
  static int OnCommit(void* self, sqlite3* db, const char* name,
                      int wal_pages) {
    auto* checkpointer = static_cast<Checkpointer*>(self);
    if (wal_pages >= kCatchUpFactor * checkpointer->threshold_pages_) {
      // SQLite runs one checkpoint at a time and a PASSIVE one gives up at
      // once when another runs, so wait for the background round first.
      absl::MutexLock round(&checkpointer->round_mu_);
      sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                nullptr);
    } else if (wal_pages >= checkpointer->threshold_pages_) {
      absl::MutexLock lock(&checkpointer->mu_);
      checkpointer->requested_ = true;
    }
    return SQLITE_OK;
  }

 private:
  void Loop() {
    absl::MutexLock lock(&mu_);
    while (true) {
      mu_.Await(absl::Condition(
          +[](Checkpointer* c) { return c->requested_ || c->stop_; }, this));
      if (stop_) return;
      requested_ = false;
      mu_.Unlock();
      // Failure (e.g. SQLITE_BUSY while another checkpoint runs) is harmless:
      // the frames stay in the WAL and the next commit asks again.
      {
        absl::MutexLock round(&round_mu_);
        sqlite3_wal_checkpoint_v2(conn_->db(), nullptr,
                                  SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      }
      mu_.Lock();
    }
  }

  const std::unique_ptr<Connection> conn_;
  const int threshold_pages_;
  absl::Mutex round_mu_;  // held while a checkpoint round runs
  absl::Mutex mu_;
  bool requested_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// At most this many concurrent Write calls share one transaction, which
// bounds how long the first of them waits for the group's commit.
constexpr size_t kMaxGroup = 32;

// How often Write runs a function that keeps returning ABORTED.
constexpr int kMaxWriteRuns = 5;

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string server_secret, std::unique_ptr<Connection> writer,
              std::vector<std::unique_ptr<Connection>> readers,
              std::unique_ptr<Checkpointer> checkpointer)
      : server_secret_(std::move(server_secret)),
        writer_(std::move(writer)),
        readers_(std::move(readers)),
        checkpointer_(std::move(checkpointer)) {}

  ~SqliteStore() override {
    {
      absl::MutexLock lock(&queue_mu_);
      stopping_ = true;
    }
    // The writer finishes what is queued, then exits.
    if (writer_thread_.joinable()) writer_thread_.join();
    // The hook points at the checkpointer: unhook before it goes away.
    absl::MutexLock lock(&writer_mu_);
    if (checkpointer_ != nullptr) {
      sqlite3_wal_hook(writer_->db(), nullptr, nullptr);
      checkpointer_.reset();
    }
  }

  // Group commit: concurrent Write calls queue up and the writer thread
  // runs every queued function in a single transaction, each inside its own
  // SAVEPOINT so that one function's failure undoes only its own changes.
  // One COMMIT (one WAL fsync) then acknowledges the whole group. Every
  // caller returns only after the commit that made its changes durable, so
  // "Write returned OK" still means "stored". The writer is a thread of its
  // own (not whichever caller came first) so that it can run at a higher
  // scheduling priority than the CPU-bound callers (analysis): it is the
  // one serial stage of ingest, and on a loaded machine at normal priority
  // it waits for a core as long as it runs.
  absl::Status Write(const TxnFn& fn) override {
    PendingWrite me;
    me.fn = &fn;
    absl::MutexLock lock(&queue_mu_);
    if (stopping_) {
      return absl::UnavailableError("the store is shutting down");
    }
    queue_.push_back(&me);
    ++stats_.writes;
    queue_mu_.Await(absl::Condition(&me.done));
    return me.status;
  }

  const std::string& ServerSecret() const override { return server_secret_; }

  // Starts the writer thread; called once, before the first Write.
  void StartWriter() {
    writer_thread_ = std::thread([this] { WriterLoop(); });
  }

  // In this process only: another process (or another store object) on the
  // same file does not hear this store's commits.
  void SetTenantListener(TenantListener listener) override {
    absl::MutexLock lock(&listener_mu_);
    listener_ = std::move(listener);
  }

  StoreStats Stats() override {
    absl::MutexLock lock(&queue_mu_);
    StoreStats stats = stats_;
    stats.waiting = static_cast<int64_t>(queue_.size());
    return stats;
  }

  absl::Status Read(const TxnFn& fn) override {
    std::unique_ptr<Connection> conn = AcquireReader();
    absl::Status status = conn->Run("BEGIN DEFERRED");
    if (status.ok()) {
      SqliteTxn txn(*conn, /*read_only=*/true);
      status = fn(txn);
      if (!conn->InAutocommit()) conn->Run("ROLLBACK").IgnoreError();
    }
    ReleaseReader(std::move(conn));
    return status;
  }

 private:
  struct PendingWrite {
    const TxnFn* fn = nullptr;
    absl::Status status;
    bool done = false;
  };

  void WriterLoop() {
    std::vector<PendingWrite*> group;
    while (true) {
      {
        absl::MutexLock lock(&queue_mu_);
        queue_mu_.Await(absl::Condition(
            +[](SqliteStore* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->queue_mu_) {
              return !s->queue_.empty() || s->stopping_;
            },
            this));
        if (queue_.empty()) return;  // stopping, nothing left
        ++stats_.transactions;
        const size_t n = std::min(queue_.size(), kMaxGroup);
        group.assign(queue_.begin(), queue_.begin() + n);
        queue_.erase(queue_.begin(), queue_.begin() + n);
      }
      const absl::Time start = absl::Now();
      std::vector<std::string> notifications;
      RunGroup(group, &notifications);
      const absl::Duration busy = absl::Now() - start;
      // After the commit, before the callers return: a caller that wrote
      // and then waits for its own notification never misses it.
      Deliver(notifications);
      absl::MutexLock lock(&queue_mu_);
      for (PendingWrite* p : group) p->done = true;
      stats_.busy += busy;
    }
  }

  // Runs `group` in one transaction and sets each member's status; the
  // tenants notified by the functions that committed go to *notifications.
  void RunGroup(const std::vector<PendingWrite*>& group,
                std::vector<std::string>* notifications) {
    absl::MutexLock lock(&writer_mu_);
    auto fail_all = [&](const absl::Status& status) {
      for (PendingWrite* p : group) p->status = status;
    };
    // IMMEDIATE takes the write lock now, so the transaction cannot fail
    // later on a lock upgrade.
    if (absl::Status s = writer_->Run("BEGIN IMMEDIATE"); !s.ok()) {
      return fail_all(s);
    }
    // What the functions queued with NotifyTenant; a function's part goes
    // when it is undone.
    std::vector<std::string> queued;
    SqliteTxn txn(*writer_, /*read_only=*/false, &queued);
    // A lone function needs no savepoint: its failure rolls back everything.
    const bool isolate = group.size() > 1;
    bool any_ok = false;
    for (PendingWrite* p : group) {
      absl::Status status;
      for (int run = 1;; ++run) {
        // What this function's triggers defer is dropped with its savepoint.
        const sqlite::DeferredWrites::Mark mark =
            writer_->deferred().GetMark();
        const size_t queued_mark = queued.size();
        status = isolate ? writer_->Run("SAVEPOINT opinia_write")
                         : absl::OkStatus();
        if (status.ok()) status = (*p->fn)(txn);
        if (writer_->InAutocommit()) {
          // SQLite itself rolled back (disk full, I/O error): nothing of the
          // group is stored, including the functions that already succeeded.
          return fail_all(
              status.ok() ? absl::InternalError(
                                "transaction was rolled back by the database")
                          : status);
        }
        if (status.ok()) break;
        // Undo this run: its savepoint, or the whole (lone) transaction.
        queued.resize(queued_mark);
        absl::Status undo;
        if (isolate) {
          undo = writer_->Run("ROLLBACK TO opinia_write");
          writer_->deferred().RollBackTo(mark);
          if (undo.ok()) undo = writer_->Run("RELEASE opinia_write");
        } else {
          undo = writer_->Run("ROLLBACK");
          if (undo.ok() && absl::IsAborted(status) && run < kMaxWriteRuns) {
            undo = writer_->Run("BEGIN IMMEDIATE");
          }
        }
        if (!undo.ok()) {
          if (!writer_->InAutocommit()) writer_->Exec("ROLLBACK").IgnoreError();
          return fail_all(undo);
        }
        if (!absl::IsAborted(status) || run == kMaxWriteRuns) break;
      }
      p->status = status;
      if (status.ok()) {
        any_ok = true;
        if (isolate) {
          if (absl::Status s = writer_->Run("RELEASE opinia_write"); !s.ok()) {
            writer_->Exec("ROLLBACK").IgnoreError();
            return fail_all(s);
          }
        }
      }
    }
    if (any_ok) {
      // Applies the group's deferred rollups and full-text changes first.
      absl::Status commit = writer_->Commit();
      if (commit.ok()) {
        *notifications = std::move(queued);
        return;
      }
      for (PendingWrite* p : group) {
        if (p->status.ok()) p->status = commit;
      }
    }
    if (!writer_->InAutocommit()) writer_->Exec("ROLLBACK").IgnoreError();
  }

  // Calls the listener once per tenant in `tenants`.
  void Deliver(std::vector<std::string>& tenants) {
    if (tenants.empty()) return;
    std::sort(tenants.begin(), tenants.end());
    tenants.erase(std::unique(tenants.begin(), tenants.end()), tenants.end());
    absl::MutexLock lock(&listener_mu_);
    if (!listener_) return;
    for (const std::string& tenant : tenants) listener_(tenant);
  }

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

  const std::string server_secret_;
  absl::Mutex queue_mu_;
  std::deque<PendingWrite*> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;
  StoreStats stats_ ABSL_GUARDED_BY(queue_mu_);
  std::thread writer_thread_;

  // Held by the writer thread while it runs a group.
  absl::Mutex writer_mu_;
  std::unique_ptr<Connection> writer_ ABSL_GUARDED_BY(writer_mu_);
  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> readers_
      ABSL_GUARDED_BY(readers_mu_);
  std::unique_ptr<Checkpointer> checkpointer_ ABSL_GUARDED_BY(writer_mu_);
  // Held while the listener runs, so that replacing it waits for a call.
  absl::Mutex listener_mu_;
  TenantListener listener_ ABSL_GUARDED_BY(listener_mu_);
};

absl::StatusOr<std::unique_ptr<Connection>> OpenWriter(
    const std::string& path, const SqliteOptions& options) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> conn,
      Connection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                       options.busy_timeout));
  ASSIGN_OR_RETURN(std::string mode, conn->PragmaValue("journal_mode = WAL"));
  if (absl::AsciiStrToLower(mode) != "wal") {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot enable WAL on ", path, " (journal_mode ", mode, ")"));
  }
  RETURN_IF_ERROR(Configure(*conn, options));
  // Checkpoints run on the Checkpointer's thread, not inside commits.
  RETURN_IF_ERROR(conn->Exec("PRAGMA wal_autocheckpoint = 0"));
  // After a checkpoint resets the WAL, truncate it back to this size so a
  // burst does not leave a large file behind.
  RETURN_IF_ERROR(conn->Exec("PRAGMA journal_size_limit = 67108864"));
  RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn));
  return conn;
}

absl::StatusOr<std::string> ReadServerSecret(Connection& conn) {
  ASSIGN_OR_RETURN(
      sqlite::Statement select,
      conn.Prepare("SELECT secret FROM server_secrets WHERE name = 'server'"));
  ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return absl::DataLossError("the server secret is missing");
  return select.ColumnString(0);
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
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                   OpenWriter(path, options));
  ASSIGN_OR_RETURN(std::string server_secret, ReadServerSecret(*writer));
  // Readers open after the writer has created the file, the WAL and the
  // schema; READONLY makes a stray write fail in SQLite as well.
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.reader_pool_size; ++i) {
    ASSIGN_OR_RETURN(
        std::unique_ptr<Connection> reader,
        Connection::Open(path, SQLITE_OPEN_READONLY, options.busy_timeout));
    RETURN_IF_ERROR(Configure(*reader, options));
    readers.push_back(std::move(reader));
  }
  std::unique_ptr<Checkpointer> checkpointer;
  if (options.wal_autocheckpoint > 0) {
    ASSIGN_OR_RETURN(
        std::unique_ptr<Connection> conn,
        Connection::Open(path, SQLITE_OPEN_READWRITE, options.busy_timeout));
    RETURN_IF_ERROR(Configure(*conn, options));
    checkpointer = std::make_unique<Checkpointer>(std::move(conn),
                                                  options.wal_autocheckpoint);
    sqlite3_wal_hook(writer->db(), &Checkpointer::OnCommit,
                     checkpointer.get());
  }
  auto store = std::make_unique<SqliteStore>(
      std::move(server_secret), std::move(writer), std::move(readers),
      std::move(checkpointer));
  store->StartWriter();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace opinia::storage
