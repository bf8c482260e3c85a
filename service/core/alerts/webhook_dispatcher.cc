#include "service/core/alerts/webhook_dispatcher.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/core/alerts/alert_outbox.h"
#include "service/core/alerts/webhook_signing.h"
#include "service/core/alerts/webhooks.h"
#include "service/core/util/absl_sv.h"
#include "service/core/util/retry.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

// Webhooks read per page while enqueueing.
constexpr int kWebhookPage = 100;
// Longest transport error kept in last_error.
constexpr size_t kMaxErrorBytes = 400;

std::string Truncate(std::string s, size_t n) {
  if (s.size() > n) {
    s.resize(n);
    s += "...";
  }
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

// last_error of an answer that was not 2xx: the status and what it means,
// never the receiver's body (it is not ours to echo back).
std::string HttpFailure(int status) {
  const char* what = "unexpected status";
  if (status == 429) {
    what = "rate limited by the receiver";
  } else if (status >= 500) {
    what = "receiver error";
  } else if (status >= 400) {
    what = "rejected by the receiver";
  } else if (status >= 300) {
    what = "redirect, not followed";
  }
  return absl::StrCat("HTTP ", status, " (", what, ")");
}

// One page of webhooks for the enqueue pass.
struct WebhookPage {
  std::vector<storage::WebhookRow> busy;  // with events after their cursor
  int64_t last_id = 0;                    // the last webhook listed
  bool full = false;                      // more webhooks may follow
};

// Which webhooks have new alert events: one cheap read, so an idle tick
// never takes the writer. Adds every listed webhook's tenant to `tenants`.
absl::StatusOr<WebhookPage> ListBusyWebhooks(storage::Store& store,
                                             int64_t after,
                                             std::set<std::string>* tenants) {
  WebhookPage page;
  page.last_id = after;
  RETURN_IF_ERROR(store.Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto hooks,
                     txn.webhooks().ListAllWebhooks(after, kWebhookPage));
    page.full = static_cast<int>(hooks.size()) == kWebhookPage;
    if (!hooks.empty()) page.last_id = hooks.back().id;
    for (storage::WebhookRow& w : hooks) {
      tenants->insert(w.tenant_id);
      ASSIGN_OR_RETURN(auto next, txn.alerts().ListAlertEventsAfter(
                                      w.tenant_id, w.cursor, 1));
      if (!next.empty()) page.busy.push_back(std::move(w));
    }
    return absl::OkStatus();
  }));
  return page;
}

storage::DeliveryRow PendingDelivery(const storage::WebhookRow& webhook,
                                     const storage::AlertEventRow& event,
                                     absl::Time now) {
  storage::DeliveryRow d;
  d.webhook_id = webhook.id;
  d.tenant_id = webhook.tenant_id;
  d.alert_id = event.alert.id;
  d.event_id = event.id;
  d.state = storage::kDeliveryPending;
  d.next_attempt_time = now;
  d.create_time = now;
  d.update_time = now;
  return d;
}

// The metrics label of a delivery's state after an attempt.
const char* ResultLabel(int32_t state) {
  switch (state) {
    case storage::kDeliveryDelivered:
      return "delivered";
    case storage::kDeliveryDead:
      return "dead";
    default:
      return "retry";
  }
}

void Count(int32_t state, TickResult* result) {
  switch (state) {
    case storage::kDeliveryDelivered:
      ++result->delivered;
      break;
    case storage::kDeliveryDead:
      ++result->dead;
      break;
    default:
      ++result->retrying;
  }
}

}  // namespace

struct WebhookDispatcher::Job {
  storage::WebhookRow webhook;
  // Due rows of this webhook, oldest first, with their events.
  std::vector<std::pair<storage::DeliveryRow, storage::AlertEventRow>> rows;
};

struct WebhookDispatcher::JobResult {
  TickResult counts;   // attempted and their outcomes
  absl::Status status;  // a failed write of an outcome ends the job
};

struct WebhookDispatcher::Waiter {
  absl::Mutex mutex;
  size_t remaining ABSL_GUARDED_BY(mutex) = 0;
  std::vector<JobResult> results ABSL_GUARDED_BY(mutex);
};

WebhookDispatcher::WebhookDispatcher(storage::Store* store, const Clock* clock,
                                     HttpClient* http,
                                     WebhookDispatcherOptions options,
                                     AlertHub* hub, MetricsSink* metrics)
    : store_(store),
      clock_(clock),
      http_(http),
      options_(options),
      replica_id_(options.replica_id.empty() ? NewReplicaId()
                                             : options.replica_id),
      lease_ttl_(std::max(options.lease_ttl, 3 * options.http.timeout)),
      hub_(hub),
      metrics_(metrics),
      hub_subscriber_(this),
      executor_(OutboundExecutorOptions{options.workers, options.per_tenant,
                                        options.per_destination}) {}

absl::StatusOr<std::unique_ptr<WebhookDispatcher>> WebhookDispatcher::Create(
    storage::Store* store, const Clock* clock, HttpClient* http,
    WebhookDispatcherOptions options, AlertHub* hub, MetricsSink* metrics) {
  if (options.max_attempts < 1 || options.enqueue_batch < 1 ||
      options.deliver_batch < 1 || options.workers < 1 ||
      options.per_tenant < 1 || options.per_destination < 1) {
    return absl::InvalidArgumentError(
        "webhook dispatcher: max_attempts, batches, workers and the "
        "per-tenant and per-destination limits must be >= 1");
  }
  if (options.base_backoff < absl::ZeroDuration() ||
      options.max_backoff < absl::ZeroDuration() ||
      options.max_retry_after < absl::ZeroDuration() ||
      options.tick_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "webhook dispatcher: durations must not be negative");
  }
  return std::unique_ptr<WebhookDispatcher>(
      new WebhookDispatcher(store, clock, http, options, hub, metrics));
}

WebhookDispatcher::~WebhookDispatcher() {
  Stop();
  if (hub_ == nullptr) return;
  absl::MutexLock tick(&tick_mutex_);
  for (const std::string& tenant : subscribed_) {
    hub_->Unsubscribe(tenant, &hub_subscriber_);
  }
  subscribed_.clear();
}

void WebhookDispatcher::SubscribeTenants(const std::set<std::string>& tenants) {
  if (hub_ == nullptr) return;
  for (const std::string& tenant : tenants) {
    if (subscribed_.count(tenant) != 0) continue;
    // A closed hub (shutdown) refuses; the periodic tick still runs.
    if (hub_->Subscribe(tenant, &hub_subscriber_)) subscribed_.insert(tenant);
  }
}

absl::Duration WebhookDispatcher::Backoff(
    const WebhookDispatcherOptions& options, int attempts, double u) {
  return FullJitterBackoff(options.base_backoff, options.max_backoff, attempts,
                           u);
}

absl::StatusOr<TickResult> WebhookDispatcher::Tick() {
  return Pass(/*wait=*/true);
}

absl::StatusOr<TickResult> WebhookDispatcher::Pass(bool wait) {
  absl::MutexLock tick(&tick_mutex_);
  std::set<std::string> tenants;
  auto enqueued = Enqueue(&tenants);
  if (!enqueued.ok()) return enqueued.status();
  SubscribeTenants(tenants);
  auto result = Deliver(wait);
  if (!result.ok()) return result.status();
  result->enqueued = *enqueued;
  return result;
}

absl::StatusOr<int> WebhookDispatcher::Enqueue(std::set<std::string>* tenants) {
  int total = 0;
  WebhookPage page;
  do {
    ASSIGN_OR_RETURN(page, ListBusyWebhooks(*store_, page.last_id, tenants));
    for (const storage::WebhookRow& webhook : page.busy) {
      ASSIGN_OR_RETURN(auto added, EnqueueWebhook(webhook));
      total += added;
    }
  } while (page.full);
  return total;
}

absl::StatusOr<int> WebhookDispatcher::EnqueueWebhook(
    const storage::WebhookRow& listed) {
  int total = 0;
  bool more = true;
  while (more) {
    int added = 0;
    RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) {
      return EnqueuePage(txn, listed, &added, &more);
    }));
    total += added;
  }
  return total;
}

absl::Status WebhookDispatcher::EnqueuePage(storage::Txn& txn,
                                            const storage::WebhookRow& listed,
                                            int* added, bool* more) {
  *added = 0;
  *more = false;
  // Re-read inside the writer: the cursor may have moved (another
  // dispatcher) or the webhook may be gone.
  auto w = txn.webhooks().GetWebhook(listed.tenant_id, listed.id);
  if (absl::IsNotFound(w.status())) return absl::OkStatus();
  if (!w.ok()) return w.status();
  ASSIGN_OR_RETURN(auto page,
                   ReadOutbox(txn.alerts(), w->tenant_id, w->cursor,
                              WebhookFilter(*w), options_.enqueue_batch));
  if (page.next_position == w->cursor) return absl::OkStatus();
  const absl::Time now = clock_->Now();
  for (const storage::AlertEventRow& e : page.events) {
    ASSIGN_OR_RETURN(std::optional<int64_t> id,
                     txn.webhooks().InsertDeliveryIfAbsent(
                         PendingDelivery(*w, e, now)));
    if (id.has_value()) ++*added;
  }
  *more = page.more;
  return txn.webhooks().SetWebhookCursor(w->id, page.next_position);
}

absl::StatusOr<TickResult> WebhookDispatcher::Deliver(bool wait) {
  std::vector<Job> jobs;
  std::vector<storage::DeliveryRow> orphans;  // their event is gone
  RETURN_IF_ERROR(ReadDue(&jobs, &orphans));
  RETURN_IF_ERROR(GiveUp(orphans));
  TickResult result;
  result.dead += static_cast<int>(orphans.size());
  std::shared_ptr<Waiter> waiter;
  if (wait) {
    waiter = std::make_shared<Waiter>();
    absl::MutexLock lock(&waiter->mutex);
    waiter->remaining = jobs.size();
  }
  for (Job& job : jobs) Submit(std::move(job), waiter);
  if (waiter == nullptr) return result;
  absl::MutexLock lock(&waiter->mutex);
  auto all_done = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(waiter->mutex) {
    return waiter->remaining == 0;
  };
  waiter->mutex.Await(absl::Condition(&all_done));
  for (const JobResult& done : waiter->results) {
    if (!done.status.ok()) return done.status;
    result.attempted += done.counts.attempted;
    result.delivered += done.counts.delivered;
    result.retrying += done.counts.retrying;
    result.dead += done.counts.dead;
  }
  return result;
}

absl::Status WebhookDispatcher::ReadDue(
    std::vector<Job>* jobs, std::vector<storage::DeliveryRow>* orphans) {
  std::vector<int64_t> busy;
  {
    absl::MutexLock lock(&jobs_mutex_);
    busy.assign(busy_webhooks_.begin(), busy_webhooks_.end());
  }
  return store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto due,
                     txn.webhooks().ListDueDeliveriesExcept(
                         clock_->Now(), options_.deliver_batch, busy));
    std::map<int64_t, size_t> index;  // webhook id -> jobs position
    for (storage::DeliveryRow& d : due) {
      auto it = index.find(d.webhook_id);
      if (it == index.end()) {
        auto w = txn.webhooks().GetWebhook(d.tenant_id, d.webhook_id);
        if (absl::IsNotFound(w.status())) continue;  // deleted meanwhile
        if (!w.ok()) return w.status();
        it = index.emplace(d.webhook_id, jobs->size()).first;
        jobs->push_back(Job{*std::move(w), {}});
      }
      auto event = txn.alerts().GetAlertEvent(d.tenant_id, d.event_id);
      if (absl::IsNotFound(event.status())) {
        // Alerts and events are never deleted; should one vanish anyway,
        // give its delivery up instead of failing every tick on it.
        orphans->push_back(std::move(d));
        continue;
      }
      if (!event.ok()) return event.status();
      (*jobs)[it->second].rows.emplace_back(std::move(d), *std::move(event));
    }
    return absl::OkStatus();
  });
}

absl::Status WebhookDispatcher::GiveUp(
    std::vector<storage::DeliveryRow>& orphans) {
  if (orphans.empty()) return absl::OkStatus();
  return store_->Write([&](storage::Txn& txn) -> absl::Status {
    for (storage::DeliveryRow& d : orphans) {
      d.state = storage::kDeliveryDead;
      d.last_error = "alert event not found";
      d.update_time = clock_->Now();
      absl::Status u = txn.webhooks().UpdateDelivery(d);
      if (!u.ok() && !absl::IsNotFound(u)) return u;
    }
    return absl::OkStatus();
  });
}

void WebhookDispatcher::Submit(Job job, const std::shared_ptr<Waiter>& waiter) {
  {
    absl::MutexLock lock(&jobs_mutex_);
    busy_webhooks_.insert(job.webhook.id);
  }
  std::string tenant = job.webhook.tenant_id;
  std::string destination = OutboundDestination(job.webhook.url);
  executor_.Submit(
      std::move(tenant), std::move(destination),
      [this, job = std::move(job), waiter](bool run) {
        JobResult result = run ? RunJob(job) : JobResult{};
        {
          absl::MutexLock lock(&jobs_mutex_);
          busy_webhooks_.erase(job.webhook.id);
        }
        if (waiter != nullptr) {
          absl::MutexLock lock(&waiter->mutex);
          waiter->results.push_back(std::move(result));
          --waiter->remaining;
          return;
        }
        if (!result.status.ok()) {
          std::fprintf(stderr, "opinia-server: webhook dispatcher: %s\n",
                       std::string(result.status.message()).c_str());
        }
        // Its next due rows (and what the store left out) go now; not after
        // a job that did nothing (its webhook claimed by another replica),
        // which would only find the same rows again.
        if (run && result.counts.attempted > 0) Wake();
      });
}

std::string WebhookLeaseName(int64_t id) {
  return absl::StrCat("webhook:", id);
}

WebhookDispatcher::JobResult WebhookDispatcher::RunJob(const Job& job) {
  JobResult result;
  absl::StatusOr<std::unique_ptr<Lease>> lease =
      Lease::TryTake(store_, clock_, WebhookLeaseName(job.webhook.id),
                     replica_id_, lease_ttl_);
  if (!lease.ok()) {
    result.status = lease.status();
    return result;
  }
  if (*lease == nullptr) return result;  // another replica delivers it
  return RunClaimed(job, **lease);
  // ~Lease releases the claim.
}

absl::StatusOr<std::optional<storage::DeliveryRow>>
WebhookDispatcher::StillDue(const storage::DeliveryRow& row, Lease& lease) {
  std::optional<storage::DeliveryRow> fresh;
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    fresh.reset();
    RETURN_IF_ERROR(lease.RenewIn(txn));
    absl::StatusOr<storage::DeliveryRow> d =
        txn.webhooks().GetDelivery(row.id);
    if (absl::IsNotFound(d.status())) return absl::OkStatus();
    if (!d.ok()) return d.status();
    if (d->state == storage::kDeliveryPending &&
        d->attempts == row.attempts &&
        d->next_attempt_time <= clock_->Now()) {
      fresh = *std::move(d);
    }
    return absl::OkStatus();
  }));
  return fresh;
}

WebhookDispatcher::JobResult WebhookDispatcher::RunClaimed(const Job& job,
                                                           Lease& lease) {
  JobResult result;
  for (const auto& [listed, event] : job.rows) {
    absl::StatusOr<std::optional<storage::DeliveryRow>> row =
        StillDue(listed, lease);
    if (!row.ok()) {
      // A lost claim is no error: the replica that took it delivers.
      if (!lease.lost()) result.status = row.status();
      break;
    }
    if (!row->has_value()) break;  // attempted elsewhere meanwhile
    const std::optional<storage::DeliveryRow> attempt =
        Attempt(job.webhook, **row, event);
    if (!attempt.has_value()) break;  // cancelled: the row stays as it was
    const storage::DeliveryRow& d = *attempt;
    ++result.counts.attempted;
    result.status = RecordAttempt(d);
    if (!result.status.ok()) break;
    Count(d.state, &result.counts);
    metrics_->WebhookDelivery(ResultLabel(d.state));
    // A failing receiver gets one attempt per tick, not a burst.
    if (d.state != storage::kDeliveryDelivered) break;
  }
  return result;
}

std::optional<storage::DeliveryRow> WebhookDispatcher::Attempt(
    const storage::WebhookRow& webhook, const storage::DeliveryRow& row,
    const storage::AlertEventRow& event) {
  const std::string body = WebhookEventJson(MakeWebhookEvent(webhook, event));
  storage::DeliveryRow d = row;
  d.attempts += 1;
  const HttpHeaders headers = {
      {"Content-Type", "application/json"},
      {kEventIdHeader, WebhookEventId(event)},
      {kSignatureHeader,
       SignatureHeaderValue(webhook.secret, clock_->Now(), body)},
      {"Opinia-Delivery-Attempt", absl::StrCat(d.attempts)},
  };
  HttpCallOptions call = options_.http;
  call.cancel = executor_.cancel_flag();
  const absl::StatusOr<HttpResult> response =
      http_->Post(webhook.url, headers, body, call);
  if (absl::IsCancelled(response.status())) return std::nullopt;
  ApplyResponse(response, clock_->Now(), &d);
  return d;
}

void WebhookDispatcher::ApplyResponse(
    const absl::StatusOr<HttpResult>& response, absl::Time now,
    storage::DeliveryRow* d) {
  d->update_time = now;
  absl::Duration retry_after = absl::ZeroDuration();
  if (!response.ok()) {
    d->last_status = 0;
    d->last_error =
        Truncate(std::string(response.status().message()), kMaxErrorBytes);
  } else if (response->status >= 200 && response->status < 300) {
    d->last_status = response->status;
    d->state = storage::kDeliveryDelivered;
    return;
  } else {
    d->last_status = response->status;
    d->last_error = HttpFailure(response->status);
    retry_after = RetryAfterOf(*response, options_.max_retry_after);
  }
  if (d->attempts >= options_.max_attempts) {
    d->state = storage::kDeliveryDead;
    return;
  }
  d->next_attempt_time =
      now + std::max(Backoff(options_, d->attempts, jitter_.Uniform()), retry_after);
}

absl::Status WebhookDispatcher::RecordAttempt(const storage::DeliveryRow& d) {
  return store_->Write([&](storage::Txn& txn) {
    absl::Status u = txn.webhooks().UpdateDelivery(d);
    // Deleted while in flight: nothing left to record.
    return absl::IsNotFound(u) ? absl::OkStatus() : u;
  });
}

void WebhookDispatcher::Start() {
  passes_.Start(options_.tick_interval, [this] {
    absl::StatusOr<TickResult> r = Pass(/*wait=*/false);
    if (!r.ok()) {
      std::fprintf(stderr, "opinia-server: webhook dispatcher: %s\n",
                   std::string(r.status().message()).c_str());
    }
  });
}

void WebhookDispatcher::Stop() {
  passes_.Stop();
  executor_.Stop();  // cancels the POSTs in flight
}

void WebhookDispatcher::Wake() { passes_.Wake(); }

}  // namespace opinia::core
