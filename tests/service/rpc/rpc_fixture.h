// An in-process opinia server (the real App wiring: SQLite in a temp dir,
// port 0, no models; a fake clock if a subclass sets one) with stubs and
// keys for two tenants.
#ifndef OPINIA_TESTS_SERVICE_RPC_RPC_FIXTURE_H_
#define OPINIA_TESTS_SERVICE_RPC_RPC_FIXTURE_H_

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "opinia/v1/admin.grpc.pb.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "opinia/v1/collectors.grpc.pb.h"
#include "opinia/v1/insights.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "service/core/util/clock.h"
#include "service/core/util/crypto.h"
#include "service/server/app.h"

namespace opinia::rpc::testing {

class RpcTest : public ::testing::Test {
 protected:
  // Roles of the per-tenant keys made in SetUp.
  struct TenantKeys {
    std::string tenant;  // "tenants/..."
    std::string all, ingest, read, respond, admin;
  };

  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/opinia-rpc-",
                        core::NewResourceId('d', 12));
    server::Options o;
    o.listen = "127.0.0.1:0";
    o.db = dir_ + "/db/opinia.db";
    o.bootstrap_key_file = dir_ + "/admin.key";
    o.models_dir = dir_ + "/no-models";
    o.max_message_bytes = 1 << 20;
    o.workers = 4;
    o.clock = server_clock_;
    // Collectors and webhooks of these tests call loopback HTTP servers.
    o.outbound_allow = "127.0.0.0/8,::1/128";
    auto app = server::App::Start(o);
    ASSERT_TRUE(app.ok()) << app.status();
    app_ = *std::move(app);
    channel_ = grpc::CreateChannel(app_->address(),
                                   grpc::InsecureChannelCredentials());
    reviews_ = opinia::v1::ReviewService::NewStub(channel_);
    admin_ = opinia::v1::AdminService::NewStub(channel_);
    std::ifstream key(o.bootstrap_key_file);
    std::getline(key, operator_key_);
    ASSERT_FALSE(operator_key_.empty());
    a_ = MakeTenant("shop-a");
    b_ = MakeTenant("shop-b");
  }

  void TearDown() override {
    if (app_) app_->Shutdown(absl::Seconds(5));
    std::filesystem::remove_all(dir_);
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

  std::string dir_;
  // Set by a subclass's constructor to run the server on a fake clock.
  const core::Clock* server_clock_ = nullptr;
  std::unique_ptr<server::App> app_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<opinia::v1::ReviewService::Stub> reviews_;
  std::unique_ptr<opinia::v1::AdminService::Stub> admin_;
  std::string operator_key_;
  TenantKeys a_, b_;
};

}  // namespace opinia::rpc::testing

#endif  // OPINIA_TESTS_SERVICE_RPC_RPC_FIXTURE_H_
