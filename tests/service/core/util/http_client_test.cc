// The libcurl HttpClient against the real loopback HTTP server.
#include "service/core/util/http_client.h"

#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/testing/http_server.h"

namespace opinia::core {
namespace {

using opinia::testing::HttpRequest;
using opinia::testing::HttpResponse;
using opinia::testing::HttpServer;

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = HttpServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto client = CreateCurlHttpClient("opinia-test/1");
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(HttpClientTest, GetReturnsStatusHeadersAndBody) {
  server_->Route("GET", "/feed", HttpResponse::Json(R"({"items":[]})"));
  auto r = client_->Get(server_->Url("/feed?page=1"), {{"X-Api-Key", "k"}}, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"items":[]})");
  EXPECT_EQ(r->Header("content-type"), "application/json");
  ASSERT_EQ(server_->RequestCount(), 1u);
  const HttpRequest seen = server_->Requests()[0];
  EXPECT_EQ(seen.query, "page=1");
  EXPECT_EQ(seen.Header("x-api-key"), "k");
  EXPECT_EQ(seen.Header("user-agent"), "opinia-test/1");
}

TEST_F(HttpClientTest, PostSendsBodyWithoutExpectContinue) {
  server_->SetHandler(
      [](const HttpRequest& req) { return HttpResponse::Ok(req.body); });
  const std::string body(5000, 'x');  // above curl's Expect threshold
  auto r = client_->Post(server_->Url("/hook"),
                         {{"Content-Type", "application/json"}}, body, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, body);
  const HttpRequest seen = server_->Requests()[0];
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.Header("expect"), "");
  EXPECT_EQ(seen.Header("content-type"), "application/json");
}

TEST_F(HttpClientTest, ErrorStatusesAreResponsesNotErrors) {
  server_->Route("POST", "/busy", HttpResponse::TooManyRequests(30));
  server_->Route("POST", "/broken", HttpResponse::Status(500, "boom"));
  auto busy = client_->Post(server_->Url("/busy"), {}, "{}", {});
  ASSERT_TRUE(busy.ok()) << busy.status();
  EXPECT_EQ(busy->status, 429);
  EXPECT_EQ(busy->Header("Retry-After"), "30");
  auto broken = client_->Post(server_->Url("/broken"), {}, "{}", {});
  ASSERT_TRUE(broken.ok()) << broken.status();
  EXPECT_EQ(broken->status, 500);
  EXPECT_EQ(broken->body, "boom");
}

TEST_F(HttpClientTest, TransportFailuresMapToCodes) {
  server_->Route("POST", "/slow", HttpResponse::Slow(absl::Seconds(30)));
  server_->Route("GET", "/big", HttpResponse::Ok(std::string(4096, 'b')));
  HttpCallOptions fast;
  fast.timeout = absl::Milliseconds(200);
  const absl::Time start = absl::Now();
  auto slow = client_->Post(server_->Url("/slow"), {}, "{}", fast);
  EXPECT_EQ(slow.status().code(), absl::StatusCode::kDeadlineExceeded)
      << slow.status();
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));

  HttpCallOptions small;
  small.max_response_bytes = 1000;
  EXPECT_EQ(client_->Get(server_->Url("/big"), {}, small).status().code(),
            absl::StatusCode::kResourceExhausted);

  EXPECT_EQ(client_->Get("ftp://127.0.0.1/x", {}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client_->Get("not a url", {}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);

  const std::string gone = server_->Url("/x");
  server_->Stop();
  server_.reset();  // closes the listening socket: connection refused
  EXPECT_EQ(client_->Get(gone, {}, {}).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace opinia::core
