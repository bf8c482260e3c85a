// Runs due collectors (poll_interval_seconds > 0, next_run_time passed) on
// a small pool of threads inside the server. A ticker asks the store for
// due collectors every `tick`; a collector already queued or running is
// not queued again. Each run reschedules itself (Collectors::RunLocked
// sets next_run_time), so a crash or restart just finds them due again.
//
// Tests drive RunDueOnce() with a fake clock instead of starting threads.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_SCHEDULER_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_SCHEDULER_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/core/collectors/collectors.h"

namespace opinia::core::collectors {

struct SchedulerOptions {
  int threads = 2;
  absl::Duration tick = absl::Seconds(5);
  int max_due_per_tick = 100;
};

// Thread-safe; `collectors` must outlive it.
class CollectorScheduler {
 public:
  explicit CollectorScheduler(const Collectors* collectors,
                              SchedulerOptions options = {})
      : collectors_(collectors), options_(options) {}
  ~CollectorScheduler() { Stop(); }
  CollectorScheduler(const CollectorScheduler&) = delete;
  CollectorScheduler& operator=(const CollectorScheduler&) = delete;

  // Starts the ticker and the workers. Call once.
  void Start();
  // Stops ticking, drops what is queued, waits for runs in progress.
  // Idempotent.
  void Stop();

  // Synchronously runs every collector due now; returns how many ran.
  int RunDueOnce();

 private:
  void Tick();
  void Work();

  const Collectors* const collectors_;
  const SchedulerOptions options_;

  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::deque<DueCollector> queue_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_set<int64_t> pending_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::thread> threads_;
};

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_SCHEDULER_H_
