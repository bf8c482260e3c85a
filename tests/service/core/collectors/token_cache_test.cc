// TokenCache against a real loopback token endpoint: the OAuth 2.0
// refresh-token grant (client in the body or HTTP Basic), the Google
// service-account JWT-bearer grant (assertion verified with the key's
// public half), App Store Connect ES256 tokens made locally; reuse,
// refresh before expiry, single-flight under concurrent callers,
// invalidation after a 401 (one refresh for many 401s), a rejected refresh
// token (UNAUTHENTICATED, then back-off without calls), 5xx, and the
// outbound policy applied to the token endpoint.
#include "service/core/collectors/token_cache.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "service/core/collectors/json_value.h"
#include "service/core/util/clock.h"
#include "service/core/util/http_client.h"
#include "tests/testing/http_server.h"
#include "tests/testing/loopback_outbound.h"
#include "tests/testing/test_keys.h"

namespace opinia::core::collectors {
namespace {

using opinia::testing::HttpRequest;
using opinia::testing::HttpResponse;
using opinia::testing::HttpServer;
using opinia::testing::JwtParts;
using opinia::testing::NewPrivateKeyPem;
using opinia::testing::VerifyJwt;

// A platform with the given authentication and the default headers.
class AuthPlatform : public Platform {
 public:
  explicit AuthPlatform(AuthSpec auth)
      : Platform(opinia::v1::JSON_FEED, "Test", SortOrder::kNone,
                 {{}, nullptr, std::move(auth)}) {}
  absl::StatusOr<MappedPage> ParsePage(std::string_view,
                                       const FeedMapping&) const override {
    return MappedPage();
  }
};

std::string Header(const HttpHeaders& headers, const std::string& name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return "";
}

// The form fields of a token request, decoded.
std::map<std::string, std::string> FormOf(const std::string& body) {
  std::map<std::string, std::string> out;
  for (absl::string_view pair : absl::StrSplit(body, '&')) {
    const size_t eq = pair.find('=');
    std::string value(pair.substr(eq + 1));
    std::string decoded;
    for (size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '%' && i + 2 < value.size()) {
        decoded.push_back(static_cast<char>(
            std::stoi(value.substr(i + 1, 2), nullptr, 16)));
        i += 2;
      } else {
        decoded.push_back(value[i]);
      }
    }
    out[std::string(pair.substr(0, eq))] = decoded;
  }
  return out;
}

class TokenCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto http = CreateCurlHttpClient(opinia::testing::LoopbackAllowed());
    ASSERT_TRUE(http.ok());
    http_ = *std::move(http);
    auto server = HttpServer::Start([this](const HttpRequest& r) {
      return Answer(r);
    });
    ASSERT_TRUE(server.ok());
    server_ = *std::move(server);
    options_.initial_backoff = absl::Seconds(30);
    options_.call.timeout = absl::Seconds(2);
    cache_ = std::make_unique<TokenCache>(http_.get(), &clock_, options_);
  }

  // The token endpoint: access tokens "at-1", "at-2", ... valid
  // `expires_in` seconds, or the configured failure.
  HttpResponse Answer(const HttpRequest& r) {
    const int n = ++issued_;
    if (reject) {
      return HttpResponse{400, {{"Content-Type", "application/json"}},
                          R"({"error":"invalid_grant",
                              "error_description":"Token has been expired or revoked: SECRET-DETAIL"})"};
    }
    if (busy) return HttpResponse::Status(503, "busy");
    HttpResponse ok = HttpResponse::Json(absl::StrCat(
        R"({"access_token":"at-)", n, R"(","token_type":"Bearer","expires_in":)",
        expires_in,
        rotate ? absl::StrCat(R"(,"refresh_token":"rt-)", n + 1, "\"")
               : std::string(),
        "}"));
    ok.delay = delay;
    return ok;
  }

  Credentials OAuth() {
    Credentials c;
    c["client_id"] = "cid";
    c["client_secret"] = "c&secret";
    c["refresh_token"] = "1//refresh";
    c["token_endpoint"] = server_->Url("/token");
    return c;
  }

  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<HttpServer> server_;
  FakeClock clock_{absl::FromUnixSeconds(1764900000)};
  TokenCacheOptions options_;
  std::unique_ptr<TokenCache> cache_;
  AuthPlatform google_{{{AuthKind::kBearerToken, AuthKind::kOAuthRefreshToken},
                        kGoogleTokenEndpoint,
                        OAuthClientAuth::kBody}};
  std::atomic<int> issued_{0};
  std::atomic<bool> reject{false}, busy{false}, rotate{false};
  int expires_in = 3600;
  absl::Duration delay = absl::ZeroDuration();
};

TEST_F(TokenCacheTest, StaticBearerTokenIsUsedAsGiven) {
  Credentials c;
  c["bearer_token"] = "static";
  auto h = cache_->Headers("t/collectors/1", google_, c);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(Header(*h, "Authorization"), "Bearer static");
  EXPECT_FALSE(cache_->Invalidate("t/collectors/1", google_, c, *h))
      << "nothing to refresh: a retry cannot help";
  EXPECT_EQ(server_->RequestCount(), 0u);
}

TEST_F(TokenCacheTest, RefreshTokenGrantIsReusedAndRenewedBeforeExpiry) {
  auto h = cache_->Headers("t/collectors/1", google_, OAuth());
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(Header(*h, "Authorization"), "Bearer at-1");
  ASSERT_EQ(server_->RequestCount(), 1u);
  const HttpRequest req = server_->Requests()[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.path, "/token");
  EXPECT_EQ(req.Header("content-type"), "application/x-www-form-urlencoded");
  auto form = FormOf(req.body);
  EXPECT_EQ(form["grant_type"], "refresh_token");
  EXPECT_EQ(form["refresh_token"], "1//refresh");
  EXPECT_EQ(form["client_id"], "cid");
  EXPECT_EQ(form["client_secret"], "c&secret");
  EXPECT_EQ(req.Header("authorization"), "");

  // Reused while fresh: 54 minutes later still at-1, no request.
  clock_.Advance(absl::Minutes(54));
  h = cache_->Headers("t/collectors/1", google_, OAuth());
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(Header(*h, "Authorization"), "Bearer at-1");
  EXPECT_EQ(server_->RequestCount(), 1u);
  // Within the 5 minute margin of its expiry: renewed.
  clock_.Advance(absl::Minutes(2));
  h = cache_->Headers("t/collectors/1", google_, OAuth());
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(Header(*h, "Authorization"), "Bearer at-2");
  EXPECT_EQ(cache_->refreshes(), 2);
  // Another collector has its own token.
  h = cache_->Headers("t/collectors/2", google_, OAuth());
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(Header(*h, "Authorization"), "Bearer at-3");
}

TEST_F(TokenCacheTest, BasicClientAuthentication) {
  AuthPlatform allegro({{AuthKind::kOAuthRefreshToken},
                        kAllegroTokenEndpoint,
                        OAuthClientAuth::kBasic});
  auto h = cache_->Headers("t/collectors/1", allegro, OAuth());
  ASSERT_TRUE(h.ok()) << h.status();
  const HttpRequest req = server_->Requests()[0];
  EXPECT_EQ(req.Header("authorization"),
            absl::StrCat("Basic ", absl::Base64Escape("cid:c%26secret")));
  auto form = FormOf(req.body);
  EXPECT_EQ(form.count("client_secret"), 0u);
  EXPECT_EQ(form["grant_type"], "refresh_token");
}

TEST_F(TokenCacheTest, RotatedRefreshTokenIsUsedAndReported) {
  rotate = true;
  std::vector<std::string> rotations;
  options_.on_rotated = [&](const std::string& key, const std::string& old,
                            const std::string& fresh) {
    rotations.push_back(absl::StrCat(key, " ", old, " -> ", fresh));
    return absl::OkStatus();
  };
  TokenCache cache(http_.get(), &clock_, options_);
  ASSERT_TRUE(cache.Headers("t/collectors/1", google_, OAuth()).ok());
  clock_.Advance(absl::Hours(2));
  // The caller still holds the spent token: the cache uses the new one.
  ASSERT_TRUE(cache.Headers("t/collectors/1", google_, OAuth()).ok());
  auto requests = server_->Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(FormOf(requests[0].body)["refresh_token"], "1//refresh");
  EXPECT_EQ(FormOf(requests[1].body)["refresh_token"], "rt-2");
  EXPECT_EQ(rotations,
            (std::vector<std::string>{"t/collectors/1 1//refresh -> rt-2",
                                      "t/collectors/1 rt-2 -> rt-3"}));
  // A refresh token a person gives anew is used as given.
  Credentials renewed = OAuth();
  renewed["refresh_token"] = "1//fresh";
  ASSERT_TRUE(cache.Headers("t/collectors/1", google_, renewed).ok());
  EXPECT_EQ(FormOf(server_->Requests()[2].body)["refresh_token"], "1//fresh");
}

TEST_F(TokenCacheTest, OneRefreshForConcurrentCallers) {
  delay = absl::Milliseconds(300);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto h = cache_->Headers("t/collectors/1", google_, OAuth());
      if (h.ok() && Header(*h, "Authorization") == "Bearer at-1") ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(server_->RequestCount(), 1u);
}

TEST_F(TokenCacheTest, InvalidateAfter401RefreshesOnceForManyCallers) {
  auto used = cache_->Headers("t/collectors/1", google_, OAuth());
  ASSERT_TRUE(used.ok());
  delay = absl::Milliseconds(200);
  std::vector<std::thread> threads;
  std::atomic<int> fresh{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      // Each request sent with at-1 came back 401.
      EXPECT_TRUE(
          cache_->Invalidate("t/collectors/1", google_, OAuth(), *used));
      auto h = cache_->Headers("t/collectors/1", google_, OAuth());
      if (h.ok() && Header(*h, "Authorization") == "Bearer at-2") ++fresh;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(fresh.load(), 6);
  EXPECT_EQ(server_->RequestCount(), 2u) << "one refresh for six 401s";
}

TEST_F(TokenCacheTest, RejectedRefreshTokenBacksOff) {
  reject = true;
  auto h = cache_->Headers("t/collectors/1", google_, OAuth());
  ASSERT_EQ(h.status().code(), absl::StatusCode::kUnauthenticated);
  const std::string m(h.status().message());
  EXPECT_NE(m.find("invalid_grant"), std::string::npos) << m;
  EXPECT_NE(m.find("HTTP 400"), std::string::npos) << m;
  EXPECT_EQ(m.find("SECRET-DETAIL"), std::string::npos) << m;
  EXPECT_EQ(m.find("1//refresh"), std::string::npos) << m;
  // Within the back-off: the same answer, no request.
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(absl::Seconds(5));
    EXPECT_EQ(cache_->Headers("t/collectors/1", google_, OAuth())
                  .status()
                  .code(),
              absl::StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(server_->RequestCount(), 1u);
  // After it: one more attempt, then twice as long (60 s).
  clock_.Advance(absl::Seconds(10));
  EXPECT_FALSE(cache_->Headers("t/collectors/1", google_, OAuth()).ok());
  EXPECT_EQ(server_->RequestCount(), 2u);
  clock_.Advance(absl::Seconds(45));
  EXPECT_FALSE(cache_->Headers("t/collectors/1", google_, OAuth()).ok());
  EXPECT_EQ(server_->RequestCount(), 2u);
  // New credentials start afresh, and work.
  reject = false;
  Credentials renewed = OAuth();
  renewed["refresh_token"] = "1//new";
  auto ok = cache_->Headers("t/collectors/1", google_, renewed);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(server_->RequestCount(), 3u);
}

TEST_F(TokenCacheTest, UnavailableTokenEndpoint) {
  busy = true;
  auto h = cache_->Headers("t/collectors/1", google_, OAuth());
  EXPECT_EQ(h.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(h.status().message().find("HTTP 503"), std::string::npos);
  server_->Stop();
  clock_.Advance(absl::Minutes(1));
  h = cache_->Headers("t/collectors/1", google_, OAuth());
  EXPECT_EQ(h.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(TokenCacheTest, TokenEndpointGoesThroughTheOutboundPolicy) {
  static const OutboundPolicy* const strict = new OutboundPolicy();
  auto http = CreateCurlHttpClient(strict);
  ASSERT_TRUE(http.ok());
  TokenCache cache(http->get(), &clock_);
  auto h = cache.Headers("t/collectors/1", google_, OAuth());
  EXPECT_EQ(h.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(h.status().message().find(kDestinationNotAllowed),
            std::string::npos)
      << h.status();
  EXPECT_EQ(server_->RequestCount(), 0u);
  // And validation refuses a literal refused address at once.
  absl::Status v = CheckAuthCredentials(google_, OAuth(), *strict,
                                        "collector.credentials");
  EXPECT_EQ(v.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(v.message().find("collector.credentials[\"token_endpoint\"]"),
            std::string::npos)
      << v;
}

TEST_F(TokenCacheTest, ServiceAccountJwtBearerGrant) {
  AuthPlatform play({{AuthKind::kGoogleServiceAccount},
                     "",
                     OAuthClientAuth::kBody,
                     kAndroidPublisherScope});
  const std::string pem = NewPrivateKeyPem(/*ec=*/false);
  const std::string json = opinia::testing::ServiceAccountKeyJson(
      "opinia@project.iam.gserviceaccount.com", pem, server_->Url("/token"));
  Credentials c;
  c["service_account_json"] = json;
  ASSERT_TRUE(CheckAuthCredentials(play, c, *opinia::testing::LoopbackAllowed(),
                                   "collector.credentials")
                  .ok());
  auto h = cache_->Headers("t/collectors/9", play, c);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(Header(*h, "Authorization"), "Bearer at-1");
  const HttpRequest req = server_->Requests()[0];
  auto form = FormOf(req.body);
  EXPECT_EQ(form["grant_type"], "urn:ietf:params:oauth:grant-type:jwt-bearer");
  const std::string assertion = form["assertion"];
  EXPECT_TRUE(VerifyJwt(assertion, pem, /*ec=*/false));
  auto parts = JwtParts(assertion);
  ASSERT_EQ(parts.size(), 3u);
  auto header = ParseJson(parts[0]);
  auto claims = ParseJson(parts[1]);
  ASSERT_TRUE(header.ok() && claims.ok());
  EXPECT_EQ(*ScalarText(FindPath(*header, "alg")), "RS256");
  EXPECT_EQ(*ScalarText(FindPath(*header, "kid")), "kid-1");
  EXPECT_EQ(*ScalarText(FindPath(*claims, "iss")),
            "opinia@project.iam.gserviceaccount.com");
  EXPECT_EQ(*ScalarText(FindPath(*claims, "scope")),
            "https://www.googleapis.com/auth/androidpublisher");
  EXPECT_EQ(*ScalarText(FindPath(*claims, "aud")), server_->Url("/token"));
  EXPECT_EQ(*ScalarText(FindPath(*claims, "iat")), "1764900000");
  EXPECT_EQ(*ScalarText(FindPath(*claims, "exp")), "1764903600");

  // A key file without a private key is refused by validation.
  Credentials bad;
  bad["service_account_json"] = R"({"client_email":"x@y"})";
  absl::Status v = CheckAuthCredentials(
      play, bad, *opinia::testing::LoopbackAllowed(), "collector.credentials");
  EXPECT_EQ(v.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(v.message().find("service_account_json"), std::string::npos);
}

TEST_F(TokenCacheTest, AppStoreConnectEs256TokenMadeLocally) {
  AuthPlatform asc({{AuthKind::kAppStoreConnectKey}});
  const std::string pem = NewPrivateKeyPem(/*ec=*/true);
  Credentials c;
  c["issuer_id"] = "57246542-96fe-1a63-e053-0824d011072a";
  c["key_id"] = "2X9R4HXF34";
  c["private_key"] = pem;
  ASSERT_TRUE(CheckAuthCredentials(asc, c, *opinia::testing::LoopbackAllowed(),
                                   "collector.credentials")
                  .ok());
  auto h = cache_->Headers("t/collectors/5", asc, c);
  ASSERT_TRUE(h.ok()) << h.status();
  const std::string auth = Header(*h, "Authorization");
  ASSERT_EQ(auth.rfind("Bearer ", 0), 0u);
  const std::string jwt = auth.substr(7);
  EXPECT_TRUE(VerifyJwt(jwt, pem, /*ec=*/true));
  auto parts = JwtParts(jwt);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2].size(), 64u);
  auto header = ParseJson(parts[0]);
  auto claims = ParseJson(parts[1]);
  ASSERT_TRUE(header.ok() && claims.ok());
  EXPECT_EQ(*ScalarText(FindPath(*header, "alg")), "ES256");
  EXPECT_EQ(*ScalarText(FindPath(*header, "kid")), "2X9R4HXF34");
  EXPECT_EQ(*ScalarText(FindPath(*claims, "iss")),
            "57246542-96fe-1a63-e053-0824d011072a");
  EXPECT_EQ(*ScalarText(FindPath(*claims, "aud")), "appstoreconnect-v1");
  const int64_t iat = std::stoll(*ScalarText(FindPath(*claims, "iat")));
  const int64_t exp = std::stoll(*ScalarText(FindPath(*claims, "exp")));
  EXPECT_EQ(iat, 1764900000);
  EXPECT_GT(exp, iat);
  EXPECT_LE(exp - iat, 20 * 60) << "Apple refuses more than 20 minutes";
  EXPECT_EQ(server_->RequestCount(), 0u) << "no token endpoint";

  // Reused while fresh, regenerated before it expires.
  clock_.Advance(absl::Minutes(5));
  auto again = cache_->Headers("t/collectors/5", asc, c);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Header(*again, "Authorization"), auth);
  clock_.Advance(absl::Minutes(10));
  again = cache_->Headers("t/collectors/5", asc, c);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(Header(*again, "Authorization"), auth);
  EXPECT_EQ(cache_->refreshes(), 2);

  // An RSA key is not an App Store Connect key.
  c["private_key"] = NewPrivateKeyPem(/*ec=*/false);
  absl::Status v = CheckAuthCredentials(
      asc, c, *opinia::testing::LoopbackAllowed(), "collector.credentials");
  EXPECT_EQ(v.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(v.message().find("collector.credentials[\"private_key\"]"),
            std::string::npos)
      << v;
}

}  // namespace
}  // namespace opinia::core::collectors
