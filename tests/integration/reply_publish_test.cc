// Replies published on review platforms (issue 20 items 1 and 4), against
// the real server binary and a real loopback HTTP server that speaks
// Google Business Profile's and Trustpilot's formats (their review lists,
// their reply calls, their error shapes):
// - publish, edit and delete (GBP PUT/DELETE .../reviews/{id}/reply);
// - 429 with Retry-After, then 5xx, then success; a policy rejection ->
//   FAILED with the platform's message and a REPLY_PUBLISH_FAILED alert;
//   dead-lettered after --reply-max-attempts;
// - reviews that cannot be published: pushed through the API, a feed's, a
//   Trustpilot collector without the business user;
// - exactly once across a SIGKILL between the platform receiving a
//   Trustpilot POST (not idempotent) and the server recording it, and
//   across a restart with a PENDING row;
// - two replicas on one PostgreSQL database send each reply once.
#include <csignal>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "opinia/v1/collectors.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_process.h"
#include "tests/testing/http_server.h"

namespace opinia::testing {
namespace {

using opinia::v1::Review;
using ::testing::HasSubstr;

constexpr char kAllowLoopback[] = "--outbound-allow=127.0.0.0/8,::1/128";
constexpr char kGbpBase[] = "/v4/accounts/1/locations/2/reviews";
constexpr char kGbpTime[] = "2026-11-02T08:30:00Z";

// One platform on loopback: GBP under /v4/..., Trustpilot under /v1/....
// Review ids g1.. (GBP) and t1.. (Trustpilot); each holds at most one
// owner reply. Answers to reply calls can be scripted (a queue per method);
// a Trustpilot POST can be held (stored first, answered only on Release).
class FakePlatform {
 public:
  FakePlatform() {
    auto server = HttpServer::Start(
        [this](const HttpRequest& r) { return Handle(r); });
    EXPECT_TRUE(server.ok()) << server.status();
    if (server.ok()) server_ = *std::move(server);
  }
  ~FakePlatform() { Release(); }

  std::string base() const { return server_->Url(""); }
  void AddReview(const std::string& id) {
    absl::MutexLock l(&mu_);
    reviews_.push_back(id);
  }
  // The next answers to `method` reply calls, before the normal one.
  void Script(const std::string& method, std::vector<HttpResponse> answers) {
    absl::MutexLock l(&mu_);
    for (HttpResponse& a : answers) script_[method].push_back(std::move(a));
  }
  void Hold() {
    absl::MutexLock l(&mu_);
    hold_ = true;
  }
  void Release() {
    absl::MutexLock l(&mu_);
    hold_ = false;
  }
  bool WaitHeld(absl::Duration timeout) {
    absl::MutexLock l(&mu_);
    auto held = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return held_ > 0;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&held), timeout);
  }
  // The owner's reply as the platform shows it, set outside the API (as
  // when a request reached the platform but its answer never came back).
  void SetReply(const std::string& id, const std::string& text) {
    absl::MutexLock l(&mu_);
    replies_[id] = text;
  }
  std::string ReplyOf(const std::string& id) {
    absl::MutexLock l(&mu_);
    auto it = replies_.find(id);
    return it == replies_.end() ? "" : it->second;
  }
  // Reply calls (PUT/POST/DELETE) received, in order.
  std::vector<HttpRequest> Calls() {
    absl::MutexLock l(&mu_);
    return calls_;
  }
  int TokenRequests() {
    absl::MutexLock l(&mu_);
    return token_requests_;
  }
  int CallsOf(const std::string& method) {
    int n = 0;
    for (const HttpRequest& r : Calls()) n += r.method == method;
    return n;
  }

 private:
  // Review `id` in its platform's shape (GBP for "g...", Trustpilot for
  // "t..."), with the owner's reply when it has one.
  std::string ReviewJson(const std::string& id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const bool gbp = id[0] == 'g';
    std::string reply;
    if (auto it = replies_.find(id); it != replies_.end()) {
      reply = absl::StrCat(
          gbp ? R"(, "reviewReply": {"comment": ")"
              : R"(, "companyReply": {"text": ")",
          it->second, gbp ? R"(", "updateTime": ")" : R"(", "createdAt": ")",
          kGbpTime, R"("})");
    }
    if (gbp) {
      return absl::StrCat(
          R"({"reviewId": ")", id, R"(", "reviewer": {"displayName": "Ann"}, )",
          R"("starRating": "TWO", "comment": "Zimna kawa", )",
          R"("createTime": "2026-11-01T10:00:00Z", )",
          R"("updateTime": "2026-11-01T10:00:00Z")", reply, "}");
    }
    return absl::StrCat(R"({"id": ")", id,
                        R"(", "stars": 2, "text": "Slaba obsluga", )",
                        R"("consumer": {"displayName": "Bob"}, )",
                        R"("createdAt": "2026-11-01T10:00:00Z")", reply, "}");
  }
  std::string List(bool gbp) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::string items;
    for (const std::string& id : reviews_) {
      if ((id[0] == 'g') != gbp) continue;
      absl::StrAppend(&items, items.empty() ? "" : ",", ReviewJson(id));
    }
    return absl::StrCat(R"({"reviews": [)", items, "]}");
  }
  // The comment/message of a reply body (the test's texts have no quotes).
  static std::string Field(const std::string& body, const std::string& key) {
    const std::string open = absl::StrCat("\"", key, "\":\"");
    size_t at = body.find(open);
    if (at == std::string::npos) return "";
    at += open.size();
    return body.substr(at, body.find('"', at) - at);
  }

  HttpResponse Handle(const HttpRequest& r) {
    absl::MutexLock l(&mu_);
    const std::string& p = r.path;
    if (p == "/token") {  // an OAuth 2.0 token endpoint
      ++token_requests_;
      return HttpResponse::Json(absl::StrCat(
          R"({"access_token": "fresh-)", token_requests_,
          R"(", "expires_in": 3600, "token_type": "Bearer"})"));
    }
    if (r.method == "GET") {
      if (p == kGbpBase) return HttpResponse::Json(List(true));
      if (p == "/v1/business-units/u1/reviews") {
        return HttpResponse::Json(List(false));
      }
      const std::string id = p.substr(p.rfind('/') + 1);
      return HttpResponse::Json(ReviewJson(id));
    }
    calls_.push_back(r);
    auto& queue = script_[r.method];
    if (!queue.empty()) {
      HttpResponse a = queue.front();
      queue.pop_front();
      return a;
    }
    // .../reviews/{id}/reply
    const std::string rest = p.substr(0, p.rfind("/reply"));
    const std::string id = rest.substr(rest.rfind('/') + 1);
    if (r.method == "DELETE") {
      replies_.erase(id);
      return r.path[1] == 'v' && r.path[2] == '4' ? HttpResponse::Json("{}")
                                                  : HttpResponse::Status(204);
    }
    if (r.method == "PUT") {
      replies_[id] = Field(r.body, "comment");
      return HttpResponse::Json(absl::StrCat(R"({"comment": ")", replies_[id],
                                             R"(", "updateTime": ")",
                                             kGbpTime, R"("})"));
    }
    // Trustpilot POST: stored at once; answered after Release when held.
    replies_[id] = Field(r.body, "message");
    ++held_;
    auto released = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !hold_;
    };
    mu_.Await(absl::Condition(&released));
    --held_;
    return HttpResponse::Status(201, "");
  }

  absl::Mutex mu_;
  std::vector<std::string> reviews_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> replies_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::deque<HttpResponse>> script_ ABSL_GUARDED_BY(mu_);
  std::vector<HttpRequest> calls_ ABSL_GUARDED_BY(mu_);
  bool hold_ ABSL_GUARDED_BY(mu_) = false;
  int token_requests_ ABSL_GUARDED_BY(mu_) = 0;
  int held_ ABSL_GUARDED_BY(mu_) = 0;
  std::unique_ptr<HttpServer> server_;
};

std::vector<std::string> ServerArgs() {
  // A 3 s timeout: a reply in flight when the server was killed is taken
  // up after its claim ends (3 x 3 s).
  return {kAllowLoopback, "--reply-backoff-seconds=0",
          "--reply-max-attempts=3", "--reply-timeout-seconds=3"};
}

// A server, a tenant and the stubs.
class ReplyPublishTest : public ::testing::Test {
 protected:
  void StartServer(std::vector<std::string> args = ServerArgs()) {
    auto server = ServerProcess::Start(std::move(args));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    Connect(*server_);
    auto tenant = CreateTenantWithKey(channel_, server_->admin_key(), "shop");
    ASSERT_TRUE(tenant.ok()) << tenant.status();
    key_ = tenant->key;
  }
  void Connect(const ServerProcess& server) {
    channel_ = server.NewChannel();
    reviews_ = opinia::v1::ReviewService::NewStub(channel_);
    collectors_ = opinia::v1::CollectorService::NewStub(channel_);
    alerts_ = opinia::v1::AlertService::NewStub(channel_);
  }

  // A collector of `kind` on the fake platform, run once: the names of
  // the reviews it stored.
  std::string AddCollector(opinia::v1::CollectorKind kind,
                           bool business_user = true,
                           bool refresh_token = false) {
    opinia::v1::CreateCollectorRequest req;
    opinia::v1::Collector& c = *req.mutable_collector();
    c.set_kind(kind);
    auto& creds = *c.mutable_credentials();
    if (kind == opinia::v1::GOOGLE_BUSINESS_PROFILE) {
      c.set_source("google");
      c.set_endpoint(platform_.base() + kGbpBase);
      if (refresh_token) {  // renewed through the server's token cache
        creds["client_id"] = "cid";
        creds["client_secret"] = "csecret";
        creds["refresh_token"] = "rt";
        creds["token_endpoint"] = platform_.base() + "/token";
      } else {
        creds["bearer_token"] = "gbp-token";
      }
    } else if (kind == opinia::v1::TRUSTPILOT) {
      c.set_source("trustpilot");
      c.set_endpoint(platform_.base() + "/v1/business-units/u1/reviews");
      creds["api_key"] = "tp-key";
      creds["bearer_token"] = "tp-oauth";
      if (business_user) creds["business_user_id"] = "bu-1";
    } else {
      c.set_source("feed");
      c.set_endpoint(platform_.base() + kGbpBase);
      (*c.mutable_mapping())["external_id"] = "reviewId";
      (*c.mutable_mapping())["items"] = "reviews";
      (*c.mutable_mapping())["text"] = "comment";
    }
    opinia::v1::Collector out;
    grpc::Status s =
        collectors_->CreateCollector(ContextWithKey(key_).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    opinia::v1::RunCollectorRequest run;
    run.set_name(out.name());
    opinia::v1::RunCollectorResponse ran;
    s = collectors_->RunCollector(ContextWithKey(key_).get(), run, &ran);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.name();
  }
  // The stored review of platform id `external_id`.
  std::string ReviewNamed(const std::string& external_id) {
    opinia::v1::ListReviewsRequest req;
    req.set_page_size(100);
    opinia::v1::ListReviewsResponse resp;
    grpc::Status s =
        reviews_->ListReviews(ContextWithKey(key_).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    for (const Review& r : resp.reviews()) {
      if (r.input().external_id() == external_id) return r.name();
    }
    ADD_FAILURE() << "no review " << external_id;
    return "";
  }
  grpc::Status Respond(const std::string& name, const std::string& text,
                       bool publish, Review* out) {
    opinia::v1::RecordResponseRequest req;
    req.set_name(name);
    req.mutable_response()->set_text(text);
    req.mutable_response()->set_author("Kasia");
    req.set_publish(publish);
    return reviews_->RecordResponse(ContextWithKey(key_).get(), req, out);
  }
  Review Get(const std::string& name) {
    opinia::v1::GetReviewRequest req;
    req.set_name(name);
    Review out;
    grpc::Status s = reviews_->GetReview(ContextWithKey(key_).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }
  // Waits until the review's reply leaves PENDING / DELETE_PENDING.
  Review WaitSettled(const std::string& name,
                     absl::Duration timeout = absl::Seconds(30)) {
    const absl::Time end = absl::Now() + timeout;
    Review r;
    while (absl::Now() < end) {
      r = Get(name);
      const auto state = r.response().state();
      if (state != opinia::v1::REPLY_PENDING &&
          state != opinia::v1::REPLY_DELETE_PENDING) {
        return r;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    ADD_FAILURE() << "reply of " << name << " still pending: "
                  << r.response().ShortDebugString();
    return r;
  }
  // Starts the server, collects review g1 from the GBP side, publishes
  // `text` as its reply and waits until the reply settles.
  Review PublishOnGbp(const std::string& text) {
    StartServer();
    AddCollector(opinia::v1::GOOGLE_BUSINESS_PROFILE);
    const std::string name = ReviewNamed("g1");
    Review out;
    grpc::Status s = Respond(name, text, true, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return WaitSettled(name);
  }
  std::vector<opinia::v1::Alert> Alerts() {
    opinia::v1::ListAlertsRequest req;
    req.set_page_size(100);
    opinia::v1::ListAlertsResponse resp;
    grpc::Status s = alerts_->ListAlerts(ContextWithKey(key_).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.alerts().begin(), resp.alerts().end()};
  }
  int ReplyAlerts() {
    int n = 0;
    for (const auto& a : Alerts()) {
      n += a.kind() == opinia::v1::REPLY_PUBLISH_FAILED;
    }
    return n;
  }

  FakePlatform platform_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<opinia::v1::ReviewService::Stub> reviews_;
  std::unique_ptr<opinia::v1::CollectorService::Stub> collectors_;
  std::unique_ptr<opinia::v1::AlertService::Stub> alerts_;
  std::string key_;
};

TEST_F(ReplyPublishTest, GbpPublishEditAndDelete) {
  platform_.AddReview("g1");
  ASSERT_NO_FATAL_FAILURE(StartServer());
  const std::string collector =
      AddCollector(opinia::v1::GOOGLE_BUSINESS_PROFILE);
  const std::string name = ReviewNamed("g1");

  Review queued;
  grpc::Status s = Respond(name, "Przepraszamy", /*publish=*/true, &queued);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(queued.status(), opinia::v1::RESPONDED);  // the SLA clock stops
  EXPECT_TRUE(queued.response().state() == opinia::v1::REPLY_PENDING ||
              queued.response().state() == opinia::v1::REPLY_PUBLISHED);
  Review done = WaitSettled(name);
  EXPECT_EQ(done.response().state(), opinia::v1::REPLY_PUBLISHED);
  // The platform's time, not ours.
  EXPECT_EQ(done.response().publish_time().seconds(), 1793608200);
  EXPECT_EQ(done.response().publish_attempts(), 1);
  EXPECT_EQ(done.response().publish_error(), "");
  EXPECT_EQ(platform_.ReplyOf("g1"), "Przepraszamy");
  std::vector<HttpRequest> calls = platform_.Calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "PUT");
  EXPECT_EQ(calls[0].path, absl::StrCat(kGbpBase, "/g1/reply"));
  EXPECT_EQ(calls[0].Header("authorization"), "Bearer gbp-token");
  EXPECT_EQ(calls[0].Header("content-type"), "application/json");
  EXPECT_EQ(calls[0].body, R"({"comment":"Przepraszamy"})");

  // Editing is publishing again.
  ASSERT_TRUE(Respond(name, "Przepraszamy, kawa gratis", true, &queued).ok());
  done = WaitSettled(name);
  EXPECT_EQ(done.response().state(), opinia::v1::REPLY_PUBLISHED);
  EXPECT_EQ(done.response().text(), "Przepraszamy, kawa gratis");
  EXPECT_EQ(platform_.ReplyOf("g1"), "Przepraszamy, kawa gratis");
  EXPECT_EQ(platform_.CallsOf("PUT"), 2);

  // The next sync sees our reply on the platform and changes nothing.
  opinia::v1::RunCollectorRequest run;
  run.set_name(collector);
  opinia::v1::RunCollectorResponse ran;
  ASSERT_TRUE(
      collectors_->RunCollector(ContextWithKey(key_).get(), run, &ran).ok());
  EXPECT_EQ(Get(name).response().state(), opinia::v1::REPLY_PUBLISHED);

  opinia::v1::DeleteResponseRequest del;
  del.set_name(name);
  Review deleting;
  s = reviews_->DeleteResponse(ContextWithKey(key_).get(), del, &deleting);
  ASSERT_TRUE(s.ok()) << s.error_message();
  done = WaitSettled(name);
  EXPECT_EQ(done.response().state(), opinia::v1::REPLY_DELETED);
  EXPECT_EQ(done.status(), opinia::v1::RESPONDED);
  EXPECT_EQ(platform_.ReplyOf("g1"), "");
  calls = platform_.Calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[2].method, "DELETE");
  EXPECT_EQ(calls[2].path, absl::StrCat(kGbpBase, "/g1/reply"));
  EXPECT_EQ(ReplyAlerts(), 0);
}

// A collector with an OAuth refresh token: the reply carries the access
// token the server's token cache got; a 401 renews it once and the reply
// goes out again with the new one.
TEST_F(ReplyPublishTest, RenewableCredentialsAndA401RenewTheTokenOnce) {
  platform_.AddReview("g1");
  platform_.Script("PUT", {HttpResponse::Status(
                              401, R"({"error": {"code": 401, "message": )"
                                   R"("Request had invalid credentials."}})")});
  ASSERT_NO_FATAL_FAILURE(StartServer());
  AddCollector(opinia::v1::GOOGLE_BUSINESS_PROFILE, true,
               /*refresh_token=*/true);
  const int after_sync = platform_.TokenRequests();
  EXPECT_GE(after_sync, 1);
  const std::string name = ReviewNamed("g1");
  Review out;
  ASSERT_TRUE(Respond(name, "Dziekujemy", true, &out).ok());
  const Review done = WaitSettled(name);
  EXPECT_EQ(done.response().state(), opinia::v1::REPLY_PUBLISHED);
  EXPECT_EQ(done.response().publish_attempts(), 1);  // one attempt, retried
  const std::vector<HttpRequest> calls = platform_.Calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].Header("authorization"),
            absl::StrCat("Bearer fresh-", after_sync));
  EXPECT_EQ(calls[1].Header("authorization"),
            absl::StrCat("Bearer fresh-", after_sync + 1));
  EXPECT_EQ(platform_.TokenRequests(), after_sync + 1);
}

TEST_F(ReplyPublishTest, RetryAfterThenServerErrorThenPublished) {
  platform_.AddReview("g1");
  platform_.Script("PUT", {HttpResponse::TooManyRequests(2),
                           HttpResponse::Status(503, R"({"error": {"code": )"
                                                     R"(503, "message": )"
                                                     R"("Backend busy"}})")});
  const Review done = PublishOnGbp("Dziekujemy");
  EXPECT_EQ(done.response().state(), opinia::v1::REPLY_PUBLISHED);
  EXPECT_EQ(done.response().publish_attempts(), 3);
  std::vector<HttpRequest> calls = platform_.Calls();
  ASSERT_EQ(calls.size(), 3u);
  // Retry-After: 2 was honoured although the back-off base is 0.
  EXPECT_GE(calls[1].receive_time - calls[0].receive_time, absl::Seconds(2));
  EXPECT_EQ(ReplyAlerts(), 0);
}

TEST_F(ReplyPublishTest, PolicyRejectionFailsWithThePlatformsErrorAndAlerts) {
  platform_.AddReview("g1");
  platform_.Script(
      "PUT", {HttpResponse::Status(
                 400, R"({"error": {"code": 400, "message": "The reply )"
                      R"(violates the content policy.", "status": )"
                      R"("INVALID_ARGUMENT"}})")});
  const Review done = PublishOnGbp("Spam spam");
  const std::string name = done.name();
  EXPECT_EQ(done.response().state(), opinia::v1::REPLY_FAILED);
  EXPECT_EQ(done.response().publish_error(),
            "HTTP 400: The reply violates the content policy.");
  EXPECT_EQ(done.response().publish_attempts(), 1);  // not retried
  EXPECT_EQ(done.status(), opinia::v1::RESPONDED);
  EXPECT_EQ(platform_.CallsOf("PUT"), 1);
  bool found = false;
  for (const auto& a : Alerts()) {
    if (a.kind() != opinia::v1::REPLY_PUBLISH_FAILED) continue;
    found = true;
    EXPECT_EQ(a.review(), name);
    EXPECT_THAT(a.summary(), HasSubstr("content policy"));
  }
  EXPECT_TRUE(found);
}

TEST_F(ReplyPublishTest, DeadLetteredAfterMaxAttempts) {
  platform_.AddReview("g1");
  std::vector<HttpResponse> errors(5, HttpResponse::Status(500, "oops"));
  platform_.Script("PUT", errors);
  const Review done = PublishOnGbp("Dziekujemy");
  EXPECT_EQ(done.response().state(), opinia::v1::REPLY_FAILED);
  EXPECT_EQ(done.response().publish_attempts(), 3);
  EXPECT_EQ(done.response().publish_error(), "HTTP 500");
  absl::SleepFor(absl::Milliseconds(1500));  // nothing more is sent
  EXPECT_EQ(platform_.CallsOf("PUT"), 3);
  EXPECT_EQ(ReplyAlerts(), 1);
}

TEST_F(ReplyPublishTest, ReviewsThatCannotBePublishedAreRefusedUpFront) {
  platform_.AddReview("g1");
  platform_.AddReview("t1");
  ASSERT_NO_FATAL_FAILURE(StartServer());
  // Pushed through the API: no platform to publish to.
  auto ingested = Ingest(channel_, key_, {MakeReview("pushed-1", 1)});
  ASSERT_TRUE(ingested.ok()) << ingested.status();
  const std::string pushed = ingested->results(0).name();
  Review out;
  grpc::Status s = Respond(pushed, "Dziekujemy", true, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("publish: "));
  EXPECT_THAT(s.error_message(), HasSubstr("pushed through the API"));
  // Nothing was recorded either (one transaction).
  EXPECT_EQ(Get(pushed).response().text(), "");
  // Without publish it is recorded as before.
  ASSERT_TRUE(Respond(pushed, "Dziekujemy", false, &out).ok());
  EXPECT_EQ(out.response().state(), opinia::v1::REPLY_STATE_UNSPECIFIED);

  // A Trustpilot collector without the business user who signs replies.
  AddCollector(opinia::v1::TRUSTPILOT, /*business_user=*/false);
  s = Respond(ReviewNamed("t1"), "Dziekujemy", true, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(),
              HasSubstr("collector.credentials[\"business_user_id\"]"));

  // A feed takes no replies.
  AddCollector(opinia::v1::JSON_FEED);
  const std::string fed = ReviewNamed("g1");
  s = Respond(fed, "Dziekujemy", true, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("JSON_FEED"));
  opinia::v1::DeleteResponseRequest del;
  del.set_name(pushed);
  s = reviews_->DeleteResponse(ContextWithKey(key_).get(), del, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("name: "));
  EXPECT_TRUE(platform_.Calls().empty());
}

// Item 4's last point: the server is SIGKILLed after Trustpilot stored the
// reply and before the server recorded the answer. Trustpilot's POST is not
// idempotent, so after the restart the server reads the review back, finds
// its reply there and records PUBLISHED without sending it again.
TEST_F(ReplyPublishTest, ExactlyOnceAcrossAKillBetweenSendingAndRecording) {
  platform_.AddReview("t1");
  ASSERT_NO_FATAL_FAILURE(StartServer());
  AddCollector(opinia::v1::TRUSTPILOT);
  const std::string name = ReviewNamed("t1");
  platform_.Hold();
  Review out;
  ASSERT_TRUE(Respond(name, "Przepraszamy", true, &out).ok());
  ASSERT_TRUE(platform_.WaitHeld(absl::Seconds(30)));
  EXPECT_EQ(platform_.ReplyOf("t1"), "Przepraszamy");  // the platform has it
  auto killed = server_->Stop(SIGKILL);
  ASSERT_TRUE(killed.ok()) << killed.status();
  platform_.Release();  // its answer goes nowhere

  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  Connect(*server_);
  Review done = WaitSettled(name);
  EXPECT_EQ(done.response().state(), opinia::v1::REPLY_PUBLISHED);
  EXPECT_EQ(done.response().publish_time().seconds(), 1793608200);
  EXPECT_EQ(platform_.CallsOf("POST"), 1);  // sent once, never again
  const std::vector<HttpRequest> calls = platform_.Calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].path, "/v1/private/reviews/t1/reply");
  EXPECT_EQ(calls[0].Header("authorization"), "Bearer tp-oauth");
  EXPECT_EQ(calls[0].body,
            R"({"authorBusinessUserId":"bu-1","message":"Przepraszamy"})");
}

TEST_F(ReplyPublishTest, RestartWithAPendingReplyDeliversItOnce) {
  platform_.AddReview("t1");
  platform_.Script("POST", {HttpResponse::TooManyRequests(3)});
  ASSERT_NO_FATAL_FAILURE(StartServer());
  AddCollector(opinia::v1::TRUSTPILOT);
  const std::string name = ReviewNamed("t1");
  Review out;
  ASSERT_TRUE(Respond(name, "Dziekujemy", true, &out).ok());
  const absl::Time end = absl::Now() + absl::Seconds(20);
  while (platform_.CallsOf("POST") < 1 && absl::Now() < end) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(platform_.CallsOf("POST"), 1);
  // Let the outcome (PENDING, due in 3 s) be recorded, then kill.
  const absl::Time recorded = absl::Now() + absl::Seconds(10);
  while (Get(name).response().publish_error().empty() &&
         absl::Now() < recorded) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(Get(name).response().publish_error(), "HTTP 429");
  ASSERT_TRUE(server_->Stop(SIGKILL).ok());
  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  Connect(*server_);
  Review done = WaitSettled(name);
  EXPECT_EQ(done.response().state(), opinia::v1::REPLY_PUBLISHED);
  EXPECT_EQ(platform_.CallsOf("POST"), 2);  // the 429 and the one that took
  EXPECT_EQ(platform_.ReplyOf("t1"), "Dziekujemy");
}

// The sync reconciles: a pending reply whose text the platform already
// shows is PUBLISHED with the platform's time and not sent again; a pending
// edit is not overwritten by the older text the platform still lists.
TEST_F(ReplyPublishTest, SyncReconcilesPendingRepliesWithThePlatform) {
  platform_.AddReview("g1");
  // The first PUT is told to come back in a minute: the reply stays PENDING.
  platform_.Script("PUT", {HttpResponse::TooManyRequests(60)});
  ASSERT_NO_FATAL_FAILURE(StartServer());
  const std::string collector =
      AddCollector(opinia::v1::GOOGLE_BUSINESS_PROFILE);
  const std::string name = ReviewNamed("g1");
  Review out;
  ASSERT_TRUE(Respond(name, "Przepraszamy", true, &out).ok());
  const absl::Time end = absl::Now() + absl::Seconds(20);
  while (Get(name).response().publish_error().empty() && absl::Now() < end) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(Get(name).response().state(), opinia::v1::REPLY_PENDING);
  ASSERT_EQ(platform_.CallsOf("PUT"), 1);

  auto run = [&] {
    opinia::v1::RunCollectorRequest req;
    req.set_name(collector);
    req.set_full(true);
    opinia::v1::RunCollectorResponse ran;
    grpc::Status st =
        collectors_->RunCollector(ContextWithKey(key_).get(), req, &ran);
    EXPECT_TRUE(st.ok()) << st.error_message();
  };
  // The platform shows the reply (the 429 was a lie, or its answer got
  // lost): the next sync records it as published.
  platform_.SetReply("g1", "Przepraszamy");
  run();
  Review r = Get(name);
  EXPECT_EQ(r.response().state(), opinia::v1::REPLY_PUBLISHED);
  EXPECT_EQ(r.response().publish_time().seconds(), 1793608200);
  EXPECT_EQ(r.response().text(), "Przepraszamy");

  // An edit waiting for its turn: the platform still shows the old text,
  // and the sync leaves the edit pending with its own text.
  platform_.Script("PUT", {HttpResponse::TooManyRequests(60)});
  ASSERT_TRUE(Respond(name, "Przepraszamy, kawa gratis", true, &out).ok());
  const absl::Time end2 = absl::Now() + absl::Seconds(20);
  while (platform_.CallsOf("PUT") < 2 && absl::Now() < end2) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  run();
  r = Get(name);
  EXPECT_EQ(r.response().state(), opinia::v1::REPLY_PENDING);
  EXPECT_EQ(r.response().text(), "Przepraszamy, kawa gratis");
  EXPECT_EQ(platform_.CallsOf("PUT"), 2);  // nothing sent early
  EXPECT_EQ(ReplyAlerts(), 0);
}

// Two servers on one PostgreSQL database: each reply goes out once.
TEST_F(ReplyPublishTest, TwoReplicasSendEachReplyOnce) {
  OPINIA_SKIP_UNLESS_POSTGRES("replicas need a shared database");
  constexpr int kReviews = 6;
  for (int i = 1; i <= kReviews; ++i) platform_.AddReview(absl::StrCat("g", i));
  ASSERT_NO_FATAL_FAILURE(StartServer());
  std::vector<std::string> args = ServerArgs();
  args.push_back(absl::StrCat("--db=", server_->db_path()));
  args.push_back(
      absl::StrCat("--secrets-key-file=", server_->dir(), "/secrets.key"));
  auto second = ServerProcess::Start(args, absl::Seconds(60),
                                     /*require_admin_key=*/false);
  ASSERT_TRUE(second.ok()) << second.status();
  AddCollector(opinia::v1::GOOGLE_BUSINESS_PROFILE);
  std::vector<std::string> names;
  for (int i = 1; i <= kReviews; ++i) {
    names.push_back(ReviewNamed(absl::StrCat("g", i)));
  }
  // Queue them through both servers, so both workers wake.
  auto other = opinia::v1::ReviewService::NewStub((*second)->NewChannel());
  for (int i = 0; i < kReviews; ++i) {
    opinia::v1::RecordResponseRequest req;
    req.set_name(names[i]);
    req.mutable_response()->set_text(absl::StrCat("Odpowiedz ", i));
    req.set_publish(true);
    Review out;
    grpc::Status s =
        (i % 2 ? other : reviews_)
            ->RecordResponse(ContextWithKey(key_).get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  for (const std::string& n : names) {
    EXPECT_EQ(WaitSettled(n).response().state(), opinia::v1::REPLY_PUBLISHED);
  }
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(platform_.CallsOf("PUT"), kReviews);
}

}  // namespace
}  // namespace opinia::testing
