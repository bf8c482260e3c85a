// An in-process opinia server (AppTest: the real App wiring, SQLite in a
// temp dir, port 0; no models) with keys for two tenants.
#ifndef OPINIA_TESTS_SERVICE_RPC_RPC_FIXTURE_H_
#define OPINIA_TESTS_SERVICE_RPC_RPC_FIXTURE_H_

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>

#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/service/app_test.h"

namespace opinia::rpc::testing {

class RpcTest : public service_testing::AppTest {
 protected:
  // Roles of the per-tenant keys made in SetUp.
  struct TenantKeys {
    std::string tenant;  // "tenants/..."
    std::string all, ingest, read, respond, admin;
  };

  RpcTest() : AppTest("rpc") {}

  void SetUp() override {
    server::Options o = AppOptions();
    o.models_dir = dir_ + "/no-models";
    o.max_message_bytes = 1 << 20;
    o.workers = 4;
    // Collectors and webhooks of these tests call loopback HTTP servers.
    o.outbound_allow = "127.0.0.0/8,::1/128";
    ASSERT_NO_FATAL_FAILURE(StartApp(o));
    ASSERT_NO_FATAL_FAILURE(ReadOperatorKey());
    a_ = MakeTenant("shop-a");
    b_ = MakeTenant("shop-b");
  }

  // A context carrying `key` ("" = no authorization metadata).
  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& key) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!key.empty()) ctx->AddMetadata("authorization", "Bearer " + key);
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(30));
    return ctx;
  }

  std::string MakeKey(const std::string& tenant,
                      std::initializer_list<opinia::v1::Role> roles,
                      std::string* name = nullptr) {
    opinia::v1::CreateApiKeyRequest r;
    r.mutable_api_key()->set_tenant(tenant);
    for (auto role : roles) r.mutable_api_key()->add_roles(role);
    opinia::v1::CreateApiKeyResponse out;
    grpc::Status s = admin_->CreateApiKey(Ctx(operator_key_).get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (name) *name = out.api_key().name();
    return out.secret();
  }

  TenantKeys MakeTenant(const std::string& id) {
    opinia::v1::CreateTenantRequest r;
    r.set_tenant_id(id);
    r.mutable_tenant()->set_display_name(id);
    opinia::v1::Tenant t;
    grpc::Status s = admin_->CreateTenant(Ctx(operator_key_).get(), r, &t);
    EXPECT_TRUE(s.ok()) << s.error_message();
    TenantKeys k;
    k.tenant = t.name();
    using opinia::v1::ROLE_ADMIN;
    using opinia::v1::ROLE_INGEST;
    using opinia::v1::ROLE_READ;
    using opinia::v1::ROLE_RESPOND;
    k.all = MakeKey(k.tenant, {ROLE_INGEST, ROLE_READ, ROLE_RESPOND, ROLE_ADMIN});
    k.ingest = MakeKey(k.tenant, {ROLE_INGEST});
    k.read = MakeKey(k.tenant, {ROLE_READ});
    k.respond = MakeKey(k.tenant, {ROLE_RESPOND});
    k.admin = MakeKey(k.tenant, {ROLE_ADMIN});
    return k;
  }

  static opinia::v1::ReviewInput Input(const std::string& id,
                                       const std::string& text = "ok",
                                       int rating = 5) {
    opinia::v1::ReviewInput in;
    in.set_source("allegro");
    in.set_external_id(id);
    in.set_rating(rating);
    in.set_text(text);
    return in;
  }

  // Ingests one review with `key`; returns its name.
  std::string IngestOne(const std::string& key, const std::string& id) {
    opinia::v1::IngestReviewsRequest r;
    *r.add_reviews() = Input(id);
    opinia::v1::IngestReviewsResponse out;
    grpc::Status s = reviews_->IngestReviews(Ctx(key).get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.results_size() ? out.results(0).name() : "";
  }

  TenantKeys a_, b_;
};

}  // namespace opinia::rpc::testing

#endif  // OPINIA_TESTS_SERVICE_RPC_RPC_FIXTURE_H_
