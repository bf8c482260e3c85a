#include "service/core/collectors/collectors.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "opinia/v1/alerts.pb.h"
#include "service/core/auth/authorization.h"
#include "service/core/collectors/platform.h"
#include "service/core/collectors/token_cache.h"
#include "service/core/tenants/limits.h"
#include "service/core/util/absl_sv.h"
#include "service/core/util/names.h"
#include "service/core/util/paging.h"
#include "service/core/util/time_proto.h"
#include "service/core/util/utf8.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

using opinia::v1::Collector;

constexpr char kCollectors[] = "collectors";
constexpr int kMinPoll = 60;
constexpr int kMaxPoll = 7 * 24 * 3600;
constexpr size_t kMaxEndpoint = 2048;
constexpr size_t kMaxField = 1024;

absl::Status Invalid(std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(Av(field), ": ", Av(why)));
}

absl::Status ValidateEndpoint(const Platform& platform,
                              const OutboundPolicy& outbound,
                              const std::string& e, const std::string& field) {
  const bool scheme =
      absl::StartsWith(e, "http://") || absl::StartsWith(e, "https://");
  if (!scheme || UrlHost(e).empty() || e.size() > kMaxEndpoint ||
      e.find_first_of(" \t\r\n") != std::string::npos) {
    return Invalid(field,
                   absl::StrCat("an http:// or https:// URL with a host, at "
                                "most ",
                                kMaxEndpoint, " bytes"));
  }
  RETURN_IF_ERROR(outbound.CheckUrl(e, field));
  return platform.ValidateEndpoint(e, field);
}

// source, subject_id and poll_interval_seconds.
absl::Status ValidateStamps(const Collector& c, const std::string& p) {
  if (c.source().empty()) return Invalid(p + ".source", "required");
  for (auto [name, value] : {std::pair{".source", &c.source()},
                             std::pair{".subject_id", &c.subject_id()}}) {
    if (!IsValidUtf8(*value) || value->size() > kMaxField) {
      return Invalid(p + name, absl::StrCat("invalid UTF-8 or longer than ",
                                            kMaxField, " bytes"));
    }
  }
  if (c.poll_interval_seconds() != 0 &&
      (c.poll_interval_seconds() < kMinPoll ||
       c.poll_interval_seconds() > kMaxPoll)) {
    return Invalid(p + ".poll_interval_seconds",
                   absl::StrCat("0 (only on RunCollector) or ", kMinPoll, "..",
                                kMaxPoll, ", got ", c.poll_interval_seconds()));
  }
  return absl::OkStatus();
}

absl::Status Validate(const Collector& c, const OutboundPolicy& outbound,
                      std::string_view prefix) {
  const std::string p(prefix);
  auto platform = PlatformFor(c.kind());
  if (!platform.ok()) {
    return Invalid(
        p + ".kind",
        absl::StrCat("required: ",
                     KindNames([](const Platform&) { return true; }, "or")));
  }
  RETURN_IF_ERROR(
      ValidateEndpoint(**platform, outbound, c.endpoint(), p + ".endpoint"));
  RETURN_IF_ERROR(ValidateStamps(c, p));
  const FeedMapping mapping(c.mapping().begin(), c.mapping().end());
  RETURN_IF_ERROR((*platform)->ValidateMapping(mapping, p + ".mapping"));
  RETURN_IF_ERROR(
      (*platform)->ValidateCredentials(c.credentials(), p + ".credentials"));
  return CheckAuthCredentials(**platform, c.credentials(), outbound,
                              p + ".credentials");
}

// The API view: no credentials, state from the row.
Collector ToProto(const storage::CollectorRow& row) {
  Collector c;
  c.ParseFromString(row.spec);
  c.clear_credentials();
  c.set_name(CollectorName(row.id));
  opinia::v1::CollectorState* st = c.mutable_state();
  if (row.last_run_time != absl::InfinitePast()) {
    ToTimestamp(row.last_run_time, st->mutable_last_run_time());
  }
  if (row.last_success_time != absl::InfinitePast()) {
    ToTimestamp(row.last_success_time, st->mutable_last_success_time());
  }
  if (row.last_full_time != absl::InfinitePast()) {
    ToTimestamp(row.last_full_time, st->mutable_last_full_sync_time());
  }
  if (row.poll_interval_seconds > 0 &&
      row.next_run_time != absl::InfiniteFuture()) {
    ToTimestamp(row.next_run_time, st->mutable_next_run_time());
  }
  st->set_last_error(row.last_error);
  st->set_reviews_fetched(row.reviews_fetched);
  if (auto cursor = DecodeCursor(row.cursor); cursor.ok()) {
    st->set_cursor(DescribeCursor(*cursor));
  }
  return c;
}

// The stored spec: the configuration only.
std::string Spec(Collector c) {
  c.clear_name();
  c.clear_state();
  return c.SerializeAsString();
}

}  // namespace

std::function<absl::Status(const std::string&, const std::string&,
                           const std::string&)>
StoreRotatedRefreshToken(storage::Store* store) {
  return [store](const std::string& key, const std::string& old,
                 const std::string& fresh) -> absl::Status {
    std::string tenant_id, name;
    if (!ParseCollectorTokenKey(key, &tenant_id, &name)) {
      return absl::InvalidArgumentError("not a collector's token key");
    }
    ASSIGN_OR_RETURN(int64_t id, ParseCollectorName(name, "key"));
    return store->Write([&](storage::Txn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(storage::CollectorRow row,
                       txn.collectors().GetCollector(tenant_id, id));
      Collector spec;
      if (!spec.ParseFromString(row.spec)) {
        return absl::InternalError("stored collector is corrupt");
      }
      auto& credentials = *spec.mutable_credentials();
      auto it = credentials.find("refresh_token");
      if (it == credentials.end() || it->second != old) {
        return absl::OkStatus();  // replaced by a person meanwhile
      }
      it->second = fresh;
      row.spec = spec.SerializeAsString();
      return txn.collectors().UpdateCollector(row);
    });
  };
}

std::string CollectorName(int64_t id) {
  return absl::StrCat(kCollectors, "/", id);
}

std::string CredentialsAlertKey(int64_t id) {
  return absl::StrCat("collector:", id, ":credentials");
}

std::string CollectorLeaseName(int64_t id) {
  return absl::StrCat("collector:", id);
}

absl::StatusOr<int64_t> ParseCollectorName(std::string_view name,
                                           std::string_view field) {
  return ParseNumericName(name, kCollectors, field);
}

absl::StatusOr<Collector> Collectors::Create(
    const Principal& caller,
    const opinia::v1::CreateCollectorRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kCreateCollector));
  RETURN_IF_ERROR(Validate(request.collector(), *outbound_, "collector"));
  const absl::Time now = clock_->Now();
  storage::CollectorRow row;
  row.tenant_id = caller.tenant_id;
  row.spec = Spec(request.collector());
  row.poll_interval_seconds = request.collector().poll_interval_seconds();
  row.create_time = now;
  row.update_time = now;
  row.next_run_time = now;  // a scheduled collector runs soon after creation
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    // Counted in the transaction that inserts: writers run one at a time.
    ASSIGN_OR_RETURN(int64_t count,
                     txn.collectors().CountCollectors(caller.tenant_id));
    RETURN_IF_ERROR(CheckTenantCount(count, options_.max_per_tenant,
                                     "collectors",
                                     "--max-collectors-per-tenant"));
    ASSIGN_OR_RETURN(row.id, txn.collectors().InsertCollector(row));
    return absl::OkStatus();
  }));
  return ToProto(row);
}

absl::StatusOr<Collector> Collectors::Get(
    const Principal& caller,
    const opinia::v1::GetCollectorRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kGetCollector));
  ASSIGN_OR_RETURN(auto id, ParseCollectorName(request.name(), "name"));
  storage::CollectorRow row;
  absl::Status s = store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(row, txn.collectors().GetCollector(caller.tenant_id, id));
    return absl::OkStatus();
  });
  if (absl::IsNotFound(s)) {
    return absl::NotFoundError(
        absl::StrCat("name: ", request.name(), " not found"));
  }
  if (!s.ok()) return s;
  return ToProto(row);
}

absl::StatusOr<opinia::v1::ListCollectorsResponse> Collectors::List(
    const Principal& caller,
    const opinia::v1::ListCollectorsRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kListCollectors));
  auto size = PageSize(request.page_size());
  if (!size.ok()) return size.status();
  const std::string query = absl::StrCat("collectors|", caller.tenant_id);
  ASSIGN_OR_RETURN(auto cursor, DecodePageToken(store_->ServerSecret(), query,
                                                request.page_token()));
  int64_t after = 0;
  if (!cursor.empty() && !absl::SimpleAtoi(cursor, &after)) {
    return absl::InvalidArgumentError("page_token: not valid");
  }
  std::vector<storage::CollectorRow> rows;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(rows, txn.collectors().ListCollectors(caller.tenant_id,
                                                           after, *size + 1));
    return absl::OkStatus();
  }));
  opinia::v1::ListCollectorsResponse response;
  const bool more = static_cast<int>(rows.size()) > *size;
  if (more) rows.resize(*size);
  for (const auto& row : rows) *response.add_collectors() = ToProto(row);
  if (more) {
    response.set_next_page_token(EncodePageToken(store_->ServerSecret(), query,
                                                 absl::StrCat(rows.back().id)));
  }
  return response;
}

absl::StatusOr<Collector> Collectors::Update(
    const Principal& caller,
    const opinia::v1::UpdateCollectorRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kUpdateCollector));
  const Collector& in = request.collector();
  ASSIGN_OR_RETURN(auto id, ParseCollectorName(in.name(), "collector.name"));
  std::vector<std::string> paths(request.update_mask().paths().begin(),
                                 request.update_mask().paths().end());
  if (paths.empty()) {
    paths = {"endpoint",   "credentials",           "source",
             "subject_id", "poll_interval_seconds", "mapping"};
  }
  storage::CollectorRow row;
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    auto found = txn.collectors().GetCollector(caller.tenant_id, id);
    if (absl::IsNotFound(found.status())) {
      return absl::NotFoundError(
          absl::StrCat("collector.name: ", in.name(), " not found"));
    }
    if (!found.ok()) return found.status();
    row = *std::move(found);
    Collector spec;
    if (!spec.ParseFromString(row.spec)) {
      return absl::InternalError("stored collector is corrupt");
    }
    const std::string old_endpoint = spec.endpoint();
    const std::string old_source = spec.source();
    for (const std::string& path : paths) {
      if (path == "endpoint") {
        spec.set_endpoint(in.endpoint());
      } else if (path == "credentials") {
        *spec.mutable_credentials() = in.credentials();
      } else if (path == "source") {
        spec.set_source(in.source());
      } else if (path == "subject_id") {
        spec.set_subject_id(in.subject_id());
      } else if (path == "poll_interval_seconds") {
        spec.set_poll_interval_seconds(in.poll_interval_seconds());
      } else if (path == "mapping") {
        *spec.mutable_mapping() = in.mapping();
      } else if (path == "kind") {
        if (in.kind() != spec.kind()) {
          return Invalid("update_mask",
                         "kind cannot change; create a new "
                         "collector");
        }
      } else {
        return Invalid("update_mask",
                       absl::StrCat("unknown path \"", path,
                                    "\"; use endpoint, credentials, source, "
                                    "subject_id, poll_interval_seconds, "
                                    "mapping"));
      }
    }
    RETURN_IF_ERROR(Validate(spec, *outbound_, "collector"));
    const absl::Time now = clock_->Now();
    if (spec.endpoint() != old_endpoint || spec.source() != old_source) {
      row.cursor.clear();
      row.last_full_time = absl::InfinitePast();
    }
    if (spec.poll_interval_seconds() != row.poll_interval_seconds ||
        std::find(paths.begin(), paths.end(), "credentials") != paths.end()) {
      row.next_run_time = now;  // new credentials are tried at once
    }
    row.poll_interval_seconds = spec.poll_interval_seconds();
    row.spec = Spec(spec);
    row.update_time = now;
    return txn.collectors().UpdateCollector(row);
  }));
  return ToProto(row);
}

absl::Status Collectors::Delete(
    const Principal& caller,
    const opinia::v1::DeleteCollectorRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kDeleteCollector));
  ASSIGN_OR_RETURN(auto id, ParseCollectorName(request.name(), "name"));
  absl::Status s = store_->Write([&](storage::Txn& txn) {
    return txn.collectors().DeleteCollector(caller.tenant_id, id);
  });
  if (absl::IsNotFound(s)) {
    return absl::NotFoundError(
        absl::StrCat("name: ", request.name(), " not found"));
  }
  return s;
}

struct Collectors::Batch {
  std::string tenant_id;
  int64_t id = 0;
  std::string destination;
  bool full = false;
  bool scheduled = false;
  bool manual = false;   // a RunCollector caller waits for it
  bool started = false;  // by the executor; later callers queue behind
  std::vector<RunDone> waiters;
};

namespace {

// Waits for what an asynchronous run hands its callback.
template <typename Start>
Collectors::Result Await(Start start) {
  Collectors::Result result;
  absl::Notification done;
  start([&](Collectors::Result r) {
    result = std::move(r);
    done.Notify();
  });
  done.WaitForNotification();
  return result;
}

}  // namespace

void Collectors::RunAsync(const Principal& caller,
                          const opinia::v1::RunCollectorRequest& request,
                          RunDone done) const {
  const std::string name = request.name();
  auto not_found = [name] {
    return absl::NotFoundError(absl::StrCat("name: ", name, " not found"));
  };
  if (absl::Status s = Authorize(caller, Action::kRunCollector); !s.ok()) {
    return done(s);
  }
  auto id = ParseCollectorName(name, "name");
  if (!id.ok()) return done(id.status());
  storage::CollectorRow row;
  absl::Status read = store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(row, txn.collectors().GetCollector(caller.tenant_id, *id));
    return absl::OkStatus();
  });
  if (absl::IsNotFound(read)) return done(not_found());
  if (!read.ok()) return done(read);
  Collector spec;
  spec.ParseFromString(row.spec);
  Enqueue(caller.tenant_id, *id, OutboundDestination(spec.endpoint()),
          request.full(), /*scheduled=*/false,
          [done = std::move(done), not_found](Result result) {
            done(absl::IsNotFound(result.status()) ? not_found()
                                                   : std::move(result));
          });
}

Collectors::Result Collectors::Run(
    const Principal& caller,
    const opinia::v1::RunCollectorRequest& request) const {
  return Await([&](RunDone done) { RunAsync(caller, request, std::move(done)); });
}

absl::StatusOr<std::vector<DueCollector>> Collectors::ListDue(
    int limit, const std::vector<int64_t>& skip) const {
  std::vector<DueCollector> due;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto rows, txn.collectors().ListDueCollectorsExcept(
                                    clock_->Now(), limit, skip));
    for (const auto& row : rows) {
      Collector spec;
      spec.ParseFromString(row.spec);
      due.push_back(
          {row.tenant_id, row.id, OutboundDestination(spec.endpoint())});
    }
    return absl::OkStatus();
  }));
  return due;
}

void Collectors::RunScheduledAsync(const DueCollector& due,
                                   RunDone done) const {
  Enqueue(due.tenant_id, due.id, due.destination, /*full=*/false,
          /*scheduled=*/true, std::move(done));
}

Collectors::Result Collectors::RunScheduled(const DueCollector& due) const {
  return Await([&](RunDone done) { RunScheduledAsync(due, std::move(done)); });
}

void Collectors::Enqueue(const std::string& tenant_id, int64_t id,
                         const std::string& destination, bool full,
                         bool scheduled, RunDone done) const {
  std::shared_ptr<Batch> start;
  {
    absl::MutexLock lock(&runs_mutex_);
    Slot& slot = runs_[id];
    std::shared_ptr<Batch>* batch = &slot.current;
    if (slot.current != nullptr && slot.current->started) batch = &slot.next;
    if (*batch == nullptr) {
      *batch = std::make_shared<Batch>();
      (*batch)->tenant_id = tenant_id;
      (*batch)->id = id;
      (*batch)->destination = destination;
      if (batch == &slot.current) start = *batch;
    }
    (*batch)->full |= full;
    (*batch)->scheduled |= scheduled;
    (*batch)->manual |= !scheduled;
    (*batch)->waiters.push_back(std::move(done));
  }
  if (start != nullptr) Dispatch(std::move(start));
}

void Collectors::Dispatch(std::shared_ptr<Batch> batch) const {
  auto task = [this, batch](bool run) { RunBatch(batch, run); };
  if (executor_ == nullptr) return task(true);
  executor_->Submit(batch->tenant_id, batch->destination, std::move(task));
}

void Collectors::RunBatch(const std::shared_ptr<Batch>& batch,
                          bool run) const {
  Result result = absl::UnavailableError(
      absl::StrCat(CollectorName(batch->id),
                   " did not run: the server is shutting down; run it "
                   "again later"));
  if (run) {
    bool full = false;
    bool scheduled = false;
    bool manual = false;
    {
      absl::MutexLock lock(&runs_mutex_);
      batch->started = true;
      full = batch->full;
      scheduled = batch->scheduled;
      manual = batch->manual;
    }
    result = RunOnce(batch->tenant_id, batch->id, full, scheduled, manual);
  }
  std::vector<RunDone> waiters;
  std::shared_ptr<Batch> next;
  {
    absl::MutexLock lock(&runs_mutex_);
    waiters = std::move(batch->waiters);
    auto it = runs_.find(batch->id);
    if (it != runs_.end()) {
      it->second.current = std::move(it->second.next);
      next = it->second.current;
      if (next == nullptr) runs_.erase(it);
    }
  }
  for (RunDone& done : waiters) done(result);
  if (next != nullptr) Dispatch(std::move(next));
}

namespace {

// Whether two stored specs differ at most in their credentials.
bool SameConfig(const std::string& a, const std::string& b) {
  if (a == b) return true;
  Collector x, y;
  if (!x.ParseFromString(a) || !y.ParseFromString(b)) return false;
  x.clear_credentials();
  y.clear_credentials();
  return x.SerializeAsString() == y.SerializeAsString();
}

// A platform that lists only a recent window (Google Play's 7 days) may
// have dropped reviews created or changed during a longer gap since the
// last successful sync: say so in the run's warning (state.last_error).
void WarnOfWindowGap(const Collector& spec, absl::Time last_success,
                     absl::Time start, SyncReport* report) {
  auto platform = PlatformFor(spec.kind());
  if (!platform.ok()) return;
  const std::optional<absl::Duration> window = (*platform)->ListingWindow();
  if (!window.has_value() || last_success == absl::InfinitePast() ||
      start - last_success <= *window || !report->warning.empty()) {
    return;
  }
  report->warning = absl::StrCat(
      Av((*platform)->name()), " lists only the last ",
      absl::ToInt64Hours(*window) / 24, " days of reviews and the last "
      "successful sync was ",
      absl::ToInt64Hours(start - last_success) / 24,
      " days before this one: reviews written or changed in between (and "
      "not changed since) may be missing; poll at least every few days");
}

// Raises (once) or resolves collector `id`'s CREDENTIALS_REJECTED alert
// after a run that ended with `result`.
absl::Status RecordCredentialsAlert(storage::Txn& txn,
                                   const std::string& tenant_id, int64_t id,
                                   const Collector& spec,
                                   const absl::Status& result, absl::Time now) {
  const std::string key = CredentialsAlertKey(id);
  ASSIGN_OR_RETURN(auto active, txn.alerts().FindActiveAlerts(tenant_id, key));
  if (absl::IsUnauthenticated(result)) {
    if (!active.empty()) return absl::OkStatus();  // one per collector
    storage::AlertRow a;
    a.tenant_id = tenant_id;
    a.kind = opinia::v1::CREDENTIALS_REJECTED;
    a.priority = opinia::v1::P2;
    a.state = storage::kAlertOpen;
    a.create_time = a.update_time = now;
    a.reasons = {"CREDENTIALS_REJECTED"};
    a.source = spec.source();
    a.dedup_key = key;
    a.summary = absl::StrCat(
        CollectorName(id), " (", opinia::v1::CollectorKind_Name(spec.kind()),
        ", source ", spec.source(),
        ") cannot authenticate; give it new credentials: ", result.message());
    RETURN_IF_ERROR(txn.alerts().InsertAlert(a).status());
    return txn.NotifyTenant(tenant_id);
  }
  if (!result.ok()) return absl::OkStatus();
  for (storage::AlertRow& a : active) {  // the credentials work again
    a.state = storage::kAlertResolved;
    a.reasons.push_back("CREDENTIALS_ACCEPTED");
    a.update_time = now;
    RETURN_IF_ERROR(txn.alerts().UpdateAlert(a));
  }
  return absl::OkStatus();
}

}  // namespace

Collectors::Result Collectors::RunOnce(const std::string& tenant_id,
                                       int64_t id, bool full, bool scheduled,
                                       bool manual) const {
  ASSIGN_OR_RETURN(std::unique_ptr<Lease> lease,
                   Lease::TryTake(store_, clock_, CollectorLeaseName(id),
                                  replica_id_, options_.lease_ttl));
  if (lease == nullptr) {
    return absl::UnavailableError(
        absl::StrCat(CollectorName(id),
                     " is running on another replica; run it again later"));
  }
  return RunClaimed(tenant_id, id, full, scheduled, manual, *lease);
  // ~Lease releases the claim.
}

Collectors::Result Collectors::RunClaimed(const std::string& tenant_id,
                                          int64_t id, bool full,
                                          bool scheduled, bool manual,
                                          Lease& lease) const {
  storage::CollectorRow row;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(row, txn.collectors().GetCollector(tenant_id, id));
    return absl::OkStatus();
  }));
  if (!manual && row.next_run_time > clock_->Now()) {
    // Listed as due before another replica's run of it ended.
    return absl::FailedPreconditionError(absl::StrCat(
        CollectorName(id), " is not due: another replica ran it meanwhile"));
  }
  const auto taken_over = [id] {
    return absl::UnavailableError(absl::StrCat(
        CollectorName(id),
        " run taken over by another replica (this one held its claim past "
        "the lease); nothing recorded here"));
  };
  SyncRequest sync;
  sync.tenant_id = tenant_id;
  sync.collector_name = CollectorName(id);
  if (!sync.spec.ParseFromString(row.spec)) {
    return absl::InternalError("stored collector is corrupt");
  }
  auto cursor = DecodeCursor(row.cursor);
  if (!cursor.ok()) return cursor.status();
  sync.cursor = *cursor;
  const absl::Time start = clock_->Now();
  sync.full = full || row.last_full_time == absl::InfinitePast() ||
              row.runs_since_full >= options_.full_every_runs ||
              start - row.last_full_time >= options_.full_every;
  sync.had_reviews = row.reviews_fetched > 0 || !cursor->empty();
  sync.keep_claim = [&lease] { return lease.Renew(); };

  SyncReport report;
  const absl::Status result = syncer_->Sync(sync, &report);
  const absl::Time end = clock_->Now();
  if (result.ok()) {
    WarnOfWindowGap(sync.spec, row.last_success_time, start, &report);
  }
  if (lease.lost()) return taken_over();
  if (absl::IsCancelled(result)) {
    // Shutdown: the pages committed so far stay (ingest is idempotent);
    // nothing else is recorded, so the next start runs it again.
    return absl::UnavailableError(
        absl::StrCat(CollectorName(id),
                     " run interrupted: the server is shutting down; "
                     "nothing recorded, run it again later"));
  }

  // Record the outcome on the current row (it may have been updated or
  // deleted while the sync ran).
  absl::Status saved = store_->Write([&](storage::Txn& txn) -> absl::Status {
    RETURN_IF_ERROR(lease.RenewIn(txn));  // recorded only under the claim
    ASSIGN_OR_RETURN(storage::CollectorRow now_row,
                     txn.collectors().GetCollector(tenant_id, id));
    now_row.last_run_time = start;
    now_row.reviews_fetched += report.counts.fetched();
    // A rotated refresh token (StoreRotatedRefreshToken) is not a new
    // configuration; an endpoint or source change is.
    const bool same_config = SameConfig(now_row.spec, row.spec);
    if (result.ok()) {
      now_row.last_success_time = end;
      now_row.last_error = report.warning;
      if (same_config) now_row.cursor = EncodeCursor(report.cursor);
      if (sync.full) {
        now_row.last_full_time = start;
        now_row.runs_since_full = 0;
      } else {
        ++now_row.runs_since_full;
      }
    } else {
      now_row.last_error = std::string(result.message());
    }
    if (now_row.poll_interval_seconds > 0 && (scheduled || result.ok())) {
      absl::Duration next = absl::Seconds(now_row.poll_interval_seconds);
      // Rejected credentials wait for a person (an update of them makes
      // the collector due at once): no faster retry.
      if (!result.ok() && !absl::IsUnauthenticated(result)) {
        next = std::min(next, options_.retry_failed_after);
      }
      now_row.next_run_time = end + next;
    }
    RETURN_IF_ERROR(txn.collectors().UpdateCollector(now_row));
    return RecordCredentialsAlert(txn, tenant_id, id, sync.spec, result, end);
  });
  if (lease.lost()) return taken_over();
  if (!saved.ok() && !absl::IsNotFound(saved)) return saved;
  if (!result.ok()) {
    const bool retryable =
        absl::IsUnavailable(result) || absl::IsDeadlineExceeded(result);
    const std::string message =
        absl::StrCat(CollectorName(id), " run failed: ", result.message());
    return retryable ? absl::UnavailableError(message)
                     : absl::FailedPreconditionError(message);
  }
  return report.counts;
}

}  // namespace opinia::core::collectors
