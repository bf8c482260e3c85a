// Queues due collectors (poll_interval_seconds > 0, next_run_time passed)
// for their runs. A ticker asks the store for due collectors every `tick`
// and hands each to Collectors::RunScheduledAsync, which runs it on the
// collectors' OutboundExecutor (per-tenant and per-destination limits, so
// one tenant's hanging endpoints never hold the runs of the others). A
// collector queued or running is neither queued again nor listed again (the
// store leaves it out), so however many of one tenant's collectors wait, the
// others' due ones are still found. Each run reschedules itself
// (Collectors sets next_run_time), so a crash or restart just finds them
// due again. With replicas on one database every replica's scheduler lists
// the same due collectors; a run claims its collector first (collectors.h),
// so the other replicas skip it and list it again at their next tick.
//
// Tests drive RunDueOnce() with a fake clock instead of starting threads.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_SCHEDULER_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_SCHEDULER_H_

#include <cstdint>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/core/collectors/collectors.h"

namespace opinia::core::collectors {

struct SchedulerOptions {
  absl::Duration tick = absl::Seconds(5);
  int max_due_per_tick = 100;
};

// Thread-safe; `collectors` must outlive it.
class CollectorScheduler {
 public:
  explicit CollectorScheduler(const Collectors* collectors,
                              SchedulerOptions options = {})
      : collectors_(collectors),
        options_(options),
        pending_(std::make_shared<Pending>()) {}
  ~CollectorScheduler() { Stop(); }
  CollectorScheduler(const CollectorScheduler&) = delete;
  CollectorScheduler& operator=(const CollectorScheduler&) = delete;

  // Starts the ticker. Call once.
  void Start();
  // Stops ticking (runs already queued are the executor's). Idempotent.
  void Stop();

  // Synchronously runs every collector due now; returns how many ran.
  int RunDueOnce();

 private:
  // Collectors queued or running; shared with their completion callbacks,
  // which may come after the scheduler is gone.
  struct Pending {
    absl::Mutex mutex;
    absl::flat_hash_set<int64_t> ids ABSL_GUARDED_BY(mutex);
  };
  void Tick();
  // Queues the due collectors not pending yet.
  void QueueDue();

  const Collectors* const collectors_;
  const SchedulerOptions options_;
  const std::shared_ptr<Pending> pending_;

  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_SCHEDULER_H_
