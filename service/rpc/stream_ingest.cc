#include "service/rpc/stream_ingest.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/rpc/call.h"
#include "service/rpc/raw_ingest.h"
#include "service/rpc/rate_limiter.h"
#include "service/rpc/status.h"
#include "service/rpc/tsan_annotations.h"

namespace opinia::rpc {

StreamIngestReactor::StreamIngestReactor(grpc::CallbackServerContext* context,
                                         const Deps* deps,
                                         grpc::ByteBuffer* response,
                                         int batch_size)
    : context_(context),
      deps_(deps),
      response_(response),
      batch_size_(std::max(
          1, std::min(batch_size, deps->ingestor->limits().max_batch))) {
  Schedule([this] { Open(); });
}

void StreamIngestReactor::Open() {
  core::Principal caller;
  grpc::Status status =
      AdmitCaller(AuthorizationHeader(*context_), *deps_, &caller);
  if (status.ok()) {
    auto session = deps_->ingestor->Open(caller);
    if (session.ok()) {
      session_.emplace(*std::move(session));
    } else {
      status = ToGrpcStatus(session.status());
    }
  }
  if (status.ok() && deps_->key_watch != nullptr) {
    auto ticket =
        deps_->key_watch->Add(caller, core::Action::kIngestReviews, this);
    if (ticket.ok()) {
      absl::MutexLock lock(&mutex_);
      watched_ = *std::move(ticket);
    } else {
      status = ToGrpcStatus(ticket.status());
    }
  }
  if (!status.ok()) {
    End(status);
    return;
  }
  key_id_ = caller.key_id;
  Read();
}

void StreamIngestReactor::Schedule(std::function<void()> task) {
  {
    absl::MutexLock lock(&mutex_);
    // Revoked finished the call during a reaction: no task may outlive it.
    if (finished_) return;
    busy_ = true;
  }
  if (!deps_->pool->Submit(std::move(task))) {
    End(OverloadedStatus());
  }
}

void StreamIngestReactor::Reject(std::string reason) {
  summary_.set_rejected(summary_.rejected() + 1);
  if (summary_.errors_size() < kMaxErrors) {
    summary_.add_errors(std::move(reason));
  }
}

void StreamIngestReactor::End(const grpc::Status& status) {
  OPINIA_HAPPENS_BEFORE(this);
  absl::MutexLock lock(&mutex_);
  busy_ = false;
  if (finished_) return;
  finished_ = true;
  // gRPC runs no reaction inline from Finish (OnDone comes on its own
  // thread), so calling it under mutex_ is safe.
  Finish(status);
}

void StreamIngestReactor::Read() {
  bool revoked = false;
  {
    absl::MutexLock lock(&mutex_);
    revoked = revoked_.has_value();
  }
  // The token of the message this read asks for.
  absl::Duration wait = absl::ZeroDuration();
  if (deps_->rate_limiter != nullptr && !revoked) {
    wait = deps_->rate_limiter->Acquire(key_id_, absl::Now());
  }
  if (wait > absl::ZeroDuration()) {
    {
      absl::MutexLock lock(&mutex_);
      if (finished_) return;
      busy_ = true;  // the alarm's task calls Read again
    }
    // Only that one pending alarm or task touches pacing_; the alarm that
    // led here (if any) has fired, so it may go.
    pacing_ = std::make_unique<grpc::Alarm>();
    pacing_->Set(absl::ToChronoTime(absl::Now() + wait),
                 [this](bool) { Schedule([this] { Read(); }); });
    return;
  }
  OPINIA_HAPPENS_BEFORE(this);
  absl::MutexLock lock(&mutex_);
  busy_ = false;
  if (finished_) return;
  if (revoked_.has_value()) {
    finished_ = true;
    Finish(*revoked_);
    return;
  }
  // As with Finish, OnReadDone never runs inline from StartRead.
  StartRead(&message_);
}

void StreamIngestReactor::Revoked(const absl::Status& why) {
  absl::MutexLock lock(&mutex_);
  if (finished_) return;
  revoked_ = ToGrpcStatus(why);
  // A pending task or alarm ends the call (after the batch it is storing).
  if (busy_) return;
  // Waiting for the client: the pending read completes with ok = false.
  finished_ = true;
  Finish(*revoked_);
}

void StreamIngestReactor::OnDone() {
  OPINIA_HAPPENS_AFTER(this);
  core::KeyWatch::Ticket watched;
  {
    absl::MutexLock lock(&mutex_);
    watched = std::move(watched_);
  }
  // Once Remove returns the watch never calls Revoked again.
  if (watched != nullptr) deps_->key_watch->Remove(watched);
  delete this;
}

void StreamIngestReactor::OnReadDone(bool ok) {
  OPINIA_HAPPENS_AFTER(this);
  {
    absl::MutexLock lock(&mutex_);
    if (finished_) return;  // revoked while the read was pending
  }
  if (!ok) {  // half-close, or the call is cancelled
    Schedule([this] {
      if (context_->IsCancelled()) {
        End(grpc::Status::CANCELLED);
        return;
      }
      if (!Flush()) return;
      SerializeTo(summary_, response_);
      End(grpc::Status::OK);
    });
    return;
  }
  const int64_t index = summary_.received();
  summary_.set_received(index + 1);
  auto input = ParseReviewInput(&message_);
  if (batch_.empty()) batch_start_ = index;
  // An unparsable message keeps a placeholder so that batch positions stay
  // stream positions; it is counted as rejected here, not again in Flush.
  unparsable_.push_back(!input.ok());
  if (input.ok()) {
    batch_.push_back(*std::move(input));
  } else {
    batch_.emplace_back();
    Reject(absl::StrCat("reviews[", index, "]: ", input.status().message()));
  }
  if (static_cast<int>(batch_.size()) < batch_size_) {
    Read();
    return;
  }
  Schedule([this] {
    if (Flush()) Read();
  });
}

bool StreamIngestReactor::Flush() {
  if (batch_.empty()) return true;
  std::optional<grpc::Status> revoked;
  {
    absl::MutexLock lock(&mutex_);
    revoked = revoked_;
  }
  if (revoked.has_value()) {
    End(*revoked);
    return false;
  }
  auto results = session_->Ingest(batch_, batch_start_);
  if (!results.ok()) {
    End(ToGrpcStatus(results.status()));
    return false;
  }
  for (size_t i = 0; i < results->size(); ++i) {
    const auto& r = (*results)[i];
    switch (r.outcome()) {
      case opinia::v1::IngestResult::CREATED:
        summary_.set_created(summary_.created() + 1);
        break;
      case opinia::v1::IngestResult::UPDATED:
        summary_.set_updated(summary_.updated() + 1);
        break;
      case opinia::v1::IngestResult::UNCHANGED:
        summary_.set_unchanged(summary_.unchanged() + 1);
        break;
      default:
        if (!unparsable_[i]) Reject(r.error());
        break;
    }
  }
  batch_.clear();
  unparsable_.clear();
  return true;
}

}  // namespace opinia::rpc
