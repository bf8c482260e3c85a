// The PostgreSQL store: the conformance suite (store_conformance.h) on a
// fresh schema per test, plus what only PostgreSQL has: SQLSTATE mapping,
// migrations under concurrent starts, the shared server secret, failed
// statements, serializable retries, and reconnecting after the server cut
// the connections or crashed.
#include "service/storage/postgres/pg_store.h"

#include <atomic>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/storage/postgres/pg_alerts.h"
#include "service/storage/postgres/pg_connection.h"
#include "service/storage/postgres/pg_migrations.h"
#include "service/storage/postgres/pg_review_rows.h"
#include "service/storage/postgres/pg_search.h"
#include "tests/service/storage/pg_store_fixture.h"
#include "tests/service/storage/store_conformance.h"
#include "tests/testing/pg_own_cluster.h"
#include "tests/testing/pg_test_db.h"
#include "tests/testing/test_backend.h"

namespace opinia::storage {
namespace {

using conformance::StoreConformanceTest;
using conformance::StoreFactory;
using pg::Connection;
using pg::Params;
using pg::Result;
using ::testing::HasSubstr;
using testing::PgTestDb;

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);

INSTANTIATE_TEST_SUITE_P(
    Postgres, StoreConformanceTest,
    ::testing::Values(StoreFactory{
        "postgres",
        [](const std::string&) -> std::unique_ptr<Store> {
          absl::StatusOr<std::unique_ptr<PgTestDb>> db = PgTestDb::Create();
          if (!db.ok()) {
            ADD_FAILURE() << db.status();
            return nullptr;
          }
          absl::StatusOr<std::unique_ptr<Store>> store =
              OpenPgStore((*db)->url());
          if (!store.ok()) {
            ADD_FAILURE() << store.status();
            return nullptr;
          }
          return testing::StoreOwningDb(*std::move(db), *std::move(store));
        }}),
    [](const ::testing::TestParamInfo<StoreFactory>& info) {
      return info.param.name;
    });

TEST(PgStatusTest, SqlStatesMapToCodes) {
  const std::pair<const char*, absl::StatusCode> cases[] = {
      {"40001", absl::StatusCode::kAborted},
      {"40P01", absl::StatusCode::kAborted},
      {"23505", absl::StatusCode::kAlreadyExists},
      {"23503", absl::StatusCode::kNotFound},
      {"25006", absl::StatusCode::kFailedPrecondition},
      {"22021", absl::StatusCode::kInvalidArgument},
      {"08006", absl::StatusCode::kUnavailable},
      {"08001", absl::StatusCode::kUnavailable},
      {"57P01", absl::StatusCode::kUnavailable},
      {"57P02", absl::StatusCode::kUnavailable},
      {"57P03", absl::StatusCode::kUnavailable},
      {"53300", absl::StatusCode::kUnavailable},
      {"42P01", absl::StatusCode::kInternal},
      {"", absl::StatusCode::kInternal},
  };
  for (const auto& [state, code] : cases) {
    const absl::Status s = pg::PgStatus(state, "server said so", "SELECT 1");
    EXPECT_EQ(s.code(), code) << state;
    EXPECT_THAT(s.message(), HasSubstr("server said so")) << state;
    EXPECT_THAT(s.message(), HasSubstr("SELECT 1")) << state;
  }
}

// The search text PostgreSQL gets: folded tokens, never its own parsing.
TEST(PgSearchTest, TokensVectorsAndQueries) {
  EXPECT_THAT(pg::SearchTokens("Żółć, ŁOSOŚ! e-mail's 100% Straße"),
              ::testing::ElementsAre("zolc", "losos", "e", "mail", "s", "100",
                                     "strasse"));
  EXPECT_EQ(pg::TsVectorText("b a B"), "'a':2 'b':1,3");
  EXPECT_EQ(pg::TsVectorText("—"), "");
  // Positions stop at 16383; a word keeps at most 256 of them.
  std::string many;
  for (int i = 0; i < 17000; ++i) absl::StrAppend(&many, "w", i % 2, " ");
  const std::string vector = pg::TsVectorText(many + "last");
  EXPECT_THAT(vector, HasSubstr("'last':16383"));
  EXPECT_THAT(vector, HasSubstr(",511 "));  // w0's 256th position
  EXPECT_THAT(vector, ::testing::Not(HasSubstr(",513 ")));
  // A token is cut at kMaxTokenBytes, on both sides.
  const std::string longword(3000, 'x');
  EXPECT_EQ(pg::SearchTokens(longword)[0].size(), pg::kMaxTokenBytes);

  SearchQuery q;
  q.all_of = {{SearchTerm{"nie polecam", false}, SearchTerm{"kurier", true}},
              {SearchTerm{"x", false}}};
  q.none_of = {SearchTerm{"!!", false}, SearchTerm{"a'b", false}};
  EXPECT_EQ(pg::TsQueryText(q).value_or("nullopt"),
            "( ( 'nie' <-> 'polecam' ) | ( 'kurier':* ) ) & ( ( 'x' ) ) & "
            "!( ( 'a' <-> 'b' ) )");
  q.all_of.push_back({SearchTerm{"&|!", false}});
  EXPECT_FALSE(pg::TsQueryText(q).has_value()) << "a group without a token";
}

using PgStoreTest = testing::PgStoreFixture;

TEST_F(PgStoreTest, ConcurrentOpensMigrateOnceAndShareTheSecret) {
  constexpr int kStores = 4;
  std::vector<std::unique_ptr<Store>> stores(kStores);
  std::vector<std::thread> threads;
  for (int i = 0; i < kStores; ++i) {
    threads.emplace_back([&, i] { stores[i] = Open(); });
  }
  for (std::thread& t : threads) t.join();
  const int latest = pg::Migrations().back().version;
  EXPECT_EQ(QueryInt("SELECT count(*) FROM opinia_schema_version"), latest);
  EXPECT_EQ(QueryInt("SELECT count(DISTINCT version) FROM "
                     "opinia_schema_version"),
            latest);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM server_secrets"), 1);
  for (const auto& store : stores) {
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->ServerSecret().size(), 32u);
    EXPECT_EQ(store->ServerSecret(), stores[0]->ServerSecret());
  }
  // Another schema is another database: another secret.
  absl::StatusOr<std::unique_ptr<PgTestDb>> other = PgTestDb::Create();
  ASSERT_TRUE(other.ok()) << other.status();
  {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenPgStore((*other)->url());
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_NE((*store)->ServerSecret(), stores[0]->ServerSecret());
  }
}

TEST_F(PgStoreTest, NewerSchemaIsFailedPrecondition) {
  ASSERT_NE(Open(), nullptr);
  std::unique_ptr<Connection> conn = Connect();
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(conn->ExecScript("INSERT INTO opinia_schema_version VALUES "
                               "(999, '999_future.sql', 0)")
                  .ok());
  absl::StatusOr<std::unique_ptr<Store>> store = OpenPgStore(db_->url());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition)
      << store.status();
  EXPECT_THAT(store.status().message(), HasSubstr("999"));
}

TEST_F(PgStoreTest, BadOptionsAndUnreachableServer) {
  PgOptions bad;
  bad.pool_size = 0;
  EXPECT_EQ(OpenPgStore(db_->url(), bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad = PgOptions();
  bad.max_write_runs = 0;
  EXPECT_EQ(OpenPgStore(db_->url(), bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      OpenPgStore("postgresql://postgres@127.0.0.1:1/postgres").status().code(),
      absl::StatusCode::kUnavailable);
}

// A function that swallows a failed statement and returns OK commits
// nothing: PostgreSQL aborted its transaction.
TEST_F(PgStoreTest, OkAfterAFailedStatementStoresNothing) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Write([](Txn& txn) {
                    return txn.InsertTenant(TenantRow{"a", "A", "UTC", kT0});
                  })
                  .ok());
  const absl::Status status = store->Write([](Txn& txn) {
    EXPECT_EQ(txn.InsertTenant(TenantRow{"a", "A", "UTC", kT0}).code(),
              absl::StatusCode::kAlreadyExists);
    txn.InsertTenant(TenantRow{"b", "B", "UTC", kT0}).IgnoreError();
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
  ASSERT_TRUE(store
                  ->Read([](Txn& txn) {
                    EXPECT_EQ(txn.GetTenant("b").status().code(),
                              absl::StatusCode::kNotFound);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(PgStoreTest, TextWithNulIsInvalidArgument) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  const absl::Status status = store->Write([](Txn& txn) {
    return txn.InsertTenant(TenantRow{"t", std::string("a\0b", 3), "UTC", kT0});
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
}

// Count-then-insert from many writers at once (the operator key bootstrap):
// SERIALIZABLE turns the race into conflicts that Write retries, so exactly
// one key is made.
TEST_F(PgStoreTest, ConcurrentCountThenInsertMakesOneRow) {
  PgOptions options;
  options.pool_size = 8;
  options.max_write_runs = 50;
  std::unique_ptr<Store> store = Open(options);
  ASSERT_NE(store, nullptr);
  constexpr int kWriters = 8;
  std::atomic<int> inserted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      bool mine = false;
      const absl::Status status = store->Write([&](Txn& txn) -> absl::Status {
        mine = false;
        absl::StatusOr<int64_t> n = txn.CountApiKeys();
        if (!n.ok()) return n.status();
        if (*n > 0) return absl::OkStatus();
        ApiKeyRow key;
        key.id = absl::StrCat("k", i);
        key.secret_hash = absl::StrCat("h", i);
        key.create_time = kT0;
        mine = true;
        return txn.InsertApiKey(key);
      });
      EXPECT_TRUE(status.ok()) << status;
      if (status.ok() && mine) ++inserted;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(inserted.load(), 1);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM api_keys"), 1);
  const StoreStats stats = store->Stats();
  EXPECT_EQ(stats.writes, kWriters);
  EXPECT_GE(stats.transactions, kWriters);
}

ReviewRow TestReview(const std::string& external_id) {
  ReviewRow r;
  r.tenant_id = "t";
  r.source = "google";
  r.external_id = external_id;
  r.subject_id = "s";
  r.language = "pl";
  r.create_time = kT0;
  r.ingest_time = kT0;
  r.modify_time = kT0;
  r.search_text = "text";
  return r;
}

// review_aspects holds each aspect of a non-deleted review once, with the
// review's filter columns, and follows updates and soft deletes.
TEST_F(PgStoreTest, ReviewAspectRowsFollowTheReview) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ReviewRow row = TestReview("r");
  // Aspect 2 twice: indexed once, as its first entry.
  row.aspects = {{1, 3, 0.5f, 0, 4}, {2, 1, -0.25f, 5, 9}, {2, 3, 0.9f, 1, 2}};
  ASSERT_TRUE(store
                  ->Write([&](Txn& txn) -> absl::Status {
                    absl::Status s = txn.InsertTenant(
                        TenantRow{"t", "T", "Asia/Tokyo", kT0});
                    if (!s.ok()) return s;
                    absl::StatusOr<int64_t> id = txn.InsertReview(row);
                    row.id = id.value_or(0);
                    return id.status();
                  })
                  .ok());
  const std::string of_row =
      absl::StrCat(" FROM review_aspects WHERE review_id = ", row.id);
  EXPECT_EQ(QueryInt("SELECT count(*)" + of_row), 2);
  EXPECT_EQ(QueryInt("SELECT label" + of_row + " AND aspect = 2"), 1);
  EXPECT_EQ(QueryInt("SELECT span_end" + of_row + " AND aspect = 2"), 9);
  // kT0 is 22:13 UTC on 2023-11-14, 07:13 on the 15th in Tokyo.
  EXPECT_EQ(QueryInt("SELECT min(day)" + of_row), 19676);
  EXPECT_EQ(QueryInt(absl::StrCat("SELECT local_day FROM reviews WHERE id = ",
                                  row.id)),
            19676);

  row.aspects = {{3, 2, 0.0f, 0, 0}};
  row.subject_id = "s2";
  ASSERT_TRUE(
      store->Write([&](Txn& txn) { return txn.UpdateReview(row); }).ok());
  EXPECT_EQ(QueryInt("SELECT count(*)" + of_row), 1);
  EXPECT_EQ(QueryInt("SELECT count(*)" + of_row +
                     " AND aspect = 3 AND subject_id = 's2'"),
            1);

  row.deleted = true;
  ASSERT_TRUE(
      store->Write([&](Txn& txn) { return txn.UpdateReview(row); }).ok());
  EXPECT_EQ(QueryInt("SELECT count(*)" + of_row), 0);
  row.deleted = false;
  ASSERT_TRUE(
      store->Write([&](Txn& txn) { return txn.UpdateReview(row); }).ok());
  EXPECT_EQ(QueryInt("SELECT count(*)" + of_row), 1);
}

// FindReview reads one index entry for a tenant the statistics do not know
// yet (a new tenant, or any before ANALYZE sees its rows): the planner
// thinks such a tenant has about one row, and with a lookup by the three
// columns it took reviews_by_status, an index of the tenant's rows, and read
// all of them per lookup (migration 005 tells the measurement).
TEST_F(PgStoreTest, FindReviewUsesTheIdentityIndexForATenantTheStatsDoNotKnow) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Write([](Txn& txn) -> absl::Status {
                     absl::Status s =
                         txn.InsertTenant(TenantRow{"t", "T", "UTC", kT0});
                     if (!s.ok()) return s;
                     return txn.InsertTenant(TenantRow{"new", "N", "UTC", kT0});
                   }).ok());
  auto insert = [&](const std::string& tenant, int n) {
    ASSERT_TRUE(store->Write([&](Txn& txn) -> absl::Status {
                       for (int i = 0; i < n; ++i) {
                         ReviewRow r = TestReview(absl::StrCat(tenant, i));
                         r.tenant_id = tenant;
                         absl::StatusOr<int64_t> id = txn.InsertReview(r);
                         if (!id.ok()) return id.status();
                       }
                       return absl::OkStatus();
                     }).ok());
  };
  insert("t", 2000);
  std::unique_ptr<Connection> conn = Connect();
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(conn->ExecScript("ANALYZE reviews").ok());  // all rows are t's
  insert("new", 500);

  // The session settings are the store's (enable_seqscan off).
  absl::StatusOr<Result> plan =
      conn->Exec(absl::StrCat("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ",
                              pg::kFindReview),
                 Params().Text("new").Text("google").Text("new7"));
  ASSERT_TRUE(plan.ok()) << plan.status();
  std::string text;
  for (int i = 0; i < plan->rows(); ++i) {
    absl::StrAppend(&text, plan->String(i, 0), "\n");
  }
  EXPECT_THAT(text, HasSubstr("Index Scan using reviews_by_key"));
  EXPECT_THAT(text, HasSubstr("rows=1 loops=1"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("Rows Removed by Filter")));
  // And the store finds it (and not another tenant's row of that id).
  ASSERT_TRUE(store->Read([](Txn& txn) -> absl::Status {
                     absl::StatusOr<std::optional<ReviewRow>> found =
                         txn.FindReview("new", "google", "new7");
                     if (!found.ok()) return found.status();
                     EXPECT_TRUE(found->has_value());
                     absl::StatusOr<std::optional<ReviewRow>> other =
                         txn.FindReview("t", "google", "new7");
                     if (!other.ok()) return other.status();
                     EXPECT_FALSE(other->has_value());
                     return absl::OkStatus();
                   }).ok());
}

// The plan of `sql` with `params` as the store's sessions run it, a
// prepared statement: custom (planned for these values, as the first runs
// are) or generic (planned for any values, which PostgreSQL may keep after
// five runs). The session settings are the store's (enable_seqscan off).
std::string PreparedPlan(Connection& conn, const std::string& sql,
                         const pg::Params& params, bool generic) {
  const std::string setup = absl::StrCat(
      "DEALLOCATE ALL; SET plan_cache_mode = ",
      generic ? "force_generic_plan" : "force_custom_plan");
  EXPECT_TRUE(conn.ExecScript(setup.c_str()).ok());
  const std::string prepare = absl::StrCat("PREPARE q AS ", sql);
  const absl::Status prepared = conn.ExecScript(prepare.c_str());
  EXPECT_TRUE(prepared.ok()) << prepared;
  absl::StatusOr<Result> plan = conn.ExecOnce(absl::StrCat(
      "EXPLAIN (COSTS OFF) EXECUTE q(", params.SqlLiterals(), ")"));
  EXPECT_TRUE(plan.ok()) << plan.status();
  std::string text;
  for (int i = 0; plan.ok() && i < plan->rows(); ++i) {
    absl::StrAppend(&text, plan->String(i, 0), "\n");
  }
  return text;
}

// The dashboard's inbox (open reviews, P1..P3, most urgent first), the
// nearest-deadline list and the review view's alerts are index walks on
// PostgreSQL too, without a sort of the matching rows: for a tenant the
// statistics know and one they do not (new since the last ANALYZE), with
// the plan made for the values and the generic one.
TEST_F(PgStoreTest, InboxQueriesWalkTheOpenReviewIndexes) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  std::mt19937 rng(7);
  auto insert = [&](const std::string& tenant, int n) {
    ASSERT_TRUE(store->Write([&](Txn& txn) -> absl::Status {
                       absl::Status s =
                           txn.InsertTenant(TenantRow{tenant, "T", "UTC", kT0});
                       if (!s.ok()) return s;
                       for (int i = 0; i < n; ++i) {
                         ReviewRow r = TestReview(absl::StrCat(tenant, i));
                         r.tenant_id = tenant;
                         r.priority = 1 + i % 5;
                         // Most reviews answered, one in five open.
                         r.status = i % 5 == 0 ? 1 + i % 2 : 3 + i % 2;
                         r.respond_by = kT0 + absl::Minutes(i % 97);
                         // As wide as a real row (input and analysis, which
                         // do not compress much), so the rows span as many
                         // pages as real ones and the planner's costs are
                         // those of a real table.
                         r.input.resize(1500);
                         for (char& c : r.input) c = static_cast<char>(rng());
                         absl::StatusOr<int64_t> id = txn.InsertReview(r);
                         if (!id.ok()) return id.status();
                         AlertRow a;
                         a.tenant_id = tenant;
                         a.kind = 1;
                         a.priority = r.priority;
                         a.review_id = *id;
                         a.create_time = a.update_time = kT0;
                         a.dedup_key = absl::StrCat("review:", *id);
                         if (i % 3 == 0) {
                           if (auto alert = txn.alerts().InsertAlert(a);
                               !alert.ok()) {
                             return alert.status();
                           }
                         }
                       }
                       return absl::OkStatus();
                     }).ok());
  };
  insert("t", 3000);
  std::unique_ptr<Connection> conn = Connect();
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(conn->ExecScript("ANALYZE reviews; ANALYZE alerts").ok());
  insert("new", 400);

  ReviewFilter inbox;
  inbox.order = ReviewOrder::kUrgency;
  inbox.statuses = {1, 2};
  inbox.priorities = {1, 2, 3};
  ReviewFilter due;
  due.order = ReviewOrder::kRespondBy;
  due.statuses = {1, 2};
  // A later page.
  ReviewCursor cursor{kT0, 1234};
  cursor.priority = 2;
  cursor.respond_by = kT0 + absl::Minutes(30);
  AlertFilter of_review;
  of_review.review_id = 77;
  for (const char* tenant : {"t", "new"}) {
    for (const bool generic : {false, true}) {
      SCOPED_TRACE(absl::StrCat(tenant, generic ? ", generic" : ", custom"));
      for (const auto& [filter, index] :
           {std::pair{inbox, "reviews_open_by_urgency"},
            std::pair{due, "reviews_open_by_due"}}) {
        for (const bool first_page : {true, false}) {
          std::optional<pg::ReviewWhere> q = pg::ListReviewsQuery(
              tenant, filter,
              first_page ? std::nullopt : std::optional<ReviewCursor>(cursor),
              51);
          ASSERT_TRUE(q.has_value());
          const std::string plan =
              PreparedPlan(*conn, q->sql, q->params, generic);
          EXPECT_THAT(plan, HasSubstr(absl::StrCat("Index Scan using ", index)))
              << plan;
          EXPECT_THAT(plan, ::testing::Not(HasSubstr("Sort"))) << plan;
        }
      }
      std::optional<pg::ReviewWhere> count =
          pg::ReviewConditions(tenant, inbox);
      ASSERT_TRUE(count.has_value());
      const std::string count_plan =
          PreparedPlan(*conn, "SELECT count(*) FROM reviews" + count->sql,
                       count->params, generic);
      EXPECT_THAT(count_plan, HasSubstr("reviews_open_by_")) << count_plan;
      const std::string alerts_plan = PreparedPlan(
          *conn, pg::ListAlertsSql(true),
          pg::Params()
              .Text(tenant)
              .Int(INT64_MAX)
              .Text("{1,2,4}")
              .Text("{}")
              .Text("{}")
              .Int(77),
          generic);
      EXPECT_THAT(alerts_plan, HasSubstr("alerts_by_review")) << alerts_plan;
    }
  }
}

// Two stores on one database (two replicas) insert the same identity at
// once, many times over: each time exactly one inserts it and the other
// finds that row; never a duplicate, never an error.
TEST_F(PgStoreTest, InsertOrFindFromTwoStoresAtOnceInsertsOnce) {
  std::unique_ptr<Store> a = Open();
  std::unique_ptr<Store> b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(a->Write([](Txn& txn) {
                 return txn.InsertTenant(TenantRow{"t", "T", "UTC", kT0});
               }).ok());
  constexpr int kRounds = 40;
  std::atomic<int> created{0}, found{0};
  auto ingest = [&](Store& store) {
    for (int i = 0; i < kRounds; ++i) {
      bool inserted = false;
      const absl::Status status = store.Write([&](Txn& txn) -> absl::Status {
        absl::StatusOr<InsertOrFindResult> r =
            txn.InsertOrFindReview(TestReview(absl::StrCat("r", i)));
        if (!r.ok()) return r.status();
        inserted = !r->existing.has_value();
        return absl::OkStatus();
      });
      EXPECT_TRUE(status.ok()) << status;
      if (status.ok()) ++(inserted ? created : found);
    }
  };
  std::thread ta([&] { ingest(*a); });
  std::thread tb([&] { ingest(*b); });
  ta.join();
  tb.join();
  EXPECT_EQ(created.load(), kRounds);
  EXPECT_EQ(found.load(), kRounds);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM reviews"), kRounds);
}

// The server ends every connection of the store (as on a failover or an
// idle timeout): the next calls reconnect by themselves.
TEST_F(PgStoreTest, ReconnectsAfterTheServerEndsItsConnections) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Write([](Txn& txn) {
                    return txn.InsertTenant(TenantRow{"t", "T", "UTC", kT0});
                  })
                  .ok());
  std::unique_ptr<Connection> admin = Connect();
  ASSERT_NE(admin, nullptr);
  absl::StatusOr<Result> ended = admin->ExecOnce(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
      "WHERE application_name = current_setting('application_name') "
      "AND pid <> pg_backend_pid()");
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_GE(ended->Int(0, 0), 1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(
        store->Read([](Txn& txn) { return txn.GetTenant("t").status(); }).ok());
    EXPECT_TRUE(store
                    ->Write([&](Txn& txn) {
                      return txn.InsertTenant(
                          TenantRow{absl::StrCat("u", i), "U", "UTC", kT0});
                    })
                    .ok());
  }
}

// A crash of PostgreSQL itself (pg_ctl restart -m immediate) on a cluster of
// this test's own: the store fails while the server is down and works again
// once it is back, without being reopened.
TEST(PgStoreCrashTest, WorksAgainAfterPostgresRestartsImmediately) {
  absl::StatusOr<std::unique_ptr<testing::PgOwnCluster>> cluster =
      testing::PgOwnCluster::Start();
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  absl::StatusOr<std::unique_ptr<Store>> store = OpenPgStore((*cluster)->url());
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)
                  ->Write([](Txn& txn) {
                    return txn.InsertTenant(TenantRow{"t", "T", "UTC", kT0});
                  })
                  .ok());
  const absl::Status restarted = (*cluster)->Restart();
  ASSERT_TRUE(restarted.ok()) << restarted;
  // The committed row survived the crash; the pool's cut connections are
  // replaced as they are used.
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE((*store)
                    ->Read([](Txn& txn) { return txn.GetTenant("t").status(); })
                    .ok());
  }
  EXPECT_TRUE((*store)
                  ->Write([](Txn& txn) {
                    return txn.InsertTenant(TenantRow{"u", "U", "UTC", kT0});
                  })
                  .ok());
}

}  // namespace
}  // namespace opinia::storage
