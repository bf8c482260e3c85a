// Threads for outbound work (collector runs, webhook deliveries) that one
// tenant cannot take over. Tasks are queued by (tenant, destination); a
// free thread takes the oldest task of the next tenant in round-robin order
// whose tenant runs fewer than `per_tenant` tasks and whose destination
// ("scheme://host:port", OutboundDestination) fewer than `per_destination`.
// So a tenant whose endpoints hang holds at most `per_tenant` threads, a
// slow destination at most `per_destination`, and every other tenant's
// tasks start on the remaining threads at once; within one tenant tasks
// start in the order they came.
//
// Nothing here blocks a caller: Submit() queues and returns. The queue is
// not bounded; callers keep at most one queued task per thing (a collector,
// a webhook), so its length is bounded by what tenants may create.
//
// Stop() sets cancel_flag() (HttpCallOptions::cancel: calls in flight
// abort), hands every queued task `false` (it never runs) and waits for the
// running ones.
#ifndef OPINIA_SERVICE_CORE_UTIL_OUTBOUND_EXECUTOR_H_
#define OPINIA_SERVICE_CORE_UTIL_OUTBOUND_EXECUTOR_H_

#include <atomic>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace opinia::core {

struct OutboundExecutorOptions {
  // 0: no threads; Submit runs the task at once on the caller's thread
  // (limits do not apply; for tests that drive the work synchronously).
  int threads = 8;
  int per_tenant = 2;
  int per_destination = 4;
};

// Thread-safe.
class OutboundExecutor {
 public:
  // Called exactly once: with true on an executor thread, or with false
  // (on the thread that called Stop or Submit) when the executor stopped
  // before the task could start.
  using Task = std::function<void(bool run)>;

  // Starts the threads; limits below 1 count as 1.
  explicit OutboundExecutor(OutboundExecutorOptions options);
  ~OutboundExecutor();  // Stop()
  OutboundExecutor(const OutboundExecutor&) = delete;
  OutboundExecutor& operator=(const OutboundExecutor&) = delete;

  void Submit(std::string tenant, std::string destination, Task task);

  // Idempotent; see the top of the file.
  void Stop();

  // Set once Stop() began; stays set.
  const std::atomic<bool>* cancel_flag() const { return &cancelled_; }

  // Tasks running / queued now (tests, logs).
  int Running() const;
  int Queued() const;

 private:
  struct Item {
    std::string tenant;
    std::string destination;
    Task task;
  };

  void Work();
  // Takes the next runnable task off the queues and counts it as running;
  // false when none may start now.
  bool Take(Item* item) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void Done(const Item& item) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const OutboundExecutorOptions options_;
  std::atomic<bool> cancelled_{false};

  mutable absl::Mutex mutex_;
  absl::CondVar ready_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  // Queued tasks by tenant (FIFO), and the tenants that have some, in
  // round-robin order.
  absl::flat_hash_map<std::string, std::deque<Item>> queues_
      ABSL_GUARDED_BY(mutex_);
  std::deque<std::string> turn_ ABSL_GUARDED_BY(mutex_);
  int queued_ ABSL_GUARDED_BY(mutex_) = 0;
  int running_ ABSL_GUARDED_BY(mutex_) = 0;
  absl::flat_hash_map<std::string, int> tenant_running_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<std::string, int> destination_running_
      ABSL_GUARDED_BY(mutex_);
  std::vector<std::thread> threads_;
};

// "scheme://host:port" of an http(s) URL, lowercased, with the scheme's
// default port when none is given ("http://a.example:80"); userinfo, path,
// query and fragment dropped. The URL itself when it has no "://".
std::string OutboundDestination(std::string_view url);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_OUTBOUND_EXECUTOR_H_
