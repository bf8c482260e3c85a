#include "service/core/alert_scheduler.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "opinia/v1/alerts.pb.h"
#include "opinia/v1/common.pb.h"
#include "service/core/alert_model.h"
#include "service/core/names.h"

namespace opinia::core {
namespace {

constexpr int kBaselineDays = 7;

struct DailyCounts {
  int64_t current = 0;
  int64_t baseline[kBaselineDays] = {};
};

}  // namespace

AlertScheduler::~AlertScheduler() { Stop(); }

absl::StatusOr<TickStats> AlertScheduler::Tick() {
  const absl::Time now = clock_->Now();
  TickStats stats;
  absl::Status first_error;
  std::string after;
  while (true) {
    std::vector<storage::TenantRow> tenants;
    absl::Status s = store_->Read([&](storage::Txn& txn) -> absl::Status {
      auto page = txn.ListTenants(after, 200);
      if (!page.ok()) return page.status();
      tenants = *std::move(page);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    if (tenants.empty()) break;
    for (const auto& t : tenants) {
      TickStats tenant_stats;
      absl::Status ts = TickTenant(t.id, now, &tenant_stats);
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
    storage::AlertTxn& alerts = txn.alerts();
    // SLA breaches.
    auto breached = alerts.ListSlaCandidates(tenant_id, now, options_.sla_batch);
    if (!breached.ok()) return breached.status();
    for (const auto& c : *breached) {
      storage::AlertRow a;
      a.tenant_id = tenant_id;
      a.kind = opinia::v1::SLA_BREACH;
      a.priority = c.priority;
      a.review_id = c.review_id;
      a.reasons.push_back(kReasonNoResponseByDeadline);
      a.state = storage::kAlertOpen;
      a.create_time = a.update_time = now;
      a.summary = absl::StrCat(
          opinia::v1::Priority_Name(
              static_cast<opinia::v1::Priority>(c.priority)),
          " review ", ReviewName(c.review_id), " on ", c.source,
          " is unanswered past its deadline (",
          absl::FormatTime(absl::RFC3339_sec, c.respond_by,
                           absl::UTCTimeZone()),
          ")");
      a.source = c.source;
      a.dedup_key = absl::StrCat("sla:", c.review_id);
      if (auto id = alerts.InsertAlert(a); !id.ok()) return id.status();
      ++stats->sla_alerts;
    }

    // Snoozes that have run out: OPEN again, and an event in the same
    // transaction so streams and webhooks hear that the alert is back.
    storage::AlertFilter snoozed;
    snoozed.states = {storage::kAlertSnoozed};
    auto rows = alerts.ListAlerts(tenant_id, snoozed, 0, 1000);
    if (!rows.ok()) return rows.status();
    for (auto& row : *rows) {
      if (row.snooze_until > now) continue;
      row.state = storage::kAlertOpen;
      row.snooze_until = absl::InfinitePast();
      row.update_time = now;
      if (auto s = alerts.UpdateAlert(row); !s.ok()) return s;
      if (auto e = alerts.InsertAlertEvent(tenant_id, row.id,
                                           storage::kAlertEventReopened, now);
          !e.ok()) {
        return e.status();
      }
      ++stats->reopened;
    }

    // Volume spikes: "" is the overall scope, otherwise a source.
    auto settings = alerts.GetAlertSettings(tenant_id);
    if (!settings.ok()) return settings.status();
    std::map<std::string, DailyCounts> counts;
    for (int day = 0; day <= kBaselineDays; ++day) {
      const absl::Time end = now - absl::Hours(24) * day;
      auto by_source = alerts.CountReviewsBySource(
          tenant_id, opinia::v1::NEGATIVE, end - absl::Hours(24), end);
      if (!by_source.ok()) return by_source.status();
      for (const auto& [source, n] : *by_source) {
        for (const std::string& scope : {std::string(), source}) {
          if (day == 0) {
            counts[scope].current += n;
          } else {
            counts[scope].baseline[day - 1] += n;
          }
        }
      }
    }
    for (const auto& [scope, c] : counts) {
      if (c.current < options_.min_spike_count) continue;
      double mean = 0;
      for (int64_t n : c.baseline) mean += static_cast<double>(n);
      mean /= kBaselineDays;
      double var = 0;
      for (int64_t n : c.baseline) {
        var += (static_cast<double>(n) - mean) * (static_cast<double>(n) - mean);
      }
      const double stddev = std::sqrt(var / kBaselineDays);
      const double threshold = mean + settings->spike_k * stddev;
      const double current = static_cast<double>(c.current);
      if (!(current > threshold && current > mean)) continue;
      auto fired = alerts.GetSpikeFired(tenant_id, scope);
      if (!fired.ok()) return fired.status();
      if (*fired != absl::InfinitePast() &&
          now - *fired < settings->spike_cooldown) {
        continue;
      }
      storage::AlertRow a;
      a.tenant_id = tenant_id;
      a.kind = opinia::v1::VOLUME_SPIKE;
      a.priority = opinia::v1::P2;
      const std::string where =
          scope.empty() ? std::string("all sources") : scope;
      a.reasons.push_back(kReasonAboveBaseline);
      a.state = storage::kAlertOpen;
      a.create_time = a.update_time = now;
      a.summary = absl::StrFormat(
          "Spike of negative reviews on %s: %d in the last 24 h (usually "
          "%.1f ± %.1f per day; threshold %.1f at k = %.1f)",
          where, c.current, mean, stddev, threshold, settings->spike_k);
      a.source = scope;
      a.dedup_key = absl::StrCat("spike:", scope);
      if (auto id = alerts.InsertAlert(a); !id.ok()) return id.status();
      if (auto s = alerts.SetSpikeFired(tenant_id, scope, now); !s.ok()) {
        return s;
      }
      ++stats->spike_alerts;
    }
    return absl::OkStatus();
  });
}

void AlertScheduler::Start(absl::Duration interval) {
  thread_ = std::thread([this, interval] {
    absl::MutexLock lock(&mutex_);
    while (!stopping_) {
      mutex_.AwaitWithTimeout(absl::Condition(&stopping_), interval);
      if (stopping_) break;
      mutex_.Unlock();
      auto stats = Tick();
      if (!stats.ok()) {
        std::fprintf(stderr, "opinia-server: alert scheduler: %s\n",
                     stats.status().ToString().c_str());
      }
      mutex_.Lock();
    }
  });
}

void AlertScheduler::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace opinia::core
