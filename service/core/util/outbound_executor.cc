#include "service/core/util/outbound_executor.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "service/core/util/absl_sv.h"

namespace opinia::core {

OutboundExecutor::OutboundExecutor(OutboundExecutorOptions options)
    : options_{std::max(0, options.threads), std::max(1, options.per_tenant),
               std::max(1, options.per_destination)} {
  for (int i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this] { Work(); });
  }
}

OutboundExecutor::~OutboundExecutor() { Stop(); }

void OutboundExecutor::Submit(std::string tenant, std::string destination,
                              Task task) {
  {
    absl::MutexLock lock(&mutex_);
    if (!stopping_ && options_.threads > 0) {
      queues_[tenant].push_back(
          Item{tenant, std::move(destination), std::move(task)});
      if (queues_[tenant].size() == 1) turn_.push_back(std::move(tenant));
      ++queued_;
      ready_.Signal();
      return;
    }
  }
  task(options_.threads == 0 && !cancelled_.load());
}

void OutboundExecutor::Stop() {
  std::vector<Item> dropped;
  {
    absl::MutexLock lock(&mutex_);
    cancelled_.store(true);
    if (stopping_) return;
    stopping_ = true;
    for (const std::string& tenant : turn_) {
      for (Item& item : queues_[tenant]) dropped.push_back(std::move(item));
    }
    queues_.clear();
    turn_.clear();
    queued_ = 0;
    ready_.SignalAll();
  }
  for (Item& item : dropped) item.task(false);
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

int OutboundExecutor::Running() const {
  absl::MutexLock lock(&mutex_);
  return running_;
}

int OutboundExecutor::Queued() const {
  absl::MutexLock lock(&mutex_);
  return queued_;
}

bool OutboundExecutor::Take(Item* item) {
  // One pass over the tenants, starting with the one whose turn it is; a
  // tenant passed over (at its limit, or its destinations at theirs) keeps
  // its place relative to the others.
  for (size_t n = turn_.size(); n > 0; --n) {
    std::string tenant = std::move(turn_.front());
    turn_.pop_front();
    std::deque<Item>& queue = queues_[tenant];
    auto it = queue.end();
    if (tenant_running_[tenant] < options_.per_tenant) {
      it = std::find_if(queue.begin(), queue.end(), [&](const Item& i) {
        auto d = destination_running_.find(i.destination);
        return d == destination_running_.end() ||
               d->second < options_.per_destination;
      });
    }
    if (it == queue.end()) {
      turn_.push_back(std::move(tenant));
      continue;
    }
    *item = std::move(*it);
    queue.erase(it);
    if (queue.empty()) {
      queues_.erase(tenant);
    } else {
      turn_.push_back(std::move(tenant));  // the others go first next time
    }
    --queued_;
    ++running_;
    ++tenant_running_[item->tenant];
    ++destination_running_[item->destination];
    return true;
  }
  return false;
}

void OutboundExecutor::Done(const Item& item) {
  --running_;
  if (--tenant_running_[item.tenant] <= 0) tenant_running_.erase(item.tenant);
  if (--destination_running_[item.destination] <= 0) {
    destination_running_.erase(item.destination);
  }
}

void OutboundExecutor::Work() {
  absl::MutexLock lock(&mutex_);
  while (true) {
    Item item;
    while (!stopping_ && !Take(&item)) ready_.Wait(&mutex_);
    if (stopping_ && !item.task) return;
    mutex_.Unlock();
    item.task(true);
    mutex_.Lock();
    Done(item);
    // The freed slots may let a task start that this thread cannot take
    // (it takes one itself on the next pass); wake another to look.
    if (queued_ > 0) ready_.Signal();
  }
}

std::string OutboundDestination(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const std::string scheme =
      absl::AsciiStrToLower(Av(url.substr(0, scheme_end)));
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const size_t at = rest.rfind('@');
  if (at != std::string_view::npos) rest = rest.substr(at + 1);
  std::string authority = absl::AsciiStrToLower(Av(rest));
  const size_t bracket = authority.rfind(']');
  const size_t colon = authority.rfind(':');
  const bool has_port = colon != std::string::npos &&
                        (bracket == std::string::npos || colon > bracket);
  if (!has_port) {
    absl::StrAppend(&authority, scheme == "https" ? ":443" : ":80");
  }
  return absl::StrCat(scheme, "://", authority);
}

}  // namespace opinia::core
