#include "service/storage/sqlite/sqlite_store.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/storage/sqlite/connection.h"
#include "service/storage/sqlite/migrations.h"
#include "service/storage/sqlite/review_query.h"
#include "service/storage/sqlite/sqlite_alerts.h"
#include "tests/service/storage/store_conformance.h"

namespace opinia::storage {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using conformance::StoreConformanceTest;
using conformance::StoreFactory;

INSTANTIATE_TEST_SUITE_P(
    Sqlite, StoreConformanceTest,
    ::testing::Values(StoreFactory{
        "sqlite",
        [](const std::string& dir) -> std::unique_ptr<Store> {
          absl::StatusOr<std::unique_ptr<Store>> store =
              OpenSqliteStore(dir + "/opinia.db");
          EXPECT_TRUE(store.ok()) << store.status();
          return store.ok() ? std::move(*store) : nullptr;
        }}),
    [](const ::testing::TestParamInfo<StoreFactory>& info) {
      return info.param.name;
    });

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "/sqlite_store_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/opinia.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Store> Open(const SqliteOptions& options = {}) {
    absl::StatusOr<std::unique_ptr<Store>> store =
        OpenSqliteStore(path_, options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // A raw connection to inspect the file independently of the store.
  std::unique_ptr<sqlite::Connection> Raw() {
    absl::StatusOr<std::unique_ptr<sqlite::Connection>> conn =
        sqlite::Connection::Open(path_, SQLITE_OPEN_READWRITE,
                                 absl::Seconds(5));
    EXPECT_TRUE(conn.ok()) << conn.status();
    return conn.ok() ? std::move(*conn) : nullptr;
  }

  std::string PragmaOf(const char* pragma) {
    std::unique_ptr<sqlite::Connection> raw = Raw();
    if (raw == nullptr) return "";
    return raw->PragmaValue(pragma).value_or("<error>");
  }

  static ReviewRow Review(std::string external_id) {
    ReviewRow r;
    r.tenant_id = "t";
    r.source = "google";
    r.external_id = std::move(external_id);
    r.create_time = kT0;
    return r;
  }

  static absl::Status AddTenant(Store& store) {
    return store.Write([](Txn& txn) {
      return txn.InsertTenant(TenantRow{"t", "T", "Europe/Warsaw", kT0});
    });
  }

  static int64_t Count(Store& store) {
    int64_t n = -1;
    EXPECT_TRUE(store
                    .Read([&](Txn& txn) {
                      absl::StatusOr<int64_t> c =
                          txn.CountReviews("t", ReviewFilter{});
                      n = c.value_or(-1);
                      return c.status();
                    })
                    .ok());
    return n;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(SqliteStoreTest, OpenAppliesMigrationsAndEnablesWal) {
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(PragmaOf("user_version"),
            absl::StrCat(sqlite::LatestSchemaVersion()));
  EXPECT_EQ(PragmaOf("journal_mode"), "wal");
  std::unique_ptr<sqlite::Connection> raw = Raw();
  ASSERT_NE(raw, nullptr);
  for (const char* table : {"tenants", "api_keys", "reviews", "audit_log"}) {
    absl::StatusOr<sqlite::Statement> stmt = raw->Prepare(
        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?");
    ASSERT_TRUE(stmt.ok()) << stmt.status();
    stmt->BindText(table);
    ASSERT_TRUE(stmt->Step().value_or(false)) << table;
    EXPECT_EQ(stmt->ColumnInt64(0), 1) << table;
  }
}

TEST_F(SqliteStoreTest, ReopenKeepsDataAndSchemaVersion) {
  int64_t id = 0;
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(AddTenant(*store).ok());
    ASSERT_TRUE(store
                    ->Write([&](Txn& txn) {
                      absl::StatusOr<int64_t> r =
                          txn.InsertReview(Review("r1"));
                      id = r.value_or(0);
                      return r.status();
                    })
                    .ok());
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store
                  ->Read([&](Txn& txn) {
                    absl::StatusOr<ReviewRow> r = txn.GetReview("t", id);
                    EXPECT_TRUE(r.ok() && r->external_id == "r1") << r.status();
                    return r.status();
                  })
                  .ok());
  EXPECT_EQ(PragmaOf("user_version"),
            absl::StrCat(sqlite::LatestSchemaVersion()));
}

TEST_F(SqliteStoreTest, ServerSecretIsMadeOncePerDatabase) {
  std::string secret;
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    secret = store->ServerSecret();
    EXPECT_EQ(secret.size(), 32u);
  }
  std::unique_ptr<Store> reopened = Open();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->ServerSecret(), secret);
  // Another database: another secret.
  path_ = dir_ + "/other.db";
  std::unique_ptr<Store> other = Open();
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->ServerSecret().size(), 32u);
  EXPECT_NE(other->ServerSecret(), secret);
}

TEST_F(SqliteStoreTest, AcknowledgedWritesSurviveSigkill) {
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(AddTenant(*store).ok());
  }
  int acks[2];
  ASSERT_EQ(pipe(acks), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child writes one review per transaction and acknowledges each
    // after Write returned, until it is killed.
    close(acks[0]);
    absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(path_);
    if (!store.ok()) _exit(2);
    for (int32_t i = 0; i < 100000; ++i) {
      absl::Status s = (*store)->Write([&](Txn& txn) {
        return txn.InsertReview(Review(absl::StrCat("r", i))).status();
      });
      if (!s.ok() || write(acks[1], &i, sizeof(i)) != sizeof(i)) _exit(3);
    }
    _exit(0);
  }
  close(acks[1]);
  int32_t acked = -1, next = 0;
  while (acked < 200 && read(acks[0], &next, sizeof(next)) == sizeof(next)) {
    acked = next;
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited early: " << wstatus;
  // Acks already in the pipe were sent after a commit, too.
  while (read(acks[0], &next, sizeof(next)) == sizeof(next)) acked = next;
  close(acks[0]);

  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Read([&](Txn& txn) {
                    for (int32_t i = 0; i <= acked; ++i) {
                      absl::StatusOr<std::optional<ReviewRow>> r =
                          txn.FindReview("t", "google", absl::StrCat("r", i));
                      EXPECT_TRUE(r.ok() && r->has_value())
                          << "acknowledged r" << i;
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  const int64_t stored = Count(*store);
  EXPECT_GE(stored, acked + 1);
  EXPECT_LE(stored, acked + 2);  // at most one commit was not yet acked
}

TEST_F(SqliteStoreTest, NewerSchemaIsRefused) {
  ASSERT_NE(Open(), nullptr);
  {
    std::unique_ptr<sqlite::Connection> raw = Raw();
    ASSERT_NE(raw, nullptr);
    const std::string bump = absl::StrCat("PRAGMA user_version = ",
                                          sqlite::LatestSchemaVersion() + 1);
    ASSERT_TRUE(raw->Exec(bump.c_str()).ok());
  }
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(path_);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition)
      << store.status();
}

TEST_F(SqliteStoreTest, OptionsAreAppliedAndValidated) {
  SqliteOptions bad;
  bad.reader_pool_size = 0;
  EXPECT_EQ(OpenSqliteStore(path_, bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad = SqliteOptions{};
  bad.wal_autocheckpoint = -1;
  EXPECT_EQ(OpenSqliteStore(path_, bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenSqliteStore(dir_ + "/no/such/dir/db").status().code(),
            absl::StatusCode::kInternal);
}

TEST_F(SqliteStoreTest, ReadersSeeASnapshotAndRunDuringAWrite) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(AddTenant(*store).ok());

  // The writer holds its transaction open with one uncommitted row while
  // several readers run; they must finish (not block) and not see the row.
  absl::Notification writing, readers_done;
  std::thread writer([&] {
    EXPECT_TRUE(store
                    ->Write([&](Txn& txn) {
                      absl::Status s =
                          txn.InsertReview(Review("pending")).status();
                      writing.Notify();
                      EXPECT_TRUE(readers_done.WaitForNotificationWithTimeout(
                          absl::Seconds(30)))
                          << "readers blocked behind the writer";
                      return s;
                    })
                    .ok());
  });
  writing.WaitForNotification();
  std::vector<std::thread> readers;
  std::atomic<int> zero_counts{0};
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      if (Count(*store) == 0) ++zero_counts;
    });
  }
  for (std::thread& t : readers) t.join();
  readers_done.Notify();
  writer.join();
  EXPECT_EQ(zero_counts.load(), 3);
  EXPECT_EQ(Count(*store), 1);
}

TEST_F(SqliteStoreTest, ReadSnapshotIgnoresCommitsMadeDuringIt) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(AddTenant(*store).ok());
  absl::Notification first_read, committed;
  std::thread writer([&] {
    first_read.WaitForNotification();
    EXPECT_TRUE(store
                    ->Write([](Txn& txn) {
                      return txn.InsertReview(Review("new")).status();
                    })
                    .ok());
    committed.Notify();
  });
  EXPECT_TRUE(store
                  ->Read([&](Txn& txn) {
                    const int64_t before =
                        txn.CountReviews("t", ReviewFilter{}).value_or(-1);
                    first_read.Notify();
                    committed.WaitForNotification();
                    EXPECT_EQ(
                        txn.CountReviews("t", ReviewFilter{}).value_or(-1),
                        before);
                    return absl::OkStatus();
                  })
                  .ok());
  writer.join();
  EXPECT_EQ(Count(*store), 1);
}

TEST_F(SqliteStoreTest, ConcurrentWritersAndReaders) {
  SqliteOptions options;
  options.reader_pool_size = 2;  // fewer connections than reader threads
  std::unique_ptr<Store> store = Open(options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(AddTenant(*store).ok());
  constexpr int kWriters = 4, kPerWriter = 50, kReaders = 4;
  std::atomic<bool> writers_done{false};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        EXPECT_TRUE(store
                        ->Write([&](Txn& txn) {
                          return txn
                              .InsertReview(Review(absl::StrCat(w, "-", i)))
                              .status();
                        })
                        .ok());
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&] {
      int64_t last = 0;
      while (!writers_done.load()) {
        const int64_t n = Count(*store);
        EXPECT_GE(n, last) << "a later snapshot saw fewer rows";
        last = n;
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[w].join();
  writers_done = true;
  for (size_t i = kWriters; i < threads.size(); ++i) threads[i].join();
  EXPECT_EQ(Count(*store), kWriters * kPerWriter);
}

// Snapshot conflicts are ABORTED (Write runs the function again); a lock
// held past the busy timeout stays UNAVAILABLE.
TEST(SqliteErrorTest, SnapshotConflictsAreAborted) {
  EXPECT_EQ(sqlite::SqliteError(nullptr, SQLITE_BUSY_SNAPSHOT, "x").code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(
      sqlite::SqliteError(nullptr, SQLITE_LOCKED_SHAREDCACHE, "x").code(),
      absl::StatusCode::kAborted);
  EXPECT_EQ(sqlite::SqliteError(nullptr, SQLITE_BUSY, "x").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(sqlite::SqliteError(nullptr, SQLITE_LOCKED, "x").code(),
            absl::StatusCode::kUnavailable);
}

// More than store.h promises: after a failed statement SQLite's transaction
// goes on.
TEST_F(SqliteStoreTest, FailedStatementLeavesTransactionUsable) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(AddTenant(*store).ok());
  ASSERT_TRUE(store
                  ->Write([](Txn& txn) {
                    EXPECT_EQ(txn.InsertTenant(TenantRow{"t", "T", "UTC"})
                                  .code(),
                              absl::StatusCode::kAlreadyExists);
                    return txn.InsertTenant(TenantRow{"u", "U", "UTC"});
                  })
                  .ok());
  EXPECT_TRUE(store->Read([](Txn& txn) { return txn.GetTenant("u").status(); })
                  .ok());
}

// Writes that queue behind a running transaction share the next one; the
// one that fails is undone alone (its savepoint), the others commit, and
// the one that conflicts once runs again inside the group.
TEST_F(SqliteStoreTest, QueuedWritesShareOneTransactionAndFailAlone) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(AddTenant(*store).ok());
  const StoreStats before = store->Stats();
  absl::Notification first_running, release;
  std::thread first([&] {
    EXPECT_TRUE(store
                    ->Write([&](Txn& txn) {
                      absl::Status s = txn.InsertReview(Review("a")).status();
                      first_running.Notify();
                      release.WaitForNotification();
                      return s;
                    })
                    .ok());
  });
  first_running.WaitForNotification();
  std::vector<std::thread> queued;
  std::vector<absl::Status> results(4);
  std::atomic<int> last_runs{0};
  for (int i = 0; i < 4; ++i) {
    queued.emplace_back([&, i] {
      results[i] = store->Write([&, i](Txn& txn) -> absl::Status {
        absl::Status s =
            txn.InsertReview(Review(absl::StrCat("q", i))).status();
        if (!s.ok()) return s;
        // q1 fails after its insert: only that insert is undone. q3
        // conflicts on its first run.
        if (i == 1) return absl::FailedPreconditionError("changed my mind");
        if (i == 3 && ++last_runs == 1) return absl::AbortedError("conflict");
        return s;
      });
    });
  }
  // Release the first transaction once all four wait behind it.
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (store->Stats().waiting < 4 && absl::Now() < deadline) {
    std::this_thread::yield();
  }
  ASSERT_EQ(store->Stats().waiting, 4);
  release.Notify();
  first.join();
  for (std::thread& t : queued) t.join();

  EXPECT_TRUE(results[0].ok()) << results[0];
  EXPECT_EQ(results[1].code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(results[2].ok()) << results[2];
  EXPECT_TRUE(results[3].ok()) << results[3];
  EXPECT_EQ(last_runs, 2);
  const StoreStats after = store->Stats();
  EXPECT_EQ(after.writes - before.writes, 5);
  EXPECT_EQ(after.transactions - before.transactions, 2);
  EXPECT_TRUE(store
                  ->Read([&](Txn& txn) {
                    for (const char* id : {"a", "q0", "q2", "q3"}) {
                      EXPECT_TRUE(
                          txn.FindReview("t", "google", id).value_or(std::nullopt).has_value())
                          << id;
                    }
                    EXPECT_FALSE(
                        txn.FindReview("t", "google", "q1").value_or(std::nullopt).has_value());
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(Count(*store), 4);
}

// The background checkpointer keeps the WAL bounded while writes go on.
TEST_F(SqliteStoreTest, BackgroundCheckpointsKeepTheWalSmall) {
  SqliteOptions options;
  options.wal_autocheckpoint = 50;  // pages
  std::unique_ptr<Store> store = Open(options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(AddTenant(*store).ok());
  for (int i = 0; i < 400; ++i) {
    ASSERT_TRUE(store
                    ->Write([&](Txn& txn) {
                      ReviewRow row = Review(absl::StrCat("w", i));
                      row.input = std::string(4000, 'x');  // ~1 page each
                      return txn.InsertReview(row).status();
                    })
                    .ok());
  }
  // Each commit appends ~12 pages (row, indexes, rollups, FTS): without
  // checkpoints the WAL ends near 20 MB. The file keeps its high-water mark
  // and a catch-up round can find the background round busy, so allow
  // generous slack over the 4 x 50-page catch-up point.
  std::error_code ec;
  const auto wal = std::filesystem::file_size(path_ + "-wal", ec);
  ASSERT_FALSE(ec);
  std::unique_ptr<sqlite::Connection> raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(raw->PragmaValue("integrity_check").value_or(""), "ok");
  EXPECT_LT(wal, 4'000'000u) << "WAL never checkpointed";
  EXPECT_EQ(Count(*store), 400);
}

// EXPLAIN QUERY PLAN of `sql` with `bind` binding its parameters: the
// plan's detail lines.
template <typename Bind>
std::string QueryPlan(sqlite::Connection& raw, const std::string& sql,
                      Bind bind) {
  absl::StatusOr<sqlite::Statement> stmt =
      raw.Prepare(absl::StrCat("EXPLAIN QUERY PLAN ", sql));
  EXPECT_TRUE(stmt.ok()) << stmt.status();
  if (!stmt.ok()) return "";
  bind(*stmt);
  std::string plan;
  while (stmt->Step().value_or(false)) {
    absl::StrAppend(&plan, stmt->ColumnString(3), "\n");
  }
  return plan;
}

TEST_F(SqliteStoreTest, ListReviewsWalksTheKeysetIndexWithoutSorting) {
  ASSERT_NE(Open(), nullptr);
  std::unique_ptr<sqlite::Connection> raw = Raw();
  ASSERT_NE(raw, nullptr);
  struct Case {
    const char* what;
    ReviewFilter filter;
    const char* index;
  };
  ReviewFilter by_subject;
  by_subject.subject_ids = {"s1"};
  ReviewFilter ascending;
  ascending.order = ReviewOrder::kCreateTimeAsc;
  ascending.sources = {"a", "b"};
  ascending.min_rating = 2;
  // The dashboard's inbox: open reviews, P1..P3, most urgent first.
  ReviewFilter inbox;
  inbox.order = ReviewOrder::kUrgency;
  inbox.statuses = {1, 2};
  inbox.priorities = {1, 2, 3};
  ReviewFilter inbox_one_priority = inbox;
  inbox_one_priority.priorities = {2};
  ReviewFilter due = inbox;
  due.order = ReviewOrder::kRespondBy;
  due.statuses = {1};
  due.priorities = {};
  const Case cases[] = {
      {"default", ReviewFilter{}, "reviews_by_time"},
      {"ascending with filters", ascending, "reviews_by_time"},
      {"one subject", by_subject, "reviews_by_subject"},
      {"inbox", inbox, "reviews_open_by_urgency"},
      {"inbox, one priority", inbox_one_priority, "reviews_open_by_urgency"},
      {"nearest deadline first", due, "reviews_open_by_due"},
  };
  ReviewCursor cursor{kT0, 42};
  cursor.priority = 2;
  cursor.respond_by = kT0 + absl::Hours(1);
  for (const Case& c : cases) {
    for (const bool first_page : {true, false}) {
      const sqlite::ReviewQuery q = sqlite::ListReviewsQuery(
          "t", c.filter,
          first_page ? std::nullopt : std::optional<ReviewCursor>(cursor));
      const std::string plan =
          QueryPlan(*raw, q.sql, [&](sqlite::Statement& stmt) {
            q.BindTo(stmt);
            stmt.BindInt64(50);
          });
      EXPECT_THAT(plan, HasSubstr(c.index)) << c.what << "\n" << plan;
      EXPECT_THAT(plan, Not(HasSubstr("TEMP B-TREE")))
          << c.what << "\n" << plan;
    }
  }
  // The inbox's total_size is counted from the entries of an index of open
  // reviews alone (either: both hold every open review once).
  const sqlite::ReviewQuery count = sqlite::CountReviewsQuery("t", inbox);
  EXPECT_THAT(QueryPlan(*raw, count.sql,
                        [&](sqlite::Statement& stmt) { count.BindTo(stmt); }),
              HasSubstr("USING COVERING INDEX reviews_open_by_"));
}

// The review view's ListAlerts(review): the review's alerts from
// alerts_by_review, not a walk over the tenant's alerts.
TEST_F(SqliteStoreTest, AlertsOfOneReviewAreReadFromTheirIndex) {
  ASSERT_NE(Open(), nullptr);
  std::unique_ptr<sqlite::Connection> raw = Raw();
  ASSERT_NE(raw, nullptr);
  AlertFilter filter;
  filter.review_id = 42;
  filter.states = {1, 2, 4};
  const std::string plan = QueryPlan(
      *raw, sqlite::ListAlertsSql(filter), [](sqlite::Statement& stmt) {
        stmt.BindText("t").BindInt64(INT64_MAX).BindInt64(42);
        for (int v : {1, 2, 4, 50}) stmt.BindInt64(v);
      });
  EXPECT_THAT(plan, HasSubstr("USING INDEX alerts_by_review (tenant_id=? AND "
                              "review_id=?"))
      << plan;
}

}  // namespace
}  // namespace opinia::storage
