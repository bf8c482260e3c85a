// Collectors of one tenant: CRUD (CollectorService) and running them, now
// (RunCollector) or when due (CollectorScheduler).
//
// Every call needs a tenant key with ROLE_ADMIN (PERMISSION_DENIED
// otherwise; operator keys hold no tenant data). A collector of another
// tenant answers NOT_FOUND like a missing one. Credentials are input only:
// Get/List/Create/Update never return them.
//
// Create answers FAILED_PRECONDITION when the tenant has
// CollectorsOptions::max_per_tenant collectors.
//
// Validation (INVALID_ARGUMENT naming the field, e.g.
// "collector.endpoint: ..."): kind set; endpoint an http(s) URL whose
// host is not a literal address the outbound policy refuses; source
// required; poll_interval_seconds 0 (only on RunCollector) or
// 60..604800; the rest as the kind's Platform says (platform.h; each
// platform's file lists its credentials and mapping).
//
// Runs go to an OutboundExecutor (util/outbound_executor.h): a tenant runs
// at most its per-tenant limit at once, a destination (the endpoint's
// scheme://host:port) at most its limit, and no run holds the caller's
// thread (RunAsync returns at once). One run per collector at a time:
// callers that come while a run is queued share it (its result goes to
// each); callers that come while it is running share the one queued after
// it. A run is full (re-crawl, detects deletions)
// when asked, on the first run, and after `full_every_runs` incremental
// runs or `full_every` time. The state (last run/success/error, cursor,
// reviews fetched) is stored after every run; the cursor advances only
// when the run succeeded. A failed run stores its error in
// state.last_error (other collectors are unaffected) and RunCollector
// answers UNAVAILABLE (the platform could not be reached or kept failing;
// retry later) or FAILED_PRECONDITION (bad credentials, a body that is not
// the platform's format, a suspicious empty page, an endpoint whose name
// resolves only to refused addresses: "destination not allowed", a
// next-page link to another origin, ...) with the reason. Reasons carry
// HTTP statuses and classifications, never what the platform sent.
// Rejected credentials (the platform answered 401/403 after a token
// refresh, or the token endpoint refused the refresh token or key:
// UNAUTHENTICATED from the sync) also raise one CREDENTIALS_REJECTED alert
// per collector (dedup key CredentialsAlertKey; its summary names the
// collector and the reason), in the transaction that records last_error;
// a later successful run resolves it (reason CREDENTIALS_ACCEPTED). Such a
// collector is not retried sooner than its poll interval (a person must
// act; updating its credentials makes it due at once), and the token
// cache backs off its token requests (token_cache.h): never a hot loop.
// On a platform that lists only a recent window (Platform::ListingWindow:
// Google Play's 7 days), a successful run more than the window after the
// previous success says in its warning (state.last_error) that reviews
// may have been missed.
// A run cut short by shutdown (the executor stopped: its HTTP call is
// cancelled, or it never started) records nothing: no success, no error,
// the cursor and next_run_time stay, so it runs again after a restart; its
// callers get UNAVAILABLE.
//
// Replicas: a run claims its collector first (the lease "collector:{id}",
// util/lease.h, for `lease_ttl`), renews the claim before it stores each
// page and records its outcome only under it, and releases it at the end.
// A collector claimed by another replica is not run here: a scheduled run
// is skipped (the holder runs it), RunCollector answers UNAVAILABLE (try
// again later). A scheduled run that finds the collector no longer due
// (another replica ran it meanwhile) is skipped too. A replica that dies
// mid-run loses its claim after lease_ttl and the next due listing on
// another replica runs the collector again from its stored cursor: the
// pages ingested before are UNCHANGED (ingest is idempotent by source and
// external id), and the cursor moves only with a finished run. A run that
// finds its claim taken over (it stalled for longer than lease_ttl) stops
// before its next page and records nothing.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_COLLECTORS_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_COLLECTORS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "opinia/v1/collectors.pb.h"
#include "service/core/auth/auth.h"
#include "service/core/collectors/syncer.h"
#include "service/core/util/clock.h"
#include "service/core/util/lease.h"
#include "service/core/util/outbound_policy.h"
#include "service/core/util/outbound_executor.h"
#include "service/storage/store.h"

namespace opinia::core::collectors {

struct CollectorsOptions {
  int full_every_runs = 24;
  absl::Duration full_every = absl::Hours(24);
  // After a failed scheduled run, retry after min(poll interval, this).
  absl::Duration retry_failed_after = absl::Minutes(5);
  // The most collectors one tenant may have; <= 0: no limit.
  int max_per_tenant = 0;
  // This replica's holder id (util/lease.h); "" = a new NewReplicaId().
  std::string replica_id;
  // A run's claim on its collector, renewed before each page is stored:
  // longer than one page's fetch with the fetcher's retries (5 attempts of
  // at most 30 s and their back-offs), so a live run keeps it.
  absl::Duration lease_ttl = absl::Minutes(3);
};

// The name of collector `id`'s lease.
std::string CollectorLeaseName(int64_t id);
// The dedup key of collector `id`'s CREDENTIALS_REJECTED alert.
std::string CredentialsAlertKey(int64_t id);

// A due collector, for the scheduler.
struct DueCollector {
  std::string tenant_id;
  int64_t id = 0;
  std::string destination;  // OutboundDestination of its endpoint
};

// Thread-safe; the pointees must outlive it.
class Collectors {
 public:
  using Result = absl::StatusOr<opinia::v1::RunCollectorResponse>;
  using RunDone = std::function<void(Result)>;

  // `outbound` refuses endpoints whose host is an address the server does
  // not send requests to (checked on create and update). `executor` runs
  // the syncs; null: they run on the calling thread.
  Collectors(storage::Store* store, const Syncer* syncer, const Clock* clock,
             const OutboundPolicy* outbound, CollectorsOptions options = {},
             OutboundExecutor* executor = nullptr)
      : store_(store),
        syncer_(syncer),
        clock_(clock),
        outbound_(outbound),
        options_(options),
        replica_id_(options.replica_id.empty() ? NewReplicaId()
                                               : options.replica_id),
        executor_(executor) {}

  absl::StatusOr<opinia::v1::Collector> Create(
      const Principal& caller,
      const opinia::v1::CreateCollectorRequest& request) const;
  absl::StatusOr<opinia::v1::Collector> Get(
      const Principal& caller,
      const opinia::v1::GetCollectorRequest& request) const;
  // Ordered by id; INVALID_ARGUMENT for a bad page_size or page_token.
  absl::StatusOr<opinia::v1::ListCollectorsResponse> List(
      const Principal& caller,
      const opinia::v1::ListCollectorsRequest& request) const;
  // update_mask paths: endpoint, credentials (replaces the whole map),
  // source, subject_id, poll_interval_seconds, mapping; an empty mask
  // updates all of them. kind cannot change (INVALID_ARGUMENT). A changed
  // endpoint or source resets the cursor (next run is full).
  absl::StatusOr<opinia::v1::Collector> Update(
      const Principal& caller,
      const opinia::v1::UpdateCollectorRequest& request) const;
  // The reviews it collected stay.
  absl::Status Delete(const Principal& caller,
                      const opinia::v1::DeleteCollectorRequest& request) const;
  // Checks the caller and the name here, then queues the run and returns;
  // `done` gets the outcome once: on this thread for an error found here,
  // else on the executor's thread when the run ended (or was dropped at
  // shutdown).
  void RunAsync(const Principal& caller,
                const opinia::v1::RunCollectorRequest& request,
                RunDone done) const;
  // RunAsync, waiting for the outcome.
  Result Run(const Principal& caller,
             const opinia::v1::RunCollectorRequest& request) const;

  // Scheduler side (no caller): due collectors but those in `skip` (the
  // ones it queued already), and one scheduled run (NOT_FOUND when the
  // collector was deleted meanwhile).
  absl::StatusOr<std::vector<DueCollector>> ListDue(
      int limit, const std::vector<int64_t>& skip = {}) const;
  void RunScheduledAsync(const DueCollector& due, RunDone done) const;
  Result RunScheduled(const DueCollector& due) const;

 private:
  struct Batch;  // one queued run and the callers waiting for it
  // The runs of one collector: the one queued or running, and the one
  // queued after it.
  struct Slot {
    std::shared_ptr<Batch> current;
    std::shared_ptr<Batch> next;
  };
  void Enqueue(const std::string& tenant_id, int64_t id,
               const std::string& destination, bool full, bool scheduled,
               RunDone done) const;
  void Dispatch(std::shared_ptr<Batch> batch) const;
  void RunBatch(const std::shared_ptr<Batch>& batch, bool run) const;
  // `scheduled`: the scheduler asked; `manual`: a RunCollector caller did.
  Result RunOnce(const std::string& tenant_id, int64_t id, bool full,
                 bool scheduled, bool manual) const;
  // The run under its claim (`lease`).
  Result RunClaimed(const std::string& tenant_id, int64_t id, bool full,
                    bool scheduled, bool manual, Lease& lease) const;

  storage::Store* store_;
  const Syncer* syncer_;
  const Clock* clock_;
  const OutboundPolicy* outbound_;
  const CollectorsOptions options_;
  const std::string replica_id_;
  OutboundExecutor* const executor_;

  mutable absl::Mutex runs_mutex_;
  mutable absl::flat_hash_map<int64_t, Slot> runs_ ABSL_GUARDED_BY(runs_mutex_);
};

// A TokenCacheOptions::on_rotated (token_cache.h) storing a rotated
// refresh token in the collector's spec (sealed like the rest of it), when
// the stored refresh_token is still the spent one (a person may have given
// new credentials meanwhile); NOT_FOUND for a deleted collector.
std::function<absl::Status(const std::string&, const std::string&,
                           const std::string&)>
StoreRotatedRefreshToken(storage::Store* store);

// "collectors/{id}"; ParseCollectorName: INVALID_ARGUMENT naming `field`
// unless the id is spelt as util/names.h ParseNumericName asks.
std::string CollectorName(int64_t id);
absl::StatusOr<int64_t> ParseCollectorName(std::string_view name,
                                           std::string_view field);

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_COLLECTORS_H_
