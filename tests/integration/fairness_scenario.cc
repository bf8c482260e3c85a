#include "tests/integration/fairness_scenario.h"

#include <stdio.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "opinia/v1/collectors.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "tests/integration/api_helpers.h"

namespace opinia::testing {
namespace {

std::unique_ptr<grpc::ClientContext> ContextWithDeadline(
    const std::string& key, absl::Duration deadline) {
  auto context = ContextWithKey(key);
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  return context;
}

absl::Status Check(const grpc::Status& status, const char* what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

// The stubs of one tenant's calls.
struct Tenant {
  Tenant(const std::shared_ptr<grpc::Channel>& channel, TenantWithKey t)
      : channel(channel),
        key(std::move(t.key)),
        reviews(opinia::v1::ReviewService::NewStub(channel)),
        alerts(opinia::v1::AlertService::NewStub(channel)),
        collectors(opinia::v1::CollectorService::NewStub(channel)) {}

  // A rule raising an alert for every rated review.
  absl::Status AlertOnEveryReview() {
    opinia::v1::AlertRule out;
    return Check(CreateAlertOnEveryReview(channel, key, &out),
                 "CreateAlertRule");
  }

  absl::Status AddWebhook(const std::string& url) {
    opinia::v1::CreateWebhookRequest request;
    request.mutable_webhook()->set_url(url);
    request.mutable_webhook()->set_secret("fairness-secret-0123456789");
    opinia::v1::Webhook out;
    return Check(
        alerts->CreateWebhook(ContextWithKey(key).get(), request, &out),
        "CreateWebhook");
  }

  absl::StatusOr<std::string> AddFeedCollector(const std::string& url,
                                               int poll_seconds) {
    opinia::v1::CreateCollectorRequest request;
    auto* c = request.mutable_collector();
    c->set_kind(opinia::v1::JSON_FEED);
    c->set_endpoint(url);
    c->set_source("feed");
    c->set_poll_interval_seconds(poll_seconds);
    for (const auto& [k, v] : FeedMapping()) (*c->mutable_mapping())[k] = v;
    opinia::v1::Collector out;
    absl::Status s = Check(
        collectors->CreateCollector(ContextWithKey(key).get(), request, &out),
        "CreateCollector");
    if (!s.ok()) return s;
    return out.name();
  }

  std::shared_ptr<grpc::Channel> channel;
  std::string key;
  std::unique_ptr<opinia::v1::ReviewService::Stub> reviews;
  std::unique_ptr<opinia::v1::AlertService::Stub> alerts;
  std::unique_ptr<opinia::v1::CollectorService::Stub> collectors;
};

// Polls GetCollector until its first successful run; the time from
// `created` to that run's end, or InfiniteDuration after `patience`.
absl::Duration WaitForFirstSuccess(Tenant& tenant, const std::string& name,
                                   absl::Time created,
                                   absl::Duration patience) {
  const absl::Time give_up = absl::Now() + patience;
  while (absl::Now() < give_up) {
    opinia::v1::GetCollectorRequest get;
    get.set_name(name);
    opinia::v1::Collector c;
    auto context = ContextWithDeadline(tenant.key, absl::Seconds(5));
    if (tenant.collectors->GetCollector(context.get(), get, &c).ok() &&
        c.state().has_last_success_time()) {
      return absl::FromUnixSeconds(c.state().last_success_time().seconds()) +
             absl::Nanoseconds(c.state().last_success_time().nanos()) -
             created;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::InfiniteDuration();
}

}  // namespace

std::vector<std::string> LoopbackOutboundArgs() {
  static const std::vector<std::string>* const args = [] {
    auto* out = new std::vector<std::string>();
    const std::string command =
        absl::StrCat("'", ServerBinaryPath(), "' --helpfull 2>&1");
    FILE* help = popen(command.c_str(), "r");
    if (help == nullptr) return out;
    std::string text;
    char buffer[4096];
    size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, help)) > 0) text.append(buffer, n);
    pclose(help);
    if (absl::StrContains(text, "outbound_allow")) {
      out->push_back("--outbound-allow=127.0.0.0/8,::1/128");
    }
    return out;
  }();
  return *args;
}

void HttpGate::Open() {
  absl::MutexLock lock(&mutex_);
  open_ = true;
}

HttpResponse HttpGate::Hold(HttpResponse response, absl::Duration limit) {
  absl::MutexLock lock(&mutex_);
  mutex_.AwaitWithTimeout(absl::Condition(&open_), limit);
  return response;
}

std::string FeedPage(const std::string& prefix, int n) {
  std::string body = "[";
  for (int i = 1; i <= n; ++i) {
    absl::StrAppend(&body, i > 1 ? "," : "", "{\"id\":\"", prefix, i,
                    "\",\"text\":\"Feed review ", i, "\",\"rating\":",
                    1 + i % 5, "}");
  }
  return body + "]";
}

std::map<std::string, std::string> FeedMapping() {
  return {{"external_id", "id"}, {"text", "text"}, {"rating", "rating"}};
}

absl::Duration FairnessReport::ListPercentile(double p) const {
  if (list_latency.empty()) return absl::InfiniteDuration();
  const size_t i = std::min(
      list_latency.size() - 1,
      static_cast<size_t>(p / 100.0 * static_cast<double>(list_latency.size())));
  return list_latency[i];
}

std::string FairnessReport::Describe() const {
  std::string codes;
  for (const auto& [code, n] : a_run_codes) {
    absl::StrAppend(&codes, codes.empty() ? "" : ", ", "code ",
                    static_cast<int>(code), " x", n);
  }
  return absl::StrCat(
      "A in flight when B started: ", a_feed_requests, " feed requests, ",
      a_webhook_posts, " webhook POSTs\n",
      "A RunCollector answers: ", codes, "; slowest ",
      absl::FormatDuration(a_run_slowest), "\n",
      "B ListReviews: ", list_latency.size(), " calls, ", list_errors,
      " errors, p50 ", absl::FormatDuration(ListPercentile(50)), ", p99 ",
      absl::FormatDuration(ListPercentile(99)), ", max ",
      absl::FormatDuration(ListPercentile(100)), "\n",
      "B webhook: ", absl::FormatDuration(b_webhook),
      " from ingest to receiver\n",
      "B scheduled collector: ", absl::FormatDuration(b_collector),
      " from creation to its first successful run\n");
}

absl::StatusOr<FairnessReport> RunFairnessScenario(
    ServerProcess& server, const FairnessOptions& options) {
  FairnessReport report;
  // A's webhook receiver never answers while we measure.
  auto hang = std::make_shared<HttpGate>();
  auto slow_feed = HttpServer::Start([&](const HttpRequest&) {
    HttpResponse r = HttpResponse::Json(FeedPage("slow-", 3));
    r.delay = options.slow_feed;
    return r;
  });
  auto a_receiver = HttpServer::Start(
      [hang](const HttpRequest&) { return hang->Hold(HttpResponse::Ok()); });
  auto b_receiver =
      HttpServer::Start([](const HttpRequest&) { return HttpResponse::Ok(); });
  auto fast_feed = HttpServer::Start(
      [](const HttpRequest&) { return HttpResponse::Json(FeedPage("b-", 3)); });
  for (auto* s : {&slow_feed, &a_receiver, &b_receiver, &fast_feed}) {
    if (!s->ok()) return s->status();
  }
  // Destroyed before the servers: their held answers go before they stop.
  struct Release {
    std::shared_ptr<HttpGate> gate;
    ~Release() { gate->Open(); }
  } release{hang};
  auto channel = server.NewChannel();
  auto a_keys = CreateTenantWithKey(channel, server.admin_key(), "shop A");
  if (!a_keys.ok()) return a_keys.status();
  auto b_keys = CreateTenantWithKey(channel, server.admin_key(), "shop B");
  if (!b_keys.ok()) return b_keys.status();
  Tenant a(channel, *a_keys);
  Tenant b(channel, *b_keys);

  // B's data for ListReviews, before B has a rule (no alerts yet).
  std::vector<opinia::v1::ReviewInput> b_reviews;
  for (int i = 0; i < 20; ++i) {
    b_reviews.push_back(MakeReview(absl::StrCat("b-", i), i));
  }
  if (auto s = Ingest(channel, b.key, b_reviews); !s.ok()) return s.status();

  // A's hanging webhooks, fed by A's alerts.
  if (absl::Status s = a.AlertOnEveryReview(); !s.ok()) return s;
  for (int i = 0; i < options.a_webhooks; ++i) {
    if (absl::Status s = a.AddWebhook((*a_receiver)->Url(absl::StrCat("/h", i)));
        !s.ok()) {
      return s;
    }
  }
  std::vector<opinia::v1::ReviewInput> a_reviews;
  for (int i = 0; i < 3; ++i) {
    a_reviews.push_back(MakeReview(absl::StrCat("a-", i), i));
  }
  if (auto s = Ingest(channel, a.key, a_reviews); !s.ok()) return s.status();

  // A's slow collectors: scheduled, and run now with a short deadline.
  std::vector<std::string> a_collectors;
  for (int i = 0; i < options.a_collectors; ++i) {
    auto name = a.AddFeedCollector((*slow_feed)->Url(absl::StrCat("/f", i)), 60);
    if (!name.ok()) return name.status();
    a_collectors.push_back(*name);
  }
  absl::Mutex runs_mutex;
  std::vector<std::thread> runs;
  struct Join {
    std::vector<std::thread>& threads;
    ~Join() {
      for (std::thread& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } join{runs};
  for (const std::string& name : a_collectors) {
    runs.emplace_back([&, name] {
      opinia::v1::RunCollectorRequest run;
      run.set_name(name);
      opinia::v1::RunCollectorResponse out;
      auto context = ContextWithDeadline(a.key, options.run_deadline);
      const absl::Time start = absl::Now();
      grpc::Status s = a.collectors->RunCollector(context.get(), run, &out);
      const absl::Duration took = absl::Now() - start;
      absl::MutexLock lock(&runs_mutex);
      ++report.a_run_codes[s.error_code()];
      report.a_run_slowest = std::max(report.a_run_slowest, took);
    });
  }
  // A's fetches and POSTs are in flight.
  (*slow_feed)->WaitForRequests(2, absl::Seconds(15));
  (*a_receiver)->WaitForRequests(2, absl::Seconds(15));
  report.a_feed_requests = (*slow_feed)->RequestCount();
  report.a_webhook_posts = (*a_receiver)->RequestCount();

  // B: ListReviews at a steady rate (open loop: each call's latency counts
  // from when it was due, so calls held up behind a stuck one count too),
  // then a scheduled collector.
  {
    constexpr int kCallers = 8;
    const absl::Time first = absl::Now();
    absl::Mutex list_mutex;
    std::vector<std::thread> callers;
    for (int k = 0; k < kCallers; ++k) {
      callers.emplace_back([&, k] {
        for (int i = k; i < options.list_calls; i += kCallers) {
          const absl::Time due = first + i * options.list_every;
          absl::SleepFor(due - absl::Now());
          opinia::v1::ListReviewsRequest list;
          list.set_page_size(10);
          opinia::v1::ListReviewsResponse out;
          auto context = ContextWithDeadline(b.key, options.list_deadline);
          grpc::Status s = b.reviews->ListReviews(context.get(), list, &out);
          const absl::Duration latency = absl::Now() - due;
          absl::MutexLock lock(&list_mutex);
          report.list_latency.push_back(latency);
          if (!s.ok()) ++report.list_errors;
        }
      });
    }
    for (std::thread& t : callers) t.join();
  }
  std::sort(report.list_latency.begin(), report.list_latency.end());

  auto b_collector = b.AddFeedCollector((*fast_feed)->Url("/b"), 60);
  if (!b_collector.ok()) return b_collector.status();
  const absl::Time b_created = absl::Now();

  // B: an alert to B's webhook.
  if (absl::Status s = b.AlertOnEveryReview(); !s.ok()) return s;
  if (absl::Status s = b.AddWebhook((*b_receiver)->Url("/b")); !s.ok()) {
    return s;
  }
  auto acked = Ingest(channel, b.key, {MakeReview("b-alert", 1)});
  if (!acked.ok()) return acked.status();
  const absl::Time ingested = absl::Now();
  if ((*b_receiver)->WaitForRequests(1, options.patience)) {
    report.b_webhook = (*b_receiver)->Requests()[0].receive_time - ingested;
  }
  report.b_collector =
      WaitForFirstSuccess(b, *b_collector, b_created, options.patience);
  for (std::thread& t : runs) t.join();
  return report;
}

}  // namespace opinia::testing
