#include "service/core/collectors/scheduler.h"

#include <cstdio>
#include <string>

namespace opinia::core::collectors {

void CollectorScheduler::Start() {
  threads_.emplace_back([this] { Tick(); });
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    threads_.emplace_back([this] { Work(); });
  }
}

void CollectorScheduler::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    queue_.clear();
  }
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

int CollectorScheduler::RunDueOnce() {
  auto due = collectors_->ListDue(options_.max_due_per_tick);
  if (!due.ok()) return 0;
  for (const DueCollector& d : *due) collectors_->RunScheduled(d).IgnoreError();
  return static_cast<int>(due->size());
}

void CollectorScheduler::Tick() {
  absl::MutexLock lock(&mutex_);
  while (!stopping_) {
    mutex_.Unlock();
    auto due = collectors_->ListDue(options_.max_due_per_tick);
    mutex_.Lock();
    if (due.ok()) {
      for (const DueCollector& d : *due) {
        if (pending_.insert(d.id).second) queue_.push_back(d);
      }
    } else {
      std::fprintf(stderr, "opinia-server: collector scheduler: %s\n",
                   std::string(due.status().message()).c_str());
    }
    auto stop = [this]()
                    ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return stopping_; };
    mutex_.AwaitWithTimeout(absl::Condition(&stop), options_.tick);
  }
}

void CollectorScheduler::Work() {
  absl::MutexLock lock(&mutex_);
  while (true) {
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return stopping_ || !queue_.empty();
    };
    mutex_.Await(absl::Condition(&ready));
    if (stopping_) return;
    DueCollector d = queue_.front();
    queue_.pop_front();
    mutex_.Unlock();
    // The outcome is in the collector's state; nothing to report here.
    collectors_->RunScheduled(d).IgnoreError();
    mutex_.Lock();
    pending_.erase(d.id);
  }
}

}  // namespace opinia::core::collectors
