#include "service/core/alerts/alert_hub.h"

#include "service/core/util/absl_sv.h"

namespace opinia::core {

bool AlertHub::Subscribe(std::string_view tenant_id, Subscriber* subscriber) {
  absl::MutexLock lock(&mutex_);
  if (closed_) return false;
  subs_[Av(tenant_id)].insert(subscriber);
  return true;
}

void AlertHub::Unsubscribe(std::string_view tenant_id,
                           Subscriber* subscriber) {
  absl::MutexLock lock(&mutex_);
  auto it = subs_.find(Av(tenant_id));
  if (it == subs_.end()) return;
  it->second.erase(subscriber);
  if (it->second.empty()) subs_.erase(it);
}

void AlertHub::Notify(std::string_view tenant_id) {
  absl::MutexLock lock(&mutex_);
  auto it = subs_.find(Av(tenant_id));
  if (it == subs_.end()) return;
  for (Subscriber* s : it->second) s->Wake();
}

void AlertHub::NotifyAll() {
  absl::MutexLock lock(&mutex_);
  for (auto& [tenant, subs] : subs_) {
    for (Subscriber* s : subs) s->Wake();
  }
}

void AlertHub::CloseAll() {
  absl::MutexLock lock(&mutex_);
  closed_ = true;
  for (auto& [tenant, subs] : subs_) {
    for (Subscriber* s : subs) s->Close();
  }
}

int AlertHub::SubscriberCount() const {
  absl::MutexLock lock(&mutex_);
  int n = 0;
  for (const auto& [tenant, subs] : subs_) n += static_cast<int>(subs.size());
  return n;
}

}  // namespace opinia::core
