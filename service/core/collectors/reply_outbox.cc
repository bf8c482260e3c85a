#include "service/core/collectors/reply_outbox.h"

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "opinia/v1/alerts.pb.h"
#include "service/core/collectors/collectors.h"
#include "service/core/collectors/review_platform.h"
#include "service/core/collectors/token_cache.h"
#include "service/core/util/names.h"
#include "service/core/util/retry.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

constexpr size_t kMaxErrorBytes = 400;

std::string Truncate(std::string s) {
  if (s.size() > kMaxErrorBytes) s = s.substr(0, kMaxErrorBytes) + "...";
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

ReplyAction ActionOf(int32_t action) {
  return action == storage::kReplyDelete ? ReplyAction::kDelete
                                         : ReplyAction::kPublish;
}

// The review's collector and the platform behind it, for `field`'s
// messages.
struct Resolved {
  opinia::v1::Collector spec;
  const Platform* platform = nullptr;
  ReplyTarget target;
};

absl::StatusOr<Resolved> Resolve(storage::Txn& txn,
                                 const storage::ReviewRow& review,
                                 int32_t action, std::string_view text,
                                 std::string_view field) {
  const std::string f(field);
  ASSIGN_OR_RETURN(
      ReviewPlatform p,
      PlatformOfReview(txn, review, field,
                       "its reply to; record the response without publish"));
  Resolved r{std::move(p.spec), p.platform, std::move(p.target)};
  r.target.text = std::string(text);
  if (!r.platform->SupportsReply(ActionOf(action))) {
    return absl::FailedPreconditionError(absl::StrCat(
        f, ": ", opinia::v1::CollectorKind_Name(r.spec.kind()), " (",
        std::string(r.platform->name()), ") replies cannot be ",
        action == storage::kReplyDelete ? "deleted" : "published",
        " through its API"));
  }
  return r;
}

// The collector's credentials through the token cache (renewable kinds get
// their access token as "bearer_token"); errors as TokenCache::Resolve.
absl::Status ResolveCredentials(TokenCache* tokens,
                                const std::string& token_key,
                                Resolved* resolved) {
  if (tokens == nullptr) return absl::OkStatus();
  ASSIGN_OR_RETURN(resolved->target.credentials,
                   tokens->Resolve(token_key, *resolved->platform,
                                   resolved->spec.credentials()));
  return absl::OkStatus();
}

}  // namespace

std::string ReplyLeaseName(int64_t review_id) {
  return absl::StrCat("reply:", review_id);
}

absl::StatusOr<bool> ReconcilePlatformReply(
    storage::Store& store, std::string_view tenant_id, int64_t review_id,
    std::string_view text, std::optional<absl::Time> platform_time,
    absl::Time now) {
  bool changed = false;
  RETURN_IF_ERROR(store.Write([&](storage::Txn& txn) -> absl::Status {
    changed = false;
    absl::StatusOr<storage::ReplyRow> row =
        txn.replies().GetReply(tenant_id, review_id);
    if (absl::IsNotFound(row.status())) return absl::OkStatus();
    if (!row.ok()) return row.status();
    if (row->action != storage::kReplyPublish ||
        row->state != storage::kReplyPending || row->text != text) {
      return absl::OkStatus();
    }
    row->state = storage::kReplyDone;
    row->in_flight = false;
    row->last_error.clear();
    row->update_time = now;
    row->publish_time = platform_time.value_or(now);
    ASSIGN_OR_RETURN(changed, txn.replies().UpdateReply(*row));
    return absl::OkStatus();
  }));
  return changed;
}

struct ReplyOutbox::Work {
  storage::ReplyRow row;
  Resolved resolved;
};

ReplyOutbox::ReplyOutbox(storage::Store* store, const Clock* clock,
                         HttpClient* http, ReplyOutboxOptions options,
                         AlertHub* hub, TokenCache* tokens)
    : store_(store),
      clock_(clock),
      http_(http),
      options_(std::move(options)),
      replica_id_(options_.replica_id.empty() ? NewReplicaId()
                                              : options_.replica_id),
      lease_ttl_(std::max(options_.lease_ttl, 3 * options_.http.timeout)),
      hub_(hub),
      tokens_(tokens) {}

absl::StatusOr<std::unique_ptr<ReplyOutbox>> ReplyOutbox::Create(
    storage::Store* store, const Clock* clock, HttpClient* http,
    ReplyOutboxOptions options, AlertHub* hub, TokenCache* tokens) {
  if (options.max_attempts < 1 || options.batch < 1) {
    return absl::InvalidArgumentError(
        "reply outbox: max_attempts and batch must be >= 1");
  }
  if (options.base_backoff < absl::ZeroDuration() ||
      options.max_backoff < absl::ZeroDuration() ||
      options.max_retry_after < absl::ZeroDuration() ||
      options.tick_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "reply outbox: durations must not be negative");
  }
  return std::unique_ptr<ReplyOutbox>(
      new ReplyOutbox(store, clock, http, std::move(options), hub, tokens));
}

ReplyOutbox::~ReplyOutbox() { Stop(); }

absl::Status ReplyOutbox::Queue(storage::Txn& txn,
                                const storage::ReviewRow& review,
                                int32_t action, std::string_view text,
                                absl::Time now, std::string_view field) {
  ASSIGN_OR_RETURN(Resolved r, Resolve(txn, review, action, text, field));
  // Built once, not sent: a missing credential is the caller's error now,
  // not a FAILED row later.
  absl::StatusOr<ReplyHttpRequest> request =
      r.platform->BuildReplyRequest(ActionOf(action), r.target);
  if (!request.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(std::string(field), ": ", request.status().message()));
  }
  storage::ReplyRow row;
  row.tenant_id = review.tenant_id;
  row.review_id = review.id;
  row.action = action;
  row.text = std::string(text);
  row.collector = r.target.review.attributes().at(kCollectorAttribute);
  row.state = storage::kReplyPending;
  row.next_attempt_time = now;
  row.create_time = row.update_time = now;
  return txn.replies().PutReply(row).status();
}

absl::StatusOr<ReplyTickResult> ReplyOutbox::Tick() {
  absl::MutexLock tick(&tick_mutex_);
  std::vector<storage::ReplyRow> due;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(due, txn.replies().ListDueReplies(clock_->Now(),
                                                       options_.batch));
    return absl::OkStatus();
  }));
  ReplyTickResult result;
  for (const storage::ReplyRow& listed : due) {
    if (cancel_.load()) break;
    ASSIGN_OR_RETURN(std::unique_ptr<Lease> lease,
                     Lease::TryTake(store_, clock_,
                                    ReplyLeaseName(listed.review_id),
                                    replica_id_, lease_ttl_));
    if (lease == nullptr) continue;  // another replica sends it
    absl::Status s = RunClaimed(listed, *lease, &result);
    if (!s.ok() && !lease->lost()) return s;
  }
  return result;
}

absl::StatusOr<std::optional<ReplyOutbox::Work>> ReplyOutbox::Load(
    const storage::ReplyRow& listed, Lease& lease) {
  std::optional<Work> work;
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    work.reset();
    RETURN_IF_ERROR(lease.RenewIn(txn));
    absl::StatusOr<storage::ReplyRow> row =
        txn.replies().GetReply(listed.tenant_id, listed.review_id);
    if (absl::IsNotFound(row.status())) return absl::OkStatus();
    if (!row.ok()) return row.status();
    if (row->generation != listed.generation ||
        row->state != storage::kReplyPending ||
        row->attempts != listed.attempts ||
        row->next_attempt_time > clock_->Now()) {
      return absl::OkStatus();  // changed since it was listed
    }
    ASSIGN_OR_RETURN(storage::ReviewRow review,
                     txn.GetReview(row->tenant_id, row->review_id));
    Work w;
    w.row = *std::move(row);
    absl::StatusOr<Resolved> resolved =
        Resolve(txn, review, w.row.action, w.row.text, "reply");
    if (!resolved.ok()) {
      // The collector was deleted or changed kind since: nothing to send
      // with. The row fails (Record writes it) with the reason.
      if (!absl::IsFailedPrecondition(resolved.status())) {
        return resolved.status();
      }
      w.row.last_error = std::string(resolved.status().message());
    } else {
      w.resolved = *std::move(resolved);
    }
    work = std::move(w);
    return absl::OkStatus();
  }));
  return work;
}

std::optional<absl::StatusOr<HttpResult>> ReplyOutbox::Send(
    const ReplyHttpRequest& request) {
  HttpCallOptions call = options_.http;
  call.cancel = &cancel_;
  const std::string_view body(request.body);
  const bool has_body = request.method == "PUT" || request.method == "POST";
  absl::StatusOr<HttpResult> response =
      http_->Send(request.method, request.url, request.headers,
                  has_body ? &body : nullptr, call);
  if (absl::IsCancelled(response.status())) return std::nullopt;
  return response;
}

void ReplyOutbox::Fail(std::string error, bool retryable, bool policy,
                       absl::Duration retry_after, storage::ReplyRow* row) {
  row->in_flight = false;
  row->last_error = Truncate(std::move(error));
  row->policy_rejection = policy;
  row->update_time = clock_->Now();
  if (!retryable || row->attempts >= options_.max_attempts) {
    row->state = storage::kReplyFailed;
    return;
  }
  row->state = storage::kReplyPending;
  row->next_attempt_time =
      row->update_time +
      std::max(FullJitterBackoff(options_.base_backoff, options_.max_backoff,
                                 row->attempts, jitter_.Uniform()),
               retry_after);
}

absl::Status ReplyOutbox::RunClaimed(const storage::ReplyRow& listed,
                                     Lease& lease, ReplyTickResult* result) {
  ASSIGN_OR_RETURN(std::optional<Work> loaded, Load(listed, lease));
  if (!loaded.has_value()) return absl::OkStatus();
  Work& work = *loaded;
  storage::ReplyRow& row = work.row;
  if (work.resolved.platform == nullptr) {  // nothing to send with
    ++row.attempts;
    Fail(row.last_error, /*retryable=*/false, false, absl::ZeroDuration(),
         &row);
    ++result->failed;
    return Record(row, work, lease).status();
  }
  const Platform& platform = *work.resolved.platform;
  const ReplyAction action = ActionOf(row.action);
  // The collector's credentials as the syncer uses them: a renewable kind
  // (OAuth refresh token, service-account or App Store key) gets its
  // current access token as "bearer_token".
  const std::string token_key = CollectorTokenKey(row.tenant_id, row.collector);
  if (absl::Status s = ResolveCredentials(tokens_, token_key, &work.resolved);
      !s.ok()) {
    ++row.attempts;
    Fail(absl::StrCat("credentials: ", s.message()),
         /*retryable=*/!absl::IsUnauthenticated(s), false, absl::ZeroDuration(),
         &row);
    ++(row.state == storage::kReplyFailed ? result->failed : result->retrying);
    return Record(row, work, lease).status();
  }

  // 2. A publish whose outcome was lost: does the platform show it?
  if (row.in_flight && action == ReplyAction::kPublish &&
      !platform.IdempotentPublish()) {
    absl::StatusOr<ReplyHttpRequest> check =
        platform.BuildReplyCheckRequest(work.resolved.target);
    if (check.ok()) {
      std::optional<absl::StatusOr<HttpResult>> answer = Send(*check);
      if (!answer.has_value()) return absl::OkStatus();  // stopping
      absl::StatusOr<PlatformReply> there =
          answer->ok() && (*answer)->status / 100 == 2
              ? platform.ParseReplyCheck((*answer)->body)
              : absl::StatusOr<PlatformReply>(absl::UnavailableError(
                    answer->ok() ? absl::StrCat("HTTP ", (*answer)->status,
                                                " reading the review back")
                                 : std::string(answer->status().message())));
      if (!there.ok()) {
        // Unknown whether it is there: not safe to send; try later.
        Fail(absl::StrCat("checking the platform before re-sending: ",
                          there.status().message()),
             /*retryable=*/true, false, absl::ZeroDuration(), &row);
        row.in_flight = true;  // still unknown
        ++result->retrying;
        return Record(row, work, lease).status();
      }
      if (there->exists && there->text == row.text) {
        row.state = storage::kReplyDone;
        row.in_flight = false;
        row.last_error.clear();
        row.update_time = clock_->Now();
        row.publish_time = there->update_time.value_or(row.update_time);
        ++result->reconciled;
        ++result->done;
        return Record(row, work, lease).status();
      }
    }
  }

  absl::StatusOr<ReplyHttpRequest> request =
      platform.BuildReplyRequest(action, work.resolved.target);
  ++row.attempts;
  if (!request.ok()) {  // e.g. a credential removed since it was queued
    Fail(std::string(request.status().message()), false, false,
         absl::ZeroDuration(), &row);
    ++result->failed;
    return Record(row, work, lease).status();
  }
  // 3. In flight, committed before anything is sent.
  row.in_flight = true;
  row.update_time = clock_->Now();
  ASSIGN_OR_RETURN(bool still_ours, Record(row, work, lease));
  if (!still_ours) return absl::OkStatus();  // edited meanwhile: next tick
  std::optional<absl::StatusOr<HttpResult>> answer = Send(*request);
  if (!answer.has_value()) return absl::OkStatus();  // stays in flight
  // A 401 with renewable credentials: one fresh token, one more try.
  if (tokens_ != nullptr && answer->ok() && (*answer)->status == 401 &&
      tokens_->Invalidate(token_key, platform,
                          work.resolved.spec.credentials(),
                          request->headers) &&
      ResolveCredentials(tokens_, token_key, &work.resolved).ok()) {
    absl::StatusOr<ReplyHttpRequest> again =
        platform.BuildReplyRequest(action, work.resolved.target);
    if (again.ok()) {
      answer = Send(*again);
      if (!answer.has_value()) return absl::OkStatus();
    }
  }
  ++result->attempted;
  // 4. The outcome.
  if (!answer->ok()) {
    Fail(std::string(answer->status().message()), /*retryable=*/true, false,
         absl::ZeroDuration(), &row);
  } else {
    const HttpResult& http = **answer;
    ReplyResult said = platform.ParseReplyResponse(action, http.status,
                                                   http.body);
    if (said.ok) {
      row.state = storage::kReplyDone;
      row.in_flight = false;
      row.last_error.clear();
      row.policy_rejection = false;
      row.update_time = clock_->Now();
      row.publish_time = said.publish_time.value_or(row.update_time);
    } else {
      Fail(said.error, said.retryable, said.policy_rejection,
           RetryAfterOf(http, options_.max_retry_after), &row);
    }
  }
  switch (row.state) {
    case storage::kReplyDone:
      ++result->done;
      break;
    case storage::kReplyFailed:
      ++result->failed;
      break;
    default:
      ++result->retrying;
  }
  return Record(row, work, lease).status();
}

absl::StatusOr<bool> ReplyOutbox::Record(const storage::ReplyRow& row,
                                         const Work& work, Lease& lease) {
  bool alerted = false;
  bool written = false;
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    alerted = false;
    RETURN_IF_ERROR(lease.RenewIn(txn));
    ASSIGN_OR_RETURN(written, txn.replies().UpdateReply(row));
    if (!written || row.state != storage::kReplyFailed) {
      return absl::OkStatus();  // an edit since, or no failure to tell
    }
    storage::AlertRow a;
    a.tenant_id = row.tenant_id;
    a.kind = opinia::v1::REPLY_PUBLISH_FAILED;
    a.state = storage::kAlertOpen;
    a.review_id = row.review_id;
    a.reasons.push_back(row.policy_rejection ? "REPLY_POLICY_REJECTION"
                                             : "REPLY_NOT_DELIVERED");
    a.summary = absl::StrCat(
        "The reply to ", ReviewName(row.review_id), " could not be ",
        row.action == storage::kReplyDelete ? "deleted on " : "published on ",
        work.resolved.platform != nullptr
            ? std::string(work.resolved.platform->name())
            : std::string("its platform"),
        " after ", row.attempts, row.attempts == 1 ? " attempt: " : " attempts: ",
        row.last_error);
    a.source = work.resolved.spec.source();
    a.dedup_key = absl::StrCat("reply:", row.review_id, ":", row.generation);
    a.create_time = a.update_time = row.update_time;
    RETURN_IF_ERROR(txn.alerts().InsertAlert(a).status());
    alerted = true;
    return txn.NotifyTenant(row.tenant_id);
  }));
  if (alerted && hub_ != nullptr) hub_->Notify(row.tenant_id);
  return written;
}


void ReplyOutbox::Start() {
  ticks_.Start(options_.tick_interval, [this] {
    absl::StatusOr<ReplyTickResult> r = Tick();
    if (!r.ok()) {
      std::fprintf(stderr, "opinia-server: reply outbox: %s\n",
                   std::string(r.status().message()).c_str());
    }
  });
}

void ReplyOutbox::Stop() {
  cancel_.store(true);  // a request in flight ends now
  ticks_.Stop();
}

void ReplyOutbox::Wake() { ticks_.Wake(); }

}  // namespace opinia::core::collectors
