// A fixed set of threads running queued tasks. gRPC's callback reactions
// must not block, so unary handlers hand their SQLite and analysis work to
// this pool. The queue is bounded: when full, Submit refuses instead of
// letting memory grow without limit under overload.
#ifndef OPINIA_SERVICE_RPC_WORKER_POOL_H_
#define OPINIA_SERVICE_RPC_WORKER_POOL_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace opinia::rpc {

// Thread-safe.
class WorkerPool {
 public:
  // `nice` > 0 runs the threads that much nicer than the process (lower
  // CPU priority): their work is parallel, while the store's single writer
  // thread, which they wait for, is not.
  WorkerPool(int threads, size_t max_queue, int nice = 0);
  // Runs every task already queued, then joins the threads.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False (task not queued) when the queue is full or the pool is stopping.
  bool Submit(std::function<void()> task);

 private:
  void Run();
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const size_t max_queue_;
  mutable absl::Mutex mutex_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_WORKER_POOL_H_
