// Tenant settings and snooze reopening end to end: a real server
// in-process (port 0, real SQLite, real models) running on a FakeClock, the
// alert scheduler's passes run by the test (no sleeps), everything else
// through the generated stubs.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "service/core/util/clock.h"
#include "service/core/util/time_proto.h"
#include "tests/service/alerts/stream_fixture.h"

namespace opinia::alerts_testing {
namespace {

using google::protobuf::Duration;

absl::Duration Of(const Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

absl::Time T(const google::protobuf::Timestamp& ts) {
  return core::FromTimestamp(ts);
}

class SettingsServerTest : public StreamTest {
 protected:
  SettingsServerTest() { server_clock_ = &clock_; }

  absl::StatusOr<opinia::v1::TenantSettings> Update(
      const opinia::v1::UpdateTenantSettingsRequest& r,
      const std::string& key) {
    opinia::v1::TenantSettings out;
    grpc::Status s = admin_->UpdateTenantSettings(Ctx(key).get(), r, &out);
    if (!s.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                          s.error_message());
    }
    return out;
  }

  opinia::v1::Review Get(const std::string& name) {
    opinia::v1::GetReviewRequest r;
    r.set_name(name);
    opinia::v1::Review out;
    EXPECT_TRUE(reviews_->GetReview(Ctx(key_).get(), r, &out).ok()) << name;
    return out;
  }

  // The deadline the review got, counted from its ingest time.
  absl::Duration Deadline(const std::string& name) {
    const opinia::v1::Review r = Get(name);
    EXPECT_EQ(r.analysis().urgency().priority(), opinia::v1::P1) << name;
    return T(r.analysis().urgency().respond_by()) - T(r.ingest_time());
  }

  // Negative reviews created at `t`; checks the analyzer agrees.
  void IngestNegativeAt(const std::string& prefix, int n, absl::Time t) {
    const auto results = IngestOneStar(
        prefix, n,
        [](int) {
          return "Fatalny produkt, nie polecam. Bardzo słaba jakość.";
        },
        t);
    ASSERT_EQ(results.size(), static_cast<size_t>(n));
    for (const auto& x : results) {
      ASSERT_EQ(x.analysis().sentiment().label(), opinia::v1::NEGATIVE)
          << x.name();
    }
  }

  int SpikeAlerts() {
    opinia::v1::ListAlertsRequest r;
    r.add_kinds(opinia::v1::VOLUME_SPIKE);
    r.set_page_size(100);
    opinia::v1::ListAlertsResponse out;
    EXPECT_TRUE(alerts_->ListAlerts(Ctx(key_).get(), r, &out).ok());
    return out.alerts_size();
  }

  core::TickStats Tick() {
    auto stats = app_->alert_scheduler()->Tick();
    EXPECT_TRUE(stats.ok()) << stats.status();
    return stats.ok() ? *stats : core::TickStats{};
  }

  core::FakeClock clock_{
      absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()))};
};

TEST_F(SettingsServerTest, RespondByFollowsTheTenantPolicy) {
  opinia::v1::GetTenantSettingsRequest get;  // empty name: the key's tenant
  opinia::v1::TenantSettings settings;
  ASSERT_TRUE(admin_->GetTenantSettings(Ctx(key_).get(), get, &settings).ok());
  EXPECT_EQ(settings.name(), "tenants/shop-a/settings");
  EXPECT_EQ(Of(settings.sla_policy().p1()), absl::Hours(1));
  EXPECT_EQ(settings.volume_spike_k(), 3.0);

  const std::string before = IngestUrgent("a", 1).at(0);
  EXPECT_EQ(Deadline(before), absl::Hours(1));

  opinia::v1::UpdateTenantSettingsRequest update;
  update.mutable_settings()->mutable_sla_policy()->mutable_p1()->set_seconds(
      15 * 60);
  update.mutable_update_mask()->add_paths("sla_policy.p1");
  auto updated = Update(update, key_);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(Of(updated->sla_policy().p1()), absl::Minutes(15));
  EXPECT_EQ(Of(updated->sla_policy().p2()), absl::Hours(4));

  clock_.Advance(absl::Minutes(1));
  const std::string after = IngestUrgent("b", 1).at(0);
  EXPECT_EQ(Deadline(after), absl::Minutes(15));
  EXPECT_EQ(Deadline(before), absl::Hours(1));  // stored deadlines stay

  // The operator sees the change; errors name the field.
  get.set_name("tenants/shop-a/settings");
  ASSERT_TRUE(
      admin_->GetTenantSettings(Ctx(operator_key_).get(), get, &settings).ok());
  EXPECT_EQ(Of(settings.sla_policy().p1()), absl::Minutes(15));
  opinia::v1::UpdateTenantSettingsRequest bad;
  bad.mutable_settings()->mutable_sla_policy()->mutable_p2()->set_seconds(60);
  bad.mutable_update_mask()->add_paths("sla_policy.p2");
  auto rejected = Update(bad, key_);
  EXPECT_EQ(rejected.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(rejected.status().message().rfind("settings.sla_policy.p2", 0), 0u)
      << rejected.status();
  bad.mutable_settings()->set_name("");
  EXPECT_EQ(Update(bad, operator_key_).status().code(),
            absl::StatusCode::kInvalidArgument);  // operators name a tenant
}

TEST_F(SettingsServerTest, SpikeKDecidesWhetherASpikeFires) {
  const absl::Time now = clock_.Now();
  // Baseline: 1 or 5 negatives a day (mean 2.7, sd ~2); today 8.
  for (int day = 1; day <= 7; ++day) {
    IngestNegativeAt(absl::StrCat("d", day, "-"), day % 2 ? 1 : 5,
                     now - absl::Hours(24 * day) - absl::Hours(2));
  }
  IngestNegativeAt("today-", 8, now - absl::Hours(1));
  EXPECT_EQ(Tick().spike_alerts, 0);  // 8 < 2.7 + 3 * 2
  EXPECT_EQ(SpikeAlerts(), 0);

  opinia::v1::UpdateTenantSettingsRequest update;
  update.mutable_settings()->set_name("tenants/shop-a/settings");
  update.mutable_settings()->set_volume_spike_k(1);
  ASSERT_TRUE(Update(update, key_).ok());  // empty mask: the set fields
  EXPECT_EQ(Tick().spike_alerts, 2);       // overall and allegro
  EXPECT_EQ(SpikeAlerts(), 2);
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(Tick().spike_alerts, 0);  // the default 24 h cooldown

  // A 30 min cooldown has passed, but k = 3 holds the alert back ...
  update.mutable_settings()->set_volume_spike_k(3);
  update.mutable_settings()->mutable_volume_spike_cooldown()->set_seconds(30 *
                                                                          60);
  ASSERT_TRUE(Update(update, key_).ok());
  EXPECT_EQ(Tick().spike_alerts, 0);
  // ... and k = 1 lets it fire again.
  update.mutable_settings()->set_volume_spike_k(1);
  ASSERT_TRUE(Update(update, key_).ok());
  EXPECT_EQ(Tick().spike_alerts, 2);
  EXPECT_EQ(SpikeAlerts(), 4);
}

TEST_F(SettingsServerTest, ReopenedSnoozeReachesStreamsExactlyOnce) {
  opinia::v1::StreamAlertsRequest filter;
  filter.add_kinds(opinia::v1::NEGATIVE_REVIEW);
  auto sub = std::make_unique<Subscriber>(alerts_.get(), key_, filter);
  // The stream starts "from now" once set up: ingest until one arrives.
  // Which warm-up reviews reach it depends on when it became live, so they
  // are ignored by WaitForNew rather than counted.
  std::set<std::string> warm;
  bool live = false;
  for (int attempt = 0; attempt < 50 && !live; ++attempt) {
    for (const auto& n : IngestUrgent(absl::StrCat("warm", attempt, "-"), 1)) {
      warm.insert(n);
    }
    live = sub->WaitFor(1, absl::Seconds(1));
  }
  ASSERT_TRUE(live) << "stream never became live";
  sub->Ignore(warm);
  const std::string review = IngestUrgent("s", 1).at(0);
  ASSERT_TRUE(sub->WaitForNew(1));
  const opinia::v1::AlertEvent created = sub->events().back();
  ASSERT_EQ(created.alert().review(), review);
  EXPECT_EQ(created.type(), opinia::v1::ALERT_CREATED);

  opinia::v1::SnoozeAlertRequest snooze;
  snooze.set_name(created.alert().name());
  core::ToTimestamp(clock_.Now() + absl::Minutes(10),
                    snooze.mutable_snooze_until());
  opinia::v1::Alert snoozed;
  ASSERT_TRUE(alerts_->SnoozeAlert(Ctx(key_).get(), snooze, &snoozed).ok());
  EXPECT_EQ(snoozed.state(), opinia::v1::SNOOZED);
  EXPECT_EQ(Tick().reopened, 0);
  clock_.Advance(absl::Minutes(11));
  EXPECT_EQ(Tick().reopened, 1);

  ASSERT_TRUE(sub->WaitForNew(2));
  const opinia::v1::AlertEvent reopened = sub->events().back();
  EXPECT_EQ(reopened.type(), opinia::v1::ALERT_REOPENED);
  EXPECT_EQ(reopened.alert().name(), created.alert().name());
  EXPECT_EQ(reopened.alert().state(), opinia::v1::OPEN);
  EXPECT_EQ(T(reopened.event_time()), clock_.Now());
  EXPECT_NE(reopened.resume_token(), created.resume_token());

  // Resuming right after the creation: the reopen once, then what is new.
  filter.set_resume_token(created.resume_token());
  Subscriber resumed(alerts_.get(), key_, filter);
  ASSERT_TRUE(resumed.WaitFor(1));
  const std::string next = IngestUrgent("t", 1).at(0);
  ASSERT_TRUE(resumed.WaitFor(2));
  ASSERT_TRUE(sub->WaitForNew(3));
  auto events = resumed.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type(), opinia::v1::ALERT_REOPENED);
  EXPECT_EQ(events[0].alert().name(), created.alert().name());
  EXPECT_EQ(events[0].resume_token(), reopened.resume_token());
  EXPECT_EQ(events[1].type(), opinia::v1::ALERT_CREATED);
  EXPECT_EQ(events[1].alert().review(), next);
  EXPECT_EQ(sub->new_count(), 3u);  // nothing repeated
  // Another pass reopens nothing and sends nothing.
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(Tick().reopened, 0);
}

}  // namespace
}  // namespace opinia::alerts_testing
