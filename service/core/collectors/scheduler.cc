#include "service/core/collectors/scheduler.h"

#include <cstdio>
#include <string>
#include <vector>

namespace opinia::core::collectors {

void CollectorScheduler::Start() {
  thread_ = std::thread([this] { Tick(); });
}

void CollectorScheduler::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

int CollectorScheduler::RunDueOnce() {
  auto due = collectors_->ListDue(options_.max_due_per_tick);
  if (!due.ok()) return 0;
  for (const DueCollector& d : *due) collectors_->RunScheduled(d).IgnoreError();
  return static_cast<int>(due->size());
}

void CollectorScheduler::QueueDue() {
  std::vector<int64_t> skip;
  {
    absl::MutexLock lock(&pending_->mutex);
    skip.assign(pending_->ids.begin(), pending_->ids.end());
  }
  auto due = collectors_->ListDue(options_.max_due_per_tick, skip);
  if (!due.ok()) {
    std::fprintf(stderr, "opinia-server: collector scheduler: %s\n",
                 std::string(due.status().message()).c_str());
    return;
  }
  for (const DueCollector& d : *due) {
    {
      absl::MutexLock lock(&pending_->mutex);
      if (!pending_->ids.insert(d.id).second) continue;
    }
    // The outcome is in the collector's state; nothing to report here.
    collectors_->RunScheduledAsync(
        d, [pending = pending_, id = d.id](const Collectors::Result&) {
          absl::MutexLock lock(&pending->mutex);
          pending->ids.erase(id);
        });
  }
}

void CollectorScheduler::Tick() {
  absl::MutexLock lock(&mutex_);
  while (!stopping_) {
    mutex_.Unlock();
    QueueDue();
    mutex_.Lock();
    auto stop = [this]()
                    ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return stopping_; };
    mutex_.AwaitWithTimeout(absl::Condition(&stop), options_.tick);
  }
}

}  // namespace opinia::core::collectors
