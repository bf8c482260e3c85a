#include "service/storage/postgres/pg_store.h"

#include <sys/random.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "service/storage/postgres/pg_connection.h"
#include "service/storage/postgres/pg_migrations.h"
#include "service/storage/postgres/pg_txn.h"
#include "util/status_macros.h"

namespace opinia::storage {
namespace {

using pg::Connection;
using pg::Params;
using pg::PgStoreState;
using pg::PgTxn;
using pg::Result;

constexpr char kBeginWrite[] = "BEGIN ISOLATION LEVEL SERIALIZABLE";
constexpr char kBeginRead[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

// At most `size` connections, each lent to one transaction at a time.
// Connections open lazily; a broken one (or one left inside a transaction)
// is closed when it comes back, and a new one opens on demand.
class Pool {
 public:
  Pool(std::string url, int size) : url_(std::move(url)), size_(size) {}

  const std::string& url() const { return url_; }

  absl::StatusOr<std::unique_ptr<Connection>> Acquire() {
    {
      absl::MutexLock lock(&mu_);
      ++waiting_;
      mu_.Await(absl::Condition(
          +[](Pool* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
            return !p->idle_.empty() || p->open_ < p->size_;
          },
          this));
      --waiting_;
      if (!idle_.empty()) {
        std::unique_ptr<Connection> conn = std::move(idle_.back());
        idle_.pop_back();
        return conn;
      }
      ++open_;
    }
    absl::StatusOr<std::unique_ptr<Connection>> conn = Connection::Open(url_);
    if (!conn.ok()) {
      absl::MutexLock lock(&mu_);
      --open_;
    }
    return conn;
  }

  void Release(std::unique_ptr<Connection> conn) {
    const bool reuse = conn != nullptr && !conn->broken() && conn->Idle();
    if (!reuse) conn.reset();  // closes it, outside the lock
    absl::MutexLock lock(&mu_);
    if (reuse) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }

  // Adds an open, idle connection (the one the store opened with).
  void Adopt(std::unique_ptr<Connection> conn) {
    absl::MutexLock lock(&mu_);
    ++open_;
    idle_.push_back(std::move(conn));
  }

  int64_t waiting() {
    absl::MutexLock lock(&mu_);
    return waiting_;
  }

 private:
  const std::string url_;
  const int size_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle and lent
  int64_t waiting_ ABSL_GUARDED_BY(mu_) = 0;
};

// A connection lent by the pool for one transaction, given back on scope
// exit.
class Lease {
 public:
  Lease(Pool& pool, std::unique_ptr<Connection> conn)
      : pool_(pool), conn_(std::move(conn)) {}
  ~Lease() { pool_.Release(std::move(conn_)); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  Connection& operator*() { return *conn_; }
  Connection* operator->() { return conn_.get(); }

  // Starts a transaction with `begin`. A pooled connection that the server
  // has closed meanwhile (restart, failover, idle timeout) fails here
  // before anything of the caller ran, so it is replaced by a new one once.
  absl::Status Begin(const char* begin) {
    absl::Status status = conn_->ExecScript(begin);
    if (status.ok() || !conn_->broken()) return status;
    absl::StatusOr<std::unique_ptr<Connection>> fresh =
        Connection::Open(pool_.url());
    if (!fresh.ok()) return fresh.status();
    conn_ = *std::move(fresh);
    return conn_->ExecScript(begin);
  }

 private:
  Pool& pool_;
  std::unique_ptr<Connection> conn_;
};

class PgStore final : public Store {
 public:
  PgStore(std::string url, const PgOptions& options, std::string secret)
      : options_(options),
        pool_(std::move(url), options.pool_size),
        server_secret_(std::move(secret)) {}

  Pool& pool() { return pool_; }

  absl::Status Write(const TxnFn& fn) override {
    {
      absl::MutexLock lock(&stats_mu_);
      ++stats_.writes;
    }
    absl::Status status;
    for (int run = 1;; ++run) {
      bool again = false;
      status = RunWrite(fn, again);
      if (!again || run >= options_.max_write_runs) break;
      Pause(run);
    }
    return status;
  }

  absl::Status Read(const TxnFn& fn) override {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, pool_.Acquire());
    Lease lease(pool_, std::move(conn));
    RETURN_IF_ERROR(lease.Begin(kBeginRead));
    PgStoreState::Zones learned;
    PgTxn txn(pg::PgTxnContext{*lease, /*read_only=*/true, state_, learned});
    absl::Status status = fn(txn);
    if (!lease->broken()) {
      absl::Status end = lease->ExecScript("ROLLBACK");
      if (status.ok() && !end.ok()) status = end;
    }
    // A snapshot sees committed rows only: what it read may be cached.
    state_.Remember(learned);
    return status;
  }

  const std::string& ServerSecret() const override { return server_secret_; }

  StoreStats Stats() override {
    StoreStats stats;
    {
      absl::MutexLock lock(&stats_mu_);
      stats = stats_;
    }
    stats.waiting = pool_.waiting();
    return stats;
  }

 private:
  // One transaction running fn. `again`: fn may run again (ABORTED, or the
  // connection was lost before COMMIT was sent, so nothing was committed).
  absl::Status RunWrite(const TxnFn& fn, bool& again) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, pool_.Acquire());
    Lease lease(pool_, std::move(conn));
    const absl::Time start = absl::Now();
    absl::Status status = RunWriteOn(lease, fn, again);
    absl::MutexLock lock(&stats_mu_);
    ++stats_.transactions;
    stats_.busy += absl::Now() - start;
    return status;
  }

  absl::Status RunWriteOn(Lease& lease, const TxnFn& fn, bool& again) {
    RETURN_IF_ERROR(lease.Begin(kBeginWrite));
    PgStoreState::Zones learned;
    PgTxn txn(pg::PgTxnContext{*lease, /*read_only=*/false, state_, learned});
    absl::Status status = fn(txn);
    if (status.ok() && lease->txn_failed()) {
      status = absl::InternalError(
          "a statement failed inside the write transaction, so PostgreSQL "
          "aborted it, but the function returned OK: nothing was stored");
    }
    if (!status.ok()) {
      if (lease->broken()) {
        again = true;  // COMMIT was never sent: nothing was stored
      } else {
        lease->ExecScript("ROLLBACK").IgnoreError();
        again = absl::IsAborted(status);
      }
      return status;
    }
    absl::StatusOr<Result> commit = lease->ExecOnce("COMMIT");
    if (!commit.ok()) {
      if (lease->broken()) {
        return absl::UnavailableError(absl::StrCat(
            "the connection to PostgreSQL was lost during COMMIT; the "
            "transaction may or may not have been stored: ",
            commit.status().message()));
      }
      again = absl::IsAborted(commit.status());
      return commit.status();
    }
    if (commit->tag() != "COMMIT") {
      return absl::InternalError(
          absl::StrCat("PostgreSQL did not commit the transaction (",
                       pg::AsAbsl(commit->tag()), ")"));
    }
    state_.Remember(learned);
    return absl::OkStatus();
  }

  // Before run `run` + 1 of a conflicting function: a random pause up to
  // 1 ms, 2 ms, 4 ms ... (at most 50 ms), so conflicting writers spread out.
  static void Pause(int run) {
    thread_local absl::BitGen gen;
    const int64_t max_us =
        std::min<int64_t>(50'000, int64_t{1000} << std::min(run - 1, 6));
    absl::SleepFor(absl::Microseconds(absl::Uniform<int64_t>(gen, 0, max_us)));
  }

  const PgOptions options_;
  Pool pool_;
  PgStoreState state_;
  const std::string server_secret_;
  absl::Mutex stats_mu_;
  StoreStats stats_ ABSL_GUARDED_BY(stats_mu_);
};

// 32 random bytes from the kernel's CSPRNG.
absl::StatusOr<std::string> RandomSecret() {
  std::string secret(32, '\0');
  size_t done = 0;
  while (done < secret.size()) {
    const ssize_t n = getrandom(secret.data() + done, secret.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError("getrandom failed");
    }
    done += static_cast<size_t>(n);
  }
  return secret;
}

// The database's server secret: the first server to get here stores its
// random bytes, every server (this one too) reads back the stored ones.
absl::StatusOr<std::string> LoadServerSecret(Connection& conn) {
  ASSIGN_OR_RETURN(std::string mine, RandomSecret());
  RETURN_IF_ERROR(conn.ExecOnce("INSERT INTO server_secrets (name, secret) "
                                "VALUES ('server', $1) "
                                "ON CONFLICT (name) DO NOTHING",
                                Params().Bytes(mine))
                      .status());
  ASSIGN_OR_RETURN(Result r, conn.ExecOnce("SELECT secret FROM server_secrets "
                                           "WHERE name = 'server'"));
  if (r.rows() != 1) return absl::DataLossError("the server secret is missing");
  return r.Bytes(0, 0);
}

}  // namespace

bool IsPostgresUrl(std::string_view url) {
  return absl::StartsWith(pg::AsAbsl(url), "postgresql://") ||
         absl::StartsWith(pg::AsAbsl(url), "postgres://");
}

absl::StatusOr<std::unique_ptr<Store>> OpenPgStore(const std::string& url,
                                                   const PgOptions& options) {
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError("PostgreSQL pool_size must be >= 1");
  }
  if (options.max_write_runs < 1) {
    return absl::InvalidArgumentError("PostgreSQL max_write_runs must be >= 1");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Connection::Open(url));
  RETURN_IF_ERROR(pg::ApplyMigrations(*conn));
  ASSIGN_OR_RETURN(std::string secret, LoadServerSecret(*conn));
  auto store = std::make_unique<PgStore>(url, options, std::move(secret));
  store->pool().Adopt(std::move(conn));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace opinia::storage
