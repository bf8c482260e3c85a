// The HTTP side's security on a real opinia-server: the headers and CSP of
// every kind of response, no CORS by default and the allow-list of
// --http-allowed-origins, cross-origin writes refused, keys never in URLs
// or the log, the rate limit's 429 with Retry-After, and HTTPS with
// --tls-cert/--tls-key.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/http/security.h"
#include "tests/integration/test_cert.h"
#include "tests/service/http/http_server_test.h"
#include "tests/service/http/http_test_client.h"

namespace opinia::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCsp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' "
    "data:; connect-src 'self'; font-src 'self'; media-src 'self' data:; "
    "manifest-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

class HttpSecurityTest : public HttpServerTest {
 protected:
  HttpSecurityTest() : HttpServerTest("secure") {}

  HttpReply Send(HttpRequest request) {
    request.url = base_ + request.url;
    auto reply = Fetch(request);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : HttpReply{};
  }

  HttpRequest Request(const std::string& method, const std::string& path,
                      std::vector<std::string> headers = {},
                      std::optional<std::string> body = std::nullopt) {
    HttpRequest request;
    request.method = method;
    request.url = path;
    request.headers = std::move(headers);
    if (body.has_value()) {
      request.headers.push_back("Content-Type: application/json");
    }
    request.body = std::move(body);
    return request;
  }

};

void ExpectSecurityHeaders(const HttpReply& reply, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(reply.Header("Content-Security-Policy"), kCsp);
  EXPECT_EQ(reply.Header("Content-Security-Policy"),
            http::kContentSecurityPolicy);
  EXPECT_EQ(reply.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(reply.Header("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(reply.Header("X-Frame-Options"), "DENY");
  EXPECT_FALSE(reply.HasHeader("Access-Control-Allow-Origin"));
}

TEST_F(HttpSecurityTest, EveryKindOfResponseHasTheHeaders) {
  StartServer({"--max-message-bytes=1000"});
  const std::string key = Bearer(tenant_.key);
  struct Case {
    std::string what;
    HttpRequest request;
    long status;
  };
  HttpRequest cached = Request("GET", "/");
  cached.headers.push_back("If-None-Match: " +
                           Send(Request("GET", "/")).Header("ETag"));
  const std::vector<Case> cases = {
      {"unary POST", Request("POST", "/v1/ReviewService/AnalyzeText", {key},
                             R"({"text":"ok"})"),
       200},
      {"unary GET", Request("GET", "/v1/AlertService/ListAlerts", {key}), 200},
      {"openapi", Request("GET", "/v1/openapi.json"), 200},
      {"dashboard", Request("GET", "/"), 200},
      {"not modified", cached, 304},
      {"no such file", Request("GET", "/assets/none.css"), 404},
      {"no such path", Request("GET", "/v1/Nope/Nope"), 404},
      {"wrong method", Request("DELETE", "/v1/ReviewService/GetReview"), 405},
      {"key in URL", Request("GET", "/v1/AlertService/ListAlerts?key=x"), 400},
      {"no key", Request("GET", "/v1/AlertService/ListAlerts"), 401},
      {"too large", Request("POST", "/v1/ReviewService/AnalyzeText", {key},
                            std::string(2000, ' ')),
       413},
      {"preflight", Request("OPTIONS", "/v1/ReviewService/GetReview"), 204},
      {"cross-origin write",
       Request("POST", "/v1/ReviewService/AnalyzeText",
               {key, "Origin: https://evil.example"}, R"({"text":"x"})"),
       403},
  };
  for (const Case& c : cases) {
    HttpReply reply = Send(c.request);
    EXPECT_EQ(reply.status, c.status) << c.what << ": " << reply.body;
    ExpectSecurityHeaders(reply, c.what);
    const bool api = c.request.url.rfind("/v1/", 0) == 0;
    if (api) {
      EXPECT_EQ(reply.Header("Cache-Control"), "no-store") << c.what;
    }
  }
  // A malformed request line is answered by the HTTP library, with the
  // headers and a google.rpc.Status body too.
  HttpReply malformed = Send(Request("GET", "/v1/%zz%"));
  EXPECT_GE(malformed.status, 400);
  ExpectSecurityHeaders(malformed, "malformed");

  // An event stream's response.
  auto stream = EventStream::Open(
      Request("GET", base_ + "/v1/AlertService/StreamAlerts", {key}));
  ASSERT_EQ(stream->AwaitStatus(absl::Seconds(20)), 200);
  const HttpReply events = stream->reply();
  ExpectSecurityHeaders(events, "event stream");
  EXPECT_EQ(events.Header("Cache-Control"), "no-store");
}

TEST_F(HttpSecurityTest, NoCorsByDefaultAndCrossOriginWritesRefused) {
  StartServer();
  const std::string key = Bearer(tenant_.key);
  const std::string evil = "Origin: https://evil.example";
  // A cross-origin read is answered without CORS headers: the browser keeps
  // it from the page.
  HttpReply read = Send(Request("GET", "/v1/AlertService/ListAlerts",
                                {key, evil}));
  EXPECT_EQ(read.status, 200);
  EXPECT_FALSE(read.HasHeader("Access-Control-Allow-Origin"));
  // Writes from another origin (by Origin, or by Sec-Fetch-Site) are refused
  // before they reach the service.
  HttpReply write = Send(Request("POST", "/v1/ReviewService/IngestReviews",
                                 {key, evil},
                                 absl::StrCat(R"({"reviews":[)",
                                              ReviewJson("x1", "ok", 5),
                                              "]}")));
  EXPECT_EQ(write.status, 403);
  EXPECT_THAT(write.body, HasSubstr("cross-origin request refused"));
  EXPECT_EQ(Send(Request("POST", "/v1/ReviewService/AnalyzeText",
                         {key, "Sec-Fetch-Site: cross-site"},
                         R"({"text":"x"})"))
                .status,
            403);
  EXPECT_EQ(Send(Request("POST", "/v1/ReviewService/AnalyzeText",
                         {key, "Origin: null"}, R"({"text":"x"})"))
                .status,
            403);
  HttpReply preflight =
      Send(Request("OPTIONS", "/v1/ReviewService/IngestReviews",
                   {evil, "Access-Control-Request-Method: POST",
                    "Access-Control-Request-Headers: authorization"}));
  EXPECT_EQ(preflight.status, 403);
  EXPECT_FALSE(preflight.HasHeader("Access-Control-Allow-Origin"));
  // Nothing was ingested.
  auto list = GetWithKey(base_, "/v1/ReviewService/ListReviews", tenant_.key);
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(list->body, Not(HasSubstr("x1")));
  // The page's own origin (as a browser sends it) may write.
  const std::string own = "Origin: " + base_;
  EXPECT_EQ(Send(Request("POST", "/v1/ReviewService/AnalyzeText",
                         {key, own, "Sec-Fetch-Site: same-origin"},
                         R"({"text":"x"})"))
                .status,
            200);
}

TEST_F(HttpSecurityTest, AllowedOriginsGetCors) {
  StartServer({"--http-allowed-origins=https://app.example,http://localhost:3000"});
  const std::string key = Bearer(tenant_.key);
  HttpReply preflight =
      Send(Request("OPTIONS", "/v1/ReviewService/AnalyzeText",
                   {"Origin: https://app.example",
                    "Access-Control-Request-Method: POST",
                    "Access-Control-Request-Headers: authorization, "
                    "content-type"}));
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.Header("Access-Control-Allow-Origin"),
            "https://app.example");
  EXPECT_THAT(preflight.Header("Access-Control-Allow-Methods"),
              HasSubstr("POST"));
  EXPECT_THAT(preflight.Header("Access-Control-Allow-Headers"),
              HasSubstr("Authorization"));
  EXPECT_EQ(preflight.Header("Vary"), "Origin");
  HttpReply write = Send(Request("POST", "/v1/ReviewService/AnalyzeText",
                                 {key, "Origin: https://app.example",
                                  "Sec-Fetch-Site: cross-site"},
                                 R"({"text":"x"})"));
  EXPECT_EQ(write.status, 200) << write.body;
  EXPECT_EQ(write.Header("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(write.Header("Access-Control-Expose-Headers"), "Retry-After");
  // Any other origin is still refused, and gets no CORS headers.
  HttpReply other = Send(Request("POST", "/v1/ReviewService/AnalyzeText",
                                 {key, "Origin: https://app.example.evil"},
                                 R"({"text":"x"})"));
  EXPECT_EQ(other.status, 403);
  EXPECT_FALSE(other.HasHeader("Access-Control-Allow-Origin"));
  HttpReply read = Send(Request("GET", "/v1/AlertService/ListAlerts",
                                {key, "Origin: https://other.example"}));
  EXPECT_EQ(read.status, 200);
  EXPECT_FALSE(read.HasHeader("Access-Control-Allow-Origin"));
}

TEST_F(HttpSecurityTest, BadAllowListStopsTheServer) {
  auto server = StartHttpServer({"--http-allowed-origins=*"});
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(server.status().message(), HasSubstr("--http-allowed-origins"));
}

TEST_F(HttpSecurityTest, KeysNeverInUrlsOrTheLog) {
  StartServer();
  const std::string secret = tenant_.key;
  for (const char* name : {"key", "api_key", "access_token", "token"}) {
    HttpReply reply =
        Send(Request("GET", absl::StrCat("/v1/ReviewService/ListReviews?",
                                         name, "=", secret)));
    EXPECT_EQ(reply.status, 400) << name;
    EXPECT_THAT(reply.body, HasSubstr("Authorization header"));
    EXPECT_THAT(reply.body, Not(HasSubstr(secret)));
  }
  // Calls with the key in its header, good and bad.
  ASSERT_EQ(Send(Request("GET", "/v1/ReviewService/ListReviews",
                         {Bearer(secret)}))
                .status,
            200);
  ASSERT_EQ(Send(Request("GET", "/v1/ReviewService/ListReviews",
                         {Bearer(secret + "x")}))
                .status,
            401);
  // Stopped, the server has written every line (the failed-authentication
  // count too).
  ASSERT_EQ(*server_->Stop(SIGTERM), 0);
  const std::string log = server_->Log();
  EXPECT_THAT(log, HasSubstr("http method=GET path=/v1/ReviewService/"
                             "ListReviews status=400"));
  EXPECT_THAT(log, HasSubstr("http method=GET path=/v1/ReviewService/"
                             "ListReviews status=401"));
  EXPECT_THAT(log, HasSubstr("failed authentication"));
  EXPECT_THAT(log, Not(HasSubstr(secret)));
  EXPECT_THAT(log, Not(HasSubstr(server_->admin_key())));
  EXPECT_THAT(log, Not(HasSubstr("Bearer")));
}

TEST_F(HttpSecurityTest, RateLimitIs429WithRetryAfter) {
  // A bucket of 3 calls per key: the operator key makes the tenant and two
  // keys.
  StartServer({"--rate-limit-rps=0.5", "--rate-limit-burst=3"});
  auto reader = CreateKeyOverHttp(base_, server_->admin_key(), tenant_.tenant,
                                  {"ROLE_READ"});
  ASSERT_TRUE(reader.ok()) << reader.status();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Send(Request("GET", "/v1/AlertService/ListAlerts",
                           {Bearer(reader->key)}))
                  .status,
              200);
  }
  HttpReply second =
      Send(Request("GET", "/v1/AlertService/ListAlerts", {Bearer(reader->key)}));
  EXPECT_EQ(second.status, 429) << second.body;
  int retry_after = 0;
  ASSERT_TRUE(absl::SimpleAtoi(second.Header("Retry-After"), &retry_after))
      << second.Header("Retry-After");
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 2);
  EXPECT_THAT(second.body, HasSubstr("google.rpc.RetryInfo"));
  EXPECT_THAT(second.body, HasSubstr("\"code\":8"));
}

TEST_F(HttpSecurityTest, AnotherServersPortIsNotShared) {
  StartServer();
  const std::string address = base_.substr(7);  // after "http://"
  auto second = StartHttpServer({"--http-listen=" + address});
  ASSERT_FALSE(second.ok()) << "two servers on " << address;
  EXPECT_THAT(second.status().message(), HasSubstr("cannot listen on"));
}

TEST_F(HttpSecurityTest, TakenDefaultPortStartsWithoutHttp) {
  // Hold 127.0.0.1:8080 (unless something else already does).
  const int holder = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(holder, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(8080);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof(address)) ==
      0) {
    ASSERT_EQ(listen(holder, 1), 0);
  }
  auto server = ServerProcess::Start({"--http-listen=127.0.0.1:8080"});
  close(holder);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_THAT((*server)->Log(), HasSubstr("no HTTP API: the default "
                                          "--http-listen port is taken"));
  EXPECT_EQ(HttpBaseUrl(**server), "");
}

TEST_F(HttpSecurityTest, HttpsWithTheServersCertificate) {
  std::string dir = ::testing::TempDir() + "/https_XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  auto cert = MakeSelfSignedCert(dir);
  ASSERT_TRUE(cert.ok()) << cert.status();
  auto server = StartHttpServer({"--tls-cert=" + cert->cert_path,
                                 "--tls-key=" + cert->key_path});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string base = HttpBaseUrl(**server);
  ASSERT_EQ(base.rfind("https://", 0), 0u) << base;
  HttpRequest request;
  request.url = base + "/v1/openapi.json";
  request.ca_file = cert->cert_path;
  auto reply = Fetch(request);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, 200);
  ExpectSecurityHeaders(*reply, "https");
  // An authenticated call over HTTPS, by the key the server bootstrapped.
  HttpRequest call;
  call.method = "POST";
  call.url = base + "/v1/AdminService/ListTenants";
  call.headers = {Bearer((*server)->admin_key()),
                  "Content-Type: application/json"};
  call.body = "{}";
  call.ca_file = cert->cert_path;
  auto tenants = Fetch(call);
  ASSERT_TRUE(tenants.ok()) << tenants.status();
  EXPECT_EQ(tenants->status, 200) << tenants->body;
  // Without trusting the certificate, or in plain HTTP: no answer.
  request.ca_file = "";
  EXPECT_FALSE(Fetch(request).ok());
  HttpRequest plain;
  plain.url = "http://" + base.substr(8) + "/v1/openapi.json";
  auto refused = Fetch(plain);
  EXPECT_TRUE(!refused.ok() || refused->status != 200);
  server->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace opinia::testing
