// CollectorService through the real server wiring: a GBP collector synced
// from a loopback platform over gRPC, credentials never echoed, roles and
// tenant isolation, field-naming errors.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/service/rpc/rpc_fixture.h"
#include "tests/testing/http_server.h"

namespace opinia::rpc {
namespace {

using grpc::StatusCode;
using opinia::testing::HttpRequest;
using opinia::testing::HttpResponse;
using opinia::testing::HttpServer;

using CollectorServiceTest = testing::RpcTest;

TEST_F(CollectorServiceTest, CreateRunListOverGrpc) {
  auto platform = HttpServer::Start([](const HttpRequest& r) {
    if (r.Header("authorization") != "Bearer tok-secret") {
      return HttpResponse::Status(401);
    }
    return HttpResponse::Json(
        R"({"reviews": [{"reviewId": "r1", "starRating": "FIVE",
            "comment": "Bardzo dobrze", "createTime": "2026-10-01T10:00:00Z",
            "updateTime": "2026-10-01T10:00:00Z",
            "reviewReply": {"comment": "Dziękujemy"}},
           {"reviewId": "r2", "starRating": "ONE", "comment": "Źle",
            "createTime": "2026-10-02T10:00:00Z",
            "updateTime": "2026-10-02T10:00:00Z"}]})");
  });
  ASSERT_TRUE(platform.ok());
  opinia::v1::CreateCollectorRequest create;
  auto* c = create.mutable_collector();
  c->set_kind(opinia::v1::GOOGLE_BUSINESS_PROFILE);
  c->set_endpoint((*platform)->Url("/v4/accounts/1/locations/2/reviews"));
  (*c->mutable_credentials())["bearer_token"] = "tok-secret";
  c->set_source("google");
  opinia::v1::Collector created;
  grpc::Status s =
      collectors_->CreateCollector(Ctx(a_.admin).get(), create, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(created.DebugString().find("tok-secret"), std::string::npos);

  opinia::v1::RunCollectorRequest run;
  run.set_name(created.name());
  opinia::v1::RunCollectorResponse counts;
  s = collectors_->RunCollector(Ctx(a_.admin).get(), run, &counts);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(counts.fetched(), 2);
  EXPECT_EQ(counts.created(), 2);

  opinia::v1::ListReviewsRequest list;
  list.add_sources("google");
  opinia::v1::ListReviewsResponse reviews;
  s = reviews_->ListReviews(Ctx(a_.read).get(), list, &reviews);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(reviews.reviews_size(), 2);
  int responded = 0;
  for (const auto& r : reviews.reviews()) {
    if (r.status() == opinia::v1::RESPONDED) ++responded;
  }
  EXPECT_EQ(responded, 1);

  opinia::v1::ListCollectorsResponse listed;
  s = collectors_->ListCollectors(Ctx(a_.admin).get(), {}, &listed);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(listed.collectors_size(), 1);
  EXPECT_EQ(listed.DebugString().find("tok-secret"), std::string::npos);
  EXPECT_EQ(listed.collectors(0).state().reviews_fetched(), 2);

  // Other tenant: NOT_FOUND; wrong role: PERMISSION_DENIED.
  EXPECT_EQ(collectors_->RunCollector(Ctx(b_.admin).get(), run, &counts)
                .error_code(),
            StatusCode::NOT_FOUND);
  EXPECT_EQ(collectors_->RunCollector(Ctx(a_.read).get(), run, &counts)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(collectors_->RunCollector(Ctx("").get(), run, &counts)
                .error_code(),
            StatusCode::UNAUTHENTICATED);
}

TEST_F(CollectorServiceTest, ErrorsNameTheField) {
  opinia::v1::CreateCollectorRequest create;
  create.mutable_collector()->set_kind(opinia::v1::TRUSTPILOT);
  create.mutable_collector()->set_endpoint("not a url");
  opinia::v1::Collector out;
  grpc::Status s =
      collectors_->CreateCollector(Ctx(a_.admin).get(), create, &out);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("collector.endpoint"), std::string::npos)
      << s.error_message();
}

}  // namespace
}  // namespace opinia::rpc
