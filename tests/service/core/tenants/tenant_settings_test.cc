// Tenant settings (core::Settings): defaults, partial updates, validation
// naming the field, roles and tenancy, and that ingest and review overrides
// take respond_by from the tenant's SLA policy. Real SQLite, fake clock.
#include "service/core/tenants/tenant_settings.h"

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/core/util/names.h"
#include "service/core/util/time_proto.h"
#include "tests/service/core/alerts/alert_test_env.h"

namespace opinia::core {
namespace {

using opinia::v1::TenantSettings;

void SetDuration(absl::Duration d, google::protobuf::Duration* out) {
  out->set_seconds(absl::ToInt64Seconds(d));
}

absl::Duration Of(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

class TenantSettingsTest : public testing::AlertCoreTest {
 protected:
  static Principal Key(const std::string& tenant, uint32_t roles) {
    return Principal{"k1", tenant, roles};
  }
  static Principal Admin(const std::string& tenant = "shop-a") {
    return Key(tenant, core::kRoleAdmin | core::kRoleRead);
  }
  static Principal Operator() { return Key("", core::kRoleAdmin); }

  TenantSettings GetOk(const std::string& tenant = "shop-a") {
    opinia::v1::GetTenantSettingsRequest r;
    r.set_name(TenantSettingsName(tenant));
    auto s = settings_.Get(Operator(), r);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : TenantSettings{};
  }

  absl::StatusOr<TenantSettings> Update(const TenantSettings& in,
                                        std::vector<std::string> paths,
                                        const Principal& caller = Admin()) {
    opinia::v1::UpdateTenantSettingsRequest r;
    *r.mutable_settings() = in;
    for (auto& p : paths) r.mutable_update_mask()->add_paths(p);
    return settings_.Update(caller, r);
  }

  // The stored effective deadline of a review.
  absl::Time RespondBy(const std::string& name,
                       const std::string& tenant = "shop-a") {
    auto id = ParseReviewName(name, "name");
    EXPECT_TRUE(id.ok());
    absl::Time t = absl::InfinitePast();
    EXPECT_TRUE(store_
                    ->Read([&](storage::Txn& txn) -> absl::Status {
                      auto row = txn.GetReview(tenant, *id);
                      if (!row.ok()) return row.status();
                      t = row->respond_by;
                      return absl::OkStatus();
                    })
                    .ok());
    return t;
  }

  Settings settings_{store_.get(), &clock_};
};

TEST_F(TenantSettingsTest, DefaultsThenAPartialUpdateKeepsTheRest) {
  TenantSettings s = GetOk();
  EXPECT_EQ(s.name(), "tenants/shop-a/settings");
  EXPECT_EQ(Of(s.sla_policy().p1()), absl::Hours(1));
  EXPECT_EQ(Of(s.sla_policy().p2()), absl::Hours(4));
  EXPECT_EQ(Of(s.sla_policy().p3()), absl::Hours(24));
  EXPECT_EQ(Of(s.sla_policy().p4()), absl::Hours(72));
  EXPECT_EQ(s.volume_spike_k(), 3.0);
  EXPECT_EQ(Of(s.volume_spike_cooldown()), absl::Hours(24));
  // Clients show times in the zone insights cut days in.
  EXPECT_EQ(s.time_zone(), "Europe/Warsaw");

  TenantSettings in;
  SetDuration(absl::Minutes(30), in.mutable_sla_policy()->mutable_p1());
  in.set_volume_spike_k(99);  // not in the mask: ignored
  auto out = Update(in, {"sla_policy.p1"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(Of(out->sla_policy().p1()), absl::Minutes(30));
  EXPECT_EQ(Of(out->sla_policy().p2()), absl::Hours(4));
  EXPECT_EQ(out->volume_spike_k(), 3.0);
  EXPECT_EQ(GetOk().DebugString(), out->DebugString());
  // Another tenant keeps its defaults.
  EXPECT_EQ(Of(GetOk("shop-b").sla_policy().p1()), absl::Hours(1));
}

TEST_F(TenantSettingsTest, EmptyMaskUpdatesThePopulatedFields) {
  TenantSettings in;
  in.set_volume_spike_k(2.5);
  SetDuration(absl::Hours(96), in.mutable_sla_policy()->mutable_p4());
  auto out = Update(in, {});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->volume_spike_k(), 2.5);
  EXPECT_EQ(Of(out->sla_policy().p4()), absl::Hours(96));
  EXPECT_EQ(Of(out->sla_policy().p1()), absl::Hours(1));
  EXPECT_EQ(Of(out->volume_spike_cooldown()), absl::Hours(24));
}

TEST_F(TenantSettingsTest, InvalidUpdatesNameTheFieldAndChangeNothing) {
  struct Case {
    std::string name;
    std::function<void(TenantSettings*)> set;
    std::vector<std::string> paths;
    std::string field;  // expected at the start of the message
  };
  auto p = [](int n, absl::Duration d) {
    return [n, d](TenantSettings* s) {
      auto* sla = s->mutable_sla_policy();
      google::protobuf::Duration* f[] = {sla->mutable_p1(), sla->mutable_p2(),
                                         sla->mutable_p3(), sla->mutable_p4()};
      SetDuration(d, f[n - 1]);
    };
  };
  auto k = [](double v) {
    return [v](TenantSettings* s) { s->set_volume_spike_k(v); };
  };
  auto cooldown = [](absl::Duration d) {
    return [d](TenantSettings* s) {
      SetDuration(d, s->mutable_volume_spike_cooldown());
    };
  };
  const std::vector<Case> cases = {
      {"k zero", k(0), {"volume_spike_k"}, "settings.volume_spike_k"},
      {"k negative", k(-1), {"volume_spike_k"}, "settings.volume_spike_k"},
      {"k too large", k(20.5), {"volume_spike_k"}, "settings.volume_spike_k"},
      {"k NaN", k(std::nan("")), {"volume_spike_k"}, "settings.volume_spike_k"},
      {"cooldown too short",
       cooldown(absl::Seconds(30)),
       {"volume_spike_cooldown"},
       "settings.volume_spike_cooldown"},
      {"cooldown too long",
       cooldown(absl::Hours(24 * 31)),
       {"volume_spike_cooldown"},
       "settings.volume_spike_cooldown"},
      {"p1 unset",
       [](TenantSettings*) {},
       {"sla_policy.p1"},
       "settings.sla_policy.p1"},
      {"p2 negative",
       p(2, -absl::Hours(1)),
       {"sla_policy.p2"},
       "settings.sla_policy.p2"},
      {"p3 shorter than p2",
       p(3, absl::Minutes(30)),
       {"sla_policy.p3"},
       "settings.sla_policy.p3"},
      {"p1 longer than p2",
       p(1, absl::Hours(5)),
       {"sla_policy.p1"},
       "settings.sla_policy.p2"},
      {"p4 over a year",
       p(4, absl::Hours(24 * 366)),
       {"sla_policy.p4"},
       "settings.sla_policy.p4"},
      {"whole policy with p2..p4 unset",
       p(1, absl::Minutes(10)),
       {"sla_policy"},
       "settings.sla_policy.p2"},
      {"malformed duration",
       [](TenantSettings* s) {
         s->mutable_sla_policy()->mutable_p1()->set_nanos(2000000000);
       },
       {"sla_policy.p1"},
       "settings.sla_policy.p1"},
      {"unknown path", k(2), {"volume_spike"}, "update_mask"},
      {"name is not updatable", k(2), {"name"}, "update_mask"},
      {"name without /settings",
       [](TenantSettings* s) { s->set_name("tenants/shop-a"); },
       {"volume_spike_k"},
       "settings.name"},
  };
  const std::string before = GetOk().DebugString();
  for (const Case& c : cases) {
    TenantSettings in;
    c.set(&in);
    auto out = Update(in, c.paths);
    ASSERT_FALSE(out.ok()) << c.name;
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument)
        << c.name << ": " << out.status();
    EXPECT_EQ(out.status().message().rfind(c.field, 0), 0u)
        << c.name << ": " << out.status();
    EXPECT_EQ(GetOk().DebugString(), before) << c.name;
  }
}

TEST_F(TenantSettingsTest, TenantAdminsOwnTenantOperatorsAny) {
  struct Case {
    std::string name;
    Principal caller;
    std::string settings_name;
    absl::StatusCode code;
  };
  const std::vector<Case> cases = {
      {"admin, own, implicit", Admin(), "", absl::StatusCode::kOk},
      {"admin, own, named", Admin(), "tenants/shop-a/settings",
       absl::StatusCode::kOk},
      {"admin, other tenant", Admin(), "tenants/shop-b/settings",
       absl::StatusCode::kNotFound},
      {"read-only key",
       Key("shop-a", core::kRoleRead | core::kRoleIngest), "",
       absl::StatusCode::kPermissionDenied},
      {"operator, any tenant", Operator(), "tenants/shop-b/settings",
       absl::StatusCode::kOk},
      {"operator, no name", Operator(), "", absl::StatusCode::kInvalidArgument},
      {"operator, unknown tenant", Operator(), "tenants/nope/settings",
       absl::StatusCode::kNotFound},
      {"malformed name", Admin(), "shop-a/settings",
       absl::StatusCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    opinia::v1::GetTenantSettingsRequest get;
    get.set_name(c.settings_name);
    EXPECT_EQ(settings_.Get(c.caller, get).status().code(), c.code)
        << "Get: " << c.name;
    TenantSettings in;
    in.set_name(c.settings_name);
    in.set_volume_spike_k(4);
    EXPECT_EQ(Update(in, {"volume_spike_k"}, c.caller).status().code(), c.code)
        << "Update: " << c.name;
  }
  EXPECT_EQ(GetOk("shop-b").volume_spike_k(), 4.0);  // by the operator
}

TEST_F(TenantSettingsTest, IngestTakesRespondByFromTheTenantPolicy) {
  // The counting analyzer ranks rating 1 as P2.
  const absl::Time t0 = clock_.Now();
  auto first = Ingest({Input("1", 1)});
  auto other = Ingest({Input("1", 1)}, "shop-b");
  EXPECT_EQ(RespondBy(first[0]), t0 + absl::Hours(4));

  TenantSettings in;
  SetDuration(absl::Minutes(90), in.mutable_sla_policy()->mutable_p2());
  ASSERT_TRUE(Update(in, {"sla_policy.p2"}).ok());
  clock_.Advance(absl::Minutes(1));
  const absl::Time t1 = clock_.Now();
  auto second = Ingest({Input("2", 1)});
  EXPECT_EQ(RespondBy(second[0]), t1 + absl::Minutes(90));
  // Stored deadlines stay; other tenants keep their policy.
  EXPECT_EQ(RespondBy(first[0]), t0 + absl::Hours(4));
  EXPECT_EQ(Ingest({Input("2", 1)}, "shop-b").size(), 1u);
  EXPECT_EQ(RespondBy(other[0], "shop-b"), t0 + absl::Hours(4));

  // A person's priority gets its deadline from the same policy.
  TenantSettings p1;
  SetDuration(absl::Minutes(20), p1.mutable_sla_policy()->mutable_p1());
  ASSERT_TRUE(Update(p1, {"sla_policy.p1"}).ok());
  opinia::v1::UpdateReviewRequest override_p1;
  override_p1.mutable_review()->set_name(second[0]);
  override_p1.mutable_review()
      ->mutable_override()
      ->mutable_urgency()
      ->set_priority(opinia::v1::P1);
  override_p1.mutable_update_mask()->add_paths("override.urgency.priority");
  ASSERT_TRUE(reviews_.Update(testing::Caller("shop-a", "k1"), override_p1).ok());
  EXPECT_EQ(RespondBy(second[0]), t1 + absl::Minutes(20));
}

}  // namespace
}  // namespace opinia::core
