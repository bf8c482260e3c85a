#include "service/rpc/alert_stream.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "service/core/alerts/alert_model.h"
#include "service/core/util/time_proto.h"
#include "service/rpc/call.h"
#include "service/rpc/status.h"

namespace opinia::rpc {
namespace {

core::SubscriberFilter FilterOf(const opinia::v1::StreamAlertsRequest& r) {
  return {{r.priorities().begin(), r.priorities().end()},
          {r.kinds().begin(), r.kinds().end()},
          {r.sources().begin(), r.sources().end()}};
}

}  // namespace

AlertStream::AlertStream(grpc::CallbackServerContext* context,
                         const Deps* deps,
                         const opinia::v1::StreamAlertsRequest& request)
    : context_(context),
      deps_(deps),
      request_(request),
      filter_(FilterOf(request)),
      // Copied now, on gRPC's thread: Begin runs later on a pool thread,
      // and a client that cancels first may have its context freed by then.
      authorization_(AuthorizationHeader(*context)) {
  Action action;
  {
    absl::MutexLock lock(&mutex_);
    if (!SubmitLocked([this] { Begin(); })) {
      action = FinishLocked(OverloadedStatus());
    }
  }
  Run(action);
}

bool AlertStream::SubmitLocked(std::function<void()> fn) {
  ++pending_tasks_;
  const bool queued = deps_->alert_pool->Submit([this, fn = std::move(fn)] {
    fn();
    TaskDone();
  });
  if (!queued) --pending_tasks_;
  return queued;
}

void AlertStream::TaskDone() {
  bool destroy = false;
  {
    absl::MutexLock lock(&mutex_);
    --pending_tasks_;
    destroy = done_ && pending_tasks_ == 0;
  }
  if (destroy) Destroy();
}

void AlertStream::Destroy() {
  std::string tenant;
  bool subscribed = false;
  core::KeyWatch::Ticket watched;
  {
    absl::MutexLock lock(&mutex_);
    tenant = caller_.tenant_id;
    subscribed = subscribed_;
    watched = std::move(watched_);
  }
  // After Unsubscribe and Remove return, neither the hub nor the watch
  // calls us again.
  if (subscribed) deps_->alert_hub->Unsubscribe(tenant, this);
  if (watched != nullptr) deps_->key_watch->Remove(watched);
  delete this;
}

// Authenticates, takes a rate token, resolves the resume token and joins
// the KeyWatch; the first failure is the stream's status.
grpc::Status AlertStream::Admit(core::Principal* caller, int64_t* start,
                                core::KeyWatch::Ticket* watched) {
  if (grpc::Status refused = AdmitCaller(authorization_, *deps_, caller);
      !refused.ok()) {
    return refused;
  }
  auto position = deps_->alerts->StreamStart(*caller, request_);
  if (!position.ok()) return ToGrpcStatus(position.status());
  *start = *position;
  if (deps_->key_watch == nullptr) return grpc::Status::OK;
  auto ticket =
      deps_->key_watch->Add(*caller, core::Action::kStreamAlerts, this);
  if (!ticket.ok()) return ToGrpcStatus(ticket.status());
  *watched = *std::move(ticket);
  return grpc::Status::OK;
}

void AlertStream::Begin() {
  core::Principal caller;
  int64_t start = 0;
  core::KeyWatch::Ticket watched;
  const grpc::Status admitted = Admit(&caller, &start, &watched);
  Action action;
  {
    absl::MutexLock lock(&mutex_);
    watched_ = std::move(watched);  // Destroy removes it in every case
    if (finishing_) return;
    if (!admitted.ok()) {
      action = FinishLocked(admitted);
    } else {
      caller_ = caller;
      after_id_ = start;
      subscribed_ = true;
    }
  }
  if (action.what != Action::kNone) {
    Run(action);
    return;
  }
  // Subscribe before the first read: a commit in between wakes us, so
  // nothing falls between the read and the subscription.
  if (!deps_->alert_hub->Subscribe(caller.tenant_id, this)) {
    absl::MutexLock lock(&mutex_);
    action = FinishLocked(grpc::Status(
        grpc::StatusCode::UNAVAILABLE,
        "server shutting down; reconnect with the last resume_token"));
  } else {
    absl::MutexLock lock(&mutex_);
    started_ = true;
    dirty_ = true;
    if (!finishing_) {
      // The initial metadata (with kStreamOpenMetadata) tells the client
      // that the stream is open before its first event (the HTTP gateway
      // answers 200 then; a refusal comes as trailers only). Sent
      // like a write: nothing else is written, and Finish waits, until
      // OnSendInitialMetadataDone; that pumps the first page.
      writing_ = true;
      action = {Action::kSendMetadata, grpc::Status::OK};
    }
  }
  Run(action);
}

void AlertStream::ReadPage() {
  core::Principal caller;
  int64_t after = 0;
  {
    absl::MutexLock lock(&mutex_);
    if (finishing_) {
      reading_ = false;
      return;
    }
    caller = caller_;
    after = after_id_;
  }
  auto page = deps_->alerts->ReadOutbox(caller, after, filter_, kPageSize);
  Action action;
  {
    absl::MutexLock lock(&mutex_);
    reading_ = false;
    if (!page.ok()) {
      action = FinishLocked(ToGrpcStatus(page.status()));
    } else {
      for (const storage::AlertEventRow& row : page->events) {
        opinia::v1::AlertEvent event;
        *event.mutable_alert() = core::AlertFromRow(row.alert);
        event.set_type(static_cast<opinia::v1::AlertEventType>(row.type));
        core::ToTimestamp(row.time, event.mutable_event_time());
        event.set_resume_token(deps_->alerts->ResumeToken(caller.tenant_id, row.id));
        buffer_.push_back(std::move(event));
      }
      after_id_ = page->next_position;
      if (page->more) dirty_ = true;
      action = PumpLocked();
    }
  }
  Run(action);
}

AlertStream::Action AlertStream::PumpLocked() {
  if (finishing_ || writing_ || !started_) return {};
  if (!buffer_.empty()) {
    current_ = std::move(buffer_.front());
    buffer_.pop_front();
    writing_ = true;
    return {Action::kWrite, grpc::Status::OK};
  }
  if (dirty_ && !reading_) {
    dirty_ = false;
    reading_ = true;
    if (!SubmitLocked([this] { ReadPage(); })) {
      reading_ = false;
      return FinishLocked(grpc::Status(
          grpc::StatusCode::UNAVAILABLE,
          "server overloaded; reconnect with the last resume_token"));
    }
  }
  return {};
}

AlertStream::Action AlertStream::FinishLocked(grpc::Status status) {
  if (!finishing_) {
    finishing_ = true;
    final_status_ = std::move(status);
  }
  if (writing_ || finish_called_) return {};  // OnWriteDone finishes
  finish_called_ = true;
  return {Action::kFinish, final_status_};
}

void AlertStream::Run(const Action& action) {
  switch (action.what) {
    case Action::kNone:
      break;
    case Action::kWrite:
      StartWrite(&current_);
      break;
    case Action::kSendMetadata:
      context_->AddInitialMetadata(kStreamOpenMetadata, "1");
      StartSendInitialMetadata();
      break;
    case Action::kFinish:
      Finish(action.status);
      break;
  }
}

void AlertStream::Wake() {
  absl::MutexLock lock(&mutex_);
  dirty_ = true;
  // Only start a read here; writes continue from OnWriteDone. Never call
  // gRPC under the hub's lock.
  if (finishing_ || !started_ || writing_ || reading_ || !buffer_.empty()) {
    return;
  }
  dirty_ = false;
  reading_ = true;
  if (!SubmitLocked([this] { ReadPage(); })) {
    // Queue full: stay dirty; the next wake (or write completion) retries.
    reading_ = false;
    dirty_ = true;
  }
}

void AlertStream::Close() {
  absl::MutexLock lock(&mutex_);
  if (finishing_) return;
  if (!SubmitLocked([this] {
        Action action;
        {
          absl::MutexLock lock(&mutex_);
          action = FinishLocked(grpc::Status(
              grpc::StatusCode::UNAVAILABLE,
              "server shutting down; reconnect with the last resume_token"));
        }
        Run(action);
      })) {
    context_->TryCancel();
  }
}

void AlertStream::Revoked(const absl::Status& why) {
  Action action;
  {
    absl::MutexLock lock(&mutex_);
    action = FinishLocked(ToGrpcStatus(why));
  }
  Run(action);
}

void AlertStream::OnWriteDone(bool ok) {
  Action action;
  {
    absl::MutexLock lock(&mutex_);
    writing_ = false;
    if (!ok) {
      action = FinishLocked(
          grpc::Status(grpc::StatusCode::CANCELLED, "client went away"));
    } else if (finishing_) {
      if (!finish_called_) {
        finish_called_ = true;
        action = {Action::kFinish, final_status_};
      }
    } else {
      action = PumpLocked();
    }
  }
  Run(action);
}

void AlertStream::OnSendInitialMetadataDone(bool ok) { OnWriteDone(ok); }

void AlertStream::OnCancel() {
  Action action;
  {
    absl::MutexLock lock(&mutex_);
    action = FinishLocked(
        grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the client"));
  }
  Run(action);
}

void AlertStream::OnDone() {
  bool destroy = false;
  {
    absl::MutexLock lock(&mutex_);
    done_ = true;
    destroy = pending_tasks_ == 0;
  }
  if (destroy) Destroy();
}

}  // namespace opinia::rpc
