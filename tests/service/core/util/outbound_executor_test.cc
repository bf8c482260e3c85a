// The tenant-fair executor: per-tenant and per-destination limits, round
// robin across tenants, Stop() dropping queued tasks and cancelling a real
// HTTP call in flight (libcurl against a loopback server that never
// answers).
#include "service/core/util/outbound_executor.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/loopback_outbound.h"
#include "service/core/util/http_client.h"
#include "tests/testing/http_server.h"

namespace opinia::core {
namespace {

using ::testing::ElementsAre;

// Tasks that record when they start and wait until released.
class Gate {
 public:
  OutboundExecutor::Task Task(std::string label) {
    return [this, label](bool run) {
      {
        absl::MutexLock lock(&mutex_);
        (run ? started_ : dropped_).push_back(label);
      }
      if (!run) return;
      absl::MutexLock lock(&mutex_);
      mutex_.Await(absl::Condition(&open_));
    };
  }
  void Open() {
    absl::MutexLock lock(&mutex_);
    open_ = true;
  }
  // Waits until `n` tasks started (false after 10 s).
  bool WaitStarted(size_t n) {
    absl::MutexLock lock(&mutex_);
    auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return started_.size() >= n;
    };
    return mutex_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(10));
  }
  std::vector<std::string> started() {
    absl::MutexLock lock(&mutex_);
    return started_;
  }
  std::vector<std::string> dropped() {
    absl::MutexLock lock(&mutex_);
    return dropped_;
  }

 private:
  absl::Mutex mutex_;
  bool open_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<std::string> started_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::string> dropped_ ABSL_GUARDED_BY(mutex_);
};

TEST(OutboundExecutorTest, ATenantAtItsLimitDoesNotDelayAnother) {
  Gate gate;
  OutboundExecutor executor({/*threads=*/8, /*per_tenant=*/2,
                             /*per_destination=*/8});
  for (int i = 0; i < 10; ++i) {
    executor.Submit("a", "http://slow:80", gate.Task("a" + std::to_string(i)));
  }
  ASSERT_TRUE(gate.WaitStarted(2));
  executor.Submit("b", "http://fast:80", gate.Task("b0"));
  ASSERT_TRUE(gate.WaitStarted(3));
  absl::SleepFor(absl::Milliseconds(50));  // nothing else may start
  EXPECT_THAT(gate.started(), ElementsAre("a0", "a1", "b0"));
  EXPECT_EQ(executor.Running(), 3);
  EXPECT_EQ(executor.Queued(), 8);
  gate.Open();
  ASSERT_TRUE(gate.WaitStarted(11));
}

TEST(OutboundExecutorTest, ADestinationAtItsLimitWaitsOthersGoOn) {
  Gate gate;
  OutboundExecutor executor({/*threads=*/8, /*per_tenant=*/4,
                             /*per_destination=*/1});
  executor.Submit("a", "http://x:80", gate.Task("a-x1"));
  executor.Submit("a", "http://x:80", gate.Task("a-x2"));
  executor.Submit("b", "http://x:80", gate.Task("b-x"));
  executor.Submit("a", "http://y:80", gate.Task("a-y"));
  ASSERT_TRUE(gate.WaitStarted(2));
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_THAT(gate.started(), ElementsAre("a-x1", "a-y"));
  gate.Open();
  ASSERT_TRUE(gate.WaitStarted(4));
  // When x frees up, b's turn comes before a's second task for x.
  EXPECT_THAT(gate.started(), ElementsAre("a-x1", "a-y", "b-x", "a-x2"));
}

TEST(OutboundExecutorTest, TenantsTakeTurns) {
  Gate gate;
  // One thread: the order of starts is the order of turns.
  OutboundExecutor executor({/*threads=*/1, /*per_tenant=*/1,
                             /*per_destination=*/4});
  executor.Submit("blocker", "d", gate.Task("blocker"));
  ASSERT_TRUE(gate.WaitStarted(1));
  for (const char* label : {"a1", "a2", "a3"}) {
    executor.Submit("a", "d", gate.Task(label));
  }
  executor.Submit("b", "d", gate.Task("b1"));
  executor.Submit("c", "d", gate.Task("c1"));
  gate.Open();
  ASSERT_TRUE(gate.WaitStarted(6));
  EXPECT_THAT(gate.started(),
              ElementsAre("blocker", "a1", "b1", "c1", "a2", "a3"));
}

TEST(OutboundExecutorTest, StopDropsQueuedTasksAndWaitsForRunningOnes) {
  Gate gate;
  auto executor = std::make_unique<OutboundExecutor>(
      OutboundExecutorOptions{/*threads=*/2, /*per_tenant=*/1,
                              /*per_destination=*/4});
  executor->Submit("a", "d", gate.Task("a1"));
  executor->Submit("a", "d", gate.Task("a2"));
  ASSERT_TRUE(gate.WaitStarted(1));
  EXPECT_FALSE(executor->cancel_flag()->load());
  absl::Notification stopped;
  std::thread stopper([&] {
    executor->Stop();
    stopped.Notify();
  });
  EXPECT_FALSE(stopped.WaitForNotificationWithTimeout(absl::Milliseconds(100)))
      << "Stop() must wait for the running task";
  EXPECT_TRUE(executor->cancel_flag()->load());
  gate.Open();
  stopper.join();
  EXPECT_THAT(gate.dropped(), ElementsAre("a2"));
  // Submitted after Stop: handed `false` at once.
  executor->Submit("a", "d", gate.Task("late"));
  EXPECT_THAT(gate.dropped(), ElementsAre("a2", "late"));
}

TEST(OutboundExecutorTest, NoThreadsRunsInline) {
  OutboundExecutor executor({/*threads=*/0, 1, 1});
  std::vector<bool> runs;
  executor.Submit("a", "d", [&](bool run) { runs.push_back(run); });
  executor.Submit("a", "d", [&](bool run) { runs.push_back(run); });
  executor.Stop();
  executor.Submit("a", "d", [&](bool run) { runs.push_back(run); });
  EXPECT_THAT(runs, ElementsAre(true, true, false));
}

TEST(OutboundExecutorTest, StopCancelsAnHttpCallInFlight) {
  auto server = opinia::testing::HttpServer::Start(
      [](const opinia::testing::HttpRequest&) {
        return opinia::testing::HttpResponse::Slow(absl::Minutes(5));
      });
  ASSERT_TRUE(server.ok()) << server.status();
  auto client = CreateCurlHttpClient(opinia::testing::LoopbackAllowed());
  ASSERT_TRUE(client.ok()) << client.status();
  OutboundExecutor executor({/*threads=*/2, 2, 2});
  HttpCallOptions options;
  options.timeout = absl::Minutes(5);
  options.cancel = executor.cancel_flag();
  absl::Status status;
  absl::Notification done;
  executor.Submit("a", OutboundDestination((*server)->Url()), [&](bool run) {
    ASSERT_TRUE(run);
    status = (*client)->Get((*server)->Url("/hang"), {}, options).status();
    done.Notify();
  });
  ASSERT_TRUE((*server)->WaitForRequests(1, absl::Seconds(10)));
  const absl::Time start = absl::Now();
  executor.Stop();
  const absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(done.HasBeenNotified());
  EXPECT_TRUE(absl::IsCancelled(status)) << status;
  EXPECT_LT(took, absl::Seconds(3));
  // A call that starts after the flag was set does not connect at all.
  EXPECT_TRUE(absl::IsCancelled(
      (*client)->Get((*server)->Url("/late"), {}, options).status()));
  EXPECT_EQ((*server)->RequestCount(), 1u);
}

TEST(OutboundDestinationTest, SchemeHostPort) {
  EXPECT_EQ(OutboundDestination("https://API.example.com/v1?x=1"),
            "https://api.example.com:443");
  EXPECT_EQ(OutboundDestination("http://u:p@h.example:8080/x"),
            "http://h.example:8080");
  EXPECT_EQ(OutboundDestination("http://h.example#f"), "http://h.example:80");
  EXPECT_EQ(OutboundDestination("http://[::1]:9/x"), "http://[::1]:9");
  EXPECT_EQ(OutboundDestination("http://[::1]/x"), "http://[::1]:80");
  EXPECT_EQ(OutboundDestination("not a url"), "not a url");
}

}  // namespace
}  // namespace opinia::core
