// Tenant isolation both ways: another tenant's reviews and keys are
// invisible (empty lists, NOT_FOUND on every name) and stay untouched.
#include <functional>
#include <set>

#include "gtest/gtest.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

using grpc::StatusCode;

class TenantIsolationTest : public ServerTest {
 protected:
  struct Side {
    TenantWithKey tenant;
    std::vector<std::string> names;  // its reviews
  };

  void SetUp() override {
    ServerTest::SetUp();
    if (!sides_.empty()) return;
    for (const char* display : {"Shop A", "Shop B"}) {
      Side side;
      side.tenant = NewTenant(display);
      // Both tenants use the same (source, external_id) pairs on purpose.
      std::vector<opinia::v1::ReviewInput> batch;
      for (int i = 0; i < (sides_.empty() ? 20 : 10); ++i) {
        batch.push_back(MakeReview("same-" + std::to_string(i), i));
      }
      auto response = Ingest(channel_, side.tenant.key, batch);
      ASSERT_TRUE(response.ok()) << response.status();
      for (const auto& r : response->results()) {
        EXPECT_EQ(r.outcome(), opinia::v1::IngestResult::CREATED)
            << display << ": identity is per tenant";
        side.names.push_back(r.name());
      }
      sides_.push_back(side);
    }
  }

  opinia::v1::Review Get(const std::string& key, const std::string& name,
                         grpc::Status* status) {
    auto stub = opinia::v1::ReviewService::NewStub(channel_);
    opinia::v1::GetReviewRequest request;
    request.set_name(name);
    opinia::v1::Review review;
    auto context = ContextWithKey(key);
    *status = stub->GetReview(context.get(), request, &review);
    return review;
  }

  static inline std::vector<Side> sides_;
};

TEST_F(TenantIsolationTest, EachTenantListsOnlyItsOwnReviews) {
  for (int me = 0; me < 2; ++me) {
    auto names = ListAllNames(channel_, sides_[me].tenant.key, {7});
    ASSERT_TRUE(names.ok()) << names.status();
    std::set<std::string> got(names->begin(), names->end());
    std::set<std::string> want(sides_[me].names.begin(),
                               sides_[me].names.end());
    EXPECT_EQ(got, want) << "tenant " << me;
  }
  // A third tenant with no reviews of its own sees nothing at all.
  const TenantWithKey empty = NewTenant("Shop C");
  auto names = ListAllNames(channel_, empty.key, {1000});
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_TRUE(names->empty())
      << names->size() << " reviews visible to an empty tenant";
}

TEST_F(TenantIsolationTest, EveryCallOnAnotherTenantsReviewIsNotFound) {
  auto stub = opinia::v1::ReviewService::NewStub(channel_);
  for (int me = 0; me < 2; ++me) {
    const Side& mine = sides_[me];
    const Side& theirs = sides_[1 - me];
    const std::string& target = theirs.names[0];
    const std::vector<std::pair<std::string, std::function<grpc::Status()>>>
        calls = {
            {"GetReview",
             [&] {
               grpc::Status s;
               Get(mine.tenant.key, target, &s);
               return s;
             }},
            {"UpdateReview",
             [&] {
               opinia::v1::UpdateReviewRequest request;
               request.mutable_review()->set_name(target);
               request.mutable_review()->set_status(opinia::v1::RESOLVED);
               request.mutable_update_mask()->add_paths("status");
               opinia::v1::Review out;
               auto context = ContextWithKey(mine.tenant.key);
               return stub->UpdateReview(context.get(), request, &out);
             }},
            {"DeleteReview",
             [&] {
               opinia::v1::DeleteReviewRequest request;
               request.set_name(target);
               opinia::v1::Review out;
               auto context = ContextWithKey(mine.tenant.key);
               return stub->DeleteReview(context.get(), request, &out);
             }},
            {"RecordResponse",
             [&] {
               opinia::v1::RecordResponseRequest request;
               request.set_name(target);
               request.mutable_response()->set_text("Dziękujemy za opinię.");
               opinia::v1::Review out;
               auto context = ContextWithKey(mine.tenant.key);
               return stub->RecordResponse(context.get(), request, &out);
             }},
        };
    for (const auto& [method, call] : calls) {
      grpc::Status status = call();
      EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND)
          << "tenant " << me << " " << method << " on " << target << ": "
          << status.error_message();
    }
    // The target is untouched: still there, NEW, no response, not deleted.
    grpc::Status status;
    opinia::v1::Review review = Get(theirs.tenant.key, target, &status);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(review.status(), opinia::v1::NEW);
    EXPECT_FALSE(review.deleted());
    EXPECT_TRUE(review.response().text().empty());
  }
}

TEST_F(TenantIsolationTest, AnotherTenantsPageTokenLeaksNothing) {
  auto stub = opinia::v1::ReviewService::NewStub(channel_);
  opinia::v1::ListReviewsRequest request;
  request.set_page_size(3);
  opinia::v1::ListReviewsResponse page;
  ASSERT_TRUE(stub->ListReviews(ContextWithKey(sides_[0].tenant.key).get(), request, &page).ok());
  ASSERT_FALSE(page.next_page_token().empty());
  request.set_page_token(page.next_page_token());
  opinia::v1::ListReviewsResponse other;
  grpc::Status status =
      stub->ListReviews(ContextWithKey(sides_[1].tenant.key).get(), request, &other);
  if (status.ok()) {
    const std::set<std::string> a(sides_[0].names.begin(), sides_[0].names.end());
    for (const auto& r : other.reviews()) EXPECT_FALSE(a.count(r.name())) << r.name();
  } else {
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << status.error_message();
  }
}

TEST_F(TenantIsolationTest, AnotherTenantsKeysAreInvisible) {
  auto admin = opinia::v1::AdminService::NewStub(channel_);
  auto victim = CreateKey(channel_, operator_key(), sides_[0].tenant.tenant,
                          {opinia::v1::ROLE_READ});
  ASSERT_TRUE(victim.ok()) << victim.status();

  // B's admin cannot revoke A's key, and does not see it in its list.
  opinia::v1::RevokeApiKeyRequest revoke;
  revoke.set_name(victim->name);
  opinia::v1::ApiKey revoked;
  auto context = ContextWithKey(sides_[1].tenant.key);
  EXPECT_EQ(admin->RevokeApiKey(context.get(), revoke, &revoked).error_code(),
            StatusCode::NOT_FOUND);
  opinia::v1::ListApiKeysRequest list;
  opinia::v1::ListApiKeysResponse keys;
  context = ContextWithKey(sides_[1].tenant.key);
  ASSERT_TRUE(admin->ListApiKeys(context.get(), list, &keys).ok());
  for (const auto& k : keys.api_keys()) {
    EXPECT_EQ(k.tenant(), sides_[1].tenant.tenant) << k.name();
    EXPECT_NE(k.name(), victim->name);
  }
  // B's admin cannot mint a key for A.
  opinia::v1::CreateApiKeyRequest create;
  create.mutable_api_key()->set_tenant(sides_[0].tenant.tenant);
  create.mutable_api_key()->add_roles(opinia::v1::ROLE_READ);
  opinia::v1::CreateApiKeyResponse created;
  context = ContextWithKey(sides_[1].tenant.key);
  const StatusCode code =
      admin->CreateApiKey(context.get(), create, &created).error_code();
  EXPECT_TRUE(code == StatusCode::NOT_FOUND ||
              code == StatusCode::PERMISSION_DENIED)
      << "code " << code;
  // A's key still works.
  auto names = ListAllNames(channel_, victim->secret, {50});
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_EQ(names->size(), sides_[0].names.size());
}

}  // namespace
}  // namespace opinia::testing
