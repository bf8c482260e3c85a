// The libcurl HttpClient against the real loopback HTTP server.
#include "service/core/util/http_client.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/http_server.h"
#include "tests/testing/loopback_outbound.h"

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
    auto client = CreateCurlHttpClient(opinia::testing::LoopbackAllowed(), "opinia-test/1");
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

// A client whose policy is `allow` (a --outbound-allow value).
std::unique_ptr<HttpClient> ClientWith(const OutboundPolicy* policy) {
  auto client = CreateCurlHttpClient(policy, "opinia-test/1");
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? *std::move(client) : nullptr;
}

void ExpectNotAllowed(const absl::StatusOr<HttpResult>& r) {
  EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied)
      << r.status();
  EXPECT_THAT(std::string(r.status().message()),
              ::testing::HasSubstr("destination not allowed"));
}

TEST_F(HttpClientTest, DefaultPolicyConnectsToNoLoopbackSpelling) {
  server_->Route("GET", "/x", HttpResponse::Ok("secret"));
  server_->Route("POST", "/x", HttpResponse::Ok("secret"));
  OutboundPolicy policy;  // the server's default: no --outbound-allow
  auto client = ClientWith(&policy);
  const std::string port = absl::StrCat(server_->port());
  for (const std::string& host :
       {std::string("127.0.0.1"), std::string("localhost"),
        std::string("127.1"), std::string("2130706433"),
        std::string("0x7f.1"), std::string("017700000001"),
        std::string("[::ffff:127.0.0.1]")}) {
    const std::string url = absl::StrCat("http://", host, ":", port, "/x");
    ExpectNotAllowed(client->Get(url, {}, {}));
    ExpectNotAllowed(client->Post(url, {}, "{}", {}));
  }
  // Nothing reached the server: refused before connecting.
  EXPECT_EQ(server_->RequestCount(), 0u);
}

TEST_F(HttpClientTest, EveryResolvedAddressIsCheckedWhereItIsConnected) {
  server_->Route("GET", "/x", HttpResponse::Ok("ok"));
  const std::string port = absl::StrCat(server_->port());
  const std::string url = absl::StrCat("http://feed.test:", port, "/x");
  HttpCallOptions call;
  call.connect_timeout = absl::Seconds(2);

  // Allowed first (nobody listens there), the server's address later: the
  // later, refused address is never connected to.
  OutboundPolicy only_2(*ParseCidrList("127.0.0.2/32"));
  call.resolve = {absl::StrCat("feed.test:", port, ":127.0.0.2,127.0.0.1")};
  auto r = ClientWith(&only_2)->Get(url, {}, call);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(server_->RequestCount(), 0u);

  // Only refused addresses: "destination not allowed", nothing sent.
  call.resolve = {absl::StrCat("feed.test:", port, ":127.0.0.1")};
  ExpectNotAllowed(ClientWith(&only_2)->Get(url, {}, call));
  EXPECT_EQ(server_->RequestCount(), 0u);

  // A refused address is skipped and the allowed one is used.
  OutboundPolicy only_1(*ParseCidrList("127.0.0.1/32"));
  call.resolve = {absl::StrCat("feed.test:", port, ":127.0.0.2,127.0.0.1")};
  auto ok = ClientWith(&only_1)->Get(url, {}, call);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(server_->RequestCount(), 1u);
}

TEST_F(HttpClientTest, OwnListeningPortIsRefusedEvenWhenLoopbackIsAllowed) {
  OutboundPolicy policy(*ParseCidrList("127.0.0.0/8"));
  policy.DenyListeningAddress(absl::StrCat("127.0.0.1:", server_->port()));
  ExpectNotAllowed(ClientWith(&policy)->Get(server_->Url("/x"), {}, {}));
  EXPECT_EQ(server_->RequestCount(), 0u);
}

TEST_F(HttpClientTest, ProxiesFromTheEnvironmentAreNotUsed) {
  // Were http_proxy honoured, the request would go to the loopback server
  // (the "proxy") instead of the address the policy checked.
  const std::string proxy = server_->Url("");
  setenv("http_proxy", proxy.c_str(), 1);
  setenv("HTTP_PROXY", proxy.c_str(), 1);
  setenv("ALL_PROXY", proxy.c_str(), 1);
  // Loopback allowed, so a proxy there would be reachable.
  OutboundPolicy policy(*ParseCidrList("127.0.0.0/8"));
  HttpCallOptions call;
  call.connect_timeout = absl::Milliseconds(500);
  call.timeout = absl::Seconds(1);
  // TEST-NET-3: public to the policy (whether anything answers there
  // depends on the machine's network).
  auto r = ClientWith(&policy)->Get("http://203.0.113.9/x", {}, call);
  unsetenv("http_proxy");
  unsetenv("HTTP_PROXY");
  unsetenv("ALL_PROXY");
  EXPECT_EQ(server_->RequestCount(), 0u) << r.status();
}

TEST_F(HttpClientTest, ErrorsNameTheOriginNotThePathOrQuery) {
  const std::string gone = server_->Url("/private/path?key=SECRETKEY");
  const std::string origin = absl::StrCat("http://127.0.0.1:", server_->port());
  server_->Stop();
  server_.reset();  // connection refused
  auto r = client_->Get(gone, {}, {});
  ASSERT_FALSE(r.ok());
  const std::string message(r.status().message());
  EXPECT_THAT(message, ::testing::HasSubstr(origin));
  EXPECT_EQ(message.find("SECRETKEY"), std::string::npos) << message;
  EXPECT_EQ(message.find("private"), std::string::npos) << message;
}

}  // namespace
}  // namespace opinia::core
