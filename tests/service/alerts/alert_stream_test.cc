// StreamAlerts end to end on the real server (in-process, port 0, real
// SQLite, real models): resume tokens, many subscribers, a stalled
// subscriber, restarts and shutdown.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "service/core/alerts/alert_model.h"
#include "tests/service/alerts/stream_fixture.h"

namespace opinia::alerts_testing {
namespace {

using AlertStreamTest = StreamTest;

TEST_F(AlertStreamTest, ResumeAfterDisconnectDeliversTheMissedExactlyOnce) {
  auto sub = std::make_unique<Subscriber>(alerts_.get(), key_);
  auto warm = WarmUp({sub.get()});
  auto first = IngestUrgent("a", 5);
  ASSERT_TRUE(sub->WaitForNew(5));
  EXPECT_EQ(Without(sub->reviews(), warm), first);
  const std::string token = sub->events().back().resume_token();
  ASSERT_FALSE(token.empty());
  sub.reset();  // disconnect

  auto missed = IngestUrgent("b", 7);
  opinia::v1::StreamAlertsRequest resume;
  resume.set_resume_token(token);
  Subscriber again(alerts_.get(), key_, resume);
  ASSERT_TRUE(again.WaitFor(7));
  auto later = IngestUrgent("c", 3);
  ASSERT_TRUE(again.WaitFor(10));
  std::vector<std::string> want = missed;
  want.insert(want.end(), later.begin(), later.end());
  EXPECT_EQ(again.reviews(), want);
  // Every event carries a fresh token and the P1 alert data.
  for (const auto& e : again.events()) {
    EXPECT_FALSE(e.resume_token().empty());
    EXPECT_EQ(e.alert().priority(), opinia::v1::P1);
    EXPECT_EQ(e.alert().kind(), opinia::v1::NEGATIVE_REVIEW);
    EXPECT_FALSE(e.alert().rule().empty());
  }
}

TEST_F(AlertStreamTest, BadOrForeignTokenIsInvalidArgument) {
  opinia::v1::StreamAlertsRequest bad;
  bad.set_resume_token("not-a-token");
  Subscriber sub(alerts_.get(), key_, bad);
  ASSERT_TRUE(sub.WaitEnded());
  EXPECT_EQ(sub.status().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(sub.status().error_message().find("resume_token"),
            std::string::npos);
  // Operator keys hold no tenant data.
  Subscriber op(alerts_.get(), operator_key_);
  ASSERT_TRUE(op.WaitEnded());
  EXPECT_EQ(op.status().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AlertStreamTest, FiltersPerSubscription) {
  opinia::v1::StreamAlertsRequest only_google;
  only_google.add_sources("google");
  Subscriber all(alerts_.get(), key_);
  Subscriber google(alerts_.get(), key_, only_google);
  WarmUp({&all});
  opinia::v1::IngestReviewsRequest r;
  auto* in = r.add_reviews();
  in->set_source("google");
  in->set_external_id("g1");
  in->set_text(UrgentText(1));
  opinia::v1::IngestReviewsResponse out;
  ASSERT_TRUE(reviews_->IngestReviews(Ctx(key_).get(), r, &out).ok());
  ASSERT_TRUE(google.WaitFor(1));
  EXPECT_EQ(google.reviews(), std::vector<std::string>{out.results(0).name()});
  EXPECT_EQ(google.events()[0].alert().source(), "google");
}

TEST_F(AlertStreamTest, HundredSubscribersWhileIngesting) {
  constexpr int kSubs = 100;
  std::vector<std::unique_ptr<Subscriber>> subs;
  std::vector<Subscriber*> raw;
  for (int i = 0; i < kSubs; ++i) {
    subs.push_back(std::make_unique<Subscriber>(alerts_.get(), key_));
    raw.push_back(subs.back().get());
  }
  auto warm = WarmUp(raw);
  // Two concurrent ingesters.
  std::vector<std::string> names[2];
  std::thread ingesters[2];
  for (int t = 0; t < 2; ++t) {
    ingesters[t] = std::thread([&, t] {
      for (int b = 0; b < 10; ++b) {
        auto n = IngestUrgent(absl::StrCat("t", t, "b", b, "-"), 5);
        names[t].insert(names[t].end(), n.begin(), n.end());
      }
    });
  }
  for (auto& t : ingesters) t.join();
  std::set<std::string> want(names[0].begin(), names[0].end());
  want.insert(names[1].begin(), names[1].end());
  ASSERT_EQ(want.size(), 100u);
  for (auto& s : subs) {
    ASSERT_TRUE(s->WaitForNew(100));
  }
  for (auto& s : subs) {
    auto got = Without(s->reviews(), warm);
    EXPECT_EQ(got.size(), 100u);
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), want);
    // In outbox (id) order: each ingester's reviews in its own order.
    for (int t = 0; t < 2; ++t) {
      std::vector<std::string> mine;
      for (const auto& g : got) {
        if (std::find(names[t].begin(), names[t].end(), g) != names[t].end()) {
          mine.push_back(g);
        }
      }
      EXPECT_EQ(mine, names[t]);
    }
  }
}

// An alert committed by another replica reaches this server's streams
// through the store's change notifications (Txn::NotifyTenant, the App's
// tenant listener, its AlertHub), not through this server's own evaluator:
// here it is written straight into the store, as another replica's
// scheduler would write it. Wakes with nothing new behind them deliver
// nothing twice: a woken stream reads the outbox after its position.
TEST_F(AlertStreamTest, AlertFromAnotherReplicaWakesStreamsExactlyOnce) {
  Subscriber sub(alerts_.get(), key_);
  auto warm = WarmUp({&sub});
  storage::Store* store = app_->store();
  auto write_alert = [&](const std::string& summary) {
    storage::AlertRow a;
    a.tenant_id = "shop-a";
    a.kind = opinia::v1::VOLUME_SPIKE;
    a.priority = opinia::v1::P2;
    a.reasons = {core::kReasonAboveBaseline};
    a.summary = summary;
    a.source = "allegro";
    a.dedup_key = "spike:" + summary;
    a.create_time = a.update_time = absl::Now();
    EXPECT_TRUE(store
                    ->Write([&](storage::Txn& txn) -> absl::Status {
                      auto id = txn.alerts().InsertAlert(a);
                      if (!id.ok()) return id.status();
                      return txn.NotifyTenant("shop-a");
                    })
                    .ok());
  };
  write_alert("elsewhere-1");
  ASSERT_TRUE(sub.WaitForNew(1)) << "not woken by the store's notification";
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(store
                    ->Write([](storage::Txn& txn) {
                      return txn.NotifyTenant("shop-a");
                    })
                    .ok());
  }
  write_alert("elsewhere-2");
  ASSERT_TRUE(sub.WaitForNew(2));
  absl::SleepFor(absl::Milliseconds(300));  // time for a duplicate to come
  EXPECT_EQ(sub.new_count(), 2u);
  std::vector<std::string> summaries;
  for (const auto& e : sub.events()) {
    if (!warm.count(e.alert().review())) summaries.push_back(e.alert().summary());
  }
  EXPECT_EQ(summaries,
            (std::vector<std::string>{"elsewhere-1", "elsewhere-2"}));
}

TEST_F(AlertStreamTest, StalledSubscriberDoesNotSlowIngestionOrOthers) {
  constexpr int kReviews = 10000;
  constexpr int kBatch = 500;
  // The stalled one: a raw call whose messages are never read.
  grpc::ClientContext stalled_ctx;
  stalled_ctx.AddMetadata("authorization", "Bearer " + key_);
  auto stalled = alerts_->StreamAlerts(&stalled_ctx, {});
  Subscriber live(alerts_.get(), key_);
  auto warm = WarmUp({&live});

  const absl::Time start = absl::Now();
  int ingested = 0;
  absl::Duration first_half, second_half;
  for (int b = 0; b < kReviews / kBatch; ++b) {
    const absl::Time t0 = absl::Now();
    ingested += static_cast<int>(IngestUrgent(absl::StrCat("s", b, "-"), kBatch).size());
    (b < kReviews / kBatch / 2 ? first_half : second_half) += absl::Now() - t0;
  }
  const absl::Duration total = absl::Now() - start;
  ASSERT_EQ(ingested, kReviews);
  ASSERT_TRUE(live.WaitForNew(kReviews, absl::Seconds(120)))
      << "live subscriber got " << live.new_count() << " of " << kReviews;
  EXPECT_EQ(Without(live.reviews(), warm).size(), static_cast<size_t>(kReviews));
  // The stalled stream holds one page at most: ingestion of the second half
  // (when the stalled stream's window is long full) is not slower than the
  // first half by more than noise.
  EXPECT_LT(second_half, first_half * 2 + absl::Seconds(2))
      << "first " << first_half << " second " << second_half;
  std::printf("10,000 urgent reviews ingested in %s with a stalled "
              "subscriber (first half %s, second half %s)\n",
              absl::FormatDuration(total).c_str(),
              absl::FormatDuration(first_half).c_str(),
              absl::FormatDuration(second_half).c_str());
  // The stalled subscriber can still catch up, in order, from storage.
  opinia::v1::AlertEvent event;
  std::string previous;
  int read = 0;
  while (read < 300 && stalled->Read(&event)) ++read;
  EXPECT_EQ(read, 300);
  stalled_ctx.TryCancel();
  stalled->Finish();
}

TEST_F(AlertStreamTest, ShutdownEndsStreamsQuicklyAndRestartResumes) {
  auto sub = std::make_unique<Subscriber>(alerts_.get(), key_);
  auto warm = WarmUp({sub.get()});
  auto before = IngestUrgent("x", 3);
  ASSERT_TRUE(sub->WaitForNew(3));
  const std::string token = sub->events().back().resume_token();
  auto unseen = IngestUrgent("y", 4);  // committed while nobody listens...
  sub->WaitForNew(7);

  // ...then the server stops: the open stream ends (UNAVAILABLE) long
  // before the 5 s grace period, and Shutdown does not hang on it.
  sub->Stop();
  auto open = std::make_unique<Subscriber>(alerts_.get(), key_);
  WarmUp({open.get()});
  const absl::Time t0 = absl::Now();
  StopServer();
  EXPECT_LT(absl::Now() - t0, absl::Seconds(4));
  ASSERT_TRUE(open->WaitEnded(absl::Seconds(10)));
  EXPECT_EQ(open->status().error_code(), grpc::StatusCode::UNAVAILABLE);

  StartServer();
  opinia::v1::StreamAlertsRequest resume;
  resume.set_resume_token(token);
  Subscriber after(alerts_.get(), key_, resume);
  ASSERT_TRUE(after.WaitFor(4));
  auto got = after.reviews();
  ASSERT_GE(got.size(), 4u);
  EXPECT_EQ(std::vector<std::string>(got.begin(), got.begin() + 4), unseen);
  // Only warm-ups of the second subscription may follow.
  for (size_t i = 4; i < got.size(); ++i) {
    EXPECT_EQ(std::find(before.begin(), before.end(), got[i]), before.end());
    EXPECT_EQ(std::find(unseen.begin(), unseen.end(), got[i]), unseen.end());
  }
}

TEST_F(AlertStreamTest, WorkflowAndRulesOverGrpc) {
  Subscriber sub(alerts_.get(), key_);
  auto warm = WarmUp({&sub});
  ASSERT_GE(sub.events().size(), 1u);
  const std::string name = sub.events()[0].alert().name();
  opinia::v1::AcknowledgeAlertRequest ack;
  ack.set_name(name);
  opinia::v1::Alert out;
  ASSERT_TRUE(alerts_->AcknowledgeAlert(Ctx(key_).get(), ack, &out).ok());
  EXPECT_EQ(out.state(), opinia::v1::ACKNOWLEDGED_ALERT);
  opinia::v1::ListAlertsRequest list;
  list.add_states(opinia::v1::ACKNOWLEDGED_ALERT);
  opinia::v1::ListAlertsResponse listed;
  ASSERT_TRUE(alerts_->ListAlerts(Ctx(key_).get(), list, &listed).ok());
  ASSERT_EQ(listed.alerts_size(), 1);
  EXPECT_EQ(listed.alerts(0).name(), name);

  opinia::v1::ListAlertRulesResponse rules;
  ASSERT_TRUE(alerts_->ListAlertRules(Ctx(key_).get(), {}, &rules).ok());
  ASSERT_EQ(rules.rules_size(), 1);
  EXPECT_EQ(rules.rules(0).priorities_size(), 2);
  opinia::v1::CreateAlertRuleRequest create;
  create.mutable_rule()->set_max_rating(7);
  opinia::v1::AlertRule rule;
  grpc::Status s = alerts_->CreateAlertRule(Ctx(key_).get(), create, &rule);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("rule.max_rating"), std::string::npos);
  // Operator keys: PERMISSION_DENIED.
  s = alerts_->ListAlerts(Ctx(operator_key_).get(), {}, &listed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace opinia::alerts_testing
