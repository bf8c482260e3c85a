#include "service/core/alerts/alert_scheduler.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "opinia/v1/alerts.pb.h"
#include "opinia/v1/common.pb.h"
#include "service/core/alerts/alert_model.h"
#include "service/core/util/names.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

constexpr int kBaselineDays = 7;
// Snoozed alerts looked at per tenant per tick.
constexpr int kSnoozedBatch = 1000;

// Negative reviews of one scope per day: the last 24 h, then the 7 days
// before, newest first.
struct DailyCounts {
  int64_t current = 0;
  int64_t baseline[kBaselineDays] = {};
};

// The baseline's daily mean and standard deviation.
struct Baseline {
  double mean = 0;
  double stddev = 0;
};

storage::AlertRow NewAlert(const std::string& tenant_id, int32_t kind,
                           absl::Time now) {
  storage::AlertRow a;
  a.tenant_id = tenant_id;
  a.kind = kind;
  a.state = storage::kAlertOpen;
  a.create_time = a.update_time = now;
  return a;
}

storage::AlertRow SlaAlert(const std::string& tenant_id,
                           const storage::SlaCandidate& c, absl::Time now) {
  storage::AlertRow a = NewAlert(tenant_id, opinia::v1::SLA_BREACH, now);
  a.priority = c.priority;
  a.review_id = c.review_id;
  a.reasons.push_back(kReasonNoResponseByDeadline);
  a.summary = absl::StrCat(
      opinia::v1::Priority_Name(static_cast<opinia::v1::Priority>(c.priority)),
      " review ", ReviewName(c.review_id), " on ", c.source,
      " is unanswered past its deadline (",
      absl::FormatTime(absl::RFC3339_sec, c.respond_by, absl::UTCTimeZone()),
      ")");
  a.source = c.source;
  a.dedup_key = absl::StrCat("sla:", c.review_id);
  return a;
}

// One alert per review past its deadline without one.
absl::Status AlertSlaBreaches(storage::AlertTxn& alerts,
                              const std::string& tenant_id, absl::Time now,
                              int batch, TickStats* stats) {
  ASSIGN_OR_RETURN(auto breached,
                   alerts.ListSlaCandidates(tenant_id, now, batch));
  for (const storage::SlaCandidate& c : breached) {
    RETURN_IF_ERROR(alerts.InsertAlert(SlaAlert(tenant_id, c, now)).status());
    ++stats->sla_alerts;
  }
  return absl::OkStatus();
}

// Snoozes that have run out: OPEN again, and an event in the same
// transaction so streams and webhooks hear that the alert is back.
absl::Status ReopenExpiredSnoozes(storage::AlertTxn& alerts,
                                  const std::string& tenant_id,
                                  absl::Time now, TickStats* stats) {
  storage::AlertFilter snoozed;
  snoozed.states = {storage::kAlertSnoozed};
  ASSIGN_OR_RETURN(auto rows,
                   alerts.ListAlerts(tenant_id, snoozed, 0, kSnoozedBatch));
  for (storage::AlertRow& row : rows) {
    if (row.snooze_until > now) continue;
    row.state = storage::kAlertOpen;
    row.snooze_until = absl::InfinitePast();
    row.update_time = now;
    RETURN_IF_ERROR(alerts.UpdateAlert(row));
    RETURN_IF_ERROR(alerts
                        .InsertAlertEvent(tenant_id, row.id,
                                          storage::kAlertEventReopened, now)
                        .status());
    ++stats->reopened;
  }
  return absl::OkStatus();
}

// Daily negative review counts by scope: "" is the overall scope,
// otherwise a source.
absl::StatusOr<std::map<std::string, DailyCounts>> CountNegativeByScope(
    storage::AlertTxn& alerts, const std::string& tenant_id, absl::Time now) {
  std::map<std::string, DailyCounts> counts;
  for (int day = 0; day <= kBaselineDays; ++day) {
    const absl::Time end = now - absl::Hours(24) * day;
    ASSIGN_OR_RETURN(auto by_source, alerts.CountReviewsBySource(
                                         tenant_id, opinia::v1::NEGATIVE,
                                         end - absl::Hours(24), end));
    for (const auto& [source, n] : by_source) {
      for (const std::string& scope : {std::string(), source}) {
        if (day == 0) {
          counts[scope].current += n;
        } else {
          counts[scope].baseline[day - 1] += n;
        }
      }
    }
  }
  return counts;
}

Baseline BaselineOf(const DailyCounts& c) {
  Baseline b;
  for (int64_t n : c.baseline) b.mean += static_cast<double>(n);
  b.mean /= kBaselineDays;
  double var = 0;
  for (int64_t n : c.baseline) {
    var += (static_cast<double>(n) - b.mean) * (static_cast<double>(n) - b.mean);
  }
  b.stddev = std::sqrt(var / kBaselineDays);
  return b;
}

storage::AlertRow SpikeAlert(const std::string& tenant_id,
                             const std::string& scope, int64_t current,
                             const Baseline& b, double threshold, double k,
                             absl::Time now) {
  storage::AlertRow a = NewAlert(tenant_id, opinia::v1::VOLUME_SPIKE, now);
  a.priority = opinia::v1::P2;
  a.reasons.push_back(kReasonAboveBaseline);
  a.summary = absl::StrFormat(
      "Spike of negative reviews on %s: %d in the last 24 h (usually "
      "%.1f ± %.1f per day; threshold %.1f at k = %.1f)",
      scope.empty() ? std::string("all sources") : scope, current, b.mean,
      b.stddev, threshold, k);
  a.source = scope;
  a.dedup_key = absl::StrCat("spike:", scope);
  return a;
}

// Whether the spike of `scope` fired within the cooldown.
absl::StatusOr<bool> CoolingDown(storage::AlertTxn& alerts,
                                 const std::string& tenant_id,
                                 const std::string& scope,
                                 absl::Duration cooldown, absl::Time now) {
  ASSIGN_OR_RETURN(auto fired, alerts.GetSpikeFired(tenant_id, scope));
  return fired != absl::InfinitePast() && now - fired < cooldown;
}

// A spike alert per scope whose last 24 h exceed mean + k * stddev of its
// baseline days (and the mean, and `min_count`), unless it is cooling down.
absl::Status AlertVolumeSpikes(storage::AlertTxn& alerts,
                               const std::string& tenant_id, absl::Time now,
                               int min_count, TickStats* stats) {
  ASSIGN_OR_RETURN(auto settings, alerts.GetAlertSettings(tenant_id));
  ASSIGN_OR_RETURN(auto counts, CountNegativeByScope(alerts, tenant_id, now));
  for (const auto& [scope, c] : counts) {
    if (c.current < min_count) continue;
    const Baseline b = BaselineOf(c);
    const double threshold = b.mean + settings.spike_k * b.stddev;
    const double current = static_cast<double>(c.current);
    if (!(current > threshold && current > b.mean)) continue;
    ASSIGN_OR_RETURN(auto cooling, CoolingDown(alerts, tenant_id, scope,
                                               settings.spike_cooldown, now));
    if (cooling) continue;
    RETURN_IF_ERROR(
        alerts
            .InsertAlert(SpikeAlert(tenant_id, scope, c.current, b, threshold,
                                    settings.spike_k, now))
            .status());
    RETURN_IF_ERROR(alerts.SetSpikeFired(tenant_id, scope, now));
    ++stats->spike_alerts;
  }
  return absl::OkStatus();
}

}  // namespace

AlertScheduler::AlertScheduler(storage::Store* store, const Clock* clock,
                               AlertHub* hub, AlertSchedulerOptions options)
    : store_(store),
      clock_(clock),
      hub_(hub),
      options_(options),
      replica_id_(options.replica_id.empty() ? NewReplicaId()
                                             : options.replica_id),
      lease_ttl_(options.lease_ttl) {}

AlertScheduler::~AlertScheduler() { Stop(); }

absl::StatusOr<bool> AlertScheduler::Claim() {
  if (lease_ != nullptr) {
    absl::Status renewed = lease_->Renew();
    if (renewed.ok()) return true;
    if (!lease_->lost()) return renewed;  // a storage error
    lease_.reset();
  }
  ASSIGN_OR_RETURN(lease_, Lease::TryTake(store_, clock_, kAlertSchedulerLease,
                                          replica_id_, lease_ttl_));
  return lease_ != nullptr;
}

absl::StatusOr<TickStats> AlertScheduler::Tick() {
  absl::MutexLock tick(&tick_mutex_);
  TickStats stats;
  ASSIGN_OR_RETURN(bool claimed, Claim());
  if (!claimed) {
    stats.skipped = true;
    return stats;
  }
  const absl::Time now = clock_->Now();
  absl::Status first_error;
  std::string after;
  while (true) {
    std::vector<storage::TenantRow> tenants;
    RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(tenants, txn.ListTenants(after, 200));
      return absl::OkStatus();
    }));
    if (tenants.empty()) break;
    for (const auto& t : tenants) {
      TickStats tenant_stats;
      absl::Status ts = TickTenant(t.id, now, &tenant_stats);
      if (!ts.ok() && lease_->lost()) {
        lease_.reset();
        return ts;  // another replica goes on from here
      }
      if (!ts.ok() && first_error.ok()) first_error = ts;
      if (ts.ok() && hub_ != nullptr &&
          tenant_stats.sla_alerts + tenant_stats.spike_alerts +
                  tenant_stats.reopened >
              0) {
        hub_->Notify(t.id);
      }
      stats.sla_alerts += tenant_stats.sla_alerts;
      stats.spike_alerts += tenant_stats.spike_alerts;
      stats.reopened += tenant_stats.reopened;
    }
    after = tenants.back().id;
  }
  if (!first_error.ok()) return first_error;
  return stats;
}

absl::Status AlertScheduler::TickTenant(const std::string& tenant_id,
                                        absl::Time now, TickStats* stats) {
  return store_->Write([&](storage::Txn& txn) -> absl::Status {
    *stats = TickStats();
    // Under the claim: if another replica took the lease over, this
    // transaction writes nothing.
    RETURN_IF_ERROR(lease_->RenewIn(txn));
    storage::AlertTxn& alerts = txn.alerts();
    RETURN_IF_ERROR(
        AlertSlaBreaches(alerts, tenant_id, now, options_.sla_batch, stats));
    RETURN_IF_ERROR(ReopenExpiredSnoozes(alerts, tenant_id, now, stats));
    RETURN_IF_ERROR(AlertVolumeSpikes(alerts, tenant_id, now,
                                      options_.min_spike_count, stats));
    if (stats->sla_alerts + stats->spike_alerts + stats->reopened > 0) {
      RETURN_IF_ERROR(txn.NotifyTenant(tenant_id));  // other replicas
    }
    return absl::OkStatus();
  });
}

void AlertScheduler::Start(absl::Duration interval) {
  {
    absl::MutexLock tick(&tick_mutex_);
    lease_ttl_ = std::max(options_.lease_ttl, 3 * interval);
  }
  ticks_.Start(interval, [this] {
    auto stats = Tick();
    if (!stats.ok()) {
      std::fprintf(stderr, "opinia-server: alert scheduler: %s\n",
                   stats.status().ToString().c_str());
    }
  });
}

void AlertScheduler::Stop() {
  ticks_.Stop();
  absl::MutexLock tick(&tick_mutex_);
  lease_.reset();  // released: another replica may take over at once
}

}  // namespace opinia::core
