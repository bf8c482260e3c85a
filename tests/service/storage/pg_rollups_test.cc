// The PostgreSQL insights rollups under concurrency (pg_rollups.h): many
// writers of one tenant and day, in one store and in two (replicas), add to
// the same rollup cells without waiting for each other or retrying, and
// the rollups stay exactly the sums of the rows; what happens without
// shards; how a database session owns its shard; and the delay buckets.
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "service/storage/postgres/pg_connection.h"
#include "service/storage/postgres/pg_store.h"
#include "service/storage/rollup_cells.h"
#include "tests/service/storage/pg_store_fixture.h"
#include "tests/service/storage/store_conformance_util.h"

namespace opinia::storage {
namespace {

using conformance::Review;
using conformance::Tenant;
using pg::Connection;
using pg::Result;

constexpr int kShards = 64;  // opinia_rollup_shard in 003_insights.sql
// The advisory lock class of the shards of the connection's schema.
constexpr char kShardClass[] =
    "hashtext('opinia_rollup_shard ' || current_schema())";

// 10:00 UTC: every review of the load is on this UTC day.
const absl::Time kDay = absl::FromCivil(absl::CivilSecond(2026, 3, 2, 10, 0, 0),
                                        absl::UTCTimeZone());

// What a load did, summed over its stores.
struct LoadResult {
  int64_t writes = 0;        // Write calls
  int64_t transactions = 0;  // the transactions they ran, retries included
  int64_t failed = 0;        // Write calls that did not return OK
  int64_t reviews = 0;       // not deleted at the end
  absl::Duration elapsed;

  int64_t retries() const { return transactions - writes; }
};

class PgRollupsTest : public testing::PgStoreFixture {
 protected:
  std::unique_ptr<Store> Open(int pool_size, int max_write_runs = 10) {
    PgOptions options;
    options.pool_size = pool_size;
    options.max_write_runs = max_write_runs;
    return PgStoreFixture::Open(options);
  }

  // `n` stores on the schema (as of `n` replicas) and their tenant "t"
  // (UTC); fewer (and a failure) when one does not open.
  std::vector<std::unique_ptr<Store>> OpenReplicas(int n, int pool_size,
                                                   int max_write_runs) {
    std::vector<std::unique_ptr<Store>> stores;
    for (int i = 0; i < n; ++i) {
      std::unique_ptr<Store> store = Open(pool_size, max_write_runs);
      if (store == nullptr) return stores;
      stores.push_back(std::move(store));
    }
    conformance::InsertTenants(*stores[0], {Tenant("t", "UTC")});
    return stores;
  }

  // Takes every shard no session owns for `conn`'s session; how many.
  static int64_t TakeFreeShards(Connection& conn) {
    return QueryInt(
        conn, absl::StrCat("SELECT count(*) FROM generate_series(0, ",
                           kShards - 1, ") AS s WHERE pg_try_advisory_lock(",
                           kShardClass, ", s)"));
  }

  // The rollup shard of `conn`'s session, in a transaction of its own that
  // commits or rolls back.
  static int64_t ShardOf(Connection& conn, bool commit = true) {
    EXPECT_TRUE(conn.ExecScript("BEGIN ISOLATION LEVEL SERIALIZABLE").ok());
    const int64_t shard = QueryInt(conn, "SELECT opinia_rollup_shard()");
    EXPECT_TRUE(conn.ExecScript(commit ? "COMMIT" : "ROLLBACK").ok());
    return shard;
  }

  // The shard locks `conn`'s session holds.
  static int64_t ShardLocksOf(Connection& conn) {
    return QueryInt(
        conn, absl::StrCat("SELECT count(*) FROM pg_locks WHERE locktype = "
                           "'advisory' AND pid = pg_backend_pid() AND "
                           "objsubid = 2 AND classid = ",
                           kShardClass, "::oid"));
  }

  // Runs `threads` writers on each store at once, each making `writes`
  // Write calls on tenant "t": two new reviews of the same day, source,
  // subject and language (so every Write adds to the same rollup cells),
  // with aspects, deadlines and responses, and with `updates` a change to
  // its previous review (response withdrawn or recorded, every 5th
  // deleted).
  static LoadResult RunWriters(
      const std::vector<std::unique_ptr<Store>>& stores, int threads,
      int writes, bool updates) {
    LoadResult result;
    for (const auto& store : stores) {
      const StoreStats stats = store->Stats();
      result.writes -= stats.writes;
      result.transactions -= stats.transactions;
    }
    std::atomic<int64_t> failed{0}, reviews{0};
    std::vector<std::thread> pool;
    const absl::Time start = absl::Now();
    int writer = 0;
    for (const auto& s : stores) {
      for (int t = 0; t < threads; ++t, ++writer) {
        pool.emplace_back([&, store = s.get(), writer] {
          ReviewRow previous;
          for (int i = 0; i < writes; ++i) {
            std::vector<ReviewRow> rows;
            for (const char* which : {"a", "b"}) {
              ReviewRow r = Review("t", absl::StrCat(writer, "-", i, which),
                                   kDay + absl::Seconds(writer * 200 + i));
              r.rating = 1 + (i + writer) % 5;
              r.label = (i + writer) % 5;
              r.respond_by = r.create_time + absl::Hours(1);
              if (i % 3 != 0) {
                r.response_time = r.create_time + absl::Minutes(i % 100);
              }
              r.aspects = {{1, 1 + i % 4, 0.5f, 0, 4},
                           {2, 1 + writer % 4, -0.25f, 5, 9}};
              rows.push_back(r);
            }
            ReviewRow changed = previous;
            const bool update = updates && i > 0;
            if (update) {
              changed.response_time =
                  changed.response_time == absl::InfinitePast()
                      ? changed.create_time + absl::Minutes(90)
                      : absl::InfinitePast();
              changed.deleted = i % 5 == 0;
            }
            const absl::Status status = store->Write([&](Txn& txn) {
              for (ReviewRow& r : rows) {
                absl::StatusOr<int64_t> id = txn.InsertReview(r);
                if (!id.ok()) return id.status();
                r.id = *id;
              }
              return update ? txn.UpdateReview(changed) : absl::OkStatus();
            });
            if (!status.ok()) {
              ++failed;
              ADD_FAILURE() << status;
              return;
            }
            reviews += 2 - (update && changed.deleted ? 1 : 0);
            previous = rows[0];
          }
        });
      }
    }
    for (std::thread& t : pool) t.join();
    result.elapsed = absl::Now() - start;
    result.failed = failed;
    result.reviews = reviews;
    for (const auto& store : stores) {
      const StoreStats stats = store->Stats();
      result.writes += stats.writes;
      result.transactions += stats.transactions;
    }
    return result;  // of the load only
  }

  // Every rollup read of tenant "t" equals the same sums from its rows,
  // which count `reviews` reviews.
  static void ExpectRollupsMatchRows(Store& store, int64_t reviews) {
    ReviewFilter google;
    google.sources = {"google"};
    ReviewFilter cell = google;
    cell.subject_ids = {"store-1"};
    cell.languages = {"pl"};
    constexpr int64_t kAll = 1'000'000;
    ASSERT_OK(store.Read([&](Txn& txn) {
      InsightsTxn& insights = txn.insights();
      for (const ReviewFilter& f : {ReviewFilter{}, google, cell}) {
        const ReviewStats rows = VALUE(insights.SumReviewStats("t", f));
        EXPECT_EQ(rows.count, reviews);
        ReviewStats rollups;
        for (const DayStats& d :
             VALUE(insights.ListDayStats("t", f, -kAll, kAll))) {
          rollups.Add(d.stats);
        }
        EXPECT_EQ(rollups, rows);

        std::map<int32_t, std::array<int64_t, 5>> aspect_rows, aspect_rollups;
        for (const AspectStats& a : VALUE(insights.SumAspectStats("t", f))) {
          aspect_rows[a.aspect] = a.labels;
        }
        for (const AspectStats& a :
             VALUE(insights.ListDayAspectStats("t", f, -kAll, kAll))) {
          for (int l = 0; l < 5; ++l)
            aspect_rollups[a.aspect][l] += a.labels[l];
        }
        EXPECT_EQ(aspect_rollups, aspect_rows);

        EXPECT_EQ(VALUE(insights.ListMonthResponseCounts("t", f, -kAll, kAll)),
                  VALUE(insights.SumResponseCounts("t", f)));
      }
      return absl::OkStatus();
    }));
  }

  static void Report(const char* what, const LoadResult& r) {
    std::printf(
        "%s: %lld writes (%lld reviews written) in %.2f s = %.0f writes/s, "
        "%lld retried transactions, %lld failed writes\n",
        what, static_cast<long long>(r.writes),
        static_cast<long long>(2 * r.writes), absl::ToDoubleSeconds(r.elapsed),
        r.writes / absl::ToDoubleSeconds(r.elapsed),
        static_cast<long long>(r.retries()), static_cast<long long>(r.failed));
  }
};

// Ingest through two replicas, four writers each, all adding to the same
// rollup cells: no transaction ever has to run again, and the rollups are
// exact.
TEST_F(PgRollupsTest, ConcurrentIngestOfOneDayNeitherConflictsNorRetries) {
  const auto stores = OpenReplicas(2, 4, /*max_write_runs=*/10);
  ASSERT_EQ(stores.size(), 2u);
  const LoadResult load = RunWriters(stores, 4, 50, /*updates=*/false);
  Report("sharded rollups, ingest, 2 stores x 4 writers", load);
  EXPECT_EQ(load.failed, 0);
  EXPECT_EQ(load.writes, 2 * 4 * 50);
  EXPECT_EQ(load.retries(), 0);
  ExpectRollupsMatchRows(*stores[0], load.reviews);

  // Each writing session had a shard of its own.
  std::unique_ptr<Connection> conn = Connect();
  ASSERT_NE(conn, nullptr);
  const int64_t shards =
      QueryInt(*conn, "SELECT count(DISTINCT shard) FROM insights_rollup");
  EXPECT_GE(shards, 2);
  EXPECT_LE(shards, 8);
}

// The same ingest with every session on one shared shard (as with one row
// per cell): transactions updating the same rows fail as serialization
// failures and run again — what the shards are for. Still exact.
TEST_F(PgRollupsTest, OneSharedShardMakesConcurrentIngestRetry) {
  const auto stores = OpenReplicas(2, 4, /*max_write_runs=*/1000);
  ASSERT_EQ(stores.size(), 2u);
  std::unique_ptr<Connection> conn = Connect();
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(conn->ExecScript("CREATE OR REPLACE FUNCTION "
                               "opinia_rollup_shard() RETURNS integer "
                               "LANGUAGE sql AS 'SELECT 0'")
                  .ok());
  const LoadResult load = RunWriters(stores, 4, 50, /*updates=*/false);
  Report("one shared shard, ingest, 2 stores x 4 writers", load);
  EXPECT_EQ(load.failed, 0);
  EXPECT_GT(load.retries(), 0);
  ExpectRollupsMatchRows(*stores[0], load.reviews);
  EXPECT_EQ(
      QueryInt(*conn, "SELECT count(DISTINCT shard) FROM insights_rollup"), 1);
}

// Concurrent ingest and changes of reviews (responses, deletions: deltas
// that take away from cells another session added to) keep the rollups
// exact. (Retries here come from the review updates' own reads, not from
// the rollups: see the report this prints.)
TEST_F(PgRollupsTest, ConcurrentIngestAndChangesKeepRollupsExact) {
  const auto stores = OpenReplicas(2, 4, /*max_write_runs=*/1000);
  ASSERT_EQ(stores.size(), 2u);
  const LoadResult load = RunWriters(stores, 4, 40, /*updates=*/true);
  Report("sharded rollups, ingest and changes, 2 stores x 4 writers", load);
  EXPECT_EQ(load.failed, 0);
  ExpectRollupsMatchRows(*stores[0], load.reviews);
}

// A session keeps its shard across transactions, also after rolling back
// the one that took it, and holds one lock; other sessions get others;
// with every shard owned elsewhere a session writes some shard without
// owning it; a session that ends frees its shard.
TEST_F(PgRollupsTest, EachSessionOwnsOneShard) {
  std::unique_ptr<Store> store = Open(1);  // migrates the schema
  ASSERT_NE(store, nullptr);
  std::unique_ptr<Connection> first = Connect();
  std::unique_ptr<Connection> second = Connect();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  const int64_t mine = ShardOf(*first, /*commit=*/false);
  EXPECT_EQ(mine, 0);
  EXPECT_EQ(ShardOf(*first), mine);
  EXPECT_EQ(ShardOf(*first), mine);
  EXPECT_EQ(ShardLocksOf(*first), 1);
  const int64_t other = ShardOf(*second);
  EXPECT_EQ(other, 1);
  EXPECT_EQ(ShardOf(*second), other);

  // Another session owns every other shard.
  std::unique_ptr<Connection> hog = Connect();
  ASSERT_NE(hog, nullptr);
  EXPECT_EQ(TakeFreeShards(*hog), kShards - 2);
  std::unique_ptr<Connection> late = Connect();
  ASSERT_NE(late, nullptr);
  for (int i = 0; i < 5; ++i) {
    const int64_t shard = ShardOf(*late);
    EXPECT_GE(shard, 0);
    EXPECT_LT(shard, kShards);
  }
  EXPECT_EQ(ShardLocksOf(*late), 0);

  // The first session ends: its shard is free for the next one to ask.
  first.reset();
  for (int tries = 0; tries < 200; ++tries) {
    ShardOf(*late);
    if (ShardLocksOf(*late) != 0) break;
    absl::SleepFor(absl::Milliseconds(10));  // the server ends the session
  }
  EXPECT_EQ(ShardLocksOf(*late), 1);
  EXPECT_EQ(ShardOf(*late), mine);
}

// With every shard owned by other sessions (more writing sessions than
// shards), writers still commit and the rollups stay exact.
TEST_F(PgRollupsTest, WritersWithoutAShardOfTheirOwnStayExact) {
  const auto stores = OpenReplicas(1, 4, /*max_write_runs=*/1000);
  ASSERT_EQ(stores.size(), 1u);
  std::unique_ptr<Connection> hog = Connect();
  ASSERT_NE(hog, nullptr);
  EXPECT_EQ(TakeFreeShards(*hog), kShards);
  const LoadResult load = RunWriters(stores, 4, 20, /*updates=*/true);
  Report("no shard of their own, ingest and changes, 1 store x 4 writers",
         load);
  EXPECT_EQ(load.failed, 0);
  ExpectRollupsMatchRows(*stores[0], load.reviews);
}

// insights_delay_buckets holds exactly the buckets of rollup_cells.h
// (DelayBucket), which the rollups are written with.
TEST_F(PgRollupsTest, DelayBucketTableIsTheRollupBuckets) {
  std::unique_ptr<Store> store = Open(1);
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->Read([](Txn& txn) {
    const std::vector<int64_t> los = VALUE(txn.insights().ListDelayBuckets());
    EXPECT_EQ(los.size(), 1u + 36 * 16);
    for (size_t i = 0; i < los.size(); ++i) {
      EXPECT_EQ(DelayBucket(los[i]), los[i]);
      if (i > 0) {
        EXPECT_EQ(DelayBucket(los[i] - 1), los[i - 1]);
      }
    }
    EXPECT_EQ(DelayBucket(INT64_MAX / 2), los.back());
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace opinia::storage
