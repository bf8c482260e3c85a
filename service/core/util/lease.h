// Claims of scheduled work across replicas on one database (storage's
// leases, lease_store.h), for the alert scheduler, the collectors and the
// webhook dispatcher: work runs on the replica that holds its lease, and a
// replica that dies (stops renewing) loses the lease when its ttl runs out,
// so another takes the work over.
//
// A replica is identified by a holder id, NewReplicaId(), made once per
// server (App) and written to its log at start.
#ifndef OPINIA_SERVICE_CORE_UTIL_LEASE_H_
#define OPINIA_SERVICE_CORE_UTIL_LEASE_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/core/util/clock.h"
#include "service/storage/store.h"

namespace opinia::core {

// "host:pid:random": unique per process start (the random part tells a
// restarted process with a reused pid from the old one).
std::string NewReplicaId();

// One lease held by this replica, from TryTake until it is destroyed (which
// releases it, so another replica may take it at once). Thread-safe.
class Lease {
 public:
  // Takes `name` for `holder` until the clock's now + ttl; nullptr (and no
  // error) when another holder's lease stands. Storage errors as they come.
  static absl::StatusOr<std::unique_ptr<Lease>> TryTake(
      storage::Store* store, const Clock* clock, std::string name,
      std::string holder, absl::Duration ttl);
  ~Lease();  // releases; a failure only leaves it to expire
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  // Extends the lease to now + ttl in a write transaction of its own.
  // FAILED_PRECONDITION when another holder took it meanwhile (it had
  // expired; even if that one has released it again): the work must stop,
  // and lost() is true from then on.
  absl::Status Renew();
  // The same inside the caller's write transaction, so that the work the
  // transaction writes commits only under the claim (a backend serialises
  // the lease's row: a replica that took the lease over cannot commit work
  // alongside).
  absl::Status RenewIn(storage::Txn& txn);
  // Whether a renewal found the lease taken by another holder.
  bool lost() const;

  const std::string& name() const { return name_; }
  const std::string& holder() const { return holder_; }

 private:
  Lease(storage::Store* store, const Clock* clock, std::string name,
        std::string holder, absl::Duration ttl)
      : store_(store),
        clock_(clock),
        name_(std::move(name)),
        holder_(std::move(holder)),
        ttl_(ttl) {}

  storage::Store* const store_;
  const Clock* const clock_;
  const std::string name_;
  const std::string holder_;
  const absl::Duration ttl_;
  mutable absl::Mutex mutex_;
  bool lost_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_LEASE_H_
