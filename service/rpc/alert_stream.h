// StreamAlerts: a server-streaming callback reactor over the alerts outbox.
//
// The reactor holds at most one page of events (kPageSize) and one write in
// flight. When woken by the AlertHub (a commit for its tenant), it reads the
// next page of alert events (alert created, snoozed alert reopened) with
// id > the last one read from storage ON THE WORKER POOL (never SQLite on a
// gRPC thread), keeps those the request's filter wants (core::ReadOutbox),
// and writes them one at a time,
// each with a resume token naming its event id. A stalled client
// therefore costs one page of memory and nothing else: the writer never
// waits for it and it catches up from storage when it reads again.
//
// Opening it takes a rate-limit token of the key (call.h TakeRateToken) and
// a place in the KeyWatch (limits on streams per key and tenant).
//
// It ends (Finish exactly once) on client cancel, a failed write, a storage
// error, its key revoked or no longer holding the read role (KeyWatch:
// UNAUTHENTICATED or PERMISSION_DENIED; the event being written when that
// comes is the last), or hub Close() at server shutdown (UNAVAILABLE:
// reconnect with the last token). It deletes itself in OnDone, or after the
// last pool task it started when that finishes later.
#ifndef OPINIA_SERVICE_RPC_ALERT_STREAM_H_
#define OPINIA_SERVICE_RPC_ALERT_STREAM_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/server_callback.h"
#include "opinia/v1/alerts.pb.h"
#include "service/core/alerts/alert_hub.h"
#include "service/core/alerts/alert_outbox.h"
#include "service/rpc/deps.h"

namespace opinia::rpc {

// The initial metadata key a stream sends once it has admitted the caller
// (service/http/grpc_call.h waits for it before answering 200).
inline constexpr char kStreamOpenMetadata[] = "opinia-stream-open";

class AlertStream final
    : public grpc::ServerWriteReactor<opinia::v1::AlertEvent>,
      public core::AlertHub::Subscriber,
      public core::KeyWatch::Stream {
 public:
  static constexpr int kPageSize = 128;

  AlertStream(grpc::CallbackServerContext* context, const Deps* deps,
              const opinia::v1::StreamAlertsRequest& request);

  // AlertHub::Subscriber (called under the hub's lock: only queue work).
  void Wake() override;
  void Close() override;
  // KeyWatch::Stream.
  void Revoked(const absl::Status& why) override;

  void OnSendInitialMetadataDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  // What to do with gRPC once our lock is released (gRPC may run reactions
  // inline, so it is never called while holding mutex_).
  struct Action {
    enum { kNone, kWrite, kSendMetadata, kFinish } what = kNone;
    grpc::Status status;
  };

  void Begin();     // pool: Admit, subscribe
  grpc::Status Admit(core::Principal* caller, int64_t* start,
                     core::KeyWatch::Ticket* watched);
  void ReadPage();  // pool: next page from storage

  Action PumpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  Action FinishLocked(grpc::Status status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // Queues fn on the pool, counted in pending_tasks_; false when refused.
  bool SubmitLocked(std::function<void()> fn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void Run(const Action& action);
  void TaskDone();
  void Destroy();

  grpc::CallbackServerContext* const context_;
  const Deps* const deps_;
  const opinia::v1::StreamAlertsRequest request_;
  const core::SubscriberFilter filter_;
  const std::optional<std::string> authorization_;

  absl::Mutex mutex_;
  core::Principal caller_ ABSL_GUARDED_BY(mutex_);  // set by Begin
  core::KeyWatch::Ticket watched_ ABSL_GUARDED_BY(mutex_);  // set by Begin
  bool subscribed_ ABSL_GUARDED_BY(mutex_) = false;
  bool started_ ABSL_GUARDED_BY(mutex_) = false;
  bool reading_ ABSL_GUARDED_BY(mutex_) = false;
  bool dirty_ ABSL_GUARDED_BY(mutex_) = true;
  bool writing_ ABSL_GUARDED_BY(mutex_) = false;
  bool finishing_ ABSL_GUARDED_BY(mutex_) = false;
  bool finish_called_ ABSL_GUARDED_BY(mutex_) = false;
  bool done_ ABSL_GUARDED_BY(mutex_) = false;
  int pending_tasks_ ABSL_GUARDED_BY(mutex_) = 0;
  grpc::Status final_status_ ABSL_GUARDED_BY(mutex_);
  int64_t after_id_ ABSL_GUARDED_BY(mutex_) = 0;
  std::deque<opinia::v1::AlertEvent> buffer_ ABSL_GUARDED_BY(mutex_);
  opinia::v1::AlertEvent current_;  // owned by the write in flight
};

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_ALERT_STREAM_H_
