// Health follows the database: the server pings its store (a trivial
// Read) every `interval`. A ping that fails, or that has not answered
// within `timeout` (a hung connection, a lock nobody releases), makes the
// store unreachable; the next ping that answers makes it reachable again.
// Each transition is reported once (the server logs it and sets the gRPC
// health status NOT_SERVING / SERVING), without a restart.
//
// Real time (absl::Now), not the core's injectable clock.
#ifndef OPINIA_SERVICE_SERVER_STORE_HEALTH_H_
#define OPINIA_SERVICE_SERVER_STORE_HEALTH_H_

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/storage/store.h"

namespace opinia::server {

// Thread-safe. `store` must outlive it.
class StoreHealth {
 public:
  // `why` says what failed (empty when reachable). Called on the watcher's
  // threads, one call at a time; must not block.
  using OnChange = std::function<void(bool reachable, const std::string& why)>;

  // Starts pinging at once; the store counts as reachable until a ping
  // says otherwise.
  StoreHealth(storage::Store* store, absl::Duration interval,
              absl::Duration timeout, OnChange on_change);
  ~StoreHealth();  // Stop()
  StoreHealth(const StoreHealth&) = delete;
  StoreHealth& operator=(const StoreHealth&) = delete;

  // Ends the threads (after a ping in flight has returned); no call of
  // on_change after it. Idempotent.
  void Stop();

  bool reachable() const;

 private:
  void PingLoop();
  void WatchLoop();
  // Reports a change of state.
  void Set(bool reachable, const std::string& why)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  storage::Store* const store_;
  const absl::Duration interval_;
  const absl::Duration timeout_;
  const OnChange on_change_;

  mutable absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  bool reachable_ ABSL_GUARDED_BY(mutex_) = true;
  // When the ping in flight started; InfiniteFuture when none is.
  absl::Time ping_start_ ABSL_GUARDED_BY(mutex_) = absl::InfiniteFuture();
  std::thread pinger_;
  std::thread watcher_;
};

}  // namespace opinia::server

#endif  // OPINIA_SERVICE_SERVER_STORE_HEALTH_H_
