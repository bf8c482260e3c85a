// Publishes owners' replies on review platforms: the reply outbox
// (storage/reply_store.h) and its worker.
//
// Queueing (ReplyQueue, reviews/reply_queue.h): RecordResponse with publish
// and DeleteResponse call Queue() inside the transaction that records the
// response. It finds the review's collector (attributes["collector"], set
// by the syncer), checks that the collector's platform takes the request
// (Platform::SupportsReply, and a dry BuildReplyRequest for missing
// credentials) and writes the review's reply row, PENDING and due now. A
// review pushed through the API has no collector: FAILED_PRECONDITION.
//
// One Tick() takes the due rows and, for each, under the lease
// "reply:{review_id}" (util/lease.h; so two replicas never send one
// reply):
//  1. re-reads the row in a write transaction that renews the lease; a row
//     changed since it was listed is left to the next tick;
//  2. when the previous attempt's outcome was never recorded (in_flight:
//     the server died between sending and recording) and the platform's
//     publish is not idempotent (Platform::IdempotentPublish), reads the
//     review back from the platform first (BuildReplyCheckRequest): if the
//     platform shows the text already, the row is PUBLISHED with the
//     platform's time and nothing is sent again;
//  3. marks the attempt in flight (attempts + 1) and commits that BEFORE
//     sending, then sends the request with the collector's credentials;
//  4. records the outcome for the row's generation only (an edit queued
//     meanwhile is not overwritten): 2xx -> PUBLISHED (or DELETED) with the
//     platform's time (its answer's, else ours); retryable (network, 408,
//     429, 5xx) -> PENDING after a full-jitter back-off, at least the
//     platform's Retry-After (429/503, capped); not retryable (e.g. 400, a
//     policy rejection, 401) or the max_attempts-th failure -> FAILED with
//     the platform's error, and an alert REPLY_PUBLISH_FAILED in the same
//     transaction.
// Exactly once: idempotent platforms (GBP's PUT) are simply asked again
// after a crash; the others are asked only when step 2 found no reply.
// The next sync also reconciles: the syncer records a reply it finds on
// the platform, and a PENDING publish whose text the platform shows is
// marked PUBLISHED (ReconcilePlatformReply).
//
// Start() runs Tick() on a background thread every tick_interval and at
// once after Wake() (Queued() wakes it). Stop() cancels a request in
// flight; the row stays in flight and due, and is checked first next time.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_REPLY_OUTBOX_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_REPLY_OUTBOX_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "opinia/v1/collectors.pb.h"
#include "service/core/alerts/alert_hub.h"
#include "service/core/collectors/platform.h"
#include "service/core/reviews/reply_queue.h"
#include "service/core/util/clock.h"
#include "service/core/util/http_client.h"
#include "service/core/util/lease.h"
#include "service/core/util/periodic_thread.h"
#include "service/core/util/retry.h"
#include "service/storage/store.h"

namespace opinia::core::collectors {

struct ReplyOutboxOptions {
  int max_attempts = 8;  // then FAILED (dead-lettered)
  absl::Duration base_backoff = absl::Seconds(2);
  absl::Duration max_backoff = absl::Minutes(10);
  absl::Duration max_retry_after = absl::Hours(1);
  HttpCallOptions http{absl::Seconds(5), absl::Seconds(30), 1 << 20, {}};
  int batch = 100;  // due rows per tick
  absl::Duration tick_interval = absl::Seconds(1);
  std::string replica_id;  // "" = a new NewReplicaId()
  // A row's claim while it is worked on; at least 3 times http.timeout
  // (a check and a send fit in it). After a crash, a row in flight waits
  // for the dead process's claim to run out.
  absl::Duration lease_ttl = absl::ZeroDuration();
};

// What one Tick() did.
struct ReplyTickResult {
  int attempted = 0;   // requests sent
  int done = 0;        // PUBLISHED or DELETED
  int retrying = 0;
  int failed = 0;      // FAILED (refused or dead-lettered)
  int reconciled = 0;  // found on the platform, not sent again
};

// The lease of review `review_id`'s reply row.
std::string ReplyLeaseName(int64_t review_id);

// The sync's side of exactly-once: the platform lists `text` as the
// review's reply (at `platform_time`, if it says). A PENDING publish of
// that very text is marked PUBLISHED (it got there; its answer was lost):
// true. false when there is no such row (nothing changed).
absl::StatusOr<bool> ReconcilePlatformReply(
    storage::Store& store, std::string_view tenant_id, int64_t review_id,
    std::string_view text, std::optional<absl::Time> platform_time,
    absl::Time now);

class TokenCache;  // token_cache.h

// Thread-safe. `store`, `clock`, `http`, `hub` and `tokens` must outlive
// it.
class ReplyOutbox final : public ReplyQueue {
 public:
  // INVALID_ARGUMENT for max_attempts or batch < 1, negative durations.
  // `tokens` (the server's, shared with the syncer): renewable credentials
  // get their access token from it, and a 401 invalidates it and is tried
  // once more with a fresh one; null: the stored credentials as they are.
  static absl::StatusOr<std::unique_ptr<ReplyOutbox>> Create(
      storage::Store* store, const Clock* clock, HttpClient* http,
      ReplyOutboxOptions options = {}, AlertHub* hub = nullptr,
      TokenCache* tokens = nullptr);
  ~ReplyOutbox() override;  // Stop()

  absl::Status Queue(storage::Txn& txn, const storage::ReviewRow& review,
                     int32_t action, std::string_view text, absl::Time now,
                     std::string_view field) override;
  void Queued() override { Wake(); }

  // The due rows, one after another, synchronously. Storage errors are
  // returned; the platforms' failures are recorded on the rows.
  absl::StatusOr<ReplyTickResult> Tick();

  void Start();
  void Stop();
  void Wake();

  const ReplyOutboxOptions& options() const { return options_; }

 private:
  ReplyOutbox(storage::Store* store, const Clock* clock, HttpClient* http,
              ReplyOutboxOptions options, AlertHub* hub, TokenCache* tokens);

  // The row, its review and its collector, read together under the lease.
  struct Work;

  // One row under its lease; adds to *result.
  absl::Status RunClaimed(const storage::ReplyRow& listed, Lease& lease,
                          ReplyTickResult* result);
  // Renews the lease and reads the row, its review and collector; nullopt
  // when the row changed since it was listed.
  absl::StatusOr<std::optional<Work>> Load(const storage::ReplyRow& listed,
                                           Lease& lease);
  // Writes `row` (guarded by generation) under the lease; with an alert
  // when it became FAILED. false: not written (an edit or delete was
  // queued since).
  absl::StatusOr<bool> Record(const storage::ReplyRow& row, const Work& work,
                              Lease& lease);
  // Sends `request`; nullopt when cancelled (Stop()).
  std::optional<absl::StatusOr<HttpResult>> Send(
      const ReplyHttpRequest& request);
  // Applies a failed attempt to `row`: PENDING after the back-off, or
  // FAILED when it may not be retried.
  void Fail(std::string error, bool retryable, bool policy,
            absl::Duration retry_after, storage::ReplyRow* row);

  storage::Store* const store_;
  const Clock* const clock_;
  HttpClient* const http_;
  const ReplyOutboxOptions options_;
  const std::string replica_id_;
  const absl::Duration lease_ttl_;
  AlertHub* const hub_;
  TokenCache* const tokens_;
  std::atomic<bool> cancel_{false};

  absl::Mutex tick_mutex_;  // serialises Tick()

  PeriodicThread ticks_;  // Tick() every tick_interval and when woken

  Jitter jitter_;
};

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_REPLY_OUTBOX_H_
