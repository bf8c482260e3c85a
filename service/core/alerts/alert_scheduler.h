// Time-driven alerts: SLA breaches, volume spikes and snooze expiry. Tick()
// does one pass over every tenant with the injected clock's "now" (tests
// move a FakeClock and call Tick directly); Start() runs Tick on a
// background thread every `interval` of real time.
//
// - SLA_BREACH: a review that is not deleted, still NEW or ACKNOWLEDGED
//   (RecordResponse sets RESPONDED, which stops the clock) and past its
//   respond_by gets exactly one alert (dedup key "sla:{review}").
// - VOLUME_SPIKE: negative reviews created in the last 24 h, overall and per
//   source, compared with the 7 preceding days: alert when the count exceeds
//   mean + k * stddev of the daily counts, is above the mean and at least
//   `min_spike_count`; at most once per cooldown per scope. k (default 3)
//   and the cooldown (default 24 h) are the tenant's settings
//   (TenantSettings, read on every tick).
// - SNOOZED alerts whose snooze_until has passed are OPEN again, with an
//   ALERT_REOPENED event written in the same transaction (streams and
//   webhooks deliver it like a new alert).
//
// Replicas: a pass runs only on the replica that holds the lease
// "alert-scheduler" (util/lease.h). The holder keeps it from tick to tick
// (each tick extends it by `lease_ttl`, and each tenant's transaction
// renews it, so its alerts commit only under the claim); the other
// replicas' ticks are skipped (TickStats::skipped) until it stops ticking
// for a ttl (it died) or stops (Stop releases it). Each tenant's
// transaction also notifies the tenant (Txn::NotifyTenant) when it wrote
// an alert event, so subscribers on every replica wake up.
#ifndef OPINIA_SERVICE_CORE_ALERTS_ALERT_SCHEDULER_H_
#define OPINIA_SERVICE_CORE_ALERTS_ALERT_SCHEDULER_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/core/alerts/alert_hub.h"
#include "service/core/util/clock.h"
#include "service/core/util/lease.h"
#include "service/core/util/periodic_thread.h"
#include "service/storage/store.h"

namespace opinia::core {

struct AlertSchedulerOptions {
  int min_spike_count = 3;
  int sla_batch = 500;  // SLA alerts written per tenant per tick, at most
  // This replica's holder id (util/lease.h); "" = a new NewReplicaId().
  std::string replica_id;
  // How long the scheduler's lease outlives its holder's last tick;
  // Start(interval) makes it at least 3 intervals.
  absl::Duration lease_ttl = absl::Minutes(2);
};

// The name of the scheduler's lease.
inline constexpr char kAlertSchedulerLease[] = "alert-scheduler";

struct TickStats {
  int sla_alerts = 0;
  int spike_alerts = 0;
  int reopened = 0;
  // Another replica holds the scheduler's lease: this tick did nothing.
  bool skipped = false;
};

// Thread-safe. The pointees must outlive it; `hub` may be nullptr.
class AlertScheduler {
 public:
  AlertScheduler(storage::Store* store, const Clock* clock, AlertHub* hub,
                 AlertSchedulerOptions options = {});
  ~AlertScheduler();

  // One pass over every tenant, when this replica holds (or takes) the
  // scheduler's lease; else `skipped`. Errors of one tenant are returned
  // after the others were processed; a lease lost during the pass ends it
  // (FAILED_PRECONDITION). Ticks of one scheduler never overlap.
  absl::StatusOr<TickStats> Tick();

  // Runs Tick every `interval` on a thread until Stop(). Errors are logged.
  void Start(absl::Duration interval);
  // Idempotent; returns once the thread has ended, and releases the lease
  // (so another replica takes over at its next tick).
  void Stop();

  const std::string& replica_id() const { return replica_id_; }

 private:
  // Takes or extends the lease; false when another replica holds it.
  absl::StatusOr<bool> Claim() ABSL_EXCLUSIVE_LOCKS_REQUIRED(tick_mutex_);
  absl::Status TickTenant(const std::string& tenant_id, absl::Time now,
                          TickStats* stats)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(tick_mutex_);

  storage::Store* store_;
  const Clock* clock_;
  AlertHub* hub_;
  const AlertSchedulerOptions options_;
  const std::string replica_id_;
  absl::Mutex tick_mutex_;  // serialises Tick()
  absl::Duration lease_ttl_ ABSL_GUARDED_BY(tick_mutex_);
  std::unique_ptr<Lease> lease_ ABSL_GUARDED_BY(tick_mutex_);
  PeriodicThread ticks_;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_ALERTS_ALERT_SCHEDULER_H_
