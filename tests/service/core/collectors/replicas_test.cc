// Collectors on two replicas of one database (two Collectors with their
// own holder ids, each over a store object of its own, as two servers
// would be; on PostgreSQL in the _pg variant): a run claims its
// collector, the other replica neither runs it nor sends a request while
// the claim stands, and a replica that dies mid-run has its claim taken
// over after the lease's ttl, without a review stored twice.
#include <algorithm>
#include <atomic>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/core/util/outbound_policy.h"
#include "tests/service/core/collectors/collector_env.h"
#include "tests/testing/loopback_outbound.h"

namespace opinia::core::collectors {
namespace {

using ::testing::HasSubstr;
using testing::CollectorEnv;
using testing::FakeGbp;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::HttpServer;

// Holds the first request for one page until opened (a replica stalled or
// killed in the middle of a run); opens itself when destroyed.
class PageGate {
 public:
  explicit PageGate(std::string query) : query_(std::move(query)) {}
  ~PageGate() { Open(); }

  // In the server's handler, before answering.
  void Pass(const HttpRequest& request) {
    if (!absl::StrContains(request.query, query_) || !armed_.exchange(false)) {
      return;
    }
    reached_.Notify();
    open_.WaitForNotificationWithTimeout(absl::Seconds(60));
  }
  bool WaitReached() {
    return reached_.WaitForNotificationWithTimeout(absl::Seconds(30));
  }
  void Open() {
    if (!open_.HasBeenNotified()) open_.Notify();
  }

 private:
  const std::string query_;
  std::atomic<bool> armed_{true};
  absl::Notification reached_;
  absl::Notification open_;
};

class CollectorReplicasTest : public CollectorEnv {
 protected:
  void SetUp() override {
    CollectorEnv::SetUp();
    // Patient: a page held at the gate is waited for, not retried.
    FetchOptions fetch;
    fetch.max_attempts = 1;
    fetch.call.timeout = absl::Seconds(60);
    patient_fetcher_ = std::make_unique<Fetcher>(http_.get(), &sleeper_,
                                                 &clock_, fetch, /*seed=*/7);
    a_ = Replica("replica-a");
    b_ = Replica("replica-b");
  }

  // What a replica's process has: a store object of its own on the
  // database, the ingest path and a syncer over it (the patient fetcher,
  // analyzer, clock and observer are shared).
  struct ReplicaParts {
    std::unique_ptr<storage::Store> store;
    std::unique_ptr<Ingestor> ingestor;
    std::unique_ptr<Reviews> reviews;
    std::unique_ptr<Syncer> syncer;
  };
  std::unique_ptr<Collectors> Replica(const std::string& id) {
    ReplicaParts& p = replicas_.emplace_back();
    p.store = core::testing::OpenReplicaStore(*store_);
    if (p.store == nullptr) return nullptr;
    p.ingestor = std::make_unique<Ingestor>(p.store.get(), &analysis_, &clock_,
                                            IngestLimits{}, &observer_);
    p.reviews = std::make_unique<Reviews>(p.store.get(), &clock_, &observer_);
    p.syncer = std::make_unique<Syncer>(p.store.get(), p.ingestor.get(),
                                        p.reviews.get(), patient_fetcher_.get());
    CollectorsOptions options;
    options.replica_id = id;
    return std::make_unique<Collectors>(p.store.get(), p.syncer.get(), &clock_,
                                        opinia::testing::LoopbackAllowed(),
                                        options);
  }

  static opinia::v1::RunCollectorRequest RunRequest(const std::string& name) {
    opinia::v1::RunCollectorRequest request;
    request.set_name(name);
    return request;
  }

  std::vector<storage::LeaseRow> CollectorLeases() {
    std::vector<storage::LeaseRow> rows;
    EXPECT_TRUE(store_
                    ->Read([&](storage::Txn& txn) -> absl::Status {
                      auto r = txn.leases().ListLeases("collector:", 10);
                      if (!r.ok()) return r.status();
                      rows = *std::move(r);
                      return absl::OkStatus();
                    })
                    .ok());
    return rows;
  }

  std::unique_ptr<Fetcher> patient_fetcher_;
  std::deque<ReplicaParts> replicas_;  // outlive a_ and b_
  std::unique_ptr<Collectors> a_;
  std::unique_ptr<Collectors> b_;
};

TEST_F(CollectorReplicasTest, DeadReplicasRunIsTakenOverWithoutDuplicates) {
  FakeGbp gbp(30);
  gbp.page_size = 10;
  PageGate gate("pageToken=10");
  auto server = HttpServer::Start([&](const HttpRequest& request) {
    gate.Pass(request);
    return gbp.Answer(request);
  });
  ASSERT_TRUE(server.ok()) << server.status();
  const auto c = CreateGbp((*server)->Url(FakeGbp::kPath), /*poll=*/600);
  auto due = a_->ListDue(10);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(due->size(), 1u);

  // Replica A runs it and stalls on page 2, page 1 stored.
  Collectors::Result a_result;
  std::thread a_run([&] { a_result = a_->RunScheduled(due->front()); });
  // However the test ends, A is let go and joined.
  absl::Cleanup join_a = [&] {
    gate.Open();
    a_run.join();
  };
  ASSERT_TRUE(gate.WaitReached());
  EXPECT_EQ(Count("google"), 10);
  const int requests = [&] {
    absl::MutexLock lock(&gbp.mutex);
    return gbp.requests;
  }();

  // While A's claim stands, B neither runs it nor sends a request.
  auto scheduled = b_->RunScheduled(due->front());
  EXPECT_EQ(scheduled.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(scheduled.status().message(), HasSubstr("another replica"));
  auto manual = b_->Run(admin_, RunRequest(c.name()));
  EXPECT_EQ(manual.status().code(), absl::StatusCode::kUnavailable);
  {
    absl::MutexLock lock(&gbp.mutex);
    EXPECT_EQ(gbp.requests, requests);
  }
  ASSERT_EQ(CollectorLeases().size(), 1u);
  EXPECT_EQ(CollectorLeases()[0].holder, "replica-a");

  // A is dead to the others once it has not renewed for the lease's ttl:
  // the collector is still due (A recorded nothing) and B runs it, from
  // the stored cursor: page 1 again (unchanged), then the rest.
  clock_.Advance(CollectorsOptions().lease_ttl);
  auto due_b = b_->ListDue(10);
  ASSERT_TRUE(due_b.ok()) << due_b.status();
  ASSERT_EQ(due_b->size(), 1u);
  auto taken_over = b_->RunScheduled(due_b->front());
  ASSERT_TRUE(taken_over.ok()) << taken_over.status();
  EXPECT_EQ(taken_over->fetched(), 30);
  EXPECT_EQ(taken_over->created(), 20);
  EXPECT_EQ(taken_over->unchanged(), 10);

  // A comes back (a stall, not a death): its claim is gone, so it stops
  // before storing the page it was fetching and records nothing.
  std::move(join_a).Invoke();
  EXPECT_EQ(a_result.status().code(), absl::StatusCode::kUnavailable)
      << a_result.status();
  EXPECT_THAT(a_result.status().message(), HasSubstr("taken over"));

  EXPECT_EQ(Count("google"), 30);
  for (int i = 0; i < 30; ++i) {
    EXPECT_TRUE(Find("google", absl::StrCat("g", i)).has_value()) << i;
  }
  EXPECT_EQ(observer_.created.load(), 30) << "each review created once";
  EXPECT_EQ(analyzer_.calls(), 30) << "no page analysed twice";
  const opinia::v1::Collector state = Get(c.name());
  EXPECT_EQ(state.state().reviews_fetched(), 30) << "B's run only";
  EXPECT_EQ(state.state().last_error(), "");
  EXPECT_TRUE(CollectorLeases().empty()) << "released by B";
}

TEST_F(CollectorReplicasTest, ConcurrentRunsOfOneCollectorNeverOverlap) {
  FakeGbp gbp(30);
  gbp.page_size = 10;
  std::atomic<int> in_flight{0};
  std::atomic<int> most{0};
  auto server = HttpServer::Start([&](const HttpRequest& request) {
    const int now = ++in_flight;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    absl::SleepFor(absl::Milliseconds(20));
    HttpResponse response = gbp.Answer(request);
    --in_flight;
    return response;
  });
  ASSERT_TRUE(server.ok()) << server.status();
  const auto c = CreateGbp((*server)->Url(FakeGbp::kPath));
  constexpr int kRuns = 4;
  std::atomic<int> ran{0};
  std::vector<std::thread> replicas;
  for (Collectors* replica : {a_.get(), b_.get()}) {
    replicas.emplace_back([&, replica] {
      for (int i = 0; i < kRuns; ++i) {
        auto r = replica->Run(admin_, RunRequest(c.name()));
        if (r.ok()) {
          ++ran;
          continue;
        }
        EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable)
            << r.status();
        EXPECT_THAT(r.status().message(), HasSubstr("another replica"));
      }
    });
  }
  for (std::thread& t : replicas) t.join();
  EXPECT_EQ(most.load(), 1) << "two runs of one collector fetched at once";
  EXPECT_GE(ran.load(), 1);
  EXPECT_EQ(Count("google"), 30);
  EXPECT_EQ(observer_.created.load(), 30);
  EXPECT_TRUE(CollectorLeases().empty());
}

}  // namespace
}  // namespace opinia::core::collectors
