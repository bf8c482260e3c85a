// Leases: named, time-limited claims that replicas on one database take
// before scheduled work (the alert scheduler's pass, one collector's run,
// one webhook's deliveries), so that the work runs on one replica at a time
// and a replica that dies loses its claims once they expire. Reached from a
// transaction as `txn.leases()`.
//
// A lease is a row (name, holder, acquire_time, expire_time). Names and
// holders are opaque, non-empty strings of the caller (core names them
// "alert-scheduler", "collector:{id}", "webhook:{id}"; a holder is a
// replica id). Times are the callers' clocks: replicas must agree on the
// time to well within a lease's ttl.
//
// TryAcquireLease commits with its transaction like any write; a backend
// with concurrent writers must make two transactions that both try to take
// one free or expired lease end with one holder (the second waits for the
// first's row, or conflicts: ABORTED, and Store::Write runs it again), so
// that work done in the same transaction as a successful TryAcquireLease
// is done under the claim. Use a conflict-free statement (e.g. INSERT ...
// ON CONFLICT DO UPDATE ... WHERE), not a failing INSERT.
//
// Codes as for Txn (store.h): INVALID_ARGUMENT for an empty name or holder,
// a ttl <= 0 or a limit <= 0; FAILED_PRECONDITION for a write in a
// read-only transaction; INTERNAL on database errors.
#ifndef OPINIA_SERVICE_STORAGE_LEASE_STORE_H_
#define OPINIA_SERVICE_STORAGE_LEASE_STORE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace opinia::storage {

struct LeaseRow {
  std::string name;
  std::string holder;
  // When `holder` took it (kept while the same holder extends it).
  absl::Time acquire_time = absl::UnixEpoch();
  // Free for anyone from this time on (expire_time <= now).
  absl::Time expire_time = absl::UnixEpoch();
};

// The argument checks every backend makes before a lease write:
// INVALID_ARGUMENT for an empty name or holder, or a ttl (when given) <= 0.
inline absl::Status CheckLeaseArguments(std::string_view name,
                                        std::string_view holder,
                                        std::optional<absl::Duration> ttl) {
  if (name.empty() || holder.empty()) {
    return absl::InvalidArgumentError("a lease needs a name and a holder");
  }
  if (ttl.has_value() && *ttl <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("a lease's ttl must be positive");
  }
  return absl::OkStatus();
}

class LeaseTxn {
 public:
  virtual ~LeaseTxn() = default;

  // Takes the lease `name` for `holder` until now + ttl when nobody holds
  // it, when it has expired (expire_time <= now), or when `holder` holds it
  // already (then only expire_time moves, to now + ttl). true: `holder`
  // holds it now; false: another holder's unexpired lease stands and
  // nothing changed.
  virtual absl::StatusOr<bool> TryAcquireLease(std::string_view name,
                                               std::string_view holder,
                                               absl::Time now,
                                               absl::Duration ttl) = 0;
  // Extends the lease to now + ttl when it is still `holder`'s term: the
  // row is there and names `holder`, expired or not (nobody took it since).
  // false when it was released, or taken by another holder (even if that
  // one released it again): the holder's claim ended, stop the work.
  virtual absl::StatusOr<bool> RenewLease(std::string_view name,
                                          std::string_view holder,
                                          absl::Time now,
                                          absl::Duration ttl) = 0;
  // Gives the lease up when `holder` holds it (expired or not): true; false
  // when it does not (nothing changed).
  virtual absl::StatusOr<bool> ReleaseLease(std::string_view name,
                                            std::string_view holder) = 0;
  // The leases whose name starts with `prefix` ("" = every lease), expired
  // ones included, ordered by name; at most `limit` (tests, metrics).
  virtual absl::StatusOr<std::vector<LeaseRow>> ListLeases(
      std::string_view prefix, int limit) = 0;
};

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_LEASE_STORE_H_
