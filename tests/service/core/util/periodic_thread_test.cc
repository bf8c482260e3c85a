// PeriodicThread: runs on its interval, at once when woken (wakes during a
// run are kept and coalesce), never after Stop, and a second Start is a
// no-op.
#include "service/core/util/periodic_thread.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace opinia::core {
namespace {

// Waits (up to 10 s) until `runs` reaches `n`.
bool WaitForRuns(const std::atomic<int>& runs, int n) {
  const absl::Time end = absl::Now() + absl::Seconds(10);
  while (runs.load() < n && absl::Now() < end) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  return runs.load() >= n;
}

TEST(PeriodicThreadTest, RunsOnItsInterval) {
  std::atomic<int> runs{0};
  PeriodicThread t;
  t.Start(absl::Milliseconds(5), [&] { ++runs; });
  EXPECT_TRUE(WaitForRuns(runs, 3));
  t.Stop();
  const int stopped = runs.load();
  absl::SleepFor(absl::Milliseconds(30));
  EXPECT_EQ(runs.load(), stopped);  // nothing after Stop
}

TEST(PeriodicThreadTest, WakeRunsAtOnceInsteadOfAfterTheInterval) {
  std::atomic<int> runs{0};
  PeriodicThread t;
  t.Start(absl::Hours(1), [&] { ++runs; });
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(runs.load(), 0);
  t.Wake();
  EXPECT_TRUE(WaitForRuns(runs, 1));
  t.Wake();
  EXPECT_TRUE(WaitForRuns(runs, 2));
}

TEST(PeriodicThreadTest, WakesDuringARunAreKeptAndCoalesce) {
  std::atomic<int> runs{0};
  absl::Notification entered, release;
  PeriodicThread t;
  t.Start(absl::Hours(1), [&] {
    if (++runs == 1) {
      entered.Notify();
      release.WaitForNotification();
    }
  });
  t.Wake();
  entered.WaitForNotification();
  for (int i = 0; i < 5; ++i) t.Wake();  // while the first run is going on
  release.Notify();
  EXPECT_TRUE(WaitForRuns(runs, 2));  // the wakes were not lost ...
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(runs.load(), 2);  // ... and made one run, not five
}

TEST(PeriodicThreadTest, SecondStartAndStartAfterStopDoNothing) {
  std::atomic<int> first{0}, second{0};
  PeriodicThread t;
  t.Start(absl::Hours(1), [&] { ++first; });
  t.Start(absl::Hours(1), [&] { ++second; });
  t.Wake();
  EXPECT_TRUE(WaitForRuns(first, 1));
  t.Stop();
  t.Stop();  // idempotent
  t.Start(absl::Milliseconds(1), [&] { ++second; });
  t.Wake();
  absl::SleepFor(absl::Milliseconds(30));
  EXPECT_EQ(second.load(), 0);
}

}  // namespace
}  // namespace opinia::core
