// Wakes the alert subscribers (streams, the webhook dispatcher) of a tenant
// after a commit that may have added alerts. It carries no alert data: a
// woken subscriber reads what is new from storage itself (the outbox), so
// the hub needs no buffers and a slow subscriber costs the writer nothing.
// No gRPC here.
#ifndef OPINIA_SERVICE_CORE_ALERTS_ALERT_HUB_H_
#define OPINIA_SERVICE_CORE_ALERTS_ALERT_HUB_H_

#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"

namespace opinia::core {

// Thread-safe.
class AlertHub {
 public:
  class Subscriber {
   public:
    virtual ~Subscriber() = default;
    // Something may be new for the tenant. Must not block and must not call
    // back into the hub (it runs under the hub's lock).
    virtual void Wake() = 0;
    // The hub is closing (server shutdown): end the subscription soon.
    virtual void Close() = 0;
  };

  // False when the hub is closed (the caller should end its subscription).
  bool Subscribe(std::string_view tenant_id, Subscriber* subscriber);
  // After it returns, `subscriber` is never called again.
  void Unsubscribe(std::string_view tenant_id, Subscriber* subscriber);
  // Wakes every subscriber of the tenant.
  void Notify(std::string_view tenant_id);
  // Wakes every subscriber of every tenant (the store may have lost
  // notifications: Store::SetTenantListener's empty tenant).
  void NotifyAll();
  // Refuses new subscriptions and calls Close() on every subscriber.
  void CloseAll();

  int SubscriberCount() const;

 private:
  mutable absl::Mutex mutex_;
  bool closed_ ABSL_GUARDED_BY(mutex_) = false;
  absl::flat_hash_map<std::string, absl::flat_hash_set<Subscriber*>> subs_
      ABSL_GUARDED_BY(mutex_);
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_ALERTS_ALERT_HUB_H_
