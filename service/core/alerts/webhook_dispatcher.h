// Delivers alerts to webhooks: at least once, signed, with retries.
//
// One Tick():
//  1. Enqueue. For every webhook, the alert events of its tenant after its
//     cursor (an alert created, a snoozed alert reopened) whose alert
//     passes its filters become delivery rows, and the cursor advances, in
//     one write transaction per webhook (so an event is queued once per
//     webhook, whatever crashes happen; UNIQUE(webhook_id, event_id) backs
//     this up).
//  2. Deliver. Due pending rows (next_attempt_time <= now) are POSTed, one
//     job per webhook (a webhook's deliveries go one at a time, oldest
//     first) on the dispatcher's OutboundExecutor: different webhooks in
//     parallel on up to `workers` threads, at most `per_tenant` jobs of one
//     tenant and `per_destination` of one receiver (scheme://host:port) at
//     once, tenants taking turns. So a tenant's hanging receivers hold at
//     most `per_tenant` threads, and other tenants' deliveries start at
//     once. A webhook with a job queued or running is left out of the next
//     ticks' due lists (the store skips it) until its job ends, which wakes
//     the dispatcher. 2xx marks the row DELIVERED. Anything else (non-2xx, timeout, network
//     error) counts an attempt: after `max_attempts` the row is DEAD
//     (dead-lettered); otherwise it waits a full-jitter exponential back-off
//     uniform(0, min(max_backoff, base_backoff * 2^(attempts-1))), and at
//     least the receiver's Retry-After (seconds) on 429/503, capped at
//     max_retry_after. After a failure the webhook's other due rows wait for
//     the next tick, so a down receiver is not hammered.
// The outcome of each attempt is written before the next one starts; the
// row's state survives a restart, and an attempt whose outcome was not
// written (crash mid-POST) is repeated: receivers dedupe on
// Opinia-Event-Id. A webhook deleted mid-attempt loses the outcome silently.
// Stop() cancels the POSTs in flight: a cancelled attempt is not counted
// (the row stays due and is sent again after a restart).
//
// Replicas: a webhook's job runs only on the replica that claims the
// webhook (the lease "webhook:{id}", util/lease.h, for lease_ttl, at
// least 3 POST timeouts); the others skip it while it is held. Under the
// claim each row is read again before its POST (another replica may have
// attempted it since it was listed: then the job stops) and the claim is
// renewed, so one delivery is never POSTed by two replicas at once, and
// every attempt of an event carries the same Opinia-Event-Id whichever
// replica makes it. A replica that dies mid-POST loses the claim after the
// ttl; the attempt whose outcome it did not record is then repeated by
// another replica. Enqueueing needs no claim (UNIQUE(webhook_id, event_id)
// and the cursor, in one transaction).
//
// Start() runs the passes on a background thread every `tick_interval` and
// at once after Wake(); there they do not wait for the deliveries they
// start. With an AlertHub, the dispatcher subscribes to every
// tenant that has a webhook (refreshed each tick), so an alert committed
// with a review (or by the SLA/spike scheduler) wakes it at once. Tests call
// Tick() directly with a FakeClock and never Start().
#ifndef OPINIA_SERVICE_CORE_ALERTS_WEBHOOK_DISPATCHER_H_
#define OPINIA_SERVICE_CORE_ALERTS_WEBHOOK_DISPATCHER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/core/alerts/alert_hub.h"
#include "service/core/util/clock.h"
#include "service/core/util/http_client.h"
#include "service/core/util/lease.h"
#include "service/core/util/metrics.h"
#include "service/core/util/outbound_executor.h"
#include "service/core/util/periodic_thread.h"
#include "service/core/util/retry.h"
#include "service/storage/store.h"

namespace opinia::core {

struct WebhookDispatcherOptions {
  int max_attempts = 8;  // then DEAD (dead-lettered)
  absl::Duration base_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Minutes(10);
  absl::Duration max_retry_after = absl::Hours(1);
  HttpCallOptions http;  // connect 5 s, total 10 s
  int enqueue_batch = 500;  // alerts read per webhook per tick
  int deliver_batch = 200;  // due rows attempted per tick
  int workers = 8;          // concurrent POSTs (by webhook): threads
  int per_tenant = 2;       // concurrent POSTs of one tenant
  int per_destination = 2;  // concurrent POSTs to one scheme://host:port
  absl::Duration tick_interval = absl::Seconds(1);
  // This replica's holder id (util/lease.h); "" = a new NewReplicaId().
  std::string replica_id;
  // A job's claim on its webhook, renewed before each POST; at least 3
  // times http.timeout is used.
  absl::Duration lease_ttl = absl::Minutes(1);
};

// The name of webhook `id`'s lease.
std::string WebhookLeaseName(int64_t id);

// What one Tick() did (for tests and logs).
struct TickResult {
  int enqueued = 0;
  int attempted = 0;
  int delivered = 0;
  int retrying = 0;  // failed, will retry
  int dead = 0;      // failed for the last time
};

// Thread-safe. `store`, `clock`, `http`, `hub` and `metrics` must outlive it.
class WebhookDispatcher final {
 public:
  // INVALID_ARGUMENT for nonsensical options (max_attempts < 1, batches or
  // workers < 1, negative durations).
  static absl::StatusOr<std::unique_ptr<WebhookDispatcher>> Create(
      storage::Store* store, const Clock* clock, HttpClient* http,
      WebhookDispatcherOptions options = {}, AlertHub* hub = nullptr,
      MetricsSink* metrics = NoMetrics());
  ~WebhookDispatcher();  // Stop(), unsubscribes

  // One enqueue + deliver pass, synchronously (it waits for the deliveries
  // it started). Ticks never overlap (a second caller waits). Storage
  // errors are returned; delivery failures are not errors (they are
  // recorded on the rows).
  absl::StatusOr<TickResult> Tick();

  // Background loop; Stop() ends it and cancels the POSTs in flight.
  // Idempotent.
  void Start();
  void Stop();
  // Runs a tick soon (non-blocking).
  void Wake();

  // The back-off before attempt number `attempts + 1`, given a uniform
  // random `u` in [0, 1) (exposed for tests).
  static absl::Duration Backoff(const WebhookDispatcherOptions& options,
                                int attempts, double u);

 private:
  WebhookDispatcher(storage::Store* store, const Clock* clock,
                    HttpClient* http, WebhookDispatcherOptions options,
                    AlertHub* hub, MetricsSink* metrics);

  // Wakes the dispatcher from the hub's notifications.
  class HubSubscriber final : public AlertHub::Subscriber {
   public:
    explicit HubSubscriber(WebhookDispatcher* d) : d_(d) {}
    void Wake() override { d_->Wake(); }
    void Close() override {}

   private:
    WebhookDispatcher* d_;
  };

  struct Job;        // a webhook and its due deliveries
  struct JobResult;  // what delivering one Job did
  struct Waiter;     // the jobs a synchronous Tick waits for

  // Enqueue: webhooks with new events, then each webhook page by page (one
  // write transaction per page). Returns the deliveries added.
  absl::StatusOr<TickResult> Pass(bool wait);
  absl::StatusOr<int> Enqueue(std::set<std::string>* tenants);
  absl::StatusOr<int> EnqueueWebhook(const storage::WebhookRow& listed);
  absl::Status EnqueuePage(storage::Txn& txn, const storage::WebhookRow& listed,
                           int* added, bool* more);
  void SubscribeTenants(const std::set<std::string>& tenants);

  // Deliver: the due rows grouped by webhook (those with a job already
  // left out), one job each on the executor, each attempt's outcome
  // written before the next. With `wait`, waits for the jobs and counts
  // what they did.
  absl::StatusOr<TickResult> Deliver(bool wait);
  absl::Status ReadDue(std::vector<Job>* jobs,
                       std::vector<storage::DeliveryRow>* orphans);
  // Marks deliveries whose event is gone DEAD.
  absl::Status GiveUp(std::vector<storage::DeliveryRow>& orphans);
  void Submit(Job job, const std::shared_ptr<Waiter>& waiter);
  JobResult RunJob(const Job& job);
  // The job under its claim.
  JobResult RunClaimed(const Job& job, Lease& lease);
  // Renews the claim and reads `row` again; nullopt when another replica
  // changed it since it was listed (or it is gone).
  absl::StatusOr<std::optional<storage::DeliveryRow>> StillDue(
      const storage::DeliveryRow& row, Lease& lease);
  // POSTs `row`'s event once; returns the row as the attempt left it, or
  // nullopt when the POST was cancelled (shutdown: nothing to record).
  std::optional<storage::DeliveryRow> Attempt(
      const storage::WebhookRow& webhook, const storage::DeliveryRow& row,
      const storage::AlertEventRow& event);
  // DELIVERED on 2xx; otherwise DEAD after max_attempts, else the next
  // attempt time after the back-off (at least the receiver's Retry-After).
  void ApplyResponse(const absl::StatusOr<HttpResult>& response,
                     absl::Time now, storage::DeliveryRow* d);
  absl::Status RecordAttempt(const storage::DeliveryRow& d);

  storage::Store* const store_;
  const Clock* const clock_;
  HttpClient* const http_;
  const WebhookDispatcherOptions options_;
  const std::string replica_id_;
  const absl::Duration lease_ttl_;
  AlertHub* const hub_;
  MetricsSink* const metrics_;  // one count per attempt, by result
  HubSubscriber hub_subscriber_;
  std::set<std::string> subscribed_ ABSL_GUARDED_BY(tick_mutex_);

  absl::Mutex tick_mutex_;  // serialises Tick()

  // Webhooks with a job queued or running.
  absl::Mutex jobs_mutex_;
  std::set<int64_t> busy_webhooks_ ABSL_GUARDED_BY(jobs_mutex_);

  PeriodicThread passes_;  // Pass() every tick_interval and when woken

  Jitter jitter_;

  // Declared last: destroyed (stopped) first, before what its jobs use.
  OutboundExecutor executor_;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_ALERTS_WEBHOOK_DISPATCHER_H_
