// A real opinia server in-process (AppTest: SQLite file in a temp dir, port
// 0; the real models from OPINIA_MODELS_DIR) that can be restarted on the
// same database, with a tenant key and helpers for alert streams.
#ifndef OPINIA_TESTS_SERVICE_ALERTS_STREAM_FIXTURE_H_
#define OPINIA_TESTS_SERVICE_ALERTS_STREAM_FIXTURE_H_

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/core/util/time_proto.h"
#include "tests/service/app_test.h"

namespace opinia::alerts_testing {

// Text the analyzer ranks P1 (fraud + authority + lawyer).
inline std::string UrgentText(int i) {
  return absl::StrCat("Zamówienie ", i,
                      " nie dotarło. Oszustwo! Zgłaszam sprawę do UOKiK i "
                      "do prawnika.");
}

// A subscriber reading on its own thread, recording every event.
class Subscriber {
 public:
  Subscriber(opinia::v1::AlertService::Stub* stub, const std::string& key,
             opinia::v1::StreamAlertsRequest request = {}) {
    ctx_ = std::make_unique<grpc::ClientContext>();
    ctx_->AddMetadata("authorization", "Bearer " + key);
    reader_ = stub->StreamAlerts(ctx_.get(), request);
    thread_ = std::thread([this] {
      opinia::v1::AlertEvent event;
      while (reader_->Read(&event)) {
        absl::MutexLock lock(&mu_);
        if (!ignored_.count(event.alert().review())) ++counted_;
        events_.push_back(event);
      }
      grpc::Status s = reader_->Finish();
      absl::MutexLock lock(&mu_);
      status_ = s;
      ended_ = true;
    });
  }
  ~Subscriber() { Stop(); }

  // Waits (event-driven, with a deadline) until `n` events have arrived.
  bool WaitFor(size_t n, absl::Duration timeout = absl::Seconds(30)) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return events_.size() >= n || ended_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
    return events_.size() >= n;
  }
  // From now on WaitForNew does not count events of these reviews (a
  // warm-up's: which of them a stream delivers depends on when it became
  // live, so their number is not known in advance).
  void Ignore(const std::set<std::string>& reviews) {
    absl::MutexLock lock(&mu_);
    ignored_ = reviews;
    counted_ = 0;
    for (const auto& e : events_) {
      if (!ignored_.count(e.alert().review())) ++counted_;
    }
  }
  // Waits until `n` events of reviews not ignored have arrived.
  bool WaitForNew(size_t n, absl::Duration timeout = absl::Seconds(30)) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return counted_ >= n || ended_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
    return counted_ >= n;
  }
  size_t new_count() {
    absl::MutexLock lock(&mu_);
    return counted_;
  }
  bool WaitEnded(absl::Duration timeout = absl::Seconds(30)) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&ended_), timeout);
    return ended_;
  }
  void Stop() {
    if (thread_.joinable()) {
      ctx_->TryCancel();
      thread_.join();
    }
  }
  std::vector<opinia::v1::AlertEvent> events() {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  std::vector<std::string> reviews() {
    std::vector<std::string> out;
    for (const auto& e : events()) out.push_back(e.alert().review());
    return out;
  }
  grpc::Status status() {
    absl::MutexLock lock(&mu_);
    return status_;
  }

 private:
  std::unique_ptr<grpc::ClientContext> ctx_;
  std::unique_ptr<grpc::ClientReader<opinia::v1::AlertEvent>> reader_;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<opinia::v1::AlertEvent> events_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> ignored_ ABSL_GUARDED_BY(mu_);
  size_t counted_ ABSL_GUARDED_BY(mu_) = 0;  // events not of ignored_
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
};

class StreamTest : public service_testing::AppTest {
 protected:
  StreamTest() : AppTest("alerts") {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServer());
    ASSERT_NO_FATAL_FAILURE(ReadOperatorKey());
    opinia::v1::CreateTenantRequest t;
    t.set_tenant_id("shop-a");
    t.mutable_tenant()->set_display_name("A");
    opinia::v1::Tenant tenant;
    ASSERT_TRUE(admin_->CreateTenant(Ctx(operator_key_).get(), t, &tenant).ok());
    opinia::v1::CreateApiKeyRequest k;
    k.mutable_api_key()->set_tenant(tenant.name());
    for (auto r : {opinia::v1::ROLE_INGEST, opinia::v1::ROLE_READ,
                   opinia::v1::ROLE_RESPOND, opinia::v1::ROLE_ADMIN}) {
      k.mutable_api_key()->add_roles(r);
    }
    opinia::v1::CreateApiKeyResponse out;
    ASSERT_TRUE(admin_->CreateApiKey(Ctx(operator_key_).get(), k, &out).ok());
    key_ = out.secret();
  }

  // (Re)starts the server on the same database, with the real models.
  void StartServer(int workers = 4) {
    server::Options o = AppOptions();
    const char* models = std::getenv("OPINIA_MODELS_DIR");
    o.models_dir = models ? models : "models";
    o.workers = workers;
    o.alert_tick = absl::ZeroDuration();
    StartApp(o);
  }

  void StopServer() { StopApp(); }

  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& key,
                                                  int seconds = 60) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + key);
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(seconds));
    return ctx;
  }

  // Ingests `n` one-star reviews (ids prefix+i, text text(i), created at
  // `create_time` unless it is InfinitePast) with key_; returns the results
  // in order.
  std::vector<opinia::v1::IngestResult> IngestOneStar(
      const std::string& prefix, int n,
      const std::function<std::string(int)>& text,
      absl::Time create_time = absl::InfinitePast(),
      opinia::v1::ReviewService::Stub* stub = nullptr) {
    opinia::v1::IngestReviewsRequest r;
    for (int i = 0; i < n; ++i) {
      auto* in = r.add_reviews();
      in->set_source("allegro");
      in->set_external_id(absl::StrCat(prefix, i));
      in->set_rating(1);
      in->set_text(text(i));
      if (create_time != absl::InfinitePast()) {
        core::ToTimestamp(create_time, in->mutable_create_time());
      }
    }
    opinia::v1::IngestReviewsResponse out;
    grpc::Status s =
        (stub ? stub : reviews_.get())->IngestReviews(Ctx(key_).get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {out.results().begin(), out.results().end()};
  }

  // Ingests `n` urgent reviews (ids prefix+i); returns their names in order.
  std::vector<std::string> IngestUrgent(
      const std::string& prefix, int n,
      opinia::v1::ReviewService::Stub* stub = nullptr) {
    std::vector<std::string> names;
    for (const auto& x :
         IngestOneStar(prefix, n, UrgentText, absl::InfinitePast(), stub)) {
      names.push_back(x.name());
    }
    return names;
  }

  // A stream without a token starts "from now" once the server has set it
  // up; ingest warm-up reviews until one arrives so the test knows it is
  // live. Returns the warm-up review names, which every subscriber then
  // ignores in WaitForNew: a warm-up review committed before a stream was
  // live never reaches it, so a stream may have fewer warm-up events than
  // there are warm-up reviews (counting them in made a wait for
  // "warm.size() + n" events hang on a loaded machine).
  // `stub` (default: reviews_) is the server the warm-up reviews go to.
  std::set<std::string> WarmUp(
      std::vector<Subscriber*> subs,
      opinia::v1::ReviewService::Stub* stub = nullptr) {
    std::set<std::string> warm;
    for (int attempt = 0; attempt < 50; ++attempt) {
      for (const auto& n :
           IngestUrgent(absl::StrCat("warm", warm.size(), "-"), 1, stub)) {
        warm.insert(n);
      }
      bool all = true;
      for (Subscriber* s : subs) all = all && s->WaitFor(1, absl::Seconds(1));
      if (all) {
        for (Subscriber* s : subs) s->Ignore(warm);
        return warm;
      }
    }
    ADD_FAILURE() << "streams never became live";
    return warm;
  }

  static std::vector<std::string> Without(std::vector<std::string> v,
                                          const std::set<std::string>& skip) {
    v.erase(std::remove_if(v.begin(), v.end(),
                           [&](const std::string& s) { return skip.count(s); }),
            v.end());
    return v;
  }

  std::string key_;
};

}  // namespace opinia::alerts_testing

#endif  // OPINIA_TESTS_SERVICE_ALERTS_STREAM_FIXTURE_H_
