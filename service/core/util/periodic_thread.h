// A background thread that runs one function every interval of real time
// until it is stopped, and at once when woken: the shape of every periodic
// job of the server (the alert scheduler's tick, KeyWatch's re-reading of
// keys, the failed request log's flush, the webhook dispatcher's and the
// reply outbox's passes, which new work wakes).
#ifndef OPINIA_SERVICE_CORE_UTIL_PERIODIC_THREAD_H_
#define OPINIA_SERVICE_CORE_UTIL_PERIODIC_THREAD_H_

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace opinia::core {

// Thread-safe.
class PeriodicThread {
 public:
  PeriodicThread() = default;
  ~PeriodicThread();  // Stop()
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  // Runs `fn` every `interval` (first after one interval, or at a Wake) on
  // a new thread, until Stop(). A second Start, or one after Stop, does
  // nothing.
  void Start(absl::Duration interval, std::function<void()> fn);
  // Runs `fn` now instead of at the end of the interval; during a run, once
  // more right after it (a wake is never lost, and many coalesce into one).
  void Wake();
  // Idempotent; returns once the thread has ended (after a run of `fn` in
  // progress has returned).
  void Stop();

 private:
  absl::Mutex mutex_;
  bool started_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  bool woken_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_PERIODIC_THREAD_H_
