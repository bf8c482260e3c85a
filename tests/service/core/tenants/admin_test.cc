#include "service/core/tenants/admin.h"

#include <memory>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "tests/service/core/test_env.h"

namespace opinia::core {
namespace {

using opinia::v1::Role;
using testing::OpenTestStore;
using testing::TestEpoch;

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto secret = BootstrapOperatorKey(store_.get(), &clock_);
    ASSERT_TRUE(secret.ok() && secret->has_value());
    auto op = auth_.Authenticate(**secret);
    ASSERT_TRUE(op.ok());
    op_ = *op;
  }

  absl::StatusOr<opinia::v1::Tenant> NewTenant(const std::string& id,
                                               const std::string& tz = "") {
    opinia::v1::CreateTenantRequest r;
    r.set_tenant_id(id);
    r.mutable_tenant()->set_display_name("Shop " + id);
    r.mutable_tenant()->set_time_zone(tz);
    return admin_.CreateTenant(op_, r);
  }

  // A key of `tenant` ("" = operator) with `roles`, authenticated.
  Principal NewKey(const std::string& tenant, std::initializer_list<Role> roles,
                   const Principal* as = nullptr) {
    opinia::v1::CreateApiKeyRequest r;
    r.mutable_api_key()->set_tenant(tenant);
    for (Role role : roles) r.mutable_api_key()->add_roles(role);
    auto created = admin_.CreateApiKey(as ? *as : op_, r);
    EXPECT_TRUE(created.ok()) << created.status();
    auto p = auth_.Authenticate(created.ok() ? created->secret() : "");
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *p : Principal{};
  }

  std::unique_ptr<storage::Store> store_ = OpenTestStore();
  FakeClock clock_{TestEpoch()};
  Authenticator auth_{store_.get()};
  Admin admin_{store_.get(), &clock_};
  Principal op_;
};

TEST_F(AdminTest, CreateTenantDefaultsAndValidation) {
  auto generated = NewTenant("");
  ASSERT_TRUE(generated.ok()) << generated.status();
  EXPECT_EQ(generated->name().rfind("tenants/", 0), 0u);
  EXPECT_EQ(generated->time_zone(), "Europe/Warsaw");
  EXPECT_EQ(generated->create_time().seconds(), absl::ToUnixSeconds(TestEpoch()));

  auto named = NewTenant("shop-a", "America/New_York");
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(named->name(), "tenants/shop-a");
  EXPECT_EQ(named->time_zone(), "America/New_York");

  struct Case {
    std::string id, tz;
    absl::StatusCode code;
    std::string field;
  } cases[] = {
      {"shop-a", "", absl::StatusCode::kAlreadyExists, "tenant_id"},
      {"Shop", "", absl::StatusCode::kInvalidArgument, "tenant_id"},
      {"1shop", "", absl::StatusCode::kInvalidArgument, "tenant_id"},
      {"shop-", "", absl::StatusCode::kInvalidArgument, "tenant_id"},
      {"shop/x", "", absl::StatusCode::kInvalidArgument, "tenant_id"},
      {"shop-b", "Mars/Olympus", absl::StatusCode::kInvalidArgument,
       "tenant.time_zone"},
  };
  for (const auto& c : cases) {
    auto t = NewTenant(c.id, c.tz);
    EXPECT_EQ(t.status().code(), c.code) << c.id << " " << c.tz;
    EXPECT_NE(t.status().message().find(c.field), std::string::npos)
        << t.status();
  }
}

TEST_F(AdminTest, OnlyOperatorsCreateTenants) {
  ASSERT_TRUE(NewTenant("shop-a").ok());
  Principal tenant_admin = NewKey("tenants/shop-a", {opinia::v1::ROLE_ADMIN});
  opinia::v1::CreateTenantRequest r;
  EXPECT_EQ(admin_.CreateTenant(tenant_admin, r).status().code(),
            absl::StatusCode::kPermissionDenied);
  Principal reader = NewKey("tenants/shop-a", {opinia::v1::ROLE_READ});
  EXPECT_EQ(admin_.CreateTenant(reader, r).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(AdminTest, TenantAdminManagesOnlyItsOwnKeys) {
  ASSERT_TRUE(NewTenant("shop-a").ok());
  ASSERT_TRUE(NewTenant("shop-b").ok());
  Principal a_admin = NewKey("tenants/shop-a", {opinia::v1::ROLE_ADMIN});
  Principal b_reader = NewKey("tenants/shop-b", {opinia::v1::ROLE_READ});

  // Own tenant (explicit or implicit): fine.
  Principal a_reader =
      NewKey("tenants/shop-a", {opinia::v1::ROLE_READ}, &a_admin);
  EXPECT_EQ(a_reader.tenant_id, "shop-a");
  Principal implicit = NewKey("", {opinia::v1::ROLE_INGEST}, &a_admin);
  EXPECT_EQ(implicit.tenant_id, "shop-a");

  // Another tenant: NOT_FOUND, never PERMISSION_DENIED.
  opinia::v1::CreateApiKeyRequest other;
  other.mutable_api_key()->set_tenant("tenants/shop-b");
  other.mutable_api_key()->add_roles(opinia::v1::ROLE_READ);
  EXPECT_EQ(admin_.CreateApiKey(a_admin, other).status().code(),
            absl::StatusCode::kNotFound);
  opinia::v1::RevokeApiKeyRequest revoke;
  revoke.set_name("apiKeys/" + b_reader.key_id);
  EXPECT_EQ(admin_.RevokeApiKey(a_admin, revoke).status().code(),
            absl::StatusCode::kNotFound);
  opinia::v1::ListApiKeysRequest list_other;
  list_other.set_tenant("tenants/shop-b");
  EXPECT_EQ(admin_.ListApiKeys(a_admin, list_other).status().code(),
            absl::StatusCode::kNotFound);

  // Own list holds exactly shop-a's keys.
  auto own = admin_.ListApiKeys(a_admin, {});
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->api_keys_size(), 3);
  for (const auto& k : own->api_keys()) EXPECT_EQ(k.tenant(), "tenants/shop-a");

  auto tenants = admin_.ListTenants(a_admin, {});
  ASSERT_TRUE(tenants.ok());
  ASSERT_EQ(tenants->tenants_size(), 1);
  EXPECT_EQ(tenants->tenants(0).name(), "tenants/shop-a");
}

TEST_F(AdminTest, CreateApiKeyValidation) {
  ASSERT_TRUE(NewTenant("shop-a").ok());
  struct Case {
    const char* name;
    std::string tenant;
    std::vector<int> roles;
    absl::StatusCode code;
  } cases[] = {
      {"no roles", "tenants/shop-a", {}, absl::StatusCode::kInvalidArgument},
      {"unknown role", "tenants/shop-a", {9}, absl::StatusCode::kInvalidArgument},
      {"operator with read", "", {opinia::v1::ROLE_READ},
       absl::StatusCode::kInvalidArgument},
      {"unknown tenant", "tenants/nope", {opinia::v1::ROLE_READ},
       absl::StatusCode::kNotFound},
      {"malformed tenant", "shops/x", {opinia::v1::ROLE_READ},
       absl::StatusCode::kInvalidArgument},
      {"ok", "tenants/shop-a", {opinia::v1::ROLE_READ, opinia::v1::ROLE_INGEST},
       absl::StatusCode::kOk},
  };
  for (const auto& c : cases) {
    opinia::v1::CreateApiKeyRequest r;
    r.mutable_api_key()->set_tenant(c.tenant);
    for (int role : c.roles) {
      r.mutable_api_key()->add_roles(static_cast<Role>(role));
    }
    auto k = admin_.CreateApiKey(op_, r);
    EXPECT_EQ(k.status().code(), c.code) << c.name << ": " << k.status();
    if (k.ok()) {
      EXPECT_EQ(k->api_key().roles_size(), 2) << c.name;
      EXPECT_FALSE(k->secret().empty());
    }
  }
}

TEST_F(AdminTest, ListPagesWithoutGapsAndRejectsForeignTokens) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(NewTenant("shop-" + std::to_string(i)).ok());
  }
  std::set<std::string> seen;
  opinia::v1::ListTenantsRequest r;
  r.set_page_size(3);
  int pages = 0;
  do {
    auto page = admin_.ListTenants(op_, r);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& t : page->tenants()) {
      EXPECT_TRUE(seen.insert(t.name()).second) << "repeat " << t.name();
    }
    r.set_page_token(page->next_page_token());
    ++pages;
  } while (!r.page_token().empty() && pages < 10);
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(pages, 3);

  for (const char* token : {"garbage!!", "AAAA", "x"}) {
    r.set_page_token(token);
    auto bad = admin_.ListTenants(op_, r);
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << token;
    EXPECT_NE(bad.status().message().find("page_token"), std::string::npos);
  }
  // A token of the key listing is not a tenant listing token.
  opinia::v1::ListApiKeysRequest keys;
  keys.set_page_size(1);
  ASSERT_TRUE(NewKey("tenants/shop-1", {opinia::v1::ROLE_READ}).key_id.size());
  auto key_page = admin_.ListApiKeys(op_, keys);
  ASSERT_TRUE(key_page.ok());
  ASSERT_FALSE(key_page->next_page_token().empty());
  r.set_page_token(key_page->next_page_token());
  EXPECT_EQ(admin_.ListTenants(op_, r).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace opinia::core
