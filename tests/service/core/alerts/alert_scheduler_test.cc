// SLA breaches, volume spikes and snooze expiry, driven by a fake clock and
// direct Tick() calls (no sleeps).
#include "service/core/alerts/alert_scheduler.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "service/core/alerts/alert_model.h"
#include "service/core/tenants/tenant_settings.h"
#include "service/core/util/names.h"
#include "service/core/util/time_proto.h"
#include "tests/service/core/alerts/alert_test_env.h"

namespace opinia::core {
namespace {

class AlertSchedulerTest : public testing::AlertCoreTest {
 protected:
  TickStats TickOk() {
    auto stats = scheduler_.Tick();
    EXPECT_TRUE(stats.ok()) << stats.status();
    return stats.ok() ? *stats : TickStats{};
  }
  std::vector<storage::AlertRow> OfKind(int kind) {
    std::vector<storage::AlertRow> out;
    for (auto& a : AllAlerts()) {
      if (a.kind == kind) out.push_back(a);
    }
    return out;
  }
  // A negative review created at `t` (baseline history).
  opinia::v1::ReviewInput NegativeAt(const std::string& id, absl::Time t,
                                     const std::string& source = "allegro") {
    auto in = Input(id, 2, "słabo", source);  // NEGATIVE, P4: no rule alert
    ToTimestamp(t, in.mutable_create_time());
    return in;
  }

  // Negatives on allegro: 1 or 5 a day over the past 7 days (mean 2.7,
  // sd ~2), then 8 in the last hour.
  void IngestEightOverNoisyBaseline() {
    const absl::Time now = clock_.Now();
    std::vector<opinia::v1::ReviewInput> in;
    for (int day = 1; day <= 7; ++day) {
      for (int i = 0; i < (day % 2 ? 1 : 5); ++i) {
        in.push_back(NegativeAt(absl::StrCat("b", day, "-", i),
                                now - absl::Hours(24 * day) - absl::Hours(2)));
      }
    }
    for (int i = 0; i < 8; ++i) {
      in.push_back(NegativeAt(absl::StrCat("t", i), now - absl::Hours(1)));
    }
    Ingest(in);
  }

  AlertScheduler scheduler_{store_.get(), &clock_, &hub_};
};

TEST_F(AlertSchedulerTest, SlaBreachExactlyOnceAndResponseStopsTheClock) {
  // P2: respond within 4 h of ingest (counting analyzer's SLA policy).
  auto names = Ingest({Input("late", 1), Input("answered", 1)});
  clock_.Advance(absl::Hours(1));
  opinia::v1::RecordResponseRequest respond;
  respond.set_name(names[1]);
  respond.mutable_response()->set_text("Przepraszamy");
  ASSERT_TRUE(reviews_.RecordResponse(testing::Caller("shop-a", "k"), respond).ok());

  EXPECT_EQ(TickOk().sla_alerts, 0);  // not due yet
  clock_.Advance(absl::Hours(3) + absl::Seconds(1));
  EXPECT_EQ(TickOk().sla_alerts, 1);
  auto sla = OfKind(opinia::v1::SLA_BREACH);
  ASSERT_EQ(sla.size(), 1u);
  EXPECT_EQ(ReviewName(sla[0].review_id), names[0]);
  EXPECT_EQ(sla[0].priority, opinia::v1::P2);
  EXPECT_EQ(sla[0].reasons,
            std::vector<std::string>{kReasonNoResponseByDeadline});
  EXPECT_NE(sla[0].summary.find("deadline (20"), std::string::npos)
      << sla[0].summary;
  // Exactly one, however often the scheduler runs.
  clock_.Advance(absl::Hours(10));
  EXPECT_EQ(TickOk().sla_alerts, 0);
  EXPECT_EQ(OfKind(opinia::v1::SLA_BREACH).size(), 1u);
  // Other tenants are not affected.
  EXPECT_TRUE(AllAlerts("shop-b").empty());
}

TEST_F(AlertSchedulerTest, VolumeSpikeOverallAndPerSourceOncePerCooldown) {
  const absl::Time now = clock_.Now();
  std::vector<opinia::v1::ReviewInput> in;
  // Baseline: 1 or 2 negatives a day on allegro for the past 7 days.
  for (int day = 1; day <= 7; ++day) {
    for (int i = 0; i < 1 + day % 2; ++i) {
      in.push_back(NegativeAt(absl::StrCat("b", day, "-", i),
                              now - absl::Hours(24 * day) - absl::Hours(2)));
    }
  }
  Ingest(in);
  EXPECT_EQ(TickOk().spike_alerts, 0);  // nothing today

  in.clear();
  for (int i = 0; i < 12; ++i) {
    in.push_back(NegativeAt(absl::StrCat("t", i), now - absl::Hours(1)));
  }
  in.push_back(NegativeAt("g1", now - absl::Hours(1), "google"));
  Ingest(in);
  EXPECT_EQ(TickOk().spike_alerts, 2);  // overall and allegro; google < min
  auto spikes = OfKind(opinia::v1::VOLUME_SPIKE);
  ASSERT_EQ(spikes.size(), 2u);
  std::vector<std::string> scopes = {spikes[0].source, spikes[1].source};
  std::sort(scopes.begin(), scopes.end());
  EXPECT_EQ(scopes, (std::vector<std::string>{"", "allegro"}));
  for (const auto& spike : spikes) {
    EXPECT_EQ(spike.reasons, std::vector<std::string>{kReasonAboveBaseline});
    EXPECT_NE(spike.summary.find("threshold"), std::string::npos)
        << spike.summary;
  }

  // Within the cooldown: no repeat.
  clock_.Advance(absl::Hours(2));
  EXPECT_EQ(TickOk().spike_alerts, 0);
}

TEST_F(AlertSchedulerTest, SpikeThresholdUsesTenantK) {
  IngestEightOverNoisyBaseline();
  // 8 < 2.7 + 3 * 2: no spike with the default k = 3.
  EXPECT_EQ(TickOk().spike_alerts, 0);
  ASSERT_TRUE(store_->Write([](storage::Txn& txn) {
                        storage::AlertSettingsRow s;
                        s.tenant_id = "shop-a";
                        s.defaults_created = true;
                        s.spike_k = 1.0;
                        return txn.alerts().PutAlertSettings(s);
                      }).ok());
  EXPECT_EQ(TickOk().spike_alerts, 2);
}

// Counts hub wake-ups of one tenant.
class WakeCounter : public AlertHub::Subscriber {
 public:
  void Wake() override { wakes.fetch_add(1); }
  void Close() override {}
  std::atomic<int> wakes{0};
};

TEST_F(AlertSchedulerTest, ExpiredSnoozeReopensWithOneStreamEvent) {
  Ingest({Input("1", 1), Input("2", 1)});
  auto a = AllAlerts().at(0);
  opinia::v1::SnoozeAlertRequest snooze;
  snooze.set_name(AlertName(a.id));
  ToTimestamp(clock_.Now() + absl::Minutes(30), snooze.mutable_snooze_until());
  ASSERT_TRUE(alerts_.Snooze(testing::Caller("shop-a", "k"), snooze).ok());
  // A subscriber that has seen everything so far (its last token).
  const std::string token =
      alerts_.ResumeToken("shop-a", AllEvents().back().id);
  WakeCounter woken;
  ASSERT_TRUE(hub_.Subscribe("shop-a", &woken));

  EXPECT_EQ(TickOk().reopened, 0);
  EXPECT_EQ(woken.wakes.load(), 0);
  clock_.Advance(absl::Minutes(31));
  const absl::Time reopen_time = clock_.Now();
  EXPECT_EQ(TickOk().reopened, 1);
  EXPECT_EQ(AllAlerts().at(0).state, storage::kAlertOpen);
  EXPECT_EQ(woken.wakes.load(), 1);

  // Resuming from the token delivers the reopen exactly once.
  auto start = alerts_.StreamStart(testing::Caller("shop-a"),
                                    testing::ResumeFrom(token));
  ASSERT_TRUE(start.ok()) << start.status();
  auto events = AllEvents("shop-a", *start);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, storage::kAlertEventReopened);
  EXPECT_EQ(events[0].alert.id, a.id);
  EXPECT_EQ(events[0].alert.state, storage::kAlertOpen);
  EXPECT_EQ(events[0].time, reopen_time);
  // Later passes add nothing.
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(TickOk().reopened, 0);
  EXPECT_EQ(AllEvents("shop-a", *start).size(), 1u);
  // From the beginning: both creations, then the reopen, in order.
  auto all = AllEvents();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].type, storage::kAlertEventCreated);
  EXPECT_EQ(all[1].type, storage::kAlertEventCreated);
  EXPECT_EQ(all[2].type, storage::kAlertEventReopened);
  EXPECT_LT(all[1].id, all[2].id);
  EXPECT_TRUE(AllEvents("shop-b").empty());
  hub_.Unsubscribe("shop-a", &woken);
}

TEST_F(AlertSchedulerTest, SpikeKAndCooldownComeFromTenantSettings) {
  IngestEightOverNoisyBaseline();
  EXPECT_EQ(TickOk().spike_alerts, 0);  // 8 < 2.7 + 3 * 2

  Settings settings(store_.get(), &clock_);
  opinia::v1::UpdateTenantSettingsRequest update;
  update.mutable_settings()->set_volume_spike_k(1);
  update.mutable_settings()->mutable_volume_spike_cooldown()->set_seconds(
      3600);
  const Principal admin{"k1", "shop-a", core::kRoleAdmin};
  ASSERT_TRUE(settings.Update(admin, update).ok());
  EXPECT_EQ(TickOk().spike_alerts, 2);  // overall and allegro
  clock_.Advance(absl::Minutes(30));
  EXPECT_EQ(TickOk().spike_alerts, 0);  // within the 1 h cooldown
  clock_.Advance(absl::Minutes(31));
  EXPECT_EQ(TickOk().spike_alerts, 2);  // the cooldown has passed
  EXPECT_TRUE(OfKind(opinia::v1::VOLUME_SPIKE).size() == 4u);
}


// Replicas on one database (each with a store object of its own, as two
// processes): the scheduler that holds the lease does every pass; another's
// ticks are skipped while the holder keeps ticking, and it takes over once
// the holder has not ticked for the lease's ttl (it died), or at once when
// the holder stops (releases the lease).
TEST_F(AlertSchedulerTest, OneReplicaTicksAndAnotherTakesOverWhenItDies) {
  AlertSchedulerOptions options;
  options.replica_id = "replica-b";
  std::unique_ptr<storage::Store> store_b = testing::OpenReplicaStore(*store_);
  ASSERT_NE(store_b, nullptr);
  AlertScheduler b(store_b.get(), &clock_, &hub_, options);
  const absl::Duration ttl = options.lease_ttl;
  auto tick_b = [&] {
    auto stats = b.Tick();
    EXPECT_TRUE(stats.ok()) << stats.status();
    return stats.ok() ? *stats : TickStats{};
  };
  Ingest({Input("first", 1)});  // P2: due 4 h after ingest
  clock_.Advance(absl::Minutes(1));
  Ingest({Input("second", 1)});
  clock_.Advance(absl::Hours(4) - absl::Minutes(1) + absl::Seconds(1));

  TickStats a = TickOk();
  EXPECT_FALSE(a.skipped);
  EXPECT_EQ(a.sla_alerts, 1);
  TickStats other = tick_b();
  EXPECT_TRUE(other.skipped);
  EXPECT_EQ(other.sla_alerts, 0);
  // "second" is due now, but the holder's lease runs for `ttl` after its
  // last tick: the other replica leaves it alone.
  clock_.Advance(ttl - absl::Seconds(1));
  EXPECT_TRUE(tick_b().skipped);
  EXPECT_EQ(OfKind(opinia::v1::SLA_BREACH).size(), 1u);
  // The holder has not ticked for the whole ttl: it died. Taken over.
  clock_.Advance(absl::Seconds(1));
  other = tick_b();
  EXPECT_FALSE(other.skipped);
  EXPECT_EQ(other.sla_alerts, 1);
  // The old holder, back (or a zombie): its claim is gone.
  EXPECT_TRUE(TickOk().skipped);
  EXPECT_EQ(OfKind(opinia::v1::SLA_BREACH).size(), 2u);
  // A stopping replica releases the lease: the other takes over at once.
  b.Stop();
  EXPECT_FALSE(TickOk().skipped);
  EXPECT_TRUE(tick_b().skipped);
  EXPECT_EQ(OfKind(opinia::v1::SLA_BREACH).size(), 2u);
}

// Replicas ticking at the same moment: in each round exactly one runs the
// pass, and every breached review gets exactly one SLA_BREACH alert.
TEST_F(AlertSchedulerTest, ConcurrentReplicasRunOnePassPerRound) {
  constexpr int kReplicas = 3;
  constexpr int kRounds = 6;
  std::vector<std::unique_ptr<storage::Store>> stores;  // one per replica
  std::vector<std::unique_ptr<AlertScheduler>> replicas;
  for (int r = 0; r < kReplicas; ++r) {
    AlertSchedulerOptions options;
    options.replica_id = absl::StrCat("replica-", r);
    stores.push_back(testing::OpenReplicaStore(*store_));
    ASSERT_NE(stores.back(), nullptr);
    replicas.push_back(std::make_unique<AlertScheduler>(
        stores.back().get(), &clock_, &hub_, options));
  }
  std::set<int> runners;
  for (int round = 0; round < kRounds; ++round) {
    Ingest({Input(absl::StrCat("late-", round), 1)});
    // Past the review's deadline, and past the last holder's lease, so
    // every replica may claim it.
    clock_.Advance(absl::Hours(4) + absl::Seconds(1));
    std::vector<TickStats> stats(kReplicas);
    std::vector<std::thread> threads;
    for (int r = 0; r < kReplicas; ++r) {
      threads.emplace_back([&, r] {
        auto s = replicas[r]->Tick();
        EXPECT_TRUE(s.ok()) << s.status();
        if (s.ok()) stats[r] = *s;
      });
    }
    for (std::thread& t : threads) t.join();
    int ran = 0;
    for (int r = 0; r < kReplicas; ++r) {
      if (stats[r].skipped) continue;
      ++ran;
      runners.insert(r);
      EXPECT_EQ(stats[r].sla_alerts, 1) << "round " << round;
    }
    EXPECT_EQ(ran, 1) << "round " << round;
  }
  auto sla = OfKind(opinia::v1::SLA_BREACH);
  EXPECT_EQ(sla.size(), static_cast<size_t>(kRounds));
  std::set<int64_t> reviews;
  for (const auto& a : sla) reviews.insert(a.review_id);
  EXPECT_EQ(reviews.size(), static_cast<size_t>(kRounds)) << "one per review";
  EXPECT_FALSE(runners.empty());
}

}  // namespace
}  // namespace opinia::core
