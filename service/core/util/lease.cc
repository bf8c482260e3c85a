#include "service/core/util/lease.h"

#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "service/core/util/crypto.h"
#include "util/status_macros.h"

namespace opinia::core {

std::string NewReplicaId() {
  char host[256] = {};
  const bool named = gethostname(host, sizeof(host) - 1) == 0 && host[0] != 0;
  // NewResourceId's letter prefix dropped: six random hex digits.
  const std::string random = NewResourceId('r', 6).substr(1);
  return absl::StrCat(named ? host : "unknown-host", ":", getpid(), ":",
                      random);
}

absl::StatusOr<std::unique_ptr<Lease>> Lease::TryTake(
    storage::Store* store, const Clock* clock, std::string name,
    std::string holder, absl::Duration ttl) {
  std::unique_ptr<Lease> lease(
      new Lease(store, clock, std::move(name), std::move(holder), ttl));
  bool held = false;
  RETURN_IF_ERROR(store->Write([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(held, txn.leases().TryAcquireLease(
                               lease->name_, lease->holder_, clock->Now(),
                               ttl));
    return absl::OkStatus();
  }));
  if (!held) {
    absl::MutexLock lock(&lease->mutex_);
    lease->lost_ = true;  // nothing to release
    return nullptr;
  }
  return lease;
}

Lease::~Lease() {
  if (lost()) return;
  store_
      ->Write([&](storage::Txn& txn) {
        return txn.leases().ReleaseLease(name_, holder_).status();
      })
      .IgnoreError();
}

absl::Status Lease::Renew() {
  return store_->Write([&](storage::Txn& txn) { return RenewIn(txn); });
}

absl::Status Lease::RenewIn(storage::Txn& txn) {
  ASSIGN_OR_RETURN(bool held, txn.leases().RenewLease(name_, holder_,
                                                      clock_->Now(), ttl_));
  if (held) return absl::OkStatus();
  absl::MutexLock lock(&mutex_);
  lost_ = true;
  return absl::FailedPreconditionError(absl::StrCat(
      "lease ", name_, " was taken over by another replica (it expired)"));
}

bool Lease::lost() const {
  absl::MutexLock lock(&mutex_);
  return lost_;
}

}  // namespace opinia::core
