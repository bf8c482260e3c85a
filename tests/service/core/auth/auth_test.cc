#include "service/core/auth/auth.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "service/core/tenants/admin.h"
#include "tests/service/core/test_env.h"

namespace opinia::core {
namespace {

using testing::OpenTestStore;
using testing::TestEpoch;

class AuthTest : public ::testing::Test {
 protected:
  std::unique_ptr<storage::Store> store_ = OpenTestStore();
  FakeClock clock_{TestEpoch()};
  Authenticator auth_{store_.get()};
  Admin admin_{store_.get(), &clock_};
};

TEST_F(AuthTest, BootstrapCreatesOneOperatorKeyOnlyOnEmptyTable) {
  auto first = BootstrapOperatorKey(store_.get(), &clock_);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->rfind("opk_", 0), 0u) << **first;
  EXPECT_GE((*first)->size(), 4u + 43u);

  auto second = BootstrapOperatorKey(store_.get(), &clock_);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(second->has_value());

  auto principal = auth_.Authenticate(**first);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_TRUE(principal->is_operator());
  EXPECT_EQ(principal->roles, core::kRoleAdmin);
}

TEST_F(AuthTest, SecretIsStoredOnlyAsSha256Hex) {
  auto secret = BootstrapOperatorKey(store_.get(), &clock_);
  ASSERT_TRUE(secret.ok() && secret->has_value());
  std::string stored;
  ASSERT_TRUE(store_
                  ->Read([&](storage::Txn& txn) -> absl::Status {
                    auto keys = txn.ListApiKeys(std::nullopt, "", 10);
                    if (!keys.ok()) return keys.status();
                    stored = keys->at(0).secret_hash;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(stored, Sha256Hex(**secret));
  EXPECT_EQ(stored.find(**secret), std::string::npos);
}

TEST_F(AuthTest, UnknownEmptyAndRevokedKeysAreUnauthenticated) {
  auto secret = BootstrapOperatorKey(store_.get(), &clock_);
  ASSERT_TRUE(secret.ok() && secret->has_value());
  auto op = auth_.Authenticate(**secret);
  ASSERT_TRUE(op.ok());

  struct Case {
    std::string name, secret;
  } cases[] = {{"empty", ""}, {"unknown", "opk_nope"}, {"garbage", "\xff\x00x"}};
  for (const auto& c : cases) {
    EXPECT_EQ(auth_.Authenticate(c.secret).status().code(),
              absl::StatusCode::kUnauthenticated)
        << c.name;
  }

  opinia::v1::CreateApiKeyRequest create;
  create.mutable_api_key()->add_roles(opinia::v1::ROLE_ADMIN);
  auto key = admin_.CreateApiKey(*op, create);
  ASSERT_TRUE(key.ok()) << key.status();
  ASSERT_TRUE(auth_.Authenticate(key->secret()).ok());
  opinia::v1::RevokeApiKeyRequest revoke;
  revoke.set_name(key->api_key().name());
  ASSERT_TRUE(admin_.RevokeApiKey(*op, revoke).ok());
  // Revocation takes effect on the very next call.
  EXPECT_EQ(auth_.Authenticate(key->secret()).status().code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace opinia::core
