// Shared fixture of the collector tests: the real core (SQLite store in a
// temp dir, Ingestor with a counting analyzer and observer, Reviews), the
// real libcurl client against real loopback HTTP servers, a fake clock and
// a sleeper that records waits instead of sleeping.
#ifndef OPINIA_TESTS_SERVICE_CORE_COLLECTORS_COLLECTOR_ENV_H_
#define OPINIA_TESTS_SERVICE_CORE_COLLECTORS_COLLECTOR_ENV_H_

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "service/core/collectors/collectors.h"
#include "service/core/collectors/fetcher.h"
#include "service/core/collectors/syncer.h"
#include "service/core/collectors/token_cache.h"
#include "service/core/ingest/ingest.h"
#include "service/core/reviews/reviews.h"
#include "service/core/util/http_client.h"
#include "tests/service/core/test_env.h"
#include "tests/testing/http_server.h"
#include "tests/testing/loopback_outbound.h"

namespace opinia::core::collectors::testing {

using opinia::testing::HttpRequest;
using opinia::testing::HttpResponse;
using opinia::testing::HttpServer;

class FakeSleeper final : public Sleeper {
 public:
  void Sleep(absl::Duration d) override {
    absl::MutexLock lock(&mutex_);
    waits_.push_back(d);
  }
  std::vector<absl::Duration> waits() const {
    absl::MutexLock lock(&mutex_);
    return waits_;
  }

 private:
  mutable absl::Mutex mutex_;
  std::vector<absl::Duration> waits_;
};

// Counts what ingest tells observers (what alerts and webhooks see).
class CountingObserver final : public ReviewObserver {
 public:
  absl::Status OnReviewChanged(storage::Txn&,
                               const ReviewChange& change) override {
    if (change.kind == ReviewChange::Kind::kCreated) created++;
    if (change.kind == ReviewChange::Kind::kUpdated) updated++;
    if (change.kind == ReviewChange::Kind::kDeleted) deleted++;
    if (change.kind == ReviewChange::Kind::kResponded) responded++;
    return absl::OkStatus();
  }
  std::atomic<int> created{0}, updated{0}, deleted{0}, responded{0};
};

// A Google Business Profile reviews endpoint: newest update first, pages of
// `page_size`, `pageToken` = offset; knobs for the failure cases.
class FakeGbp {
 public:
  struct Review {
    std::string id;
    std::string text;
    int stars = 5;
    int update_hour = 0;  // hours after 2026-10-01T00:00Z
    int create_hour = 0;
    std::string reply;
  };
  static constexpr char kPath[] = "/v4/accounts/1/locations/2/reviews";

  explicit FakeGbp(int n) {
    for (int i = 0; i < n; ++i) {
      reviews.push_back({absl::StrCat("g", i), absl::StrCat("Opinia numer ", i),
                         i % 3 == 0 ? 1 : 5, i, i, ""});
    }
  }

  HttpResponse Answer(const HttpRequest& req) {
    absl::MutexLock lock(&mutex);
    auth.insert(req.Header("authorization"));
    ++requests;
    if (req.path != kPath) return HttpResponse::Status(404);
    if (throttle > 0) {
      --throttle;
      return HttpResponse::TooManyRequests(retry_after);
    }
    if (errors > 0) {
      --errors;
      return HttpResponse::Status(503, "busy");
    }
    if (slow > 0) {
      --slow;
      return HttpResponse::Slow(absl::Seconds(5));
    }
    if (malformed) return HttpResponse::Json("{\"reviews\": [ {\"reviewId\"");
    int start = 0;
    const size_t at = req.query.find("pageToken=");
    if (at != std::string::npos) start = std::stoi(req.query.substr(at + 10));
    if (fail_at_offset >= 0 && start == fail_at_offset) {
      return HttpResponse::Status(500, "boom");
    }
    if (start == 0 && empty_first > 0) {
      --empty_first;
      return HttpResponse::Json("{}");
    }
    ++pages_served;
    std::vector<Review> sorted = reviews;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Review& a, const Review& b) {
                       return a.update_hour > b.update_hour;
                     });
    std::string body = "{\"reviews\": [";
    for (int i = start;
         i < std::min<int>(start + page_size, static_cast<int>(sorted.size()));
         ++i) {
      const Review& r = sorted[i];
      absl::StrAppend(&body, i > start ? "," : "", "{\"reviewId\":\"", r.id,
                      "\",\"name\":\"accounts/1/locations/2/reviews/", r.id,
                      "\",\"reviewer\":{\"displayName\":\"Klient ", r.id,
                      "\"},\"starRating\":\"", r.stars == 1 ? "ONE" : "FIVE",
                      "\",\"comment\":\"", r.text, "\",\"createTime\":\"",
                      Time(r.create_hour), "\",\"updateTime\":\"",
                      Time(r.update_hour), "\"");
      if (!r.reply.empty()) {
        absl::StrAppend(&body, ",\"reviewReply\":{\"comment\":\"", r.reply,
                        "\",\"updateTime\":\"", Time(r.update_hour), "\"}");
      }
      absl::StrAppend(&body, "}");
    }
    absl::StrAppend(&body, "]");
    if (start + page_size < static_cast<int>(sorted.size())) {
      absl::StrAppend(&body, ",\"nextPageToken\":\"", start + page_size, "\"");
    }
    absl::StrAppend(&body, "}");
    // Shift the list after serving a page (a review arriving while the
    // collector pages): the next page then repeats one review.
    if (insert_after_first_page && start == 0) {
      insert_after_first_page = false;
      reviews.push_back(
          {"new-1", "Nowa opinia w trakcie", 5, 10000, 10000, ""});
    }
    return HttpResponse::Json(body);
  }

  static std::string Time(int hour) {
    return absl::FormatTime(
        "%Y-%m-%dT%H:%M:%SZ",
        absl::FromUnixSeconds(1759276800) + absl::Hours(hour),
        absl::UTCTimeZone());
  }

  absl::Mutex mutex;
  std::vector<Review> reviews;
  int page_size = 50;
  int throttle = 0, retry_after = 7, errors = 0, slow = 0, empty_first = 0;
  int fail_at_offset = -1;
  bool malformed = false;
  bool insert_after_first_page = false;
  int requests = 0, pages_served = 0;
  std::set<std::string> auth;
};

class CollectorEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_
                    ->Write([](storage::Txn& txn) {
                      storage::TenantRow a{"shop-a", "A", "Europe/Warsaw"};
                      storage::TenantRow b{"shop-b", "B", "Europe/Warsaw"};
                      if (auto s = txn.InsertTenant(a); !s.ok()) return s;
                      return txn.InsertTenant(b);
                    })
                    .ok());
    auto http = CreateCurlHttpClient(opinia::testing::LoopbackAllowed());
    ASSERT_TRUE(http.ok()) << http.status();
    http_ = *std::move(http);
    FetchOptions fo;
    fo.max_attempts = 4;
    fo.call.connect_timeout = absl::Seconds(2);
    fo.call.timeout = absl::Milliseconds(500);
    fetcher_ = std::make_unique<Fetcher>(http_.get(), &sleeper_, &clock_, fo,
                                         /*seed=*/42);
    UseTokens(TokenCacheOptions());
  }

  // A new token cache (as after a restart) with `options`, and the syncer
  // and collectors using it.
  void UseTokens(TokenCacheOptions options) {
    tokens_ = std::make_unique<TokenCache>(http_.get(), &clock_, options);
    syncer_ = std::make_unique<Syncer>(store_.get(), &ingestor_, &reviews_,
                                       fetcher_.get(), SyncOptions(),
                                       tokens_.get());
    collectors_ =
        std::make_unique<Collectors>(store_.get(), syncer_.get(), &clock_,
                                     opinia::testing::LoopbackAllowed());
  }

  // Starts a loopback server answering with `gbp`.
  std::unique_ptr<HttpServer> Serve(FakeGbp* gbp) {
    auto server = HttpServer::Start(
        [gbp](const HttpRequest& r) { return gbp->Answer(r); });
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  opinia::v1::Collector CreateGbp(const std::string& url,
                                  int poll_seconds = 0) {
    opinia::v1::CreateCollectorRequest req;
    auto* c = req.mutable_collector();
    c->set_kind(opinia::v1::GOOGLE_BUSINESS_PROFILE);
    c->set_endpoint(url);
    (*c->mutable_credentials())["bearer_token"] = "tok-secret-123";
    c->set_source("google");
    c->set_subject_id("store-1");
    c->set_poll_interval_seconds(poll_seconds);
    auto created = collectors_->Create(admin_, req);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : opinia::v1::Collector();
  }

  absl::StatusOr<opinia::v1::RunCollectorResponse> Run(const std::string& name,
                                                       bool full = false) {
    opinia::v1::RunCollectorRequest req;
    req.set_name(name);
    req.set_full(full);
    return collectors_->Run(admin_, req);
  }

  opinia::v1::Collector Get(const std::string& name) {
    opinia::v1::GetCollectorRequest req;
    req.set_name(name);
    auto got = collectors_->Get(admin_, req);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? *got : opinia::v1::Collector();
  }

  // Stored reviews of `source` (deleted ones too when asked).
  int64_t Count(const std::string& source, bool include_deleted = false) {
    int64_t n = -1;
    EXPECT_TRUE(store_
                    ->Read([&](storage::Txn& txn) -> absl::Status {
                      storage::ReviewFilter f;
                      f.sources = {source};
                      f.include_deleted = include_deleted;
                      auto c = txn.CountReviews("shop-a", f);
                      if (!c.ok()) return c.status();
                      n = *c;
                      return absl::OkStatus();
                    })
                    .ok());
    return n;
  }

  std::optional<storage::ReviewRow> Find(const std::string& source,
                                         const std::string& id) {
    std::optional<storage::ReviewRow> row;
    EXPECT_TRUE(store_
                    ->Read([&](storage::Txn& txn) -> absl::Status {
                      auto f = txn.FindReview("shop-a", source, id);
                      if (!f.ok()) return f.status();
                      row = *f;
                      return absl::OkStatus();
                    })
                    .ok());
    return row;
  }

  std::unique_ptr<storage::Store> store_ = core::testing::OpenTestStore();
  FakeClock clock_{core::testing::TestEpoch()};
  core::testing::CountingAnalyzer analyzer_;
  TextAnalysis analysis_{&analyzer_};
  CountingObserver observer_;
  Ingestor ingestor_{store_.get(), &analysis_, &clock_, IngestLimits{},
                     &observer_};
  Reviews reviews_{store_.get(), &clock_, &observer_};
  std::unique_ptr<HttpClient> http_;
  FakeSleeper sleeper_;
  std::unique_ptr<Fetcher> fetcher_;
  std::unique_ptr<TokenCache> tokens_;
  std::unique_ptr<Syncer> syncer_;
  std::unique_ptr<Collectors> collectors_;
  const Principal admin_{"k1", "shop-a", core::kRoleAdmin};
};

}  // namespace opinia::core::collectors::testing

#endif  // OPINIA_TESTS_SERVICE_CORE_COLLECTORS_COLLECTOR_ENV_H_
