#include <functional>
#include <string>

#include "gtest/gtest.h"
#include "tests/service/rpc/rpc_fixture.h"

namespace opinia::rpc {
namespace {

using grpc::StatusCode;

class AdminServiceTest : public testing::RpcTest {};

TEST_F(AdminServiceTest, RolesPerMethod) {
  struct Method {
    const char* name;
    std::function<grpc::Status(const std::string&)> call;
  } methods[] = {
      {"CreateTenant",
       [&](const std::string& key) {
         opinia::v1::Tenant out;
         return admin_->CreateTenant(Ctx(key).get(), {}, &out);
       }},
      {"ListTenants",
       [&](const std::string& key) {
         opinia::v1::ListTenantsResponse out;
         return admin_->ListTenants(Ctx(key).get(), {}, &out);
       }},
      {"CreateApiKey",
       [&](const std::string& key) {
         opinia::v1::CreateApiKeyRequest r;
         r.mutable_api_key()->add_roles(opinia::v1::ROLE_ADMIN);
         opinia::v1::CreateApiKeyResponse out;
         return admin_->CreateApiKey(Ctx(key).get(), r, &out);
       }},
      {"ListApiKeys",
       [&](const std::string& key) {
         opinia::v1::ListApiKeysResponse out;
         return admin_->ListApiKeys(Ctx(key).get(), {}, &out);
       }},
      {"RescoreReviews",
       [&](const std::string& key) {
         opinia::v1::RescoreReviewsResponse out;
         return admin_->RescoreReviews(Ctx(key).get(), {}, &out);
       }},
  };
  struct Key {
    const char* name;
    std::string secret;
    // Expected code per method, in the order above.
    StatusCode want[5];
  } keys[] = {
      {"operator", operator_key_,
       {StatusCode::OK, StatusCode::OK, StatusCode::OK, StatusCode::OK,
        // No models are loaded in this fixture: rescoring is refused.
        StatusCode::FAILED_PRECONDITION}},
      {"tenant admin", a_.admin,
       {StatusCode::PERMISSION_DENIED, StatusCode::OK, StatusCode::OK,
        StatusCode::OK, StatusCode::FAILED_PRECONDITION}},
      {"tenant reader", a_.read,
       {StatusCode::PERMISSION_DENIED, StatusCode::PERMISSION_DENIED,
        StatusCode::PERMISSION_DENIED, StatusCode::PERMISSION_DENIED,
        StatusCode::PERMISSION_DENIED}},
      {"no key", "",
       {StatusCode::UNAUTHENTICATED, StatusCode::UNAUTHENTICATED,
        StatusCode::UNAUTHENTICATED, StatusCode::UNAUTHENTICATED,
        StatusCode::UNAUTHENTICATED}},
  };
  for (const auto& key : keys) {
    for (int i = 0; i < 5; ++i) {
      grpc::Status s = methods[i].call(key.secret);
      EXPECT_EQ(s.error_code(), key.want[i])
          << key.name << " " << methods[i].name << ": " << s.error_message();
    }
  }
}

TEST_F(AdminServiceTest, KeysOfAnotherTenantAreNotFound) {
  std::string b_key_name;
  MakeKey(b_.tenant, {opinia::v1::ROLE_READ}, &b_key_name);
  opinia::v1::RevokeApiKeyRequest revoke;
  revoke.set_name(b_key_name);
  opinia::v1::ApiKey out;
  EXPECT_EQ(admin_->RevokeApiKey(Ctx(a_.admin).get(), revoke, &out).error_code(),
            StatusCode::NOT_FOUND);
  opinia::v1::ListApiKeysRequest list;
  list.set_tenant(b_.tenant);
  opinia::v1::ListApiKeysResponse keys;
  EXPECT_EQ(admin_->ListApiKeys(Ctx(a_.admin).get(), list, &keys).error_code(),
            StatusCode::NOT_FOUND);
  // The operator may.
  EXPECT_TRUE(admin_->ListApiKeys(Ctx(operator_key_).get(), list, &keys).ok());
  EXPECT_EQ(keys.api_keys_size(), 6);
  EXPECT_TRUE(admin_->RevokeApiKey(Ctx(operator_key_).get(), revoke, &out).ok());
}

// A server clock far from the real one, so a real-clock stamp shows.
class AdminServiceFakeClockTest : public testing::RpcTest {
 protected:
  AdminServiceFakeClockTest() { server_clock_ = &clock_; }
  core::FakeClock clock_{absl::FromUnixSeconds(1000000000)};
};

TEST_F(AdminServiceFakeClockTest, BootstrapKeyIsStampedByTheServerClock) {
  opinia::v1::ListApiKeysResponse keys;
  ASSERT_TRUE(admin_->ListApiKeys(Ctx(operator_key_).get(), {}, &keys).ok());
  int bootstrap_keys = 0;
  for (const opinia::v1::ApiKey& key : keys.api_keys()) {
    if (key.display_name() != "bootstrap operator key") continue;
    ++bootstrap_keys;
    EXPECT_EQ(key.create_time().seconds(), 1000000000);
  }
  EXPECT_EQ(bootstrap_keys, 1);
}

}  // namespace
}  // namespace opinia::rpc
