// Issue 22, item 5, against the real server and real loopback HTTP servers:
// one tenant's slow feeds and hanging webhook receivers do not delay another
// tenant's calls, fetches or webhooks; RunCollector answers at the caller's
// deadline; SIGTERM stops the server within 10 s with fetches and POSTs in
// flight, and what they were doing is done again after the restart.
#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "opinia/v1/collectors.grpc.pb.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/fairness_scenario.h"
#include "tests/integration/server_process.h"

namespace opinia::testing {
namespace {

TEST(TenantFairnessTest, SlowAndHangingEndpointsOfOneTenantDoNotDelayAnother) {
  auto server = ServerProcess::Start(LoopbackOutboundArgs());
  ASSERT_TRUE(server.ok()) << server.status();
  auto report = RunFairnessScenario(**server);
  ASSERT_TRUE(report.ok()) << report.status();
  std::cout << report->Describe();
  // A's work was really in flight while B was measured.
  EXPECT_GE(report->a_feed_requests, 2u);
  EXPECT_GE(report->a_webhook_posts, 2u);

  EXPECT_EQ(report->list_errors, 0);
  // Being held up by A's hanging endpoints costs seconds (their timeouts);
  // the bound leaves room for a loaded 2-core machine (p99 110 ms seen at
  // load 9 with nothing blocked). The numbers themselves are the bench's.
  EXPECT_LT(report->ListPercentile(99), absl::Milliseconds(500));
  EXPECT_LT(report->b_webhook, absl::Seconds(2));
  // The scheduler looks every 5 s; B's run itself takes milliseconds.
  EXPECT_LT(report->b_collector, absl::Seconds(10));
  // RunCollector answers at the 1 s deadline; the runs go on.
  EXPECT_EQ(report->a_run_codes[grpc::StatusCode::DEADLINE_EXCEEDED], 20);
  EXPECT_LT(report->a_run_slowest, absl::Seconds(3));
  EXPECT_TRUE((*server)->Alive()) << (*server)->Log();
}

// Collectors state and webhook state as the API shows them.
struct Observed {
  std::vector<opinia::v1::Collector> collectors;
  opinia::v1::Webhook webhook;
};

Observed Observe(const std::shared_ptr<grpc::Channel>& channel,
                 const std::string& key) {
  Observed out;
  opinia::v1::ListCollectorsResponse collectors;
  EXPECT_TRUE(opinia::v1::CollectorService::NewStub(channel)
                  ->ListCollectors(ContextWithKey(key).get(), {}, &collectors)
                  .ok());
  out.collectors.assign(collectors.collectors().begin(),
                        collectors.collectors().end());
  opinia::v1::ListWebhooksResponse webhooks;
  EXPECT_TRUE(opinia::v1::AlertService::NewStub(channel)
                  ->ListWebhooks(ContextWithKey(key).get(), {}, &webhooks)
                  .ok());
  if (webhooks.webhooks_size() == 1) out.webhook = webhooks.webhooks(0);
  return out;
}

TEST(TenantFairnessTest, SigtermWithinTenSecondsCancelsFetchesAndRetriesLater) {
  auto gate = std::make_shared<HttpGate>();  // the endpoints hang until open
  auto feed = HttpServer::Start([gate](const HttpRequest&) {
    return gate->Hold(HttpResponse::Json(FeedPage("r-", 2)));
  });
  ASSERT_TRUE(feed.ok()) << feed.status();
  auto receiver = HttpServer::Start(
      [gate](const HttpRequest&) { return gate->Hold(HttpResponse::Ok()); });
  ASSERT_TRUE(receiver.ok()) << receiver.status();
  struct Release {
    std::shared_ptr<HttpGate> gate;
    ~Release() { gate->Open(); }
  } release{gate};

  auto server = ServerProcess::Start(LoopbackOutboundArgs());
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = (*server)->NewChannel();
  auto tenant = CreateTenantWithKey(channel, (*server)->admin_key(), "shop");
  ASSERT_TRUE(tenant.ok()) << tenant.status();
  const std::string& key = tenant->key;
  auto alerts = opinia::v1::AlertService::NewStub(channel);
  auto collectors = opinia::v1::CollectorService::NewStub(channel);

  opinia::v1::AlertRule created_rule;
  ASSERT_TRUE(CreateAlertOnEveryReview(channel, key, &created_rule).ok());
  opinia::v1::CreateWebhookRequest hook;
  hook.mutable_webhook()->set_url((*receiver)->Url("/hook"));
  hook.mutable_webhook()->set_secret("sigterm-secret-0123456789");
  opinia::v1::Webhook created_hook;
  ASSERT_TRUE(
      alerts->CreateWebhook(ContextWithKey(key).get(), hook, &created_hook)
          .ok());
  constexpr int kCollectors = 3;
  for (int i = 0; i < kCollectors; ++i) {
    opinia::v1::CreateCollectorRequest create;
    auto* c = create.mutable_collector();
    c->set_kind(opinia::v1::JSON_FEED);
    c->set_endpoint((*feed)->Url(absl::StrCat("/feed", i)));
    c->set_source("feed");
    c->set_poll_interval_seconds(60);  // due at once
    for (const auto& [k, v] : FeedMapping()) (*c->mutable_mapping())[k] = v;
    opinia::v1::Collector out;
    ASSERT_TRUE(
        collectors->CreateCollector(ContextWithKey(key).get(), create, &out)
            .ok());
  }
  ASSERT_TRUE(Ingest(channel, key, {MakeReview("alert-me", 1)}).ok());
  // Scheduled fetches (two at once for one destination) and the POST hang.
  ASSERT_TRUE((*feed)->WaitForRequests(2, absl::Seconds(20)));
  ASSERT_TRUE((*receiver)->WaitForRequests(1, absl::Seconds(20)));

  const absl::Time stop = absl::Now();
  auto code = (*server)->Stop(SIGTERM);
  const absl::Duration took = absl::Now() - stop;
  ASSERT_TRUE(code.ok()) << code.status();
  std::cout << "SIGTERM to exit: " << absl::FormatDuration(took) << "\n";
  EXPECT_EQ(*code, 0) << (*server)->Log();
  EXPECT_LT(took, absl::Seconds(10)) << (*server)->Log();

  // Nothing of the cancelled work was recorded: no success, no error, no
  // cursor; the delivery attempt was not counted.
  ASSERT_TRUE((*server)->Restart().ok()) << (*server)->Log();
  channel = (*server)->NewChannel();
  Observed after = Observe(channel, key);
  ASSERT_EQ(after.collectors.size(), static_cast<size_t>(kCollectors));
  for (const auto& c : after.collectors) {
    EXPECT_FALSE(c.state().has_last_success_time()) << c.DebugString();
    EXPECT_EQ(c.state().last_error(), "") << c.DebugString();
    EXPECT_EQ(c.state().reviews_fetched(), 0) << c.DebugString();
    EXPECT_EQ(c.state().cursor(), "") << c.DebugString();
  }
  EXPECT_EQ(after.webhook.pending(), 1) << after.webhook.DebugString();
  EXPECT_NE(after.webhook.state(), opinia::v1::RETRYING)
      << after.webhook.DebugString();
  EXPECT_EQ(after.webhook.last_error(), "") << after.webhook.DebugString();

  // Done again once the endpoints answer.
  gate->Open();
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  bool synced = false;
  bool delivered = false;
  while (absl::Now() < give_up && !(synced && delivered)) {
    absl::SleepFor(absl::Milliseconds(200));
    Observed now = Observe(channel, key);
    synced = true;
    for (const auto& c : now.collectors) {
      synced = synced && c.state().has_last_success_time() &&
               c.state().reviews_fetched() == 2;
    }
    // The synced reviews raise alerts of their own: at least ours.
    delivered = now.webhook.delivered() >= 1;
  }
  EXPECT_TRUE(synced) << "collectors did not run again after the restart";
  EXPECT_TRUE(delivered) << "the webhook was not delivered after the restart; "
                         << Observe(channel, key).webhook.DebugString()
                         << (*receiver)->RequestCount() << " requests\n"
                         << (*server)->Log();
}

}  // namespace
}  // namespace opinia::testing
