// CollectorService through the real server wiring: a GBP collector synced
// from a loopback platform over gRPC, credentials never echoed, roles and
// tenant isolation, field-naming errors.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
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

// A JSON feed collector of tenant A on `url` ("collectors/{id}").
std::string CreateFeedCollector(opinia::v1::CollectorService::Stub& stub,
                                const std::string& key,
                                const std::string& url) {
  opinia::v1::CreateCollectorRequest create;
  auto* c = create.mutable_collector();
  c->set_kind(opinia::v1::JSON_FEED);
  c->set_endpoint(url);
  c->set_source("feed");
  (*c->mutable_mapping())["external_id"] = "id";
  (*c->mutable_mapping())["text"] = "text";
  opinia::v1::Collector created;
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + key);
  grpc::Status s = stub.CreateCollector(&ctx, create, &created);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return created.name();
}

TEST_F(CollectorServiceTest, RunCollectorAnswersAtTheDeadlineAndTheRunGoesOn) {
  auto feed = HttpServer::Start([](const HttpRequest&) {
    HttpResponse r = HttpResponse::Json(
        R"([{"id": "f1", "text": "Szybko"}, {"id": "f2", "text": "Wolno"}])");
    r.delay = absl::Seconds(2);
    return r;
  });
  ASSERT_TRUE(feed.ok());
  const std::string name =
      CreateFeedCollector(*collectors_, a_.admin, (*feed)->Url("/feed"));
  opinia::v1::RunCollectorRequest run;
  run.set_name(name);
  opinia::v1::RunCollectorResponse counts;
  auto ctx = Ctx(a_.admin);
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(300));
  const absl::Time start = absl::Now();
  grpc::Status s = collectors_->RunCollector(ctx.get(), run, &counts);
  EXPECT_EQ(s.error_code(), StatusCode::DEADLINE_EXCEEDED) << s.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));

  // The run went on: its outcome is in the collector's state.
  opinia::v1::GetCollectorRequest get;
  get.set_name(name);
  opinia::v1::Collector c;
  for (int i = 0; i < 100 && !c.state().has_last_success_time(); ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    ASSERT_TRUE(collectors_->GetCollector(Ctx(a_.admin).get(), get, &c).ok());
  }
  EXPECT_TRUE(c.state().has_last_success_time()) << c.DebugString();
  EXPECT_EQ(c.state().reviews_fetched(), 2);

  // Within the deadline it answers with the run's counts; two callers at
  // once share one run or run one after the other, never together.
  opinia::v1::RunCollectorResponse first, second;
  grpc::Status s1, s2;
  std::thread other([&] {
    s2 = collectors_->RunCollector(Ctx(a_.admin).get(), run, &second);
  });
  s1 = collectors_->RunCollector(Ctx(a_.admin).get(), run, &first);
  other.join();
  ASSERT_TRUE(s1.ok()) << s1.error_message();
  ASSERT_TRUE(s2.ok()) << s2.error_message();
  EXPECT_EQ(first.fetched(), 2);
  EXPECT_EQ(first.unchanged(), 2);
  EXPECT_EQ(second.fetched(), 2);
}

TEST_F(CollectorServiceTest, SlowRunsDoNotHoldTheWorkers) {
  // The fixture's server has 4 workers; 8 runs on a 2 s feed would hold
  // them all if they ran there.
  auto feed = HttpServer::Start([](const HttpRequest&) {
    HttpResponse r = HttpResponse::Json(R"([{"id": "x", "text": "t"}])");
    r.delay = absl::Seconds(2);
    return r;
  });
  ASSERT_TRUE(feed.ok());
  std::vector<std::thread> runs;
  for (int i = 0; i < 8; ++i) {
    const std::string name = CreateFeedCollector(
        *collectors_, a_.admin, (*feed)->Url("/feed" + std::to_string(i)));
    runs.emplace_back([this, name] {
      opinia::v1::RunCollectorRequest run;
      run.set_name(name);
      opinia::v1::RunCollectorResponse counts;
      collectors_->RunCollector(Ctx(a_.admin).get(), run, &counts)
          .error_code();
    });
  }
  ASSERT_TRUE((*feed)->WaitForRequests(2, absl::Seconds(10)));
  for (int i = 0; i < 20; ++i) {
    opinia::v1::ListReviewsResponse out;
    const absl::Time start = absl::Now();
    ASSERT_TRUE(reviews_->ListReviews(Ctx(b_.read).get(), {}, &out).ok());
    EXPECT_LT(absl::Now() - start, absl::Milliseconds(500));
  }
  for (std::thread& t : runs) t.join();
}

}  // namespace
}  // namespace opinia::rpc
