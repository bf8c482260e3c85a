// The JSON API over HTTP on a real opinia-server (--http-listen on a free
// loopback port) with a real HTTP client: unary calls by POST and by GET
// with query parameters, the error mapping, the OpenAPI document, the
// dashboard's files and the access log.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "opinia/v1/admin.pb.h"
#include "opinia/v1/alerts.pb.h"
#include "opinia/v1/collectors.pb.h"
#include "opinia/v1/insights.pb.h"
#include "opinia/v1/reviews.pb.h"
#include "tests/service/http/http_test_client.h"

namespace opinia::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kMaxMessageBytes = 300000;

class HttpApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = StartHttpServer(
        {absl::StrCat("--max-message-bytes=", kMaxMessageBytes)});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    base_ = HttpBaseUrl(*server_);
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    ASSERT_TRUE(server_->Alive()) << server_->Log();
  }

  HttpTenant NewTenant(const std::string& name) {
    auto tenant = CreateTenantOverHttp(base_, server_->admin_key(), name);
    EXPECT_TRUE(tenant.ok()) << tenant.status();
    return tenant.ok() ? *tenant : HttpTenant{};
  }

  HttpReply Post(const std::string& path, const std::string& key,
                 const std::string& json) {
    auto reply = PostJson(base_, path, key, json);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : HttpReply{};
  }

  HttpReply Get(const std::string& path_and_query, const std::string& key) {
    auto reply = GetWithKey(base_, path_and_query, key);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : HttpReply{};
  }

  HttpReply Send(HttpRequest request) {
    request.url = base_ + request.url;
    auto reply = Fetch(request);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : HttpReply{};
  }

  // Asserts a google.rpc.Status body with `code` whose message has `part`.
  static void ExpectStatus(const HttpReply& reply, int http, int code,
                           const std::string& part) {
    EXPECT_EQ(reply.status, http) << reply.body;
    EXPECT_EQ(reply.Header("Content-Type"), "application/json");
    auto body = ParseJsonObject(reply.body);
    ASSERT_TRUE(body.ok()) << body.status();
    EXPECT_EQ(body->fields().at("code").number_value(), code) << reply.body;
    EXPECT_THAT(body->fields().at("message").string_value(), HasSubstr(part));
    EXPECT_TRUE(body->fields().at("details").has_list_value());
  }

  static inline std::unique_ptr<ServerProcess> server_;
  static inline std::string base_;
};

TEST_F(HttpApiTest, PostAndGetCallTheServices) {
  const HttpTenant t = NewTenant("http api");
  ASSERT_FALSE(t.key.empty());
  HttpReply ingest = Post(
      "/v1/ReviewService/IngestReviews", t.key,
      absl::StrCat(R"({"request_id":"r1","reviews":[)", UrgentReviewJson("u1"),
                   ",", ReviewJson("p1", "Świetny sklep, polecam!", 5), ",",
                   R"({"source":"ceneo","external_id":"old","text":"Słabo.",)"
                   R"("rating":2,"createTime":"2020-01-02T03:04:05Z"}]})"));
  ASSERT_EQ(ingest.status, 200) << ingest.body;
  EXPECT_EQ(ingest.Header("Content-Type"), "application/json");
  auto reply = ParseJsonObject(ingest.body);
  ASSERT_TRUE(reply.ok());
  const auto& results = reply->fields().at("results").list_value();
  ASSERT_EQ(results.values_size(), 3);
  const std::string urgent =
      results.values(0).struct_value().fields().at("name").string_value();
  EXPECT_THAT(urgent, HasSubstr("reviews/"));

  // GET with repeated enums and a timestamp; proto names, zero values and
  // enums by name in the answer.
  HttpReply list = Get(
      "/v1/ReviewService/ListReviews?priorities=P1&priorities=P2"
      "&statuses=NEW&start_time=2021-01-01T00:00:00Z&page_size=10",
      t.key);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_THAT(list.body, HasSubstr("\"next_page_token\":\"\""));
  EXPECT_THAT(list.body, HasSubstr("\"priority\":\"P1\""));
  auto listed = ParseJsonObject(list.body);
  ASSERT_TRUE(listed.ok());
  const auto& reviews = listed->fields().at("reviews").list_value();
  ASSERT_EQ(reviews.values_size(), 1) << list.body;
  EXPECT_EQ(reviews.values(0).struct_value().fields().at("name").string_value(),
            urgent);
  // The old review is found only without the time bound.
  HttpReply all = Get("/v1/ReviewService/ListReviews?sources=ceneo", t.key);
  EXPECT_THAT(all.body, HasSubstr("\"external_id\":\"old\""));
  EXPECT_THAT(all.body, HasSubstr("2020-01-02T03:04:05Z"));

  HttpReply got = Get("/v1/ReviewService/GetReview?name=" + urgent, t.key);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(JsonString(got.body, "name"), urgent);
  HttpReply posted = Post("/v1/ReviewService/GetReview", t.key,
                          absl::StrCat(R"({"name":")", urgent, "\"}"));
  EXPECT_EQ(posted.body, got.body);

  HttpReply analyzed =
      Post("/v1/ReviewService/AnalyzeText", t.key,
           R"({"text":"Paczka przyszła zgnieciona, nie polecam."})");
  ASSERT_EQ(analyzed.status, 200) << analyzed.body;
  EXPECT_EQ(JsonString(analyzed.body, "sentiment.label"), "NEGATIVE");

  HttpReply summary = Get(
      "/v1/InsightsService/GetReputationSummary?sources=allegro"
      "&start_time=2021-01-01T00:00:00Z",
      t.key);
  ASSERT_EQ(summary.status, 200) << summary.body;
  EXPECT_THAT(summary.body, HasSubstr("\"review_count\":\"2\""));
}

TEST_F(HttpApiTest, ErrorsAreHttpStatusesWithGoogleRpcStatus) {
  const HttpTenant t = NewTenant("http errors");
  auto reader = CreateKeyOverHttp(base_, server_->admin_key(), t.tenant,
                                  {"ROLE_READ"});
  ASSERT_TRUE(reader.ok()) << reader.status();

  // 400 naming the field: the service's validation, and the JSON mapping's.
  ExpectStatus(Get("/v1/ReviewService/ListReviews?min_rating=9", t.key), 400,
               3, "min_rating");
  ExpectStatus(Post("/v1/ReviewService/IngestReviews", t.key,
                    R"({"reviews":[{"source":"a","colour":"red"}]})"),
               400, 3, "reviews[0].colour: unknown field");
  ExpectStatus(Get("/v1/ReviewService/ListReviews?priorities=P9", t.key), 400,
               3, "priorities[0]: invalid value \"P9\"");
  ExpectStatus(Post("/v1/AlertService/ListAlerts", t.key,
                    R"({"states":["OPEN","SHUT"]})"),
               400, 3, "states[1]");
  ExpectStatus(Post("/v1/ReviewService/AnalyzeText", t.key,
                    "{\"text\":\"z\xff\xfe\"}"),
               400, 3, "UTF-8");
  ExpectStatus(Post("/v1/ReviewService/AnalyzeText", t.key, "{\"text\":"),
               400, 3, "not valid JSON");
  std::vector<std::string> many;
  for (int i = 0; i < 1001; ++i) {
    many.push_back(ReviewJson(absl::StrCat("b", i), "ok", 5));
  }
  // More reviews than --max-batch in one call: RESOURCE_EXHAUSTED, as over
  // gRPC.
  ExpectStatus(Post("/v1/ReviewService/IngestReviews", t.key,
                    absl::StrCat(R"({"reviews":[)", absl::StrJoin(many, ","),
                                 "]}")),
               429, 8, "reviews: 1001 items, at most 1000");

  // 401: no key, a wrong key, a header gRPC metadata cannot carry.
  ExpectStatus(Post("/v1/ReviewService/AnalyzeText", "", R"({"text":"x"})"),
               401, 16, "");
  ExpectStatus(Post("/v1/ReviewService/AnalyzeText", "opk_not-a-key",
                    R"({"text":"x"})"),
               401, 16, "");
  HttpRequest bad_header;
  bad_header.url = "/v1/ReviewService/ListReviews";
  bad_header.headers = {"Authorization: Bearer k\xc3\xa9y"};
  ExpectStatus(Send(bad_header), 401, 16, "malformed Authorization");

  // 403: a read key may not ingest; 404: an unknown review.
  ExpectStatus(Post("/v1/ReviewService/IngestReviews", reader->key,
                    absl::StrCat(R"({"reviews":[)", ReviewJson("x", "ok", 5),
                                 "]}")),
               403, 7, "");
  ExpectStatus(Get("/v1/ReviewService/GetReview?name=reviews/999999", t.key),
               404, 5, "");

  // 404 for unknown paths, 405 for a method a route does not take.
  ExpectStatus(Post("/v1/ReviewService/Nope", t.key, "{}"), 404, 5,
               "no such path");
  ExpectStatus(Get("/v2/anything", ""), 404, 5, "no such path");
  HttpReply wrong = Get("/v1/ReviewService/IngestReviews", t.key);
  ExpectStatus(wrong, 405, 12, "GET is not allowed");
  EXPECT_EQ(wrong.Header("Allow"), "POST, OPTIONS");
  for (const char* method : {"PUT", "DELETE", "PATCH"}) {
    HttpRequest request;
    request.method = method;
    request.url = "/v1/ReviewService/GetReview";
    request.body = "{}";
    HttpReply reply = Send(request);
    ExpectStatus(reply, 405, 12, "not allowed");
    EXPECT_EQ(reply.Header("Allow"), "GET, HEAD, POST, OPTIONS");
  }
  ExpectStatus(Post("/v1/AlertService/StreamAlerts", t.key, "{}"), 405, 12,
               "POST is not allowed");

  // 413 beyond --max-message-bytes, with a length or chunked; 415.
  const std::string big = absl::StrCat(
      R"({"text":")", std::string(kMaxMessageBytes, 'a'), "\"}");
  ExpectStatus(Post("/v1/ReviewService/AnalyzeText", t.key, big), 413, 8,
               "--max-message-bytes");
  HttpRequest chunked;
  chunked.method = "POST";
  chunked.url = "/v1/ReviewService/AnalyzeText";
  chunked.headers = {"Content-Type: application/json",
                     "Transfer-Encoding: chunked", Bearer(t.key)};
  chunked.body = big;
  ExpectStatus(Send(chunked), 413, 8, "--max-message-bytes");
  HttpRequest form;
  form.method = "POST";
  form.url = "/v1/ReviewService/AnalyzeText";
  form.headers = {"Content-Type: application/x-www-form-urlencoded",
                  Bearer(t.key)};
  form.body = "text=x";
  ExpectStatus(Send(form), 415, 3, "application/json");

  // The server goes on serving after all of that.
  EXPECT_EQ(Post("/v1/ReviewService/AnalyzeText", t.key, R"({"text":"ok"})")
                .status,
            200);
}

TEST_F(HttpApiTest, OpenApiDocumentDescribesEveryRpc) {
  HttpReply reply = Get("/v1/openapi.json", "");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Header("Content-Type"), "application/json");
  auto doc = ParseJsonObject(reply.body);
  ASSERT_TRUE(doc.ok()) << doc.status();
  const auto& paths = doc->fields().at("paths").struct_value().fields();
  // The services' descriptors (linked through the generated headers).
  const google::protobuf::FileDescriptor* files[] = {
      opinia::v1::ReviewInput::descriptor()->file(),
      opinia::v1::Tenant::descriptor()->file(),
      opinia::v1::Alert::descriptor()->file(),
      opinia::v1::SummaryRequest::descriptor()->file(),
      opinia::v1::Collector::descriptor()->file()};
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  int rpcs = 0;
  for (const char* name :
       {"opinia.v1.ReviewService", "opinia.v1.AdminService",
        "opinia.v1.AlertService", "opinia.v1.InsightsService",
        "opinia.v1.CollectorService"}) {
    const auto* service = pool->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name << files[0]->name();
    for (int i = 0; i < service->method_count(); ++i, ++rpcs) {
      const std::string path = absl::StrCat("/v1/", service->name(), "/",
                                            service->method(i)->name());
      EXPECT_EQ(paths.count(path), 1u) << path;
    }
  }
  EXPECT_EQ(static_cast<int>(paths.size()), rpcs);
  EXPECT_GE(rpcs, 38);
  EXPECT_THAT(reply.body, HasSubstr("\"#/components/schemas/opinia.v1.Review\""));
}

TEST_F(HttpApiTest, DashboardFilesWithTypesAndETags) {
  HttpReply index = Get("/", "");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_THAT(index.body, HasSubstr("<html"));
  const std::string etag = index.Header("ETag");
  ASSERT_EQ(etag.size(), 34u) << etag;
  HttpRequest again;
  again.url = "/";
  again.headers = {"If-None-Match: " + etag};
  HttpReply cached = Send(again);
  EXPECT_EQ(cached.status, 304);
  EXPECT_EQ(cached.body, "");
  HttpReply asset = Get("/assets/index.html", "");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.body, index.body);
  HttpRequest head;
  head.method = "HEAD";
  head.url = "/";
  HttpReply headed = Send(head);
  EXPECT_EQ(headed.status, 200);
  EXPECT_EQ(headed.body, "");
  ExpectStatus(Get("/assets/missing.js", ""), 404, 5, "no such file");
  ExpectStatus(Post("/", "", "{}"), 405, 12, "POST is not allowed");
}

TEST_F(HttpApiTest, EveryRequestHasAnAccessLogLine) {
  ASSERT_EQ(Get("/v1/openapi.json?probe=access-log", "").status, 200);
  ASSERT_EQ(Get("/v1/ReviewService/Missing", "").status, 404);
  // A request's line is written once its response has been sent.
  std::string log = server_->Log();
  for (absl::Time deadline = absl::Now() + absl::Seconds(10);
       log.find("path=/v1/ReviewService/Missing") == std::string::npos &&
       absl::Now() < deadline;
       log = server_->Log()) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_THAT(log, HasSubstr("http method=GET path=/v1/openapi.json "
                             "status=200"));
  EXPECT_THAT(log, HasSubstr("http method=GET path=/v1/ReviewService/Missing "
                             "status=404"));
  EXPECT_THAT(log, Not(HasSubstr("access-log")));  // never the query string
}

}  // namespace
}  // namespace opinia::testing
