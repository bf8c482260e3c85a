// The reactor of StreamIngestReviews: reads ReviewInput messages, ingests
// them in batches on the worker pool (one transaction per batch), and
// answers an IngestSummary when the client half-closes. Rejections name the
// item by its position in the stream ("reviews[1234].text: ...").
//
// Reads and batch work alternate (the next read starts only after a full
// batch is stored), so the client is flow-controlled by the store's pace and
// the batch is never touched by two threads at once.
//
// Opening the stream takes a rate-limit token of the key and a place in the
// KeyWatch (limits on streams per key and tenant). Every message takes a
// token too: when the key has none, the next read waits until it has, so a
// stream goes no faster than --rate-limit-rps.
//
// When the KeyWatch says the key no longer admits the stream (revoked,
// tenant gone, ingest role removed) it ends with that status: at once when
// waiting for the client, else when the batch being stored is committed; no
// batch is stored after that.
#ifndef OPINIA_SERVICE_RPC_STREAM_INGEST_H_
#define OPINIA_SERVICE_RPC_STREAM_INGEST_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/alarm.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/auth/auth.h"
#include "service/core/auth/key_watch.h"
#include "service/rpc/deps.h"
#include "service/rpc/tsan_annotations.h"

namespace opinia::rpc {

class StreamIngestReactor final
    : public grpc::ServerReadReactor<grpc::ByteBuffer>,
      public core::KeyWatch::Stream {
 public:
  StreamIngestReactor(grpc::CallbackServerContext* context, const Deps* deps,
                      grpc::ByteBuffer* response, int batch_size);

  void OnReadDone(bool ok) override;
  void OnDone() override;
  // KeyWatch::Stream.
  void Revoked(const absl::Status& why) override;

 private:
  static constexpr int kMaxErrors = 100;

  void Open();  // pool: authenticate, take a token, open the session, watch
  // Runs `task` on the pool (which then calls Read or End); finishes with
  // UNAVAILABLE if it is full.
  void Schedule(std::function<void()> task);
  // Stores batch_; false after finishing the call with the error.
  bool Flush();
  void Reject(std::string reason);
  // Starts the next read once the key has a token (or finishes the call
  // when the stream was revoked meanwhile).
  void Read();
  void End(const grpc::Status& status);

  grpc::CallbackServerContext* const context_;
  const Deps* const deps_;
  grpc::ByteBuffer* const response_;
  const int batch_size_;

  absl::Mutex mutex_;
  // A pool task or a pacing alarm is pending; it will call Read or End.
  bool busy_ ABSL_GUARDED_BY(mutex_) = false;
  bool finished_ ABSL_GUARDED_BY(mutex_) = false;  // Finish called
  std::optional<grpc::Status> revoked_ ABSL_GUARDED_BY(mutex_);
  core::KeyWatch::Ticket watched_ ABSL_GUARDED_BY(mutex_);

  // Touched by one thread at a time: Open, then OnReadDone and the pool
  // tasks it schedules in turn (gRPC orders them; tsan_annotations.h).
  std::string key_id_;
  std::unique_ptr<grpc::Alarm> pacing_;  // the next read's, when paced
  std::optional<core::Ingestor::Session> session_;  // set before Read
  grpc::ByteBuffer message_;
  std::vector<opinia::v1::ReviewInput> batch_;
  std::vector<bool> unparsable_;  // parallel to batch_
  int64_t batch_start_ = 0;  // stream index of batch_[0]
  opinia::v1::IngestSummary summary_;
};

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_STREAM_INGEST_H_
