// Two servers (two in-process Apps, each with its own store object, its own
// gRPC port and its own replica id) on ONE SQLite file, as two replicas on
// one database: SQLite's file locking lets both read and write it. Their
// alert schedulers tick at the same moments; one of them runs each pass
// (the lease "alert-scheduler"), so a breached review gets one SLA_BREACH
// alert, which both servers list. (Change notifications of the SQLite
// store stay in its process's store object: streams on one of two SQLite
// servers do not hear the other's commits; PostgreSQL's do.)
//
// replicas_server_test_pg runs the same on one PostgreSQL database, the
// real multi-replica case: there a stream on one server also receives the
// alerts of reviews ingested through the other, exactly once and in the
// order every subscriber sees, and a resume token of one server works on
// the other.
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "service/core/alerts/alert_scheduler.h"
#include "tests/service/alerts/stream_fixture.h"

namespace opinia::alerts_testing {
namespace {

class ReplicasServerTest : public StreamTest {
 protected:
  ReplicasServerTest() { server_clock_ = &clock_; }

  void SetUp() override {
    StreamTest::SetUp();
    server::Options o = AppOptions();
    o.bootstrap_key_file = dir_ + "/replica-b.key";  // keys exist: unused
    const char* models = std::getenv("OPINIA_MODELS_DIR");
    o.models_dir = models ? models : "models";
    o.workers = 4;
    o.alert_tick = absl::ZeroDuration();
    auto b = server::App::Start(o);
    ASSERT_TRUE(b.ok()) << b.status();
    replica_b_ = *std::move(b);
    auto channel = grpc::CreateChannel(replica_b_->address(),
                                       grpc::InsecureChannelCredentials());
    alerts_b_ = opinia::v1::AlertService::NewStub(channel);
    reviews_b_ = opinia::v1::ReviewService::NewStub(channel);
  }
  void TearDown() override {
    if (replica_b_) replica_b_->Shutdown(absl::Seconds(5));
    replica_b_.reset();
    StreamTest::TearDown();
  }

  int SlaAlerts(opinia::v1::AlertService::Stub* stub) {
    opinia::v1::ListAlertsRequest r;
    r.add_kinds(opinia::v1::SLA_BREACH);
    r.set_page_size(100);
    opinia::v1::ListAlertsResponse out;
    grpc::Status s = stub->ListAlerts(Ctx(key_).get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.alerts_size();
  }

  // Both schedulers' Tick at once; the stats of A and B.
  std::pair<core::TickStats, core::TickStats> TickBoth() {
    core::TickStats a, b;
    std::thread other([&] {
      auto s = replica_b_->alert_scheduler()->Tick();
      EXPECT_TRUE(s.ok()) << s.status();
      if (s.ok()) b = *s;
    });
    auto s = app_->alert_scheduler()->Tick();
    EXPECT_TRUE(s.ok()) << s.status();
    if (s.ok()) a = *s;
    other.join();
    return {a, b};
  }

  core::FakeClock clock_{absl::Now()};
  std::unique_ptr<server::App> replica_b_;
  std::unique_ptr<opinia::v1::AlertService::Stub> alerts_b_;
  std::unique_ptr<opinia::v1::ReviewService::Stub> reviews_b_;
};

TEST_F(ReplicasServerTest, TwoServersOnOneDatabaseRaiseOneSlaBreach) {
  EXPECT_NE(app_->replica_id(), replica_b_->replica_id());
  IngestUrgent("late", 2);  // P1 through server A: answer within 1 h
  clock_.Advance(absl::Hours(2));
  auto [a, b] = TickBoth();
  EXPECT_NE(a.skipped, b.skipped) << "exactly one server runs the pass";
  EXPECT_EQ(a.sla_alerts + b.sla_alerts, 2);
  EXPECT_EQ(SlaAlerts(alerts_.get()), 2);
  EXPECT_EQ(SlaAlerts(alerts_b_.get()), 2) << "one database";
  // The holder keeps the pass; more passes add nothing.
  clock_.Advance(absl::Minutes(1));
  auto [a2, b2] = TickBoth();
  EXPECT_EQ(a2.skipped, a.skipped);
  EXPECT_EQ(b2.skipped, b.skipped);
  EXPECT_EQ(SlaAlerts(alerts_.get()), 2);

  // The holder shuts down (releasing the lease): the other runs the next
  // pass at once.
  core::AlertScheduler* survivor = a.skipped ? app_->alert_scheduler()
                                             : replica_b_->alert_scheduler();
  if (a.skipped) {
    replica_b_->Shutdown(absl::Seconds(5));
  } else {
    app_->Shutdown(absl::Seconds(5));
  }
  IngestUrgent("later", 1, a.skipped ? reviews_.get() : reviews_b_.get());
  clock_.Advance(absl::Hours(2));
  auto taken = survivor->Tick();
  ASSERT_TRUE(taken.ok()) << taken.status();
  EXPECT_FALSE(taken->skipped);
  EXPECT_EQ(taken->sla_alerts, 1);
}

TEST_F(ReplicasServerTest, StreamsOnBothServersGetEveryAlertOnceInOneOrder) {
  OPINIA_SKIP_UNLESS_POSTGRES(
      "a SQLite store's change notifications stay in its own store object, "
      "so a stream on one server does not hear the other's commits");
  Subscriber on_a(alerts_.get(), key_);
  Subscriber on_b(alerts_b_.get(), key_);
  auto warm = WarmUp({&on_a, &on_b});  // through A
  std::vector<std::string> sent = IngestUrgent("via-a-", 8);
  for (const std::string& name : IngestUrgent("via-b-", 4, reviews_b_.get())) {
    sent.push_back(name);
  }
  for (const std::string& name : IngestUrgent("via-a-again-", 4)) {
    sent.push_back(name);
  }
  ASSERT_TRUE(on_b.WaitForNew(sent.size())) << "B did not hear A's alerts";
  ASSERT_TRUE(on_a.WaitForNew(sent.size())) << "A did not hear B's alerts";
  absl::SleepFor(absl::Milliseconds(300));  // time for a duplicate to come
  EXPECT_EQ(on_a.new_count(), sent.size());
  EXPECT_EQ(on_b.new_count(), sent.size());
  // Reviews ingested one call after another: their alerts in that order,
  // the same on both servers.
  EXPECT_EQ(Without(on_a.reviews(), warm), sent);
  EXPECT_EQ(Without(on_b.reviews(), warm), sent);

  // B's resume token on A: exactly what came after it.
  const std::string token = on_b.events().back().resume_token();
  ASSERT_FALSE(token.empty());
  on_b.Stop();
  const std::vector<std::string> missed =
      IngestUrgent("missed-", 3, reviews_b_.get());
  opinia::v1::StreamAlertsRequest resume;
  resume.set_resume_token(token);
  Subscriber resumed(alerts_.get(), key_, resume);
  ASSERT_TRUE(resumed.WaitFor(missed.size()));
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(resumed.reviews(), missed);
}

}  // namespace
}  // namespace opinia::alerts_testing
