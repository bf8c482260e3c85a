#include "service/server/store_health.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace opinia::server {

StoreHealth::StoreHealth(storage::Store* store, absl::Duration interval,
                         absl::Duration timeout, OnChange on_change)
    : store_(store),
      interval_(interval),
      timeout_(timeout),
      on_change_(std::move(on_change)) {
  pinger_ = std::thread([this] { PingLoop(); });
  watcher_ = std::thread([this] { WatchLoop(); });
}

StoreHealth::~StoreHealth() { Stop(); }

void StoreHealth::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (pinger_.joinable()) pinger_.join();
  if (watcher_.joinable()) watcher_.join();
}

bool StoreHealth::reachable() const {
  absl::MutexLock lock(&mutex_);
  return reachable_;
}

void StoreHealth::Set(bool reachable, const std::string& why) {
  if (reachable == reachable_ || stopping_) return;
  reachable_ = reachable;
  on_change_(reachable, why);
}

void StoreHealth::PingLoop() {
  absl::MutexLock lock(&mutex_);
  while (!stopping_) {
    ping_start_ = absl::Now();
    mutex_.Unlock();
    const absl::Status ping = store_->Read([](storage::Txn& txn) {
      return txn.ListTenants("", 1).status();
    });
    mutex_.Lock();
    ping_start_ = absl::InfiniteFuture();
    Set(ping.ok(), ping.ok() ? "" : ping.ToString());
    mutex_.AwaitWithTimeout(absl::Condition(&stopping_), interval_);
  }
}

void StoreHealth::WatchLoop() {
  // Looks often enough to notice a hung ping soon after `timeout`.
  const absl::Duration every =
      std::max(absl::Milliseconds(10), std::min(interval_, timeout_ / 4));
  absl::MutexLock lock(&mutex_);
  while (!mutex_.AwaitWithTimeout(absl::Condition(&stopping_), every)) {
    if (absl::Now() - ping_start_ > timeout_) {
      Set(false, absl::StrCat("a read of the database has not answered for ",
                              absl::FormatDuration(timeout_)));
    }
  }
}

}  // namespace opinia::server
