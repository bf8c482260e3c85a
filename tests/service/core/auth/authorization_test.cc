// Who may call what, at the core entry points: every row of the
// authorization table, called through the entry point that serves it, with
// keys of each role and kind, against a real SQLite store. The gRPC-level
// check of the same rules is tests/integration/roles_test.cc.
#include "service/core/auth/authorization.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/core/tenants/admin.h"
#include "service/core/alerts/alerts.h"
#include "service/core/ingest/analyze.h"
#include "service/core/collectors/collectors.h"
#include "service/core/collectors/fetcher.h"
#include "service/core/collectors/removal.h"
#include "service/core/collectors/syncer.h"
#include "service/core/ingest/ingest.h"
#include "service/core/insights/insights.h"
#include "service/core/reviews/reviews.h"
#include "service/core/tenants/tenant_settings.h"
#include "service/core/alerts/webhooks.h"
#include "tests/service/core/test_env.h"
#include "tests/service/core/two_shops_test.h"

namespace opinia::core {
namespace {

using testing::TestEpoch;

constexpr uint32_t kAllRoles = kRoleIngest | kRoleRead | kRoleRespond |
                               kRoleAdmin;

struct Key {
  const char* name;
  Principal principal;
};

// Tenant keys with no role, one role each and all roles; operator keys.
std::vector<Key> Keys() {
  return {
      {"tenant key without roles", {"k0", "shop-a", 0}},
      {"tenant ingest key", {"k1", "shop-a", kRoleIngest}},
      {"tenant read key", {"k2", "shop-a", kRoleRead}},
      {"tenant respond key", {"k3", "shop-a", kRoleRespond}},
      {"tenant admin key", {"k4", "shop-a", kRoleAdmin}},
      {"tenant key with every role", {"k5", "shop-a", kAllRoles}},
      {"operator key", {"k6", "", kRoleAdmin}},
      {"operator key with every role", {"k7", "", kAllRoles}},
  };
}

// What the table promises, restated: the role, then the kind of key.
bool Admits(const Rule& rule, const Principal& key) {
  if ((key.roles & rule.role) == 0) return false;
  switch (rule.keys) {
    case Keys::kTenant:
      return !key.is_operator();
    case Keys::kOperator:
      return key.is_operator();
    case Keys::kAny:
      return true;
  }
  return false;
}

class NoSleep final : public collectors::Sleeper {
 public:
  void Sleep(absl::Duration) override {}
};

class AuthorizationTest : public testing::TwoShopsTest {
 protected:
  using Call = std::function<absl::Status(const Principal&)>;

  // The entry point serving each action, called with an empty request: what
  // it answers past authorization does not matter here.
  std::map<Action, Call> Calls() {
    auto st = [](const auto& result) { return result.status(); };
    return {
        {Action::kIngestReviews,
         [&](const Principal& p) { return st(ingestor_.Open(p)); }},
        {Action::kGetReview,
         [&](const Principal& p) { return st(reviews_.Get(p, "")); }},
        {Action::kListReviews,
         [&](const Principal& p) { return st(reviews_.List(p, {})); }},
        {Action::kUpdateReview,
         [&](const Principal& p) { return st(reviews_.Update(p, {})); }},
        {Action::kDeleteReview,
         [&](const Principal& p) { return st(reviews_.Delete(p, "")); }},
        {Action::kAnalyzeText,
         [&](const Principal& p) {
           return st(analysis_.AnalyzeText(p, {}, 1000, TestEpoch()));
         }},
        {Action::kRecordResponse,
         [&](const Principal& p) {
           return st(reviews_.RecordResponse(p, {}));
         }},
        {Action::kDeleteResponse,
         [&](const Principal& p) {
           return st(reviews_.DeleteResponse(p, ""));
         }},
        {Action::kRequestReviewRemoval,
         [&](const Principal& p) { return st(removals_.Request(p, {})); }},
        {Action::kGetReputationSummary,
         [&](const Principal& p) { return st(insights_.Summary(p, {})); }},
        {Action::kGetTrends,
         [&](const Principal& p) { return st(insights_.Trends(p, {})); }},
        {Action::kListAspectInsights,
         [&](const Principal& p) {
           return st(insights_.AspectInsights(p, {}));
         }},
        {Action::kStreamAlerts,
         [&](const Principal& p) {
           if (auto s = st(alerts_.StreamStart(p, {})); !s.ok()) return s;
           return st(alerts_.ReadOutbox(p, 0, {}, 10));
         }},
        {Action::kListAlerts,
         [&](const Principal& p) { return st(alerts_.List(p, {})); }},
        {Action::kGetAlert,
         [&](const Principal& p) { return st(alerts_.Get(p, "")); }},
        {Action::kAcknowledgeAlert,
         [&](const Principal& p) { return st(alerts_.Acknowledge(p, "")); }},
        {Action::kResolveAlert,
         [&](const Principal& p) { return st(alerts_.Resolve(p, "")); }},
        {Action::kSnoozeAlert,
         [&](const Principal& p) { return st(alerts_.Snooze(p, {})); }},
        {Action::kCreateAlertRule,
         [&](const Principal& p) { return st(alerts_.CreateRule(p, {})); }},
        {Action::kGetAlertRule,
         [&](const Principal& p) { return st(alerts_.GetRule(p, "")); }},
        {Action::kListAlertRules,
         [&](const Principal& p) { return st(alerts_.ListRules(p, {})); }},
        {Action::kUpdateAlertRule,
         [&](const Principal& p) { return st(alerts_.UpdateRule(p, {})); }},
        {Action::kDeleteAlertRule,
         [&](const Principal& p) { return alerts_.DeleteRule(p, ""); }},
        {Action::kCreateWebhook,
         [&](const Principal& p) { return st(webhooks_.Create(p, {})); }},
        {Action::kListWebhooks,
         [&](const Principal& p) { return st(webhooks_.List(p, {})); }},
        {Action::kDeleteWebhook,
         [&](const Principal& p) { return st(webhooks_.Delete(p, {})); }},
        {Action::kCreateCollector,
         [&](const Principal& p) { return st(collectors_.Create(p, {})); }},
        {Action::kGetCollector,
         [&](const Principal& p) { return st(collectors_.Get(p, {})); }},
        {Action::kListCollectors,
         [&](const Principal& p) { return st(collectors_.List(p, {})); }},
        {Action::kUpdateCollector,
         [&](const Principal& p) { return st(collectors_.Update(p, {})); }},
        {Action::kDeleteCollector,
         [&](const Principal& p) { return collectors_.Delete(p, {}); }},
        {Action::kRunCollector,
         [&](const Principal& p) { return st(collectors_.Run(p, {})); }},
        {Action::kCreateTenant,
         [&](const Principal& p) { return st(admin_.CreateTenant(p, {})); }},
        {Action::kListTenants,
         [&](const Principal& p) { return st(admin_.ListTenants(p, {})); }},
        {Action::kCreateApiKey,
         [&](const Principal& p) { return st(admin_.CreateApiKey(p, {})); }},
        {Action::kListApiKeys,
         [&](const Principal& p) { return st(admin_.ListApiKeys(p, {})); }},
        {Action::kRevokeApiKey,
         [&](const Principal& p) { return st(admin_.RevokeApiKey(p, {})); }},
        {Action::kRescoreReviews,
         [&](const Principal& p) { return st(ingestor_.Rescore(p, {})); }},
        {Action::kGetTenantSettings,
         [&](const Principal& p) { return st(settings_.Get(p, {})); }},
        {Action::kUpdateTenantSettings,
         [&](const Principal& p) { return st(settings_.Update(p, {})); }},
        {Action::kGetCallerApiKey,
         [&](const Principal& p) { return st(admin_.GetCallerApiKey(p, {})); }},
    };
  }

  Alerts alerts_{store_.get(), &clock_};
  Insights insights_{store_.get(), &clock_};
  Admin admin_{store_.get(), &clock_};
  Settings settings_{store_.get(), &clock_};
  OutboundPolicy outbound_;
  Webhooks webhooks_{store_.get(), &clock_, &outbound_};
  NoSleep sleeper_;
  // No HTTP client: no call here gets as far as fetching.
  collectors::Fetcher fetcher_{nullptr, &sleeper_, &clock_, {}};
  collectors::Syncer syncer_{store_.get(), &ingestor_, &reviews_, &fetcher_};
  // Nothing is sent: an empty request stops at its message.
  collectors::ReviewRemovals removals_{store_.get(), &reviews_, nullptr,
                                       &clock_};
  collectors::Collectors collectors_{store_.get(), &syncer_, &clock_,
                                     &outbound_};
};

TEST_F(AuthorizationTest, EveryEntryPointEnforcesItsRow) {
  const std::map<Action, Call> calls = Calls();
  EXPECT_EQ(calls.size(), AuthorizationTable().size());
  for (const Rule& rule : AuthorizationTable()) {
    auto call = calls.find(rule.action);
    ASSERT_NE(call, calls.end()) << rule.name << ": no entry point called";
    for (const Key& key : Keys()) {
      const absl::Status got = call->second(key.principal);
      if (Admits(rule, key.principal)) {
        EXPECT_FALSE(absl::IsPermissionDenied(got))
            << rule.name << ", " << key.name << ": " << got;
      } else {
        // Denied before anything else is looked at, with the table's reason.
        EXPECT_EQ(got, Authorize(key.principal, rule.action))
            << rule.name << ", " << key.name;
        EXPECT_TRUE(absl::IsPermissionDenied(got))
            << rule.name << ", " << key.name << ": " << got;
      }
    }
  }
}

TEST(AuthorizeTest, Reasons) {
  const Principal reader{"k1", "shop", kRoleRead};
  const Principal tenant_admin{"k2", "shop", kRoleAdmin};
  const Principal op{"k3", "", kRoleAdmin};
  struct Case {
    const char* name;
    const Principal* who;
    Action action;
    const char* denial;  // nullptr: allowed
  } cases[] = {
      {"reader reads", &reader, Action::kGetReview, nullptr},
      {"reader ingests", &reader, Action::kIngestReviews,
       "this key lacks the ingest role"},
      {"reader lists keys", &reader, Action::kListApiKeys,
       "this key lacks the admin role"},
      {"operator lists keys", &op, Action::kListApiKeys, nullptr},
      {"operator reads reviews", &op, Action::kGetReview,
       "operator keys manage tenants and keys only; use a tenant key"},
      {"operator manages webhooks", &op, Action::kCreateWebhook,
       "operator keys manage tenants and keys only; use a tenant key"},
      {"operator creates a tenant", &op, Action::kCreateTenant, nullptr},
      {"tenant admin creates a tenant", &tenant_admin, Action::kCreateTenant,
       "only operator keys create tenants"},
      {"reader creates a tenant", &reader, Action::kCreateTenant,
       "this key lacks the admin role"},
  };
  for (const Case& c : cases) {
    const absl::Status s = Authorize(*c.who, c.action);
    if (c.denial == nullptr) {
      EXPECT_TRUE(s.ok()) << c.name << ": " << s;
    } else {
      EXPECT_EQ(s, absl::PermissionDeniedError(c.denial)) << c.name;
    }
  }
}

}  // namespace
}  // namespace opinia::core
