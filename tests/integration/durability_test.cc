// Durability: every acknowledged review survives a SIGKILL right after the
// acks, exactly once; SIGTERM exits 0 and a restart on the same file works.
#include <signal.h>

#include <map>

#include "gtest/gtest.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_process.h"

namespace opinia::testing {
namespace {

TEST(DurabilityTest, SigkillRightAfterAcksLosesNothing) {
  auto server = ServerProcess::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  ServerProcess& s = **server;
  auto tenant =
      CreateTenantWithKey(s.NewChannel(), s.admin_key(), "Durable shop");
  ASSERT_TRUE(tenant.ok()) << tenant.status();

  // Several rounds: ingest in batches, SIGKILL at once after the last ack,
  // restart on the same database, check, repeat.
  std::map<std::string, std::string> acked;  // name -> external_id
  int next = 0;
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    auto channel = s.NewChannel();
    for (int batch = 0; batch < 4; ++batch) {
      std::vector<opinia::v1::ReviewInput> reviews;
      for (int i = 0; i < 150; ++i, ++next) {
        reviews.push_back(MakeReview("d" + std::to_string(next), next));
      }
      auto response = Ingest(channel, tenant->key, reviews);
      ASSERT_TRUE(response.ok()) << response.status();
      for (int i = 0; i < response->results_size(); ++i) {
        ASSERT_EQ(response->results(i).outcome(),
                  opinia::v1::IngestResult::CREATED);
        acked[response->results(i).name()] = reviews[i].external_id();
      }
    }
    auto code = s.Stop(SIGKILL);
    ASSERT_TRUE(code.ok()) << code.status();
    EXPECT_EQ(*code, 128 + SIGKILL);

    ASSERT_TRUE(s.Restart().ok()) << s.Log();
    auto names = ListAllNames(s.NewChannel(), tenant->key, {1000});
    ASSERT_TRUE(names.ok()) << names.status();
    std::map<std::string, int> seen;
    for (const auto& n : *names) ++seen[n];
    EXPECT_EQ(names->size(), acked.size());
    for (const auto& [name, external_id] : acked) {
      EXPECT_EQ(seen[name], 1)
          << name << " (" << external_id << ") after SIGKILL";
    }
  }
  // Re-sending everything after the restarts changes nothing.
  std::vector<opinia::v1::ReviewInput> again;
  for (int i = 0; i < 600; ++i)
    again.push_back(MakeReview("d" + std::to_string(i), i));
  auto response = Ingest(s.NewChannel(), tenant->key, again);
  ASSERT_TRUE(response.ok()) << response.status();
  for (const auto& r : response->results()) {
    EXPECT_EQ(r.outcome(), opinia::v1::IngestResult::UNCHANGED) << r.name();
  }
}

TEST(DurabilityTest, SigtermExitsZeroAndRestartKeepsData) {
  auto server = ServerProcess::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  ServerProcess& s = **server;
  const std::string first_key = s.admin_key();
  auto tenant =
      CreateTenantWithKey(s.NewChannel(), s.admin_key(), "Graceful shop");
  ASSERT_TRUE(tenant.ok()) << tenant.status();
  auto response = Ingest(s.NewChannel(), tenant->key, {MakeReview("g1", 1)});
  ASSERT_TRUE(response.ok()) << response.status();

  auto code = s.Stop(SIGTERM);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << "SIGTERM exit code; log:\n" << s.Log();

  ASSERT_TRUE(s.Restart().ok());
  EXPECT_EQ(s.admin_key(), first_key)
      << "the bootstrap key file is left as it is";
  auto names = ListAllNames(s.NewChannel(), tenant->key, {10});
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_EQ(*names, std::vector<std::string>{response->results(0).name()});
  code = s.Stop(SIGTERM);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 0);
}

}  // namespace
}  // namespace opinia::testing
