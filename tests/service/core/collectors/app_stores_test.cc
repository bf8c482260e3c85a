// Google Play and App Store Connect collectors and replies against loopback
// servers speaking each API's format: paging (Play's token, App Store's
// links.next), edits, existing developer replies, the credentials each API
// takes (a service-account JWT-bearer grant; an ES256 JWT verified with the
// key's public half), 401 then one refresh, 429 with Retry-After, 5xx,
// Google Play's 7-day window (nothing deleted, a warning after a longer
// gap), and the reply calls sent for real and their answers read
// (publish time, policy rejection, App Store Connect's error shape).
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/core/collectors/json_value.h"
#include "tests/service/core/collectors/collector_env.h"
#include "tests/testing/test_keys.h"

namespace opinia::core::collectors {
namespace {

using opinia::testing::JwtParts;
using opinia::testing::NewPrivateKeyPem;
using opinia::testing::VerifyJwt;
using testing::CollectorEnv;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::HttpServer;

constexpr char kPlayPath[] =
    "/androidpublisher/v3/applications/pl.opinia.app/reviews";
constexpr char kAscPath[] = "/v1/apps/1234/customerReviews";
constexpr int64_t kBase = 1764900000;  // the fake clock's start

// One review on a fake store.
struct StoreReview {
  std::string id;
  std::string text;
  int stars = 5;
  int64_t time = 0;  // seconds
  std::string reply;
};

// The token endpoint (OAuth / JWT-bearer) and the store API on one loopback
// server, with the failure knobs.
class FakeStores {
 public:
  HttpResponse Answer(const HttpRequest& r) {
    absl::MutexLock lock(&mu);
    requests.push_back(r);
    if (r.path == "/token") {
      ++token_requests;
      return HttpResponse::Json(absl::StrCat(R"({"access_token":"at-)",
                                             token_requests,
                                             R"(","expires_in":3600})"));
    }
    const std::string auth = r.Header("authorization");
    if (!reject_auth.empty() && auth == reject_auth) {
      reject_auth.clear();
      ++rejected;
      return HttpResponse::Status(401, R"({"error":{"code":401}})");
    }
    seen_auth.push_back(auth);
    if (throttle > 0) {
      --throttle;
      return HttpResponse::TooManyRequests(7);
    }
    if (errors > 0) {
      --errors;
      return HttpResponse::Status(503, "{}");
    }
    if (r.method == "POST" || r.method == "DELETE") {
      replies.push_back(r);
      return reply_answer;
    }
    if (r.path == kPlayPath) return PlayPage(r);
    if (r.path == kAscPath) return AscPage(r);
    return HttpResponse::Status(404);
  }

  // Newest first, `page_size` a page, token = offset.
  HttpResponse PlayPage(const HttpRequest& r) {
    int start = 0;
    if (const size_t at = r.query.find("token="); at != std::string::npos) {
      start = std::stoi(r.query.substr(at + 6));
    }
    std::string body = R"({"reviews": [)";
    const int n = static_cast<int>(play.size());
    for (int i = start; i < std::min(n, start + page_size); ++i) {
      const StoreReview& v = play[i];
      absl::StrAppend(
          &body, i > start ? "," : "", R"({"reviewId":")", v.id,
          R"(","authorName":"Użytkownik )", v.id,
          R"(","comments":[{"userComment":{"text":"\t)", v.text,
          R"(","lastModified":{"seconds":")", v.time,
          R"(","nanos":5000},"starRating":)", v.stars,
          R"(,"reviewerLanguage":"pl","device":"a52","appVersionName":"2.1"}})");
      if (!v.reply.empty()) {
        absl::StrAppend(&body, R"(,{"developerComment":{"text":")", v.reply,
                        R"(","lastModified":{"seconds":")", v.time + 60,
                        R"("}}})");
      }
      absl::StrAppend(&body, "]}");
    }
    absl::StrAppend(&body, "]");
    if (start + page_size < n) {
      absl::StrAppend(&body, R"(,"tokenPagination":{"nextPageToken":")",
                      start + page_size, R"("})");
    }
    absl::StrAppend(&body, R"(,"pageInfo":{"totalResults":)", n, "}}");
    return HttpResponse::Json(body);
  }

  HttpResponse AscPage(const HttpRequest& r) {
    ++asc_pages;
    int start = 0;
    if (const size_t at = r.query.find("cursor="); at != std::string::npos) {
      start = std::stoi(r.query.substr(at + 7));
    }
    std::string body = R"({"data": [)";
    std::string included;
    const int n = static_cast<int>(asc.size());
    for (int i = start; i < std::min(n, start + page_size); ++i) {
      const StoreReview& v = asc[i];
      absl::StrAppend(
          &body, i > start ? "," : "",
          R"({"type":"customerReviews","id":")", v.id,
          R"(","attributes":{"rating":)", v.stars,
          R"(,"title":"Tytuł )", v.id, R"(","body":")", v.text,
          R"(","reviewerNickname":"nick-)", v.id, R"(","createdDate":")",
          absl::FormatTime("%Y-%m-%dT%H:%M:%S-07:00",
                           absl::FromUnixSeconds(v.time),
                           absl::FixedTimeZone(-7 * 3600)),
          R"(","territory":"POL"})");
      if (!v.reply.empty()) {
        absl::StrAppend(&body,
                        R"(,"relationships":{"response":{"data":{)"
                        R"("type":"customerReviewResponses","id":"resp-)",
                        v.id, R"("}}})");
        absl::StrAppend(
            &included, included.empty() ? "" : ",",
            R"({"type":"customerReviewResponses","id":"resp-)", v.id,
            R"(","attributes":{"responseBody":")", v.reply,
            R"(","lastModifiedDate":"2025-12-01T10:00:00Z","state":"PUBLISHED"}})");
      }
      absl::StrAppend(&body, "}");
    }
    absl::StrAppend(&body, R"(], "included": [)", included,
                    R"(], "links": {"self": ")", base, kAscPath, "\"");
    if (start + page_size < n) {
      absl::StrAppend(&body, R"(, "next": ")", base, kAscPath,
                      "?cursor=", start + page_size, "&limit=200&sort=-createdDate",
                      "\"");
    }
    absl::StrAppend(&body, "}}");
    return HttpResponse::Json(body);
  }

  absl::Mutex mu;
  std::string base;
  std::vector<StoreReview> play, asc;
  int page_size = 2;
  int token_requests = 0, rejected = 0, throttle = 0, errors = 0,
      asc_pages = 0;
  std::string reject_auth;
  std::vector<std::string> seen_auth;
  std::vector<HttpRequest> requests, replies;
  HttpResponse reply_answer = HttpResponse::Json("{}");
};

class AppStoresTest : public CollectorEnv {
 protected:
  void SetUp() override {
    CollectorEnv::SetUp();
    auto server =
        HttpServer::Start([this](const HttpRequest& r) { return fake_.Answer(r); });
    ASSERT_TRUE(server.ok());
    server_ = *std::move(server);
    fake_.base = server_->Url("");
    if (!fake_.base.empty() && fake_.base.back() == '/') fake_.base.pop_back();
    for (int i = 0; i < 5; ++i) {
      // Newest first: p0 is the newest.
      fake_.play.push_back({absl::StrCat("p", i), absl::StrCat("Opinia ", i),
                            i == 2 ? 1 : 5, kBase - 3600 * (i + 1),
                            i == 1 ? "Dziękujemy!" : ""});
      fake_.asc.push_back({absl::StrCat("a", i), absl::StrCat("Recenzja ", i),
                           i == 3 ? 2 : 4, kBase - 86400 * (i + 1),
                           i == 0 ? "Dzięki za opinię" : ""});
    }
  }

  opinia::v1::Collector CreatePlay() {
    const std::string json = opinia::testing::ServiceAccountKeyJson(
        "opinia@p.iam.gserviceaccount.com", rsa_pem_, server_->Url("/token"));
    opinia::v1::CreateCollectorRequest req;
    auto* c = req.mutable_collector();
    c->set_kind(opinia::v1::GOOGLE_PLAY);
    c->set_endpoint(server_->Url(kPlayPath));
    (*c->mutable_credentials())["service_account_json"] = json;
    c->set_source("google_play");
    auto created = collectors_->Create(admin_, req);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : opinia::v1::Collector();
  }

  opinia::v1::Collector CreateAsc() {
    opinia::v1::CreateCollectorRequest req;
    auto* c = req.mutable_collector();
    c->set_kind(opinia::v1::APP_STORE_CONNECT);
    c->set_endpoint(server_->Url(kAscPath));
    auto& creds = *c->mutable_credentials();
    creds["issuer_id"] = "69a6de7f-0000-47e3-e053-5b8c7c11a4d1";
    creds["key_id"] = "2X9R4HXF34";
    creds["private_key"] = ec_pem_;
    c->set_source("app_store");
    auto created = collectors_->Create(admin_, req);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : opinia::v1::Collector();
  }

  // The collector's reply call for the stored review `external_id`, with
  // its credentials resolved as the reply worker does (token_cache.h),
  // sent for real; the platform's reading of the answer.
  ReplyResult Reply(const opinia::v1::Collector& c, const std::string& source,
                    const std::string& external_id, ReplyAction action,
                    const std::string& text, absl::Status* build = nullptr) {
    const Platform& platform = **PlatformFor(c.kind());
    storage::CollectorRow row;
    EXPECT_TRUE(store_
                    ->Read([&](storage::Txn& txn) -> absl::Status {
                      auto id = ParseCollectorName(c.name(), "name");
                      auto r = txn.collectors().GetCollector("shop-a", *id);
                      if (!r.ok()) return r.status();
                      row = *r;
                      return absl::OkStatus();
                    })
                    .ok());
    opinia::v1::Collector spec;
    spec.ParseFromString(row.spec);
    ReplyTarget target;
    target.endpoint = spec.endpoint();
    auto creds = tokens_->Resolve(CollectorTokenKey("shop-a", c.name()),
                                  platform, spec.credentials());
    EXPECT_TRUE(creds.ok()) << creds.status();
    target.credentials = *creds;
    auto stored = Find(source, external_id);
    EXPECT_TRUE(stored.has_value());
    if (stored.has_value()) target.review.ParseFromString(stored->input);
    target.text = text;
    auto request = platform.BuildReplyRequest(action, target);
    if (build != nullptr) *build = request.status();
    if (!request.ok()) return ReplyResult();
    const std::string_view body = request->body;
    auto result = http_->Send(request->method, request->url, request->headers,
                              request->body.empty() ? nullptr : &body,
                              HttpCallOptions());
    EXPECT_TRUE(result.ok()) << result.status();
    if (!result.ok()) return ReplyResult();
    return platform.ParseReplyResponse(action, result->status, result->body);
  }

  void Answer(HttpResponse answer) {
    absl::MutexLock lock(&fake_.mu);
    fake_.reply_answer = std::move(answer);
  }

  FakeStores fake_;
  std::unique_ptr<HttpServer> server_;
  const std::string rsa_pem_ = NewPrivateKeyPem(/*ec=*/false);
  const std::string ec_pem_ = NewPrivateKeyPem(/*ec=*/true);
};

TEST_F(AppStoresTest, GooglePlayPagesWithAServiceAccount) {
  auto c = CreatePlay();
  auto run = Run(c.name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->created(), 5);
  absl::MutexLock lock(&fake_.mu);
  ASSERT_EQ(fake_.token_requests, 1);
  // The JWT-bearer grant's assertion, signed with the key file's key.
  const HttpRequest& token = fake_.requests[0];
  ASSERT_EQ(token.path, "/token");
  const size_t at = token.body.find("assertion=");
  ASSERT_NE(at, std::string::npos);
  EXPECT_TRUE(VerifyJwt(token.body.substr(at + 10), rsa_pem_, false));
  EXPECT_NE(token.body.find("grant_type=urn%3Aietf%3Aparams%3Aoauth%3A"
                            "grant-type%3Ajwt-bearer"),
            std::string::npos);
  // Three pages by token, each with the access token.
  std::vector<std::string> queries;
  for (const HttpRequest& r : fake_.requests) {
    if (r.path == kPlayPath) queries.push_back(r.query);
  }
  ASSERT_EQ(queries.size(), 3u);
  EXPECT_EQ(queries[0], "maxResults=100");
  EXPECT_EQ(queries[1], "maxResults=100&token=2");
  for (const std::string& a : fake_.seen_auth) EXPECT_EQ(a, "Bearer at-1");
}

TEST_F(AppStoresTest, GooglePlayMapsReviewsRepliesAndEdits) {
  auto c = CreatePlay();
  ASSERT_TRUE(Run(c.name()).ok());
  auto p1 = Find("google_play", "p1");
  ASSERT_TRUE(p1.has_value());
  opinia::v1::ReviewInput p1_input;
  ASSERT_TRUE(p1_input.ParseFromString(p1->input));
  EXPECT_EQ(p1_input.text(), "Opinia 1")
      << "the leading tab Play sends is trimmed";
  EXPECT_EQ(p1->rating, 5);
  EXPECT_EQ(p1->response_text, "Dziękujemy!");
  EXPECT_EQ(p1->status, opinia::v1::RESPONDED);
  auto p2 = Find("google_play", "p2");
  ASSERT_TRUE(p2.has_value());
  EXPECT_EQ(p2->rating, 1);
  opinia::v1::ReviewInput input;
  ASSERT_TRUE(input.ParseFromString(p2->input));
  EXPECT_EQ(input.attributes().at("app_version"), "2.1");
  EXPECT_EQ(input.language_hint(), "pl");
  EXPECT_EQ(input.update_time().seconds(), kBase - 3 * 3600);
  // The user edits p2: new text, lastModified moves.
  {
    absl::MutexLock lock(&fake_.mu);
    fake_.play[2].text = "Jednak działa, poprawiam na 4";
    fake_.play[2].stars = 4;
    fake_.play[2].time = kBase - 60;
  }
  auto again = Run(c.name());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->updated(), 1);
  EXPECT_EQ(again->unchanged(), 4);
  EXPECT_EQ(Find("google_play", "p2")->rating, 4);
}

TEST_F(AppStoresTest, GooglePlayWindowNeverDeletesAndWarnsAfterAGap) {
  auto c = CreatePlay();
  ASSERT_TRUE(Run(c.name()).ok());
  // p3 and p4 age out of Google's 7-day window.
  {
    absl::MutexLock lock(&fake_.mu);
    fake_.play.resize(3);
  }
  clock_.Advance(absl::Hours(24));
  auto full = Run(c.name(), /*full=*/true);
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->deleted(), 0);
  EXPECT_EQ(Count("google_play"), 5);
  EXPECT_EQ(Get(c.name()).state().last_error(), "");
  // Ten days without a successful sync: the run works and warns.
  clock_.Advance(absl::Hours(24 * 10));
  ASSERT_TRUE(Run(c.name()).ok());
  const std::string warning = Get(c.name()).state().last_error();
  EXPECT_NE(warning.find("lists only the last 7 days"), std::string::npos)
      << warning;
  EXPECT_NE(warning.find("10 days"), std::string::npos) << warning;
  // The next run a day later is within the window again.
  clock_.Advance(absl::Hours(24));
  ASSERT_TRUE(Run(c.name()).ok());
  EXPECT_EQ(Get(c.name()).state().last_error(), "");
}

TEST_F(AppStoresTest, GooglePlay401RefreshesOnce429And5xxRetried) {
  auto c = CreatePlay();
  ASSERT_TRUE(Run(c.name()).ok());
  {
    absl::MutexLock lock(&fake_.mu);
    fake_.reject_auth = "Bearer at-1";  // revoked early
    fake_.throttle = 1;
    fake_.errors = 1;
  }
  auto run = Run(c.name());
  ASSERT_TRUE(run.ok()) << run.status();
  absl::MutexLock lock(&fake_.mu);
  EXPECT_EQ(fake_.rejected, 1);
  EXPECT_EQ(fake_.token_requests, 2) << "one refresh after the 401";
  EXPECT_EQ(fake_.seen_auth.back(), "Bearer at-2");
  const auto waits = sleeper_.waits();
  ASSERT_FALSE(waits.empty());
  EXPECT_EQ(waits[0], absl::Seconds(7)) << "Retry-After honoured";
}

TEST_F(AppStoresTest, GooglePlayReplies) {
  auto c = CreatePlay();
  ASSERT_TRUE(Run(c.name()).ok());
  Answer(HttpResponse::Json(
      R"({"result":{"replyText":"Naprawione w 2.2","lastEdited":{"seconds":"1764990000","nanos":0}}})"));
  ReplyResult ok =
      Reply(c, "google_play", "p2", ReplyAction::kPublish, "Naprawione w 2.2");
  EXPECT_TRUE(ok.ok) << ok.error;
  ASSERT_TRUE(ok.publish_time.has_value());
  EXPECT_EQ(absl::ToUnixSeconds(*ok.publish_time), 1764990000);
  {
    absl::MutexLock lock(&fake_.mu);
    ASSERT_EQ(fake_.replies.size(), 1u);
    const HttpRequest& r = fake_.replies[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, std::string(kPlayPath) + "/p2:reply");
    EXPECT_EQ(r.body, R"({"replyText":"Naprawione w 2.2"})");
    EXPECT_EQ(r.Header("authorization"), "Bearer at-1");
    EXPECT_EQ(r.Header("content-type"), "application/json");
  }
  // Google refuses a reply that breaks its policy.
  Answer(HttpResponse{
      400,
      {{"Content-Type", "application/json"}},
      R"({"error":{"code":400,"message":"The reply violates the developer content policy.","status":"INVALID_ARGUMENT"}})"});
  ReplyResult refused =
      Reply(c, "google_play", "p2", ReplyAction::kPublish, "!!!");
  EXPECT_FALSE(refused.ok);
  EXPECT_TRUE(refused.policy_rejection);
  EXPECT_FALSE(refused.retryable);
  EXPECT_NE(refused.error.find("HTTP 400"), std::string::npos);
  // The API has no way to delete a reply.
  absl::Status build;
  Reply(c, "google_play", "p2", ReplyAction::kDelete, "", &build);
  EXPECT_EQ(build.code(), absl::StatusCode::kUnimplemented) << build;
}

TEST_F(AppStoresTest, AppStoreConnectPagesWithAnEs256Jwt) {
  auto c = CreateAsc();
  auto run = Run(c.name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->created(), 5);
  {
    absl::MutexLock lock(&fake_.mu);
    EXPECT_EQ(fake_.token_requests, 0) << "the JWT is made locally";
    EXPECT_EQ(fake_.asc_pages, 3);
    std::vector<std::string> targets;
    for (const HttpRequest& r : fake_.requests) targets.push_back(r.query);
    EXPECT_EQ(targets[0], "sort=-createdDate&limit=200&include=response");
    EXPECT_EQ(targets[1], "cursor=2&limit=200&sort=-createdDate");
    const std::string auth = fake_.seen_auth[0];
    ASSERT_EQ(auth.rfind("Bearer ", 0), 0u);
    const std::string jwt = auth.substr(7);
    EXPECT_TRUE(VerifyJwt(jwt, ec_pem_, /*ec=*/true));
    auto claims = ParseJson(JwtParts(jwt)[1]);
    ASSERT_TRUE(claims.ok());
    EXPECT_EQ(*ScalarText(FindPath(*claims, "aud")), "appstoreconnect-v1");
    for (const std::string& a : fake_.seen_auth) EXPECT_EQ(a, auth);
  }
  auto a0 = Find("app_store", "a0");
  ASSERT_TRUE(a0.has_value());
  EXPECT_EQ(a0->response_text, "Dzięki za opinię");
  opinia::v1::ReviewInput input;
  ASSERT_TRUE(input.ParseFromString(a0->input));
  EXPECT_EQ(input.attributes().at("asc_response_id"), "resp-a0");
  EXPECT_EQ(input.attributes().at("territory"), "POL");
  EXPECT_EQ(input.title(), "Tytuł a0");
  EXPECT_EQ(input.author_name(), "nick-a0");
  EXPECT_EQ(input.create_time().seconds(), kBase - 86400);
  EXPECT_EQ(Find("app_store", "a3")->rating, 2);

  // A new review on top: the incremental run stops after the first page.
  {
    absl::MutexLock lock(&fake_.mu);
    fake_.asc.insert(fake_.asc.begin(),
                     {"a9", "Nowa recenzja", 5, kBase - 600, ""});
    fake_.asc_pages = 0;
  }
  auto again = Run(c.name());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->created(), 1);
  absl::MutexLock lock(&fake_.mu);
  EXPECT_EQ(fake_.asc_pages, 1);
}

TEST_F(AppStoresTest, AppStoreConnect401MakesANewJwtOnce) {
  auto c = CreateAsc();
  ASSERT_TRUE(Run(c.name()).ok());
  std::string first;
  {
    absl::MutexLock lock(&fake_.mu);
    first = fake_.seen_auth[0];
    fake_.reject_auth = first;
  }
  ASSERT_TRUE(Run(c.name(), /*full=*/true).ok());
  absl::MutexLock lock(&fake_.mu);
  EXPECT_EQ(fake_.rejected, 1);
  EXPECT_NE(fake_.seen_auth.back(), first);
  EXPECT_TRUE(VerifyJwt(fake_.seen_auth.back().substr(7), ec_pem_, true));
}

TEST_F(AppStoresTest, AppStoreConnectRepliesAndDeletes) {
  auto c = CreateAsc();
  ASSERT_TRUE(Run(c.name()).ok());
  Answer(HttpResponse{
      201,
      {{"Content-Type", "application/json"}},
      R"({"data":{"type":"customerReviewResponses","id":"resp-new","attributes":{"responseBody":"Dziękujemy","lastModifiedDate":"2025-12-05T08:00:00-08:00","state":"PENDING_PUBLISH"}}})"});
  ReplyResult ok =
      Reply(c, "app_store", "a3", ReplyAction::kPublish, "Dziękujemy \"bardzo\"");
  EXPECT_TRUE(ok.ok) << ok.error;
  ASSERT_TRUE(ok.publish_time.has_value());
  EXPECT_EQ(*ok.publish_time, absl::FromUnixSeconds(1764950400));
  {
    absl::MutexLock lock(&fake_.mu);
    ASSERT_EQ(fake_.replies.size(), 1u);
    const HttpRequest& r = fake_.replies[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/v1/customerReviewResponses");
    auto body = ParseJson(r.body);
    ASSERT_TRUE(body.ok()) << r.body;
    EXPECT_EQ(*ScalarText(FindPath(*body, "data.type")),
              "customerReviewResponses");
    EXPECT_EQ(*ScalarText(FindPath(*body, "data.attributes.responseBody")),
              "Dziękujemy \"bardzo\"");
    EXPECT_EQ(
        *ScalarText(FindPath(*body, "data.relationships.review.data.type")),
        "customerReviews");
    EXPECT_EQ(
        *ScalarText(FindPath(*body, "data.relationships.review.data.id")),
        "a3");
    EXPECT_TRUE(VerifyJwt(r.Header("authorization").substr(7), ec_pem_, true));
  }
  // Delete needs the response id the collector read with the review.
  Answer(HttpResponse::Status(204));
  ReplyResult deleted = Reply(c, "app_store", "a0", ReplyAction::kDelete, "");
  EXPECT_TRUE(deleted.ok) << deleted.error;
  {
    absl::MutexLock lock(&fake_.mu);
    ASSERT_EQ(fake_.replies.size(), 2u);
    EXPECT_EQ(fake_.replies[1].method, "DELETE");
    EXPECT_EQ(fake_.replies[1].path, "/v1/customerReviewResponses/resp-a0");
  }
  absl::Status build;
  Reply(c, "app_store", "a3", ReplyAction::kDelete, "", &build);
  EXPECT_EQ(build.code(), absl::StatusCode::kFailedPrecondition) << build;
  // App Store Connect's error shape.
  Answer(HttpResponse{
      409,
      {{"Content-Type", "application/json"}},
      R"({"errors":[{"status":"409","code":"STATE_ERROR","title":"The request cannot be fulfilled","detail":"The review has been removed."}]})"});
  ReplyResult conflict = Reply(c, "app_store", "a1", ReplyAction::kPublish, "x");
  EXPECT_FALSE(conflict.ok);
  EXPECT_FALSE(conflict.retryable);
  EXPECT_EQ(conflict.error, "HTTP 409: The review has been removed.");
}

}  // namespace
}  // namespace opinia::core::collectors
