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
#ifndef OPINIA_SERVICE_CORE_ALERTS_ALERT_SCHEDULER_H_
#define OPINIA_SERVICE_CORE_ALERTS_ALERT_SCHEDULER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "service/core/alerts/alert_hub.h"
#include "service/core/util/clock.h"
#include "service/core/util/periodic_thread.h"
#include "service/storage/store.h"

namespace opinia::core {

struct AlertSchedulerOptions {
  int min_spike_count = 3;
  int sla_batch = 500;  // SLA alerts written per tenant per tick, at most
};

struct TickStats {
  int sla_alerts = 0;
  int spike_alerts = 0;
  int reopened = 0;
};

// Thread-safe. The pointees must outlive it; `hub` may be nullptr.
class AlertScheduler {
 public:
  AlertScheduler(storage::Store* store, const Clock* clock, AlertHub* hub,
                 AlertSchedulerOptions options = {})
      : store_(store), clock_(clock), hub_(hub), options_(options) {}
  ~AlertScheduler();

  // One pass over every tenant. Errors of one tenant are returned after the
  // others were processed.
  absl::StatusOr<TickStats> Tick();

  // Runs Tick every `interval` on a thread until Stop(). Errors are logged.
  void Start(absl::Duration interval);
  // Idempotent; returns once the thread has ended.
  void Stop();

 private:
  absl::Status TickTenant(const std::string& tenant_id, absl::Time now,
                          TickStats* stats);

  storage::Store* store_;
  const Clock* clock_;
  AlertHub* hub_;
  const AlertSchedulerOptions options_;
  PeriodicThread ticks_;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_ALERTS_ALERT_SCHEDULER_H_
