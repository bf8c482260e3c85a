// KeyWatch against a real SQLite store: stream limits per key and tenant,
// and ending streams whose key no longer admits them.
#include "service/core/auth/key_watch.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "service/core/tenants/admin.h"
#include "service/core/util/names.h"
#include "tests/service/core/test_env.h"

namespace opinia::core {
namespace {

using testing::InsertTwoShops;
using testing::OpenTestStore;
using testing::TestEpoch;

// Records what KeyWatch told it.
class FakeStream : public KeyWatch::Stream {
 public:
  void Revoked(const absl::Status& why) override {
    ++calls;
    status = why;
    revoked.Notify();
  }
  int calls = 0;
  absl::Status status;
  absl::Notification revoked;
};

class KeyWatchTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InsertTwoShops(*store_).ok()); }

  // A key of `tenant` holding `roles`, authenticated.
  Principal NewKey(const std::string& tenant,
                   std::vector<opinia::v1::Role> roles) {
    opinia::v1::CreateApiKeyRequest create;
    create.mutable_api_key()->set_tenant("tenants/" + tenant);
    for (auto r : roles) create.mutable_api_key()->add_roles(r);
    auto key = admin_.CreateApiKey(operator_, create);
    EXPECT_TRUE(key.ok()) << key.status();
    auto principal = auth_.Authenticate(key->secret());
    EXPECT_TRUE(principal.ok()) << principal.status();
    return *principal;
  }

  void Revoke(const Principal& key) {
    opinia::v1::RevokeApiKeyRequest revoke;
    revoke.set_name(ApiKeyName(key.key_id));
    ASSERT_TRUE(admin_.RevokeApiKey(operator_, revoke).ok());
  }

  std::unique_ptr<storage::Store> store_ = OpenTestStore();
  FakeClock clock_{TestEpoch()};
  Authenticator auth_{store_.get()};
  KeyWatch watch_{&auth_, KeyWatch::Limits{2, 3}};
  Admin admin_{store_.get(), &clock_, &watch_};
  const Principal operator_{"op", "", kRoleAdmin};
};

TEST_F(KeyWatchTest, LimitsStreamsPerKeyAndPerTenant) {
  const Principal a1 = NewKey("shop-a", {opinia::v1::ROLE_READ});
  const Principal a2 = NewKey("shop-a", {opinia::v1::ROLE_READ});
  const Principal b = NewKey("shop-b", {opinia::v1::ROLE_READ});
  FakeStream s[6];
  auto t0 = watch_.Add(a1, Action::kStreamAlerts, &s[0]);
  auto t1 = watch_.Add(a1, Action::kStreamAlerts, &s[1]);
  ASSERT_TRUE(t0.ok() && t1.ok());
  auto over_key = watch_.Add(a1, Action::kStreamAlerts, &s[2]);
  EXPECT_EQ(over_key.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(over_key.status().message().find("--max-streams-per-key"),
            std::string::npos)
      << over_key.status();
  auto t3 = watch_.Add(a2, Action::kStreamAlerts, &s[3]);
  ASSERT_TRUE(t3.ok());
  auto over_tenant = watch_.Add(a2, Action::kStreamAlerts, &s[4]);
  EXPECT_EQ(over_tenant.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(over_tenant.status().message().find("--max-streams-per-tenant"),
            std::string::npos)
      << over_tenant.status();
  // Another tenant has its own count.
  EXPECT_TRUE(watch_.Add(b, Action::kStreamAlerts, &s[5]).ok());
  EXPECT_EQ(watch_.size(), 4);

  // A stream that ends frees its place; removing twice changes nothing.
  watch_.Remove(*t0);
  watch_.Remove(*t0);
  EXPECT_EQ(watch_.size(), 3);
  EXPECT_TRUE(watch_.Add(a1, Action::kStreamAlerts, &s[2]).ok());
}

TEST_F(KeyWatchTest, RevokeApiKeyEndsTheKeysStreamsOnly) {
  const Principal a1 = NewKey("shop-a", {opinia::v1::ROLE_READ});
  const Principal a2 = NewKey("shop-a", {opinia::v1::ROLE_READ});
  FakeStream mine, other;
  ASSERT_TRUE(watch_.Add(a1, Action::kStreamAlerts, &mine).ok());
  ASSERT_TRUE(watch_.Add(a2, Action::kStreamAlerts, &other).ok());
  Revoke(a1);
  // Told before RevokeApiKey returned, once.
  EXPECT_EQ(mine.calls, 1);
  EXPECT_EQ(mine.status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(other.calls, 0);
  watch_.Recheck(a1.key_id);
  EXPECT_EQ(mine.calls, 1);
}

TEST_F(KeyWatchTest, RecheckEndsStreamsWhoseActionTheKeyNoLongerHolds) {
  // The key holds read only, as after its ingest role was removed (no API
  // changes roles; integration tests change the database).
  const Principal key = NewKey("shop-a", {opinia::v1::ROLE_READ});
  Principal as_opened = key;
  as_opened.roles |= kRoleIngest;
  FakeStream alerts, ingest;
  ASSERT_TRUE(watch_.Add(key, Action::kStreamAlerts, &alerts).ok());
  ASSERT_TRUE(watch_.Add(as_opened, Action::kIngestReviews, &ingest).ok());
  watch_.Recheck(key.key_id);
  EXPECT_EQ(alerts.calls, 0);
  EXPECT_EQ(ingest.calls, 1);
  EXPECT_EQ(ingest.status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ingest.status.message(), "this key lacks the ingest role");
}

TEST_F(KeyWatchTest, RemovedStreamsAreNeverTold) {
  const Principal key = NewKey("shop-a", {opinia::v1::ROLE_READ});
  FakeStream s;
  auto ticket = watch_.Add(key, Action::kStreamAlerts, &s);
  ASSERT_TRUE(ticket.ok());
  watch_.Remove(*ticket);
  Revoke(key);
  EXPECT_EQ(s.calls, 0);
}

TEST_F(KeyWatchTest, ThePeriodicPassFindsChangesMadeElsewhere) {
  const Principal key = NewKey("shop-a", {opinia::v1::ROLE_READ});
  FakeStream s;
  ASSERT_TRUE(watch_.Add(key, Action::kStreamAlerts, &s).ok());
  watch_.Start(absl::Milliseconds(20));
  ASSERT_TRUE(store_
                  ->Write([&](storage::Txn& txn) {
                    return txn.RevokeApiKey(key.key_id);
                  })
                  .ok());
  EXPECT_TRUE(s.revoked.WaitForNotificationWithTimeout(absl::Seconds(10)));
  watch_.Stop();
  EXPECT_EQ(s.calls, 1);
  EXPECT_EQ(s.status.message(), "API key revoked");
}

}  // namespace
}  // namespace opinia::core
