// Allegro end to end: the real opinia-server (loopback allowed, HTTP API on)
// collects from a loopback server speaking Allegro's REST format
// (tests/testing/fake_allegro.h), and a removal request goes out through the
// CLI and through the HTTP/JSON API.
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "opinia/v1/collectors.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "service/core/util/http_client.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/server_process.h"
#include "tests/testing/fake_allegro.h"
#include "tests/testing/loopback_outbound.h"

namespace opinia::testing {
namespace {

constexpr char kMessage[] = "Ocena dotyczy kuriera, nie sprzedaży";

class AllegroServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = ServerProcess::Start(
        {"--http-listen=127.0.0.1:0",
         absl::StrCat("--outbound-allow=", kLoopbackAllow)});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    channel_ = server_->NewChannel();
    auto tenant = CreateTenantWithKey(channel_, server_->admin_key(), "sklep");
    ASSERT_TRUE(tenant.ok()) << tenant.status();
    key_ = tenant->key;
    reviews_ = opinia::v1::ReviewService::NewStub(channel_);
    collectors_ = opinia::v1::CollectorService::NewStub(channel_);
  }

  // The HTTP API's base URL, from the server's "http on ..." log line.
  static std::string HttpBase() {
    const std::string log = server_->Log();
    const size_t at = log.rfind("http on ");
    if (at == std::string::npos) return "";
    return log.substr(at + 8, log.find_first_of(" \"\n", at + 8) - at - 8);
  }

  // An Allegro collector of source "allegro" reading `server`.
  opinia::v1::Collector CreateAllegro(const FakeAllegro& fake,
                                      const HttpServer& server) {
    opinia::v1::CreateCollectorRequest create;
    auto* c = create.mutable_collector();
    c->set_kind(opinia::v1::ALLEGRO);
    c->set_endpoint(server.Url(FakeAllegro::kRatingsPath));
    (*c->mutable_credentials())["bearer_token"] = fake.token;
    c->set_source("allegro");
    opinia::v1::Collector collector;
    grpc::Status s = collectors_->CreateCollector(ContextWithKey(key_).get(),
                                                  create, &collector);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return collector;
  }

  opinia::v1::RunCollectorResponse Run(const std::string& name) {
    opinia::v1::RunCollectorRequest r;
    r.set_name(name);
    opinia::v1::RunCollectorResponse out;
    grpc::Status s =
        collectors_->RunCollector(ContextWithKey(key_).get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  // external_id -> review, of source "allegro".
  std::map<std::string, opinia::v1::Review> Reviews() {
    opinia::v1::ListReviewsRequest r;
    r.add_sources("allegro");
    r.set_page_size(1000);
    opinia::v1::ListReviewsResponse out;
    grpc::Status s =
        reviews_->ListReviews(ContextWithKey(key_).get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::map<std::string, opinia::v1::Review> by_id;
    for (const auto& review : out.reviews()) {
      by_id[review.input().external_id()] = review;
    }
    return by_id;
  }

  // Rating `id`'s review once its reply is no longer PENDING (at most 30 s).
  opinia::v1::Review AfterOutbox(const std::string& id) {
    opinia::v1::Review review;
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      review = Reviews()[id];
      if (review.response().state() != opinia::v1::REPLY_PENDING) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return review;
  }

  // POST /v1/ReviewService/<method> with a JSON body, over real HTTP.
  absl::StatusOr<core::HttpResult> PostJson(const std::string& method,
                                            const std::string& body) {
    auto http = core::CreateCurlHttpClient(LoopbackAllowed());
    if (!http.ok()) return http.status();
    return (*http)->Post(
        absl::StrCat(HttpBase(), "/v1/ReviewService/", method),
        {{"Content-Type", "application/json"},
         {"Authorization", "Bearer " + key_}},
        body, core::HttpCallOptions{});
  }

  static inline std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::string key_;
  std::unique_ptr<opinia::v1::ReviewService::Stub> reviews_;
  std::unique_ptr<opinia::v1::CollectorService::Stub> collectors_;
};

TEST_F(AllegroServerTest, CollectsAnswersAndAsksForRemoval) {
  FakeAllegro fake(150);
  {
    absl::MutexLock lock(&fake.mutex);
    fake.ratings[0].comment = "Produkt w porządku";  // delivery: 1 star
    fake.ratings[5].answer = "Dziękujemy za zakupy!";
    fake.ratings[5].answered = absl::FromUnixSeconds(1790900000);
  }
  auto allegro = fake.Serve();
  ASSERT_NE(allegro, nullptr);

  const opinia::v1::Collector collector = CreateAllegro(fake, *allegro);
  EXPECT_EQ(Run(collector.name()).created(), 150);

  auto reviews = Reviews();
  ASSERT_EQ(reviews.size(), 150u);
  const auto& r0 = reviews["r0"];
  EXPECT_EQ(r0.input().rating(), 1);
  bool negative_delivery = false;
  for (const auto& a : r0.analysis().aspects()) {
    negative_delivery |= a.aspect() == opinia::v1::DELIVERY &&
                         a.sentiment().label() == opinia::v1::NEGATIVE;
  }
  EXPECT_TRUE(negative_delivery) << r0.analysis().DebugString();
  EXPECT_EQ(reviews["r5"].response().text(), "Dziękujemy za zakupy!");
  EXPECT_EQ(reviews["r5"].status(), opinia::v1::RESPONDED);

  // An edit on Allegro is re-ingested by the next (incremental) run.
  fake.Edit("r7", "Zmieniam zdanie: świetnie",
            absl::FromUnixSeconds(1790848800) + absl::Hours(500));
  EXPECT_EQ(Run(collector.name()).updated(), 1);
  EXPECT_EQ(Reviews()["r7"].input().text(), "Zmieniam zdanie: świetnie");

  // The CLI asks Allegro to remove r0.
  const CliRun cli = RunCliBinary(
      OPINIA_CLI_BINARY,
      {"reviews", "request-removal", r0.name(),
       absl::StrCat("--message=", kMessage)},
      server_->address(), key_, server_->dir() + "/cli");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find(r0.name() + ": removal requested from allegro at "),
            std::string::npos)
      << cli.out;
  EXPECT_EQ(fake.Get("r0").removal_message, kMessage);
  EXPECT_EQ(Reviews()["r0"].input().attributes().count("removal_requested_at"),
            1u);

  // The HTTP/JSON API has the call too.
  auto http = PostJson(
      "RequestReviewRemoval",
      absl::StrCat(R"({"name": ")", reviews["r1"].name(),
                   R"(", "message": "Spam"})"));
  ASSERT_TRUE(http.ok()) << http.status();
  EXPECT_EQ(http->status, 200) << http->body;
  EXPECT_NE(http->body.find("removal_requested_at"), std::string::npos)
      << http->body;
  EXPECT_EQ(fake.Get("r1").removal_message, "Spam");

  // A pushed review has no platform to ask: 400 FAILED_PRECONDITION.
  auto pushed = Ingest(channel_, key_, {MakeReview("pushed-1", 1)});
  ASSERT_TRUE(pushed.ok()) << pushed.status();
  auto refused = PostJson(
      "RequestReviewRemoval",
      absl::StrCat(R"({"name": ")", pushed->results(0).name(),
                   R"(", "message": "Spam"})"));
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->status, 400);
  EXPECT_NE(refused->body.find("\"code\":9"), std::string::npos)
      << "google.rpc.Status code 9 = FAILED_PRECONDITION: " << refused->body;
  EXPECT_NE(refused->body.find("not fetched by a collector"),
            std::string::npos)
      << refused->body;
}

// A reply recorded with publish goes out through the reply outbox as
// Allegro's PUT .../answer; a refused one ends REPLY_FAILED with Allegro's
// message; deleting is refused (Allegro has no such call).
TEST_F(AllegroServerTest, AnswerIsPublishedOnAllegro) {
  FakeAllegro fake(3);
  auto allegro = fake.Serve();
  ASSERT_NE(allegro, nullptr);
  const opinia::v1::Collector collector = CreateAllegro(fake, *allegro);
  EXPECT_EQ(Run(collector.name()).created(), 3);
  auto reviews = Reviews();

  opinia::v1::RecordResponseRequest respond;
  respond.set_name(reviews["r1"].name());
  respond.mutable_response()->set_text("Dziękujemy, zapraszamy ponownie!");
  respond.set_publish(true);
  opinia::v1::Review recorded;
  grpc::Status s = reviews_->RecordResponse(ContextWithKey(key_).get(),
                                            respond, &recorded);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const opinia::v1::Review published = AfterOutbox("r1");
  EXPECT_EQ(published.response().state(), opinia::v1::REPLY_PUBLISHED)
      << published.response().DebugString();
  EXPECT_TRUE(published.response().has_publish_time());
  EXPECT_EQ(fake.Get("r1").answer, "Dziękujemy, zapraszamy ponownie!");
  bool put = false;
  for (const auto& r : allegro->Requests()) {
    put |= r.method == "PUT" && r.path == "/sale/user-ratings/r1/answer";
  }
  EXPECT_TRUE(put);

  // Allegro refuses another answer: FAILED with its message, at once.
  {
    absl::MutexLock lock(&fake.mutex);
    fake.reject_answer = true;
  }
  respond.set_name(reviews["r2"].name());
  ASSERT_TRUE(reviews_
                  ->RecordResponse(ContextWithKey(key_).get(), respond,
                                   &recorded)
                  .ok());
  const opinia::v1::Review failed = AfterOutbox("r2");
  EXPECT_EQ(failed.response().state(), opinia::v1::REPLY_FAILED);
  EXPECT_EQ(failed.response().publish_error(),
            "HTTP 422: Odpowiedź narusza regulamin Allegro");
  EXPECT_EQ(failed.response().publish_attempts(), 1);

  opinia::v1::DeleteResponseRequest remove;
  remove.set_name(reviews["r1"].name());
  opinia::v1::Review out;
  grpc::Status refused =
      reviews_->DeleteResponse(ContextWithKey(key_).get(), remove, &out);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("cannot be deleted"),
            std::string::npos)
      << refused.error_message();
}

TEST_F(AllegroServerTest, ThrottledAllegroIsWaitedOut) {
  FakeAllegro fake(30);
  fake.retry_after_seconds = 1;
  {
    absl::MutexLock lock(&fake.mutex);
    fake.throttle = 1;
  }
  auto allegro = fake.Serve();
  ASSERT_NE(allegro, nullptr);
  const opinia::v1::Collector collector = CreateAllegro(fake, *allegro);
  const absl::Time start = absl::Now();
  EXPECT_EQ(Run(collector.name()).created(), 30);
  EXPECT_GE(absl::Now() - start, absl::Seconds(1)) << "Retry-After honoured";
  const auto requests = allegro->Requests();
  ASSERT_GE(requests.size(), 2u);
  EXPECT_GE(requests[1].receive_time - requests[0].receive_time,
            absl::Seconds(1));
}

// A removal request waits for Allegro on the collectors' outbound threads,
// not on a request worker: with two workers and two removals held by a slow
// Allegro, other calls are still answered at once.
TEST(AllegroRemovalTest, SlowPlatformHoldsNoRequestWorker) {
  auto server = ServerProcess::Start(
      {"--workers=2", absl::StrCat("--outbound-allow=", kLoopbackAllow)});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = (*server)->NewChannel();
  auto tenant = CreateTenantWithKey(channel, (*server)->admin_key(), "sklep");
  ASSERT_TRUE(tenant.ok()) << tenant.status();
  const std::string key = tenant->key;
  auto reviews = opinia::v1::ReviewService::NewStub(channel);
  auto collectors = opinia::v1::CollectorService::NewStub(channel);

  FakeAllegro fake(2);
  fake.removal_delay = absl::Seconds(5);
  auto allegro = fake.Serve();
  ASSERT_NE(allegro, nullptr);
  opinia::v1::CreateCollectorRequest create;
  create.mutable_collector()->set_kind(opinia::v1::ALLEGRO);
  create.mutable_collector()->set_endpoint(
      allegro->Url(FakeAllegro::kRatingsPath));
  (*create.mutable_collector()->mutable_credentials())["bearer_token"] =
      fake.token;
  create.mutable_collector()->set_source("allegro");
  opinia::v1::Collector collector;
  grpc::Status created = collectors->CreateCollector(
      ContextWithKey(key).get(), create, &collector);
  ASSERT_TRUE(created.ok()) << created.error_message();
  opinia::v1::RunCollectorRequest run;
  run.set_name(collector.name());
  opinia::v1::RunCollectorResponse ran;
  ASSERT_TRUE(
      collectors->RunCollector(ContextWithKey(key).get(), run, &ran).ok());
  opinia::v1::ListReviewsRequest list;
  opinia::v1::ListReviewsResponse listed;
  ASSERT_TRUE(
      reviews->ListReviews(ContextWithKey(key).get(), list, &listed).ok());
  ASSERT_EQ(listed.reviews_size(), 2);

  std::vector<grpc::Status> outcomes(2);
  std::vector<std::thread> callers;
  for (int i = 0; i < 2; ++i) {
    callers.emplace_back([&, i] {
      opinia::v1::RequestReviewRemovalRequest request;
      request.set_name(listed.reviews(i).name());
      request.set_message(kMessage);
      opinia::v1::Review out;
      auto context = ContextWithKey(key);
      context->set_deadline(std::chrono::system_clock::now() +
                            std::chrono::seconds(60));
      outcomes[i] = reviews->RequestReviewRemoval(context.get(), request, &out);
    });
  }
  // Both removals are at Allegro, which holds them for 5 s.
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  int at_allegro = 0;
  while (absl::Now() < deadline) {
    {
      absl::MutexLock lock(&fake.mutex);
      at_allegro = fake.removal_requests;
    }
    if (at_allegro == 2) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(at_allegro, 2);
  opinia::v1::GetReviewRequest get;
  get.set_name(listed.reviews(0).name());
  opinia::v1::Review got;
  auto context = ContextWithKey(key);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(3));
  grpc::Status answered = reviews->GetReview(context.get(), get, &got);
  EXPECT_TRUE(answered.ok())
      << "a call while two removals wait for Allegro: "
      << answered.error_message();
  for (auto& t : callers) t.join();
  for (const auto& s : outcomes) EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(fake.Get(listed.reviews(0).input().external_id()).removal_message,
            kMessage);
}

}  // namespace
}  // namespace opinia::testing
