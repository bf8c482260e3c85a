// Webhooks end to end inside the core: CRUD, and the dispatcher delivering
// from a real SQLite outbox to a real HTTP server on loopback through
// libcurl. Time is a FakeClock moved by the test; Tick() is called directly.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "service/core/alerts/alert_hub.h"
#include "service/core/alerts/alert_scheduler.h"
#include "service/core/alerts/webhook_dispatcher.h"
#include "service/core/alerts/webhook_signing.h"
#include "service/core/alerts/webhooks.h"
#include "service/core/util/clock.h"
#include "service/core/util/crypto.h"
#include "service/core/util/http_client.h"
#include "service/core/util/lease.h"
#include "service/core/util/metrics.h"
#include "tests/service/core/test_env.h"
#include "tests/testing/http_server.h"
#include "tests/testing/loopback_outbound.h"
#include "tests/testing/test_backend.h"

namespace opinia::core {
namespace {

using opinia::testing::HttpRequest;
using opinia::testing::HttpResponse;
using opinia::testing::HttpServer;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kSecret[] = "whsec-0123456789abcdef";

// Independent of webhook_signing.cc: OpenSSL's HMAC straight from the
// documented recipe.
std::string ReferenceHmacHex(const std::string& key, const std::string& msg) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out,
       &len);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<char*>(out), len));
}

class WebhooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/opinia-webhooks-",
                        NewResourceId('d', 12));
    std::filesystem::create_directories(dir_);
    auto db = opinia::testing::TestDb::Create(dir_ + "/test.db");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    Reopen();
    ASSERT_TRUE(store_->Write([](storage::Txn& txn) {
                        if (auto s = txn.InsertTenant(
                                {"acme", "Acme", "Europe/Warsaw"});
                            !s.ok()) {
                          return s;
                        }
                        return txn.InsertTenant(
                            {"other", "Other", "Europe/Warsaw"});
                      }).ok());
    auto server = HttpServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto http = CreateCurlHttpClient(opinia::testing::LoopbackAllowed());
    ASSERT_TRUE(http.ok()) << http.status();
    http_ = *std::move(http);
    options_.http.timeout = absl::Milliseconds(400);
    NewDispatcher();
  }

  void Reopen() {
    dispatcher_.reset();
    webhooks_.reset();
    store_.reset();
    auto store = opinia::testing::OpenTestDbStore(*db_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    webhooks_ = std::make_unique<Webhooks>(store_.get(), &clock_,
                                           opinia::testing::LoopbackAllowed());
  }
  void NewDispatcher() {
    auto d = WebhookDispatcher::Create(store_.get(), &clock_, http_.get(),
                                       options_, /*hub=*/nullptr, metrics_);
    ASSERT_TRUE(d.ok()) << d.status();
    dispatcher_ = *std::move(d);
  }

  opinia::v1::Webhook Create(const std::string& path,
                             std::vector<opinia::v1::Priority> priorities = {},
                             std::vector<opinia::v1::AlertKind> kinds = {},
                             const Principal* as = nullptr) {
    opinia::v1::CreateWebhookRequest r;
    r.mutable_webhook()->set_url(server_->Url(path));
    r.mutable_webhook()->set_secret(kSecret);
    for (auto p : priorities) r.mutable_webhook()->add_priorities(p);
    for (auto k : kinds) r.mutable_webhook()->add_kinds(k);
    auto w = webhooks_->Create(as ? *as : admin_, r);
    EXPECT_TRUE(w.ok()) << w.status();
    return w.ok() ? *w : opinia::v1::Webhook();
  }

  int64_t AddAlert(const std::string& tenant,
                   opinia::v1::Priority priority = opinia::v1::P1,
                   opinia::v1::AlertKind kind = opinia::v1::NEGATIVE_REVIEW) {
    storage::AlertRow a;
    a.tenant_id = tenant;
    a.kind = kind;
    a.priority = priority;
    a.reasons = {"HEALTH_SAFETY", "mentions 'food poisoning'",
                 "STRONG_NEGATIVE"};
    a.summary = "Zatrucie po kolacji";
    a.source = "google";
    a.create_time = clock_.Now();
    a.update_time = clock_.Now();
    a.dedup_key = NewResourceId('k', 12);
    int64_t id = 0;
    EXPECT_TRUE(store_->Write([&](storage::Txn& txn) -> absl::Status {
                        auto r = txn.alerts().InsertAlert(a);
                        if (!r.ok()) return r.status();
                        id = *r;
                        return absl::OkStatus();
                      }).ok());
    return id;
  }

  // Checks the request's signature (as of now) and parses its body.
  ::testing::AssertionResult ParseSignedEvent(const HttpRequest& req,
                                              opinia::v1::WebhookEvent* event) {
    if (!VerifySignatureHeader(kSecret, req.Header("opinia-signature"),
                               req.body, clock_.Now())
             .ok()) {
      return ::testing::AssertionFailure() << "bad signature";
    }
    if (!google::protobuf::util::JsonStringToMessage(req.body, event).ok()) {
      return ::testing::AssertionFailure() << req.body;
    }
    return ::testing::AssertionSuccess();
  }

  TickResult Tick() {
    auto r = dispatcher_->Tick();
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : TickResult{};
  }

  opinia::v1::Webhook Listed(const std::string& name) {
    auto list = webhooks_->List(admin_, {});
    EXPECT_TRUE(list.ok()) << list.status();
    if (list.ok()) {
      for (const auto& w : list->webhooks()) {
        if (w.name() == name) return w;
      }
    }
    ADD_FAILURE() << name << " not listed";
    return {};
  }

  std::vector<storage::DeliveryRow> Deliveries(const std::string& name) {
    auto id = ParseWebhookName(name, "name");
    std::vector<storage::DeliveryRow> rows;
    EXPECT_TRUE(store_->Read([&](storage::Txn& txn) -> absl::Status {
                        auto r = txn.webhooks().ListDeliveries(*id, 0, 1000);
                        if (!r.ok()) return r.status();
                        rows = *r;
                        return absl::OkStatus();
                      }).ok());
    return rows;
  }

  std::string dir_;
  FakeClock clock_{testing::TestEpoch()};
  std::unique_ptr<opinia::testing::TestDb> db_;  // outlives store_
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Webhooks> webhooks_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<HttpClient> http_;
  WebhookDispatcherOptions options_;
  MetricsSink* metrics_ = NoMetrics();
  std::unique_ptr<WebhookDispatcher> dispatcher_;
  Principal admin_{"k1", "acme", core::kRoleAdmin};
  Principal other_admin_{"k2", "other", core::kRoleAdmin};
};

TEST_F(WebhooksTest, CreateValidatesNamingTheField) {
  struct Case {
    std::string url;
    std::string secret;
    int priority;
    int kind;
    std::string field;
  };
  const Case cases[] = {
      {"", kSecret, 0, 0, "webhook.url"},
      {"ftp://example.com/x", kSecret, 0, 0, "webhook.url"},
      {"http://", kSecret, 0, 0, "webhook.url"},
      {"https://exa mple.com/", kSecret, 0, 0, "webhook.url"},
      {"example.com/hook", kSecret, 0, 0, "webhook.url"},
      {"https://example.com/" + std::string(3000, 'a'), kSecret, 0, 0,
       "webhook.url"},
      {"https://example.com/h", "", 0, 0, "webhook.secret"},
      {"https://example.com/h", "short", 0, 0, "webhook.secret"},
      {"https://example.com/h", kSecret, 42, 0, "webhook.priorities"},
      {"https://example.com/h", kSecret, 0, 17, "webhook.kinds"},
  };
  for (const Case& c : cases) {
    opinia::v1::CreateWebhookRequest r;
    r.mutable_webhook()->set_url(c.url);
    r.mutable_webhook()->set_secret(c.secret);
    if (c.priority) {
      r.mutable_webhook()->add_priorities(
          static_cast<opinia::v1::Priority>(c.priority));
    }
    if (c.kind) {
      r.mutable_webhook()->add_kinds(static_cast<opinia::v1::AlertKind>(c.kind));
    }
    auto w = webhooks_->Create(admin_, r);
    EXPECT_EQ(w.status().code(), absl::StatusCode::kInvalidArgument)
        << c.url.substr(0, 40);
    EXPECT_THAT(std::string(w.status().message()), StartsWith(c.field + ":"))
        << c.url.substr(0, 40);
  }
}

TEST_F(WebhooksTest, OnlyTenantAdminsManageAndSecretNeverReturned) {
  opinia::v1::CreateWebhookRequest r;
  r.mutable_webhook()->set_url("https://hooks.example.com/opinia?x=1");
  r.mutable_webhook()->set_secret(kSecret);
  const Principal reader{"k3", "acme", core::kRoleRead};
  const Principal op{"k0", "", core::kRoleAdmin};
  EXPECT_EQ(webhooks_->Create(reader, r).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(webhooks_->Create(op, r).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(webhooks_->List(reader, {}).status().code(),
            absl::StatusCode::kPermissionDenied);

  auto created = webhooks_->Create(admin_, r);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_THAT(created->name(), StartsWith("webhooks/"));
  EXPECT_EQ(created->secret(), "");
  EXPECT_EQ(created->state(), opinia::v1::HEALTHY);
  const opinia::v1::Webhook listed = Listed(created->name());
  EXPECT_EQ(listed.secret(), "");
  EXPECT_EQ(listed.url(), "https://hooks.example.com/opinia?x=1");

  // Another tenant neither sees nor deletes it.
  auto theirs = webhooks_->List(other_admin_, {});
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(theirs->webhooks_size(), 0);
  opinia::v1::DeleteWebhookRequest del;
  del.set_name(created->name());
  EXPECT_EQ(webhooks_->Delete(other_admin_, del).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(webhooks_->Delete(admin_, del).ok());
  EXPECT_EQ(webhooks_->Delete(admin_, del).status().code(),
            absl::StatusCode::kNotFound);
  for (const char* bad : {"", "webhooks/", "webhooks/abc", "webhooks/-1",
                          "alerts/1", "webhooks/1/x"}) {
    del.set_name(bad);
    auto s = webhooks_->Delete(admin_, del).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(s.message()), StartsWith("name:")) << bad;
  }
}

TEST_F(WebhooksTest, ListPaginates) {
  for (int i = 0; i < 5; ++i) Create(absl::StrCat("/h", i));
  opinia::v1::ListWebhooksRequest r;
  r.set_page_size(2);
  std::vector<std::string> names;
  for (int page = 0; page < 10; ++page) {
    auto resp = webhooks_->List(admin_, r);
    ASSERT_TRUE(resp.ok()) << resp.status();
    for (const auto& w : resp->webhooks()) names.push_back(w.name());
    if (resp->next_page_token().empty()) break;
    r.set_page_token(resp->next_page_token());
  }
  EXPECT_EQ(names.size(), 5u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 5u);
}

TEST_F(WebhooksTest, DeliversSignedJsonOnlyForAlertsAfterCreation) {
  AddAlert("acme");  // before the webhook: never delivered
  server_->SetHandler([](const HttpRequest&) { return HttpResponse::Ok(); });
  const opinia::v1::Webhook hook = Create("/hook");
  const int64_t alert_id = AddAlert("acme");

  const TickResult r = Tick();
  EXPECT_EQ(r.enqueued, 1);
  EXPECT_EQ(r.delivered, 1);
  ASSERT_EQ(server_->RequestCount(), 1u);
  const HttpRequest req = server_->Requests()[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.path, "/hook");
  EXPECT_EQ(req.Header("content-type"), "application/json");
  EXPECT_EQ(req.Header("opinia-event-id"), absl::StrCat("alerts/", alert_id));

  // Verify the signature the way a receiver would, without our code.
  std::string t, v1;
  for (absl::string_view part : absl::StrSplit(req.Header("opinia-signature"), ',')) {
    if (absl::ConsumePrefix(&part, "t=")) t = std::string(part);
    if (absl::ConsumePrefix(&part, "v1=")) v1 = std::string(part);
  }
  EXPECT_EQ(t, absl::StrCat(absl::ToUnixSeconds(clock_.Now())));
  EXPECT_EQ(v1, ReferenceHmacHex(kSecret, absl::StrCat(t, ".", req.body)));
  EXPECT_NE(v1, ReferenceHmacHex("wrong-secret-0123", absl::StrCat(t, ".", req.body)));

  opinia::v1::WebhookEvent event;
  ASSERT_TRUE(ParseSignedEvent(req, &event));
  EXPECT_EQ(event.event_id(), absl::StrCat("alerts/", alert_id));
  EXPECT_EQ(event.tenant(), "tenants/acme");
  EXPECT_EQ(event.webhook(), hook.name());
  EXPECT_EQ(event.alert().priority(), opinia::v1::P1);
  EXPECT_EQ(event.alert().summary(), "Zatrucie po kolacji");
  // Prose a stored row may hold is not sent; the codes are.
  EXPECT_EQ(std::vector<std::string>(event.alert().reasons().begin(),
                                     event.alert().reasons().end()),
            (std::vector<std::string>{"HEALTH_SAFETY", "STRONG_NEGATIVE"}));
  EXPECT_THAT(req.body, HasSubstr("\"event_id\""));  // proto field names

  const opinia::v1::Webhook listed = Listed(hook.name());
  EXPECT_EQ(listed.delivered(), 1);
  EXPECT_EQ(listed.pending(), 0);
  EXPECT_EQ(listed.state(), opinia::v1::HEALTHY);
  // Nothing more to do.
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(Tick().attempted, 0);
  EXPECT_EQ(server_->RequestCount(), 1u);
}

// The case: the receiver fails the first attempts (500, then 429
// with Retry-After, then a timeout) and then succeeds.
TEST_F(WebhooksTest, ReopenedSnoozeIsDeliveredAsItsOwnEvent) {
  server_->SetHandler([](const HttpRequest&) { return HttpResponse::Ok(); });
  const opinia::v1::Webhook hook = Create("/hook");
  const int64_t alert_id = AddAlert("acme");
  ASSERT_EQ(Tick().delivered, 1);
  // Snoozed for 10 minutes; the scheduler reopens it once that has passed.
  ASSERT_TRUE(store_->Write([&](storage::Txn& txn) -> absl::Status {
                        auto a = txn.alerts().GetAlert("acme", alert_id);
                        if (!a.ok()) return a.status();
                        a->state = storage::kAlertSnoozed;
                        a->snooze_until = clock_.Now() + absl::Minutes(10);
                        return txn.alerts().UpdateAlert(*a);
                      }).ok());
  EXPECT_EQ(Tick().enqueued, 0);  // a snooze is not an event
  clock_.Advance(absl::Minutes(11));
  AlertScheduler scheduler(store_.get(), &clock_, nullptr);
  auto stats = scheduler.Tick();
  ASSERT_TRUE(stats.ok()) << stats.status();
  ASSERT_EQ(stats->reopened, 1);

  const TickResult r = Tick();
  EXPECT_EQ(r.enqueued, 1);
  EXPECT_EQ(r.delivered, 1);
  ASSERT_EQ(server_->RequestCount(), 2u);
  const HttpRequest req = server_->Requests()[1];
  const std::string event_id = req.Header("opinia-event-id");
  EXPECT_THAT(event_id, StartsWith(absl::StrCat("alerts/", alert_id,
                                                "/events/")));
  EXPECT_NE(event_id, server_->Requests()[0].Header("opinia-event-id"));
  opinia::v1::WebhookEvent event;
  ASSERT_TRUE(ParseSignedEvent(req, &event));
  EXPECT_EQ(event.event_id(), event_id);
  EXPECT_EQ(event.type(), opinia::v1::ALERT_REOPENED);
  EXPECT_EQ(event.alert().name(), absl::StrCat("alerts/", alert_id));
  EXPECT_EQ(event.alert().state(), opinia::v1::OPEN);
  EXPECT_EQ(event.event_time().seconds(), absl::ToUnixSeconds(clock_.Now()));
  EXPECT_EQ(Listed(hook.name()).delivered(), 2);
  // Delivered once: later ticks find nothing new.
  clock_.Advance(absl::Hours(1));
  ASSERT_TRUE(scheduler.Tick().ok());
  EXPECT_EQ(Tick().attempted, 0);
  EXPECT_EQ(server_->RequestCount(), 2u);
}

TEST_F(WebhooksTest, RetriesThroughFailuresThenDeliversOnce) {
  std::atomic<int> calls{0};
  server_->SetHandler([&calls](const HttpRequest&) {
    switch (++calls) {
      case 1: return HttpResponse::Status(500, "database down");
      case 2: return HttpResponse::TooManyRequests(120);
      case 3: return HttpResponse::Slow(absl::Seconds(5));  // > 400 ms
      default: return HttpResponse::Ok();
    }
  });
  const opinia::v1::Webhook hook = Create("/flaky");
  const int64_t alert_id = AddAlert("acme");

  TickResult r = Tick();
  EXPECT_EQ(r.retrying, 1);
  opinia::v1::Webhook w = Listed(hook.name());
  EXPECT_EQ(w.state(), opinia::v1::RETRYING);
  EXPECT_EQ(w.pending(), 1);
  // The status and what it means, never the receiver's body.
  EXPECT_EQ(w.last_error(), "HTTP 500 (receiver error)");

  clock_.Advance(absl::Minutes(11));  // past any back-off after attempt 1
  EXPECT_EQ(Tick().retrying, 1);
  EXPECT_EQ(server_->RequestCount(), 2u);
  EXPECT_EQ(Listed(hook.name()).last_error(),
            "HTTP 429 (rate limited by the receiver)");

  // Retry-After: 120 wins over the (at most 2 s) back-off.
  clock_.Advance(absl::Seconds(100));
  EXPECT_EQ(Tick().attempted, 0);
  EXPECT_EQ(server_->RequestCount(), 2u);
  clock_.Advance(absl::Seconds(21));
  EXPECT_EQ(Tick().retrying, 1);  // the timeout
  EXPECT_EQ(server_->RequestCount(), 3u);
  EXPECT_EQ(Deliveries(hook.name())[0].last_status, 0);

  clock_.Advance(absl::Minutes(11));
  r = Tick();
  EXPECT_EQ(r.delivered, 1);
  ASSERT_EQ(server_->RequestCount(), 4u);

  w = Listed(hook.name());
  EXPECT_EQ(w.state(), opinia::v1::HEALTHY);
  EXPECT_EQ(w.delivered(), 1);
  EXPECT_EQ(w.pending(), 0);
  EXPECT_EQ(w.dead_lettered(), 0);
  const std::vector<storage::DeliveryRow> rows = Deliveries(hook.name());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].attempts, 4);
  EXPECT_EQ(rows[0].state, storage::kDeliveryDelivered);
  EXPECT_EQ(rows[0].last_status, 200);

  // Every attempt carried the same event id and a counted attempt number.
  const std::vector<HttpRequest> seen = server_->Requests();
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].Header("opinia-event-id"),
              absl::StrCat("alerts/", alert_id));
    EXPECT_EQ(seen[i].Header("opinia-delivery-attempt"), absl::StrCat(i + 1));
  }
  clock_.Advance(absl::Hours(2));
  EXPECT_EQ(Tick().attempted, 0);
  EXPECT_EQ(server_->RequestCount(), 4u);
}

TEST_F(WebhooksTest, DeadLettersAfterMaxAttempts) {
  options_.max_attempts = 3;
  NewDispatcher();
  server_->SetHandler(
      [](const HttpRequest&) { return HttpResponse::Status(503, "nope"); });
  const opinia::v1::Webhook hook = Create("/down");
  AddAlert("acme");
  TickResult total;
  for (int i = 0; i < 5; ++i) {
    TickResult r = Tick();
    total.attempted += r.attempted;
    total.dead += r.dead;
    clock_.Advance(absl::Minutes(11));
  }
  EXPECT_EQ(total.attempted, 3);
  EXPECT_EQ(total.dead, 1);
  EXPECT_EQ(server_->RequestCount(), 3u);
  const opinia::v1::Webhook w = Listed(hook.name());
  EXPECT_EQ(w.state(), opinia::v1::DEAD_LETTER);
  EXPECT_EQ(w.dead_lettered(), 1);
  EXPECT_EQ(w.pending(), 0);
  EXPECT_EQ(w.delivered(), 0);
  EXPECT_THAT(w.last_error(), HasSubstr("HTTP 503"));

  // A later success makes it healthy again; the dead letter stays counted.
  server_->SetHandler([](const HttpRequest&) { return HttpResponse::Ok(); });
  AddAlert("acme");
  EXPECT_EQ(Tick().delivered, 1);
  const opinia::v1::Webhook after = Listed(hook.name());
  EXPECT_EQ(after.state(), opinia::v1::HEALTHY);
  EXPECT_EQ(after.dead_lettered(), 1);
  EXPECT_EQ(after.delivered(), 1);
}

// Keeps the webhook results it is told, in order.
class RecordingSink : public MetricsSink {
 public:
  void WebhookDelivery(std::string_view result) override {
    absl::MutexLock lock(&mutex_);
    results_.emplace_back(result);
  }
  std::vector<std::string> results() {
    absl::MutexLock lock(&mutex_);
    return results_;
  }

 private:
  absl::Mutex mutex_;
  std::vector<std::string> results_ ABSL_GUARDED_BY(mutex_);
};

TEST_F(WebhooksTest, EveryAttemptIsCountedInTheGivenMetricsSink) {
  RecordingSink sink;
  metrics_ = &sink;
  options_.max_attempts = 2;
  NewDispatcher();
  server_->SetHandler(
      [](const HttpRequest&) { return HttpResponse::Status(503, "nope"); });
  Create("/down");
  AddAlert("acme");
  Tick();
  clock_.Advance(absl::Minutes(11));
  Tick();
  server_->SetHandler([](const HttpRequest&) { return HttpResponse::Ok(); });
  AddAlert("acme");
  Tick();
  EXPECT_EQ(sink.results(),
            (std::vector<std::string>{"retry", "dead", "delivered"}));
}

TEST_F(WebhooksTest, RestartResumesPendingWithoutDuplicates) {
  std::atomic<bool> up{false};
  server_->SetHandler([&up](const HttpRequest&) {
    return up ? HttpResponse::Ok() : HttpResponse::Status(500);
  });
  const opinia::v1::Webhook hook = Create("/r");
  const int64_t first = AddAlert("acme");
  EXPECT_EQ(Tick().retrying, 1);
  const int64_t second = AddAlert("acme");  // committed, not yet enqueued

  // "Restart": close the database and the dispatcher, open both anew.
  Reopen();
  NewDispatcher();
  up = true;
  clock_.Advance(absl::Minutes(11));
  TickResult r = Tick();
  EXPECT_EQ(r.enqueued, 1);
  EXPECT_EQ(r.delivered, 2);
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(Tick().attempted, 0);

  std::vector<std::string> ok_events;
  for (const HttpRequest& req : server_->Requests()) {
    ok_events.push_back(req.Header("opinia-event-id"));
  }
  // first: failed once, then delivered; second: delivered once.
  EXPECT_THAT(ok_events,
              ::testing::ElementsAre(absl::StrCat("alerts/", first),
                                     absl::StrCat("alerts/", first),
                                     absl::StrCat("alerts/", second)));
  const std::vector<storage::DeliveryRow> rows = Deliveries(hook.name());
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& d : rows) EXPECT_EQ(d.state, storage::kDeliveryDelivered);
  EXPECT_EQ(Listed(hook.name()).delivered(), 2);
}

TEST_F(WebhooksTest, DeletedWebhookStopsDeliveries) {
  server_->SetHandler(
      [](const HttpRequest&) { return HttpResponse::Status(500); });
  const opinia::v1::Webhook hook = Create("/gone");
  AddAlert("acme");
  EXPECT_EQ(Tick().retrying, 1);
  opinia::v1::DeleteWebhookRequest del;
  del.set_name(hook.name());
  ASSERT_TRUE(webhooks_->Delete(admin_, del).ok());
  server_->SetHandler([](const HttpRequest&) { return HttpResponse::Ok(); });
  AddAlert("acme");
  clock_.Advance(absl::Minutes(11));
  const TickResult r = Tick();
  EXPECT_EQ(r.enqueued, 0);
  EXPECT_EQ(r.attempted, 0);
  EXPECT_EQ(server_->RequestCount(), 1u);
}

TEST_F(WebhooksTest, FiltersAndTenantsSelectAlerts) {
  server_->SetHandler([](const HttpRequest&) { return HttpResponse::Ok(); });
  const opinia::v1::Webhook urgent =
      Create("/urgent", {opinia::v1::P1}, {opinia::v1::NEGATIVE_REVIEW});
  const opinia::v1::Webhook all = Create("/all");
  const opinia::v1::Webhook sla = Create("/sla", {}, {opinia::v1::SLA_BREACH});
  const opinia::v1::Webhook theirs = Create("/theirs", {}, {}, &other_admin_);

  const int64_t p1_neg = AddAlert("acme", opinia::v1::P1);
  AddAlert("acme", opinia::v1::P2);
  const int64_t p1_sla =
      AddAlert("acme", opinia::v1::P1, opinia::v1::SLA_BREACH);
  const int64_t other = AddAlert("other", opinia::v1::P3);
  EXPECT_EQ(Tick().delivered, 1 + 3 + 1 + 1);

  std::map<std::string, std::vector<std::string>> by_path;
  for (const HttpRequest& req : server_->Requests()) {
    by_path[req.path].push_back(req.Header("opinia-event-id"));
  }
  EXPECT_THAT(by_path["/urgent"],
              ::testing::ElementsAre(absl::StrCat("alerts/", p1_neg)));
  EXPECT_EQ(by_path["/all"].size(), 3u);
  EXPECT_THAT(by_path["/sla"],
              ::testing::ElementsAre(absl::StrCat("alerts/", p1_sla)));
  EXPECT_THAT(by_path["/theirs"],
              ::testing::ElementsAre(absl::StrCat("alerts/", other)));
}

TEST_F(WebhooksTest, HubNotificationWakesTheBackgroundLoop) {
  AlertHub hub;
  options_.tick_interval = absl::Hours(1);  // only a wake can deliver
  auto d = WebhookDispatcher::Create(store_.get(), &clock_, http_.get(),
                                     options_, &hub);
  ASSERT_TRUE(d.ok()) << d.status();
  server_->SetHandler([](const HttpRequest&) { return HttpResponse::Ok(); });
  Create("/woken");
  ASSERT_TRUE((*d)->Tick().ok());  // subscribes to the webhook's tenant
  EXPECT_EQ(hub.SubscriberCount(), 1);
  (*d)->Start();
  AddAlert("acme");
  hub.Notify("other");  // another tenant's commit wakes nothing
  EXPECT_FALSE(server_->WaitForRequests(1, absl::Milliseconds(300)));
  hub.Notify("acme");
  EXPECT_TRUE(server_->WaitForRequests(1, absl::Seconds(30)));
  d->reset();  // stops the loop and unsubscribes
  EXPECT_EQ(hub.SubscriberCount(), 0);
}

// Two replicas' dispatchers on one database (each with a store object of
// its own, as two processes), ticking at the same moments:
// a webhook's deliveries are POSTed by one of them at a time, each event's
// attempts in order (Opinia-Delivery-Attempt 1, then 2) under one
// Opinia-Event-Id, however the attempts fall to the replicas.
TEST_F(WebhooksTest, ReplicasNeverPostOneDeliveryTwiceAtOnce) {
  options_.replica_id = "replica-a";
  NewDispatcher();
  WebhookDispatcherOptions b_options = options_;
  b_options.replica_id = "replica-b";
  auto store_b = opinia::testing::OpenTestDbStore(*db_);
  ASSERT_TRUE(store_b.ok()) << store_b.status();
  auto b = WebhookDispatcher::Create(store_b->get(), &clock_, http_.get(),
                                     b_options, /*hub=*/nullptr, metrics_);
  ASSERT_TRUE(b.ok()) << b.status();
  // Fails each event's first attempt, answers slowly (POSTs of two
  // replicas would overlap) and counts the POSTs in flight per event.
  absl::Mutex mutex;
  std::map<std::string, int> in_flight;
  std::map<std::string, std::vector<std::string>> attempts;
  int most = 0;
  server_->SetHandler([&](const HttpRequest& req) {
    const std::string event = req.Header("opinia-event-id");
    size_t n = 0;
    {
      absl::MutexLock lock(&mutex);
      attempts[event].push_back(req.Header("opinia-delivery-attempt"));
      n = attempts[event].size();
      most = std::max(most, ++in_flight[event]);
    }
    absl::SleepFor(absl::Milliseconds(60));
    absl::MutexLock lock(&mutex);
    --in_flight[event];
    return n == 1 ? HttpResponse::Status(503) : HttpResponse::Ok();
  });
  const auto hook = Create("/hook");
  std::set<std::string> events;
  for (int i = 0; i < 3; ++i) {
    events.insert(absl::StrCat("alerts/", AddAlert("acme")));
  }
  // A failing receiver gets one attempt per tick: 3 events need 4 rounds.
  for (int round = 0; round < 6; ++round) {
    std::vector<std::thread> replicas;
    for (WebhookDispatcher* d : {dispatcher_.get(), b->get()}) {
      replicas.emplace_back([d] {
        auto r = d->Tick();
        EXPECT_TRUE(r.ok()) << r.status();
      });
    }
    for (std::thread& t : replicas) t.join();
    clock_.Advance(absl::Hours(1));  // past any back-off
  }
  absl::MutexLock lock(&mutex);
  EXPECT_EQ(most, 1) << "one delivery POSTed by two replicas at once";
  std::set<std::string> posted;
  for (const auto& [event, tries] : attempts) {
    posted.insert(event);
    EXPECT_THAT(tries, ::testing::ElementsAre("1", "2")) << event;
  }
  EXPECT_EQ(posted, events);
  for (const storage::DeliveryRow& d : Deliveries(hook.name())) {
    EXPECT_EQ(d.state, storage::kDeliveryDelivered) << d.event_id;
    EXPECT_EQ(d.attempts, 2) << d.event_id;
  }
}

// A replica that claimed a webhook and died (mid-POST: nothing recorded)
// holds it for the lease's ttl; then another replica delivers the event,
// and the dead one's claim cannot be renewed any more.
TEST_F(WebhooksTest, DeadReplicasClaimIsTakenOverAfterTheTtl) {
  server_->SetHandler([](const HttpRequest&) { return HttpResponse::Ok(); });
  const auto hook = Create("/hook");
  auto id = ParseWebhookName(hook.name(), "name");
  ASSERT_TRUE(id.ok()) << id.status();
  const int64_t alert = AddAlert("acme");
  const absl::Duration ttl = WebhookDispatcherOptions().lease_ttl;
  auto dead = Lease::TryTake(store_.get(), &clock_, WebhookLeaseName(*id),
                             "dead-replica", ttl);
  ASSERT_TRUE(dead.ok()) << dead.status();
  ASSERT_NE(*dead, nullptr);

  TickResult r = Tick();
  EXPECT_EQ(r.enqueued, 1) << "queued without a claim";
  EXPECT_EQ(r.attempted, 0) << "the claim stands";
  EXPECT_TRUE(server_->Requests().empty());
  clock_.Advance(ttl - absl::Seconds(1));
  EXPECT_EQ(Tick().attempted, 0);

  clock_.Advance(absl::Seconds(1));
  r = Tick();
  EXPECT_EQ(r.delivered, 1);
  const auto requests = server_->Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].Header("opinia-event-id"),
            absl::StrCat("alerts/", alert));
  EXPECT_FALSE((*dead)->Renew().ok());
  EXPECT_TRUE((*dead)->lost());
}

TEST(WebhookBackoffTest, FullJitterExponentialCapped) {
  WebhookDispatcherOptions o;  // base 1 s, cap 10 min
  struct Case {
    int attempts;
    double u;
    absl::Duration want;
  };
  const Case cases[] = {
      {1, 1.0, absl::Seconds(1)},   {2, 1.0, absl::Seconds(2)},
      {4, 1.0, absl::Seconds(8)},   {4, 0.5, absl::Seconds(4)},
      {1, 0.0, absl::ZeroDuration()}, {11, 1.0, absl::Minutes(10)}, {10, 1.0, absl::Seconds(512)},
      {500, 1.0, absl::Minutes(10)},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(WebhookDispatcher::Backoff(o, c.attempts, c.u), c.want)
        << c.attempts << " " << c.u;
  }
}

TEST(WebhookSigningTest, VerifyAcceptsOnlyTheSignedBodyInTheWindow) {
  const absl::Time now = absl::FromUnixSeconds(1767225600);
  const std::string header = SignatureHeaderValue(kSecret, now, "{\"a\":1}");
  EXPECT_EQ(header, absl::StrCat("t=1767225600,v1=",
                                 ReferenceHmacHex(kSecret, "1767225600.{\"a\":1}")));
  EXPECT_TRUE(VerifySignatureHeader(kSecret, header, "{\"a\":1}", now).ok());
  EXPECT_TRUE(VerifySignatureHeader(kSecret, header, "{\"a\":1}",
                                    now + absl::Minutes(4))
                  .ok());
  struct Case {
    std::string secret, header, body;
    absl::Time at;
  };
  const Case bad[] = {
      {"another-secret-xyz", header, "{\"a\":1}", now},
      {kSecret, header, "{\"a\":2}", now},
      {kSecret, header, "{\"a\":1}", now + absl::Minutes(6)},
      {kSecret, "v1=abc", "{\"a\":1}", now},
      {kSecret, "", "{\"a\":1}", now},
  };
  for (const Case& c : bad) {
    EXPECT_EQ(VerifySignatureHeader(c.secret, c.header, c.body, c.at).code(),
              absl::StatusCode::kUnauthenticated)
        << c.header;
  }
}

}  // namespace
}  // namespace opinia::core
