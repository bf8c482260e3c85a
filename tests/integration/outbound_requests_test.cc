// Outbound requests against the real server binary and real loopback HTTP
// servers (README "Outbound requests", issue 22 items 1-3):
// - without --outbound-allow nothing reaches a loopback HTTP server, for
//   collectors of every kind and webhooks, and literal internal addresses
//   in any spelling are INVALID_ARGUMENT at creation and update;
// - --outbound-allow opens loopback but never the server's own port, and a
//   bad value stops the server from starting;
// - next-page links to another origin are not followed (credentials stay
//   with their origin); reserved credential header names are refused;
// - nothing fetched is echoed in errors, last_error or statuses.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "opinia/v1/collectors.grpc.pb.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_process.h"
#include "tests/testing/http_server.h"

namespace opinia::testing {
namespace {

using opinia::v1::Collector;
using opinia::v1::CollectorKind;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kAllowLoopback[] = "--outbound-allow=127.0.0.0/8,::1/128";
// Planted in everything the HTTP servers answer: must never come back.
constexpr char kLeak[] = "LEAKED-BODY-7f3a";

const CollectorKind kAllKinds[] = {opinia::v1::GOOGLE_BUSINESS_PROFILE,
                                   opinia::v1::TRUSTPILOT,
                                   opinia::v1::JSON_FEED, opinia::v1::CSV_FEED};

// A valid collector of `kind` reading from `base` ("http://HOST:PORT").
Collector CollectorOf(CollectorKind kind, const std::string& base) {
  Collector c;
  c.set_kind(kind);
  c.set_source("test");
  auto& creds = *c.mutable_credentials();
  switch (kind) {
    case opinia::v1::GOOGLE_BUSINESS_PROFILE:
      c.set_endpoint(base + "/v4/accounts/1/locations/2/reviews");
      creds["bearer_token"] = "gbp-token";
      break;
    case opinia::v1::TRUSTPILOT:
      c.set_endpoint(base + "/v1/business-units/u1/reviews");
      creds["api_key"] = "tp-key";
      break;
    case opinia::v1::JSON_FEED:
      c.set_endpoint(base + "/feed.json");
      (*c.mutable_mapping())["external_id"] = "id";
      break;
    default:
      c.set_endpoint(base + "/feed.csv");
      (*c.mutable_mapping())["external_id"] = "id";
      break;
  }
  return c;
}

// One server process, a tenant with every role, and the stubs.
class Outbound {
 public:
  explicit Outbound(std::vector<std::string> args) {
    auto server = ServerProcess::Start(std::move(args));
    EXPECT_TRUE(server.ok()) << server.status();
    if (!server.ok()) return;
    server_ = *std::move(server);
    channel_ = server_->NewChannel();
    collectors_ = opinia::v1::CollectorService::NewStub(channel_);
    alerts_ = opinia::v1::AlertService::NewStub(channel_);
    auto tenant = CreateTenantWithKey(channel_, server_->admin_key(), "shop");
    EXPECT_TRUE(tenant.ok()) << tenant.status();
    if (tenant.ok()) key_ = tenant->key;
  }
  bool ok() const { return server_ != nullptr && !key_.empty(); }
  int port() const {
    const std::string& a = server_->address();
    return std::stoi(a.substr(a.rfind(':') + 1));
  }

  grpc::Status Create(const Collector& c, Collector* out) {
    opinia::v1::CreateCollectorRequest r;
    *r.mutable_collector() = c;
    return collectors_->CreateCollector(ContextWithKey(key_).get(), r, out);
  }
  grpc::Status Update(const Collector& c, Collector* out) {
    opinia::v1::UpdateCollectorRequest r;
    *r.mutable_collector() = c;
    return collectors_->UpdateCollector(ContextWithKey(key_).get(), r, out);
  }
  grpc::Status Run(const std::string& name,
                   opinia::v1::RunCollectorResponse* out) {
    opinia::v1::RunCollectorRequest r;
    r.set_name(name);
    return collectors_->RunCollector(ContextWithKey(key_).get(), r, out);
  }
  std::string LastError(const std::string& name) {
    opinia::v1::GetCollectorRequest r;
    r.set_name(name);
    Collector c;
    grpc::Status s = collectors_->GetCollector(ContextWithKey(key_).get(), r, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return c.state().last_error();
  }
  grpc::Status CreateWebhook(const std::string& url) {
    opinia::v1::CreateWebhookRequest r;
    r.mutable_webhook()->set_url(url);
    r.mutable_webhook()->set_secret("outbound-test-secret-0123456789");
    opinia::v1::Webhook out;
    return alerts_->CreateWebhook(ContextWithKey(key_).get(), r, &out);
  }
  // A rule alerting on every rated review, and one such review: every
  // webhook of the tenant gets a delivery.
  void RaiseAlert(const std::string& id) {
    if (!has_rule_) {
      has_rule_ = true;
      opinia::v1::AlertRule created;
      grpc::Status s = CreateAlertOnEveryReview(channel_, key_, &created);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    auto ingested = Ingest(channel_, key_, {MakeReview(id, 1)});
    ASSERT_TRUE(ingested.ok()) << ingested.status();
  }
  // The webhook's last_error once it is not empty ("" after 30 s).
  std::string WebhookError() {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      opinia::v1::ListWebhooksResponse list;
      grpc::Status s =
          alerts_->ListWebhooks(ContextWithKey(key_).get(), {}, &list);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (list.webhooks_size() > 0 && !list.webhooks(0).last_error().empty()) {
        return list.webhooks(0).last_error();
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    return "";
  }

  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<opinia::v1::CollectorService::Stub> collectors_;
  std::unique_ptr<opinia::v1::AlertService::Stub> alerts_;
  std::string key_;
  bool has_rule_ = false;
};

// A loopback HTTP server answering everything with a valid page of one
// review for every kind (so a request that got through would succeed).
std::unique_ptr<HttpServer> Receiver() {
  auto server = HttpServer::Start([](const HttpRequest& req) {
    if (req.path == "/feed.csv") return HttpResponse::Ok("id,text\nr1,ok\n");
    return HttpResponse::Json(
        R"({"reviews": [{"id": "r1", "reviewId": "r1", "text": "ok",)"
        R"( "stars": 5, "starRating": "FIVE"}]})");
  });
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

TEST(OutboundRequestsTest, WithoutTheFlagNothingReachesLoopback) {
  auto receiver = Receiver();
  ASSERT_NE(receiver, nullptr);
  Outbound s({});
  ASSERT_TRUE(s.ok());
  const std::string port = absl::StrCat(receiver->port());

  // Literal internal addresses, in any spelling: refused at creation.
  for (const std::string& host :
       {std::string("127.0.0.1"), std::string("127.1"),
        std::string("2130706433"), std::string("0x7f.1"),
        std::string("017700000001"), std::string("[::1]"),
        std::string("[::ffff:127.0.0.1]"), std::string("169.254.169.254"),
        std::string("0xa9fea9fe"), std::string("10.0.0.1"),
        std::string("0.0.0.0")}) {
    const std::string base = absl::StrCat("http://", host, ":", port);
    for (CollectorKind kind : kAllKinds) {
      Collector out;
      grpc::Status st = s.Create(CollectorOf(kind, base), &out);
      EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << base;
      EXPECT_THAT(st.error_message(), HasSubstr("collector.endpoint: "));
    }
    grpc::Status st = s.CreateWebhook(base + "/hook");
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << base;
    EXPECT_THAT(st.error_message(), HasSubstr("webhook.url: "));
  }
  // ... and at update.
  Collector kept;
  ASSERT_TRUE(s.Create(CollectorOf(opinia::v1::JSON_FEED,
                                   "https://feeds.example.com"),
                       &kept)
                  .ok());
  kept.set_endpoint("http://169.254.169.254/latest/meta-data/");
  Collector updated;
  grpc::Status st = s.Update(kept, &updated);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(), HasSubstr("collector.endpoint: "));
  EXPECT_THAT(st.error_message(), HasSubstr("cloud metadata"));

  // A name that resolves to loopback: accepted, refused when connecting.
  const std::string named = absl::StrCat("http://localhost:", port);
  for (CollectorKind kind : kAllKinds) {
    Collector c;
    ASSERT_TRUE(s.Create(CollectorOf(kind, named), &c).ok());
    opinia::v1::RunCollectorResponse run;
    grpc::Status ran = s.Run(c.name(), &run);
    EXPECT_EQ(ran.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << opinia::v1::CollectorKind_Name(kind) << ": " << ran.error_message();
    EXPECT_THAT(ran.error_message(), HasSubstr("destination not allowed"));
    EXPECT_THAT(s.LastError(c.name()), HasSubstr("destination not allowed"));
  }
  ASSERT_TRUE(s.CreateWebhook(named + "/hook").ok());
  s.RaiseAlert("r-1");
  EXPECT_THAT(s.WebhookError(), HasSubstr("destination not allowed"));

  EXPECT_EQ(receiver->RequestCount(), 0u);
}

TEST(OutboundRequestsTest, TheFlagOpensLoopbackButNotTheServersOwnPort) {
  auto receiver = Receiver();
  ASSERT_NE(receiver, nullptr);
  Outbound s({kAllowLoopback});
  ASSERT_TRUE(s.ok());
  Collector c;
  ASSERT_TRUE(
      s.Create(CollectorOf(opinia::v1::JSON_FEED, receiver->Url("")), &c)
          .ok());
  opinia::v1::RunCollectorResponse run;
  grpc::Status ran = s.Run(c.name(), &run);
  ASSERT_TRUE(ran.ok()) << ran.error_message();
  EXPECT_EQ(run.created(), 1);
  EXPECT_EQ(receiver->RequestCount(), 1u);

  const std::string own = absl::StrCat("http://127.0.0.1:", s.port());
  Collector out;
  grpc::Status st = s.Create(CollectorOf(opinia::v1::JSON_FEED, own), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(), HasSubstr("own address"));
  st = s.CreateWebhook(own + "/hook");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(), HasSubstr("own address"));
  // Through a name, refused when connecting.
  ASSERT_TRUE(s.Create(CollectorOf(opinia::v1::JSON_FEED,
                                   absl::StrCat("http://localhost:", s.port())),
                       &out)
                  .ok());
  ran = s.Run(out.name(), &run);
  EXPECT_THAT(ran.error_message(), HasSubstr("destination not allowed"));
}

TEST(OutboundRequestsTest, ABadAllowListStopsTheServer) {
  for (const char* bad :
       {"--outbound-allow=10.0.0.1/8", "--outbound-allow=localhost",
        "--outbound-allow=127.0.0.0/8,", "--outbound-allow=10.0.0.0/40"}) {
    auto server = ServerProcess::Start({bad}, absl::Seconds(30));
    ASSERT_FALSE(server.ok()) << bad;
    EXPECT_THAT(std::string(server.status().message()),
                HasSubstr("--outbound-allow: "))
        << bad;
  }
  auto server = ServerProcess::Start({"--outbound-allow=10.0.0.1/8"});
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr("did you mean 10.0.0.0/8?"));
}

TEST(OutboundRequestsTest, CredentialsStayWithTheirOrigin) {
  // A feed whose first page links to page 2 on the same origin, which links
  // to another server (another port: another origin).
  auto other = HttpServer::Start([](const HttpRequest&) {
    return HttpResponse::Json(R"({"reviews": []})");
  });
  ASSERT_TRUE(other.ok()) << other.status();
  const std::string elsewhere = (*other)->Url("/steal?x=1");
  auto feed = HttpServer::Start([elsewhere](const HttpRequest& req) {
    if (req.query == "page=2") {
      return HttpResponse::Json(absl::StrCat(
          R"({"reviews": [{"id": "r2", "text": "ok"}], "next": ")", elsewhere,
          R"("})"));
    }
    return HttpResponse::Json(
        R"({"reviews": [{"id": "r1", "text": "ok"}], "next": "?page=2"})");
  });
  ASSERT_TRUE(feed.ok()) << feed.status();
  Outbound s({kAllowLoopback});
  ASSERT_TRUE(s.ok());
  Collector c;
  c.set_kind(opinia::v1::JSON_FEED);
  c.set_source("test");
  c.set_endpoint((*feed)->Url("/feed.json"));
  (*c.mutable_credentials())["bearer_token"] = "feed-token";
  (*c.mutable_mapping())["external_id"] = "id";
  (*c.mutable_mapping())["next_page"] = "next";
  ASSERT_TRUE(s.Create(c, &c).ok());
  opinia::v1::RunCollectorResponse run;
  grpc::Status ran = s.Run(c.name(), &run);
  EXPECT_EQ(ran.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(ran.error_message(),
              HasSubstr("page 3: the next-page link leads away"));
  EXPECT_THAT(ran.error_message(), Not(HasSubstr("steal")));
  EXPECT_EQ((*other)->RequestCount(), 0u);
  // The same origin got both pages, with the token.
  ASSERT_EQ((*feed)->RequestCount(), 2u);
  for (const HttpRequest& req : (*feed)->Requests()) {
    EXPECT_EQ(req.Header("authorization"), "Bearer feed-token");
  }

  // Custom credential headers: tokens, and none the exchange relies on.
  Collector h = CollectorOf(opinia::v1::JSON_FEED, "https://feeds.example.com");
  (*h.mutable_credentials())["api_key"] = "k";
  for (const char* name :
       {"Host", "host", "Content-Length", "Transfer-Encoding", "Connection",
        "Cookie", "Authorization", "Metadata-Flavor", "metadata-flavor",
        "X-Forwarded-For", "x-forwarded-host", "Forwarded", "Bad Header",
        "X-Key:", "X-Key\x01", ""}) {
    (*h.mutable_credentials())["api_key_header"] = name;
    Collector out;
    grpc::Status st = s.Create(h, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << name;
    EXPECT_THAT(st.error_message(),
                HasSubstr("collector.credentials[\"api_key_header\"]"))
        << name;
  }
  (*h.mutable_credentials())["api_key_header"] = "X-Shop-Key";
  Collector good;
  ASSERT_TRUE(s.Create(h, &good).ok());
  (*good.mutable_credentials())["api_key"] = "k";
  (*good.mutable_credentials())["api_key_header"] = "Metadata-Flavor";
  Collector out;
  grpc::Status st = s.Update(good, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(),
              HasSubstr("collector.credentials[\"api_key_header\"]"));
}

TEST(OutboundRequestsTest, NothingFetchedIsEchoed) {
  auto leaky = HttpServer::Start([](const HttpRequest& req) {
    if (req.path == "/hook") return HttpResponse::Status(500, kLeak);
    if (req.path == "/missing") return HttpResponse::Status(404, kLeak);
    if (req.path == "/rejected") {
      return HttpResponse::Json(absl::StrCat(
          R"({"reviews": [{"id": ")", kLeak, R"(", "rating": 9,)",
          R"( "text": "ok"}]})"));
    }
    // Not JSON, and not the platform's format either.
    return HttpResponse::Ok(absl::StrCat("root:x:0:0:", kLeak, " {\"a\": "));
  });
  ASSERT_TRUE(leaky.ok()) << leaky.status();
  Outbound s({kAllowLoopback});
  ASSERT_TRUE(s.ok());
  const std::string base = (*leaky)->Url("");

  std::vector<std::string> texts;
  auto run = [&](Collector c) {
    ASSERT_TRUE(s.Create(c, &c).ok());
    opinia::v1::RunCollectorResponse out;
    grpc::Status ran = s.Run(c.name(), &out);
    texts.push_back(ran.error_message());
    texts.push_back(s.LastError(c.name()));
  };
  for (CollectorKind kind :
       {opinia::v1::GOOGLE_BUSINESS_PROFILE, opinia::v1::TRUSTPILOT,
        opinia::v1::JSON_FEED}) {
    run(CollectorOf(kind, base));
    EXPECT_THAT(texts.back(), HasSubstr("malformed JSON"));
  }
  run(CollectorOf(opinia::v1::CSV_FEED, base));
  EXPECT_THAT(texts.back(), HasSubstr("no column"));
  Collector missing = CollectorOf(opinia::v1::JSON_FEED, base);
  missing.set_endpoint(base + "/missing");
  run(missing);
  EXPECT_THAT(texts.back(), HasSubstr("HTTP 404"));
  Collector rejected = CollectorOf(opinia::v1::JSON_FEED, base);
  rejected.set_endpoint(base + "/rejected");
  (*rejected.mutable_mapping())["rating"] = "rating";
  run(rejected);
  EXPECT_THAT(texts.back(), HasSubstr("rejected"));

  ASSERT_TRUE(s.CreateWebhook(base + "/hook").ok());
  s.RaiseAlert("r-1");
  texts.push_back(s.WebhookError());
  EXPECT_THAT(texts.back(), HasSubstr("HTTP 500"));

  for (const std::string& text : texts) {
    EXPECT_THAT(text, Not(HasSubstr(kLeak)));
    EXPECT_THAT(text, Not(HasSubstr("root:x")));
  }
  EXPECT_THAT(s.server_->Log(), Not(HasSubstr(kLeak)));
}

}  // namespace
}  // namespace opinia::testing
