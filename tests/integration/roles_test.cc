// Role checks on every ReviewService and AdminService method: a table of
// key kind x method -> OK or PERMISSION_DENIED, and UNAUTHENTICATED for a
// missing, unknown or revoked key.
#include <algorithm>
#include <functional>
#include <map>

#include "gtest/gtest.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

using grpc::StatusCode;
using opinia::v1::Role;

// The kinds of caller of the table.
enum Who { kIngest, kRead, kRespond, kAdmin, kOperator, kWhoCount };
const char* const kWhoNames[] = {"ingest", "read", "respond", "admin",
                                 "operator"};

class RolesTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (!keys_.empty()) return;
    tenant_ = NewTenant("Roles shop");
    const Role roles[] = {opinia::v1::ROLE_INGEST, opinia::v1::ROLE_READ,
                          opinia::v1::ROLE_RESPOND, opinia::v1::ROLE_ADMIN};
    for (Role role : roles) {
      auto key = CreateKey(channel_, operator_key(), tenant_.tenant, {role});
      ASSERT_TRUE(key.ok()) << key.status();
      keys_.push_back(key->secret);
    }
    keys_.push_back(operator_key());
  }

  // A fresh review of the tenant, so mutating calls never collide.
  std::string FreshReview() {
    const int n = counter_++;
    auto r = Ingest(channel_, tenant_.key,
                    {MakeReview("roles-" + std::to_string(n), n)});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->results(0).name() : "reviews/missing";
  }
  std::string FreshKeyName() {
    auto k = CreateKey(channel_, operator_key(), tenant_.tenant,
                       {opinia::v1::ROLE_READ});
    EXPECT_TRUE(k.ok()) << k.status();
    return k.ok() ? k->name : "apiKeys/missing";
  }

  using Call = std::function<grpc::Status(const std::string& key)>;
  std::map<std::string, Call> Calls() {
    auto reviews = std::shared_ptr<opinia::v1::ReviewService::Stub>(
        opinia::v1::ReviewService::NewStub(channel_));
    auto admin = std::shared_ptr<opinia::v1::AdminService::Stub>(
        opinia::v1::AdminService::NewStub(channel_));
    std::map<std::string, Call> calls;
    calls["IngestReviews"] = [=](const std::string& key) {
      opinia::v1::IngestReviewsRequest request;
      *request.add_reviews() = MakeReview("roles-ingest", 1);
      opinia::v1::IngestReviewsResponse response;
      return reviews->IngestReviews(ContextWithKey(key).get(), request,
                                    &response);
    };
    calls["StreamIngestReviews"] = [=](const std::string& key) {
      auto context = ContextWithKey(key);
      opinia::v1::IngestSummary summary;
      auto writer = reviews->StreamIngestReviews(context.get(), &summary);
      writer->Write(MakeReview("roles-stream", 2));
      writer->WritesDone();
      return writer->Finish();
    };
    calls["GetReview"] = [=](const std::string& key) {
      opinia::v1::GetReviewRequest request;
      request.set_name(FreshReview());
      opinia::v1::Review response;
      return reviews->GetReview(ContextWithKey(key).get(), request, &response);
    };
    calls["ListReviews"] = [=](const std::string& key) {
      opinia::v1::ListReviewsRequest request;
      opinia::v1::ListReviewsResponse response;
      return reviews->ListReviews(ContextWithKey(key).get(), request,
                                  &response);
    };
    calls["UpdateReview"] = [=](const std::string& key) {
      opinia::v1::UpdateReviewRequest request;
      request.mutable_review()->set_name(FreshReview());
      request.mutable_review()->set_status(opinia::v1::ACKNOWLEDGED);
      request.mutable_update_mask()->add_paths("status");
      opinia::v1::Review response;
      return reviews->UpdateReview(ContextWithKey(key).get(), request,
                                   &response);
    };
    calls["DeleteReview"] = [=](const std::string& key) {
      opinia::v1::DeleteReviewRequest request;
      request.set_name(FreshReview());
      opinia::v1::Review response;
      return reviews->DeleteReview(ContextWithKey(key).get(), request,
                                   &response);
    };
    calls["AnalyzeText"] = [=](const std::string& key) {
      opinia::v1::AnalyzeTextRequest request;
      request.set_text("Paczka przyszła szybko, wszystko działa.");
      opinia::v1::Analysis response;
      return reviews->AnalyzeText(ContextWithKey(key).get(), request,
                                  &response);
    };
    calls["RecordResponse"] = [=](const std::string& key) {
      opinia::v1::RecordResponseRequest request;
      request.set_name(FreshReview());
      request.mutable_response()->set_text("Dziękujemy!");
      opinia::v1::Review response;
      return reviews->RecordResponse(ContextWithKey(key).get(), request,
                                     &response);
    };
    calls["RequestReviewRemoval"] = [=](const std::string& key) {
      opinia::v1::RequestReviewRemovalRequest request;
      request.set_name(FreshReview());
      request.set_message("Spam");
      opinia::v1::Review response;
      return reviews->RequestReviewRemoval(ContextWithKey(key).get(), request,
                                           &response);
    };
    calls["CreateTenant"] = [=](const std::string& key) {
      opinia::v1::CreateTenantRequest request;
      request.mutable_tenant()->set_display_name("Another shop");
      opinia::v1::Tenant response;
      return admin->CreateTenant(ContextWithKey(key).get(), request, &response);
    };
    calls["ListTenants"] = [=](const std::string& key) {
      opinia::v1::ListTenantsRequest request;
      opinia::v1::ListTenantsResponse response;
      return admin->ListTenants(ContextWithKey(key).get(), request, &response);
    };
    calls["CreateApiKey"] = [=](const std::string& key) {
      opinia::v1::CreateApiKeyRequest request;
      request.mutable_api_key()->set_tenant(tenant_.tenant);
      request.mutable_api_key()->add_roles(opinia::v1::ROLE_READ);
      opinia::v1::CreateApiKeyResponse response;
      return admin->CreateApiKey(ContextWithKey(key).get(), request, &response);
    };
    calls["ListApiKeys"] = [=](const std::string& key) {
      opinia::v1::ListApiKeysRequest request;
      opinia::v1::ListApiKeysResponse response;
      return admin->ListApiKeys(ContextWithKey(key).get(), request, &response);
    };
    calls["RevokeApiKey"] = [=](const std::string& key) {
      opinia::v1::RevokeApiKeyRequest request;
      request.set_name(FreshKeyName());
      opinia::v1::ApiKey response;
      return admin->RevokeApiKey(ContextWithKey(key).get(), request, &response);
    };
    calls["RescoreReviews"] = [=](const std::string& key) {
      opinia::v1::RescoreReviewsRequest request;
      opinia::v1::RescoreReviewsResponse response;
      return admin->RescoreReviews(ContextWithKey(key).get(), request,
                                   &response);
    };
    calls["GetTenantSettings"] = [=](const std::string& key) {
      opinia::v1::GetTenantSettingsRequest request;
      request.set_name(tenant_.tenant + "/settings");
      opinia::v1::TenantSettings response;
      return admin->GetTenantSettings(ContextWithKey(key).get(), request,
                                      &response);
    };
    calls["UpdateTenantSettings"] = [=](const std::string& key) {
      opinia::v1::UpdateTenantSettingsRequest request;
      request.mutable_settings()->set_name(tenant_.tenant + "/settings");
      request.mutable_settings()->set_volume_spike_k(3);
      request.mutable_update_mask()->add_paths("volume_spike_k");
      opinia::v1::TenantSettings response;
      return admin->UpdateTenantSettings(ContextWithKey(key).get(), request,
                                         &response);
    };
    calls["GetCallerApiKey"] = [=](const std::string& key) {
      opinia::v1::ApiKey response;
      return admin->GetCallerApiKey(ContextWithKey(key).get(), {}, &response);
    };
    return calls;
  }

  static inline TenantWithKey tenant_;
  static inline std::vector<std::string> keys_;  // by Who
  static inline int counter_ = 0;
};

// Who may call what. Roles do not imply each other (admin cannot read
// reviews); the operator key manages tenants and keys only.
struct Allowed {
  const char* method;
  std::vector<Who> who;
  // Past the role check, a call may still fail for reasons of state; only
  // this code is accepted in place of OK.
  StatusCode also_ok = StatusCode::OK;
};
const Allowed kTable[] = {
    {"IngestReviews", {kIngest}},
    {"StreamIngestReviews", {kIngest}},
    {"GetReview", {kRead}},
    {"ListReviews", {kRead}},
    {"UpdateReview", {kRespond}},
    {"DeleteReview", {kIngest}},
    {"AnalyzeText", {kRead}},
    {"RecordResponse", {kRespond}},
    // FAILED_PRECONDITION: a pushed review has no collector to send it by.
    {"RequestReviewRemoval", {kRespond}, StatusCode::FAILED_PRECONDITION},
    {"CreateTenant", {kOperator}},
    {"ListTenants", {kAdmin, kOperator}},
    {"CreateApiKey", {kAdmin, kOperator}},
    {"ListApiKeys", {kAdmin, kOperator}},
    {"RevokeApiKey", {kAdmin, kOperator}},
    // FAILED_PRECONDITION when the server runs without models.
    {"RescoreReviews", {kAdmin, kOperator}, StatusCode::FAILED_PRECONDITION},
    {"GetTenantSettings", {kAdmin, kOperator}},
    {"UpdateTenantSettings", {kAdmin, kOperator}},
    {"GetCallerApiKey", {kIngest, kRead, kRespond, kAdmin, kOperator}},
};

TEST_F(RolesTest, EveryRoleOnEveryMethod) {
  auto calls = Calls();
  ASSERT_EQ(calls.size(), std::size(kTable));
  for (const Allowed& row : kTable) {
    ASSERT_TRUE(calls.count(row.method)) << row.method;
    for (int who = 0; who < kWhoCount; ++who) {
      const bool allowed =
          std::find(row.who.begin(), row.who.end(), who) != row.who.end();
      grpc::Status status = calls[row.method](keys_[who]);
      StatusCode code = status.error_code();
      if (allowed && code == row.also_ok) code = StatusCode::OK;
      EXPECT_EQ(code, allowed ? StatusCode::OK : StatusCode::PERMISSION_DENIED)
          << row.method << " with the " << kWhoNames[who]
          << " key: " << status.error_message();
    }
  }
}

// Every key learns its own name, tenant and roles (what the dashboard shows
// as read-only), never its secret.
TEST_F(RolesTest, GetCallerApiKeyDescribesTheCallersOwnKey) {
  auto admin = opinia::v1::AdminService::NewStub(channel_);
  auto two_roles = CreateKey(channel_, operator_key(), tenant_.tenant,
                             {opinia::v1::ROLE_READ, opinia::v1::ROLE_RESPOND});
  ASSERT_TRUE(two_roles.ok()) << two_roles.status();
  opinia::v1::ApiKey key;
  grpc::Status s = admin->GetCallerApiKey(
      ContextWithKey(two_roles->secret).get(), {}, &key);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(key.name(), two_roles->name);
  EXPECT_EQ(key.tenant(), tenant_.tenant);
  ASSERT_EQ(key.roles_size(), 2);
  EXPECT_EQ(key.roles(0), opinia::v1::ROLE_READ);
  EXPECT_EQ(key.roles(1), opinia::v1::ROLE_RESPOND);
  EXPECT_FALSE(key.revoked());
  EXPECT_EQ(key.DebugString().find(two_roles->secret), std::string::npos);

  opinia::v1::ApiKey op;
  s = admin->GetCallerApiKey(ContextWithKey(operator_key()).get(), {}, &op);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(op.tenant(), "");
  ASSERT_EQ(op.roles_size(), 1);
  EXPECT_EQ(op.roles(0), opinia::v1::ROLE_ADMIN);
}

TEST_F(RolesTest, MissingUnknownOrRevokedKeyIsUnauthenticated) {
  auto revoked = CreateKey(channel_, operator_key(), tenant_.tenant,
                           {opinia::v1::ROLE_INGEST, opinia::v1::ROLE_READ,
                            opinia::v1::ROLE_RESPOND, opinia::v1::ROLE_ADMIN});
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  {
    auto admin = opinia::v1::AdminService::NewStub(channel_);
    opinia::v1::RevokeApiKeyRequest request;
    request.set_name(revoked->name);
    opinia::v1::ApiKey key;
    grpc::Status s = admin->RevokeApiKey(ContextWithKey(operator_key()).get(),
                                         request, &key);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(key.revoked());
  }
  auto calls = Calls();
  const std::pair<const char*, std::string> bad_keys[] = {
      {"no key", ""},
      {"unknown key", "opk_this-is-not-a-key"},
      {"revoked key", revoked->secret},
  };
  for (const auto& [what, key] : bad_keys) {
    for (auto& [method, call] : calls) {
      grpc::Status status = call(key);
      EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED)
          << method << " with " << what << ": " << status.error_message();
    }
  }
  // A malformed header is not a key either.
  auto stub = opinia::v1::ReviewService::NewStub(channel_);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Basic dXNlcjpwYXNz");
  opinia::v1::ListReviewsResponse response;
  EXPECT_EQ(stub->ListReviews(&context, {}, &response).error_code(),
            StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace opinia::testing
