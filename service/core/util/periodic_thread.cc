#include "service/core/util/periodic_thread.h"

#include <utility>

namespace opinia::core {

PeriodicThread::~PeriodicThread() { Stop(); }

void PeriodicThread::Start(absl::Duration interval, std::function<void()> fn) {
  absl::MutexLock lock(&mutex_);
  if (started_ || stopping_) return;
  started_ = true;
  thread_ = std::thread([this, interval, fn = std::move(fn)] {
    absl::MutexLock lock(&mutex_);
    auto due = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return stopping_ || woken_;
    };
    while (true) {
      mutex_.AwaitWithTimeout(absl::Condition(&due), interval);
      if (stopping_) return;
      woken_ = false;
      mutex_.Unlock();
      fn();
      mutex_.Lock();
    }
  });
}

void PeriodicThread::Wake() {
  absl::MutexLock lock(&mutex_);
  woken_ = true;
}

void PeriodicThread::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace opinia::core
