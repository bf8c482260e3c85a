// Health follows the database on PostgreSQL (issue 18 item 1): a real
// opinia-server on a PostgreSQL cluster of this test's own (scripts/pg.sh;
// the ctest run's shared cluster must not be stopped). When PostgreSQL
// stops at once (pg_ctl stop -m immediate: every connection cut, new ones
// refused), grpc.health.v1 says NOT_SERVING within a few seconds and calls
// that need the database fail; once PostgreSQL runs again on the same
// port, SERVING again and ingest works, without restarting the server. Each
// transition is logged once.
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_process.h"
#include "tests/testing/pg_own_cluster.h"

namespace opinia::testing {
namespace {

using opinia::v1::IngestResult;

// The outcome of ingesting one review, or the call's error.
absl::StatusOr<IngestResult::Outcome> IngestOne(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& key,
    const std::string& external_id, int i) {
  absl::StatusOr<opinia::v1::IngestReviewsResponse> r =
      Ingest(channel, key, {MakeReview(external_id, i)});
  if (!r.ok()) return r.status();
  if (r->results_size() != 1) return absl::InternalError("not one result");
  return r->results(0).outcome();
}

TEST(PgStoreHealthTest, NotServingWhilePostgresIsDownAndServingAfter) {
  absl::StatusOr<std::unique_ptr<PgOwnCluster>> cluster =
      PgOwnCluster::Start();
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  std::string keys = ::testing::TempDir() + "/pg_health_XXXXXX";
  ASSERT_NE(mkdtemp(keys.data()), nullptr);
  auto server = ServerProcess::Start(
      {absl::StrCat("--db=", (*cluster)->url()),
       absl::StrCat("--secrets-key-file=", keys, "/secrets.key")});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = (*server)->NewChannel();
  ASSERT_EQ(HealthStatus(channel), 1) << "SERVING at start";
  auto tenant = CreateTenantWithKey(channel, (*server)->admin_key(), "Shop");
  ASSERT_TRUE(tenant.ok()) << tenant.status();
  absl::StatusOr<IngestResult::Outcome> before =
      IngestOne(channel, tenant->key, "before", 1);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(*before, IngestResult::CREATED);

  const absl::Time stopped = absl::Now();
  const absl::Status down = (*cluster)->Down();
  ASSERT_TRUE(down.ok()) << down;
  ASSERT_TRUE(WaitForHealth(channel, 2, absl::Seconds(30)))
      << "still SERVING with PostgreSQL down; log:\n"
      << (*server)->Log();
  const absl::Duration noticed = absl::Now() - stopped;
  std::printf("NOT_SERVING %.1f s after pg_ctl stop -m immediate\n",
              absl::ToDoubleSeconds(noticed));
  // A ping a second, 3 s to answer (service/server/app.cc): "a few seconds".
  EXPECT_LE(noticed, absl::Seconds(6));
  EXPECT_TRUE((*server)->Alive());
  // Health answers at once; a call that needs the database fails.
  const absl::Time asked = absl::Now();
  EXPECT_EQ(HealthStatus(channel), 2);
  EXPECT_LT(absl::Now() - asked, absl::Seconds(2));
  const absl::Time sent = absl::Now();
  absl::StatusOr<IngestResult::Outcome> while_down =
      IngestOne(channel, tenant->key, "while-down", 2);
  EXPECT_FALSE(while_down.ok()) << "ingest acknowledged with PostgreSQL down";
  std::printf("ingest with PostgreSQL down failed after %.1f s: %s\n",
              absl::ToDoubleSeconds(absl::Now() - sent),
              while_down.status().ToString().c_str());

  const absl::Time starting = absl::Now();
  const absl::Status up = (*cluster)->Up();  // pg_ctl start -w
  ASSERT_TRUE(up.ok()) << up;
  const absl::Time started = absl::Now();
  ASSERT_TRUE(WaitForHealth(channel, 1, absl::Seconds(30)))
      << "not SERVING again; log:\n"
      << (*server)->Log();
  const absl::Duration back = absl::Now() - started;
  std::printf("SERVING again %.1f s after PostgreSQL accepts connections "
              "(pg_ctl start took %.1f s)\n",
              absl::ToDoubleSeconds(back),
              absl::ToDoubleSeconds(started - starting));
  // The next ping after it is back (one a second), with room for a loaded
  // 2-core machine.
  EXPECT_LE(back, absl::Seconds(10));

  // The same server, no restart: ingest works again, the review from before
  // is there, and one sent again is UNCHANGED.
  absl::StatusOr<IngestResult::Outcome> after =
      IngestOne(channel, tenant->key, "after", 3);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, IngestResult::CREATED);
  absl::StatusOr<IngestResult::Outcome> again =
      IngestOne(channel, tenant->key, "before", 1);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, IngestResult::UNCHANGED);
  absl::StatusOr<std::vector<std::string>> names =
      ListAllNames(channel, tenant->key, {100});
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_EQ(names->size(), while_down.ok() ? 3u : 2u);

  // Health stays SERVING once the database answers: one line each way.
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(HealthStatus(channel), 1);
  const std::string log = (*server)->Log();
  EXPECT_EQ(HealthTransitionsLogged(log), std::make_pair(1, 1)) << log;
  server->reset();  // SIGKILL before the cluster goes
  std::filesystem::remove_all(keys);
}

}  // namespace
}  // namespace opinia::testing
