#include "service/core/util/periodic_thread.h"

#include <utility>

namespace opinia::core {

PeriodicThread::~PeriodicThread() { Stop(); }

void PeriodicThread::Start(absl::Duration interval, std::function<void()> fn) {
  thread_ = std::thread([this, interval, fn = std::move(fn)] {
    absl::MutexLock lock(&mutex_);
    while (!mutex_.AwaitWithTimeout(absl::Condition(&stopping_), interval)) {
      mutex_.Unlock();
      fn();
      mutex_.Lock();
    }
  });
}

void PeriodicThread::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace opinia::core
