#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/service/rpc/rpc_fixture.h"

namespace opinia::rpc {
namespace {

using grpc::StatusCode;
using opinia::v1::IngestResult;

class ReviewServiceTest : public testing::RpcTest {
 protected:
  // Every ReviewService unary method, called with `key` on `review`.
  std::vector<std::pair<std::string,
                        std::function<grpc::Status(const std::string& key)>>>
  Methods(const std::string& review, const std::string& deletable) {
    auto& stub = *reviews_;
    return {
        {"IngestReviews",
         [&stub](const std::string& key) {
           opinia::v1::IngestReviewsRequest r;
           *r.add_reviews() = Input("role-check");
           opinia::v1::IngestReviewsResponse out;
           return stub.IngestReviews(Ctx(key).get(), r, &out);
         }},
        {"GetReview",
         [&stub, review](const std::string& key) {
           opinia::v1::GetReviewRequest r;
           r.set_name(review);
           opinia::v1::Review out;
           return stub.GetReview(Ctx(key).get(), r, &out);
         }},
        {"ListReviews",
         [&stub](const std::string& key) {
           opinia::v1::ListReviewsResponse out;
           return stub.ListReviews(Ctx(key).get(), {}, &out);
         }},
        {"UpdateReview",
         [&stub, review](const std::string& key) {
           opinia::v1::UpdateReviewRequest r;
           r.mutable_review()->set_name(review);
           r.mutable_review()->set_status(opinia::v1::ACKNOWLEDGED);
           r.mutable_update_mask()->add_paths("status");
           opinia::v1::Review out;
           return stub.UpdateReview(Ctx(key).get(), r, &out);
         }},
        {"RecordResponse",
         [&stub, review](const std::string& key) {
           opinia::v1::RecordResponseRequest r;
           r.set_name(review);
           r.mutable_response()->set_text("Dziękujemy!");
           opinia::v1::Review out;
           return stub.RecordResponse(Ctx(key).get(), r, &out);
         }},
        {"AnalyzeText",
         [&stub](const std::string& key) {
           opinia::v1::AnalyzeTextRequest r;
           r.set_text("Paczka przyszła uszkodzona.");
           opinia::v1::Analysis out;
           return stub.AnalyzeText(Ctx(key).get(), r, &out);
         }},
        {"DeleteReview",
         [&stub, deletable](const std::string& key) {
           opinia::v1::DeleteReviewRequest r;
           r.set_name(deletable);
           opinia::v1::Review out;
           return stub.DeleteReview(Ctx(key).get(), r, &out);
         }},
    };
  }
};

TEST_F(ReviewServiceTest, RolesPerMethod) {
  const std::string review = IngestOne(a_.all, "r1");
  const std::string deletable = IngestOne(a_.all, "r2");
  struct Key {
    const char* name;
    std::string secret;
    std::vector<std::string> allowed;
  } keys[] = {
      {"ingest", a_.ingest, {"IngestReviews", "DeleteReview"}},
      {"read", a_.read, {"GetReview", "ListReviews", "AnalyzeText"}},
      {"respond", a_.respond, {"UpdateReview", "RecordResponse"}},
      {"tenant admin", a_.admin, {}},
      {"operator", operator_key_, {}},
      {"all roles", a_.all,
       {"IngestReviews", "GetReview", "ListReviews", "UpdateReview",
        "RecordResponse", "AnalyzeText", "DeleteReview"}},
  };
  for (const auto& key : keys) {
    for (const auto& [method, call] : Methods(review, deletable)) {
      const bool allowed = std::find(key.allowed.begin(), key.allowed.end(),
                                     method) != key.allowed.end();
      grpc::Status s = call(key.secret);
      if (allowed) {
        EXPECT_TRUE(s.ok()) << key.name << " " << method << ": "
                            << s.error_code() << " " << s.error_message();
      } else {
        EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED)
            << key.name << " " << method << ": " << s.error_message();
      }
    }
  }
}

TEST_F(ReviewServiceTest, MissingWrongAndRevokedKeysAreUnauthenticated) {
  const std::string review = IngestOne(a_.all, "r1");
  std::string revoked_name;
  const std::string revoked =
      MakeKey(a_.tenant, {opinia::v1::ROLE_READ}, &revoked_name);
  opinia::v1::RevokeApiKeyRequest revoke;
  revoke.set_name(revoked_name);
  opinia::v1::ApiKey out;
  ASSERT_TRUE(admin_->RevokeApiKey(Ctx(a_.admin).get(), revoke, &out).ok());
  EXPECT_TRUE(out.revoked());

  for (const std::string& key : {std::string(""), std::string("not-a-key"),
                                 revoked}) {
    for (const auto& [method, call] : Methods(review, review)) {
      EXPECT_EQ(call(key).error_code(), StatusCode::UNAUTHENTICATED)
          << method << " with key '" << key << "'";
    }
  }
  // A non-Bearer scheme is refused too.
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Basic " + a_.read);
  opinia::v1::ListReviewsResponse list;
  EXPECT_EQ(reviews_->ListReviews(&ctx, {}, &list).error_code(),
            StatusCode::UNAUTHENTICATED);
}

TEST_F(ReviewServiceTest, AnotherTenantsReviewIsNotFound) {
  const std::string review = IngestOne(a_.all, "r1");
  for (const auto& [method, call] : Methods(review, review)) {
    if (method == "IngestReviews" || method == "ListReviews" ||
        method == "AnalyzeText") {
      continue;
    }
    grpc::Status s = call(b_.all);
    EXPECT_EQ(s.error_code(), StatusCode::NOT_FOUND)
        << method << ": " << s.error_message();
  }
  opinia::v1::ListReviewsResponse list;
  ASSERT_TRUE(reviews_->ListReviews(Ctx(b_.all).get(), {}, &list).ok());
  EXPECT_EQ(list.reviews_size(), 0);
  EXPECT_EQ(list.total_size(), 0);
}

TEST_F(ReviewServiceTest, InvalidArgumentsNameTheField) {
  struct Case {
    const char* name;
    std::function<grpc::Status()> call;
    std::string field;
  } cases[] = {
      {"GetReview name",
       [&] {
         opinia::v1::GetReviewRequest r;
         r.set_name("reviews/x");
         opinia::v1::Review out;
         return reviews_->GetReview(Ctx(a_.all).get(), r, &out);
       },
       "name"},
      {"ListReviews page_token",
       [&] {
         opinia::v1::ListReviewsRequest r;
         r.set_page_token("garbage!!");
         opinia::v1::ListReviewsResponse out;
         return reviews_->ListReviews(Ctx(a_.all).get(), r, &out);
       },
       "page_token"},
      {"ListReviews order_by",
       [&] {
         opinia::v1::ListReviewsRequest r;
         r.set_order_by("priority desc, respond_by asc");
         opinia::v1::ListReviewsResponse out;
         return reviews_->ListReviews(Ctx(a_.all).get(), r, &out);
       },
       "order_by"},
      {"ListAlerts review",
       [&] {
         opinia::v1::ListAlertsRequest r;
         r.set_review("reviews/1x");
         opinia::v1::ListAlertsResponse out;
         return alerts_->ListAlerts(Ctx(a_.all).get(), r, &out);
       },
       "review"},
      {"UpdateReview update_mask",
       [&] {
         opinia::v1::UpdateReviewRequest r;
         r.mutable_review()->set_name("reviews/1");
         r.mutable_update_mask()->add_paths("input");
         opinia::v1::Review out;
         return reviews_->UpdateReview(Ctx(a_.all).get(), r, &out);
       },
       "update_mask"},
      {"AnalyzeText text",
       [&] {
         opinia::v1::AnalyzeTextRequest r;
         r.set_text(std::string(70000, 'a'));
         opinia::v1::Analysis out;
         return reviews_->AnalyzeText(Ctx(a_.all).get(), r, &out);
       },
       "text"},
      {"CreateTenant tenant_id",
       [&] {
         opinia::v1::CreateTenantRequest r;
         r.set_tenant_id("Bad_Id");
         opinia::v1::Tenant out;
         return admin_->CreateTenant(Ctx(operator_key_).get(), r, &out);
       },
       "tenant_id"},
      {"RevokeApiKey name",
       [&] {
         opinia::v1::RevokeApiKeyRequest r;
         r.set_name("keys/1");
         opinia::v1::ApiKey out;
         return admin_->RevokeApiKey(Ctx(operator_key_).get(), r, &out);
       },
       "name"},
  };
  for (const auto& c : cases) {
    grpc::Status s = c.call();
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << c.name;
    EXPECT_EQ(s.error_message().rfind(c.field + ":", 0), 0u)
        << c.name << ": " << s.error_message();
  }
}

TEST_F(ReviewServiceTest, IngestRejectsInvalidUtf8PerItem) {
  opinia::v1::IngestReviewsRequest r;
  *r.add_reviews() = Input("good");
  // The C++ client serializes the bytes as given; the server must not
  // fail the whole call on them.
  *r.add_reviews() = Input("bad", "ok \xff\xfe broken");
  opinia::v1::IngestReviewsResponse out;
  grpc::Status s = reviews_->IngestReviews(Ctx(a_.all).get(), r, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(out.results_size(), 2);
  EXPECT_EQ(out.results(0).outcome(), IngestResult::CREATED);
  EXPECT_EQ(out.results(1).outcome(), IngestResult::REJECTED);
  EXPECT_EQ(out.results(1).error(), "reviews[1].text: invalid UTF-8");
  EXPECT_EQ(out.results(0).analysis().model_version(), "none");
}

TEST_F(ReviewServiceTest, OversizeBatchAndMessageAreResourceExhausted) {
  opinia::v1::IngestReviewsRequest r;
  for (int i = 0; i < 1001; ++i) *r.add_reviews() = Input(std::to_string(i));
  opinia::v1::IngestReviewsResponse out;
  grpc::Status s = reviews_->IngestReviews(Ctx(a_.all).get(), r, &out);
  EXPECT_EQ(s.error_code(), StatusCode::RESOURCE_EXHAUSTED) << s.error_message();

  opinia::v1::IngestReviewsRequest big;
  *big.add_reviews() = Input("big", std::string(2 << 20, 'a'));
  s = reviews_->IngestReviews(Ctx(a_.all).get(), big, &out);
  EXPECT_EQ(s.error_code(), StatusCode::RESOURCE_EXHAUSTED) << s.error_message();

  opinia::v1::ListReviewsResponse list;
  ASSERT_TRUE(reviews_->ListReviews(Ctx(a_.all).get(), {}, &list).ok());
  EXPECT_EQ(list.total_size(), 0) << "nothing of a refused call is stored";
}

TEST_F(ReviewServiceTest, StreamIngestBatchesAndSummarises) {
  constexpr int kItems = 1203;  // more than two stream batches
  auto stream_all = [&](int* expect_rejected) {
    auto ctx = Ctx(a_.all);
    opinia::v1::IngestSummary summary;
    auto writer = reviews_->StreamIngestReviews(ctx.get(), &summary);
    *expect_rejected = 0;
    for (int i = 0; i < kItems; ++i) {
      opinia::v1::ReviewInput in = Input("s" + std::to_string(i));
      if (i % 100 == 7) {
        in.clear_external_id();
        ++*expect_rejected;
      }
      EXPECT_TRUE(writer->Write(in)) << i;
    }
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    EXPECT_TRUE(s.ok()) << s.error_message();
    return summary;
  };
  int rejected = 0;
  auto first = stream_all(&rejected);
  EXPECT_EQ(first.received(), kItems);
  EXPECT_EQ(first.created(), kItems - rejected);
  EXPECT_EQ(first.rejected(), rejected);
  ASSERT_EQ(first.errors_size(), rejected);
  EXPECT_EQ(first.errors(0), "reviews[7].external_id: required");
  EXPECT_EQ(first.errors(6), "reviews[607].external_id: required");

  auto second = stream_all(&rejected);
  EXPECT_EQ(second.unchanged(), kItems - rejected);
  EXPECT_EQ(second.created(), 0);

  opinia::v1::ListReviewsRequest list_req;
  list_req.set_page_size(1);
  opinia::v1::ListReviewsResponse list;
  ASSERT_TRUE(reviews_->ListReviews(Ctx(a_.read).get(), list_req, &list).ok());
  EXPECT_EQ(list.total_size(), kItems - rejected);
}

TEST_F(ReviewServiceTest, StreamIngestDemandsTheIngestRole) {
  for (const auto& [key, code] :
       std::vector<std::pair<std::string, StatusCode>>{
           {"", StatusCode::UNAUTHENTICATED},
           {a_.read, StatusCode::PERMISSION_DENIED},
           {operator_key_, StatusCode::PERMISSION_DENIED}}) {
    auto ctx = Ctx(key);
    opinia::v1::IngestSummary summary;
    auto writer = reviews_->StreamIngestReviews(ctx.get(), &summary);
    writer->Write(Input("x"));
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_code(), code) << "key '" << key << "'";
  }
}

}  // namespace
}  // namespace opinia::rpc
