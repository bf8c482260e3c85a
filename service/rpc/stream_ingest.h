// The reactor of StreamIngestReviews: reads ReviewInput messages, ingests
// them in batches on the worker pool (one transaction per batch), and
// answers an IngestSummary when the client half-closes. Rejections name the
// item by its position in the stream ("reviews[1234].text: ...").
//
// Reads and batch work alternate (the next read starts only after a full
// batch is stored), so the client is flow-controlled by the store's pace and
// the reactor's state is never touched by two threads at once.
#ifndef OPINIA_SERVICE_RPC_STREAM_INGEST_H_
#define OPINIA_SERVICE_RPC_STREAM_INGEST_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "grpcpp/server_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/auth/auth.h"
#include "service/rpc/deps.h"
#include "service/rpc/tsan_annotations.h"

namespace opinia::rpc {

class StreamIngestReactor final
    : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  StreamIngestReactor(grpc::CallbackServerContext* context, const Deps* deps,
                      grpc::ByteBuffer* response, int batch_size);

  void OnReadDone(bool ok) override;
  void OnDone() override {
    OPINIA_HAPPENS_AFTER(this);
    delete this;
  }

 private:
  static constexpr int kMaxErrors = 100;

  // Runs `task` on the pool; finishes with UNAVAILABLE if it is full.
  void Schedule(std::function<void()> task);
  // Stores batch_; false after finishing the call with the error.
  bool Flush();
  void Reject(std::string reason);
  // StartRead / Finish, telling TSan that gRPC orders what follows
  // (tsan_annotations.h).
  void Read();
  void End(const grpc::Status& status);

  grpc::CallbackServerContext* const context_;
  const Deps* const deps_;
  grpc::ByteBuffer* const response_;
  const int batch_size_;
  std::optional<core::Ingestor::Session> session_;  // set before Read
  grpc::ByteBuffer message_;
  std::vector<opinia::v1::ReviewInput> batch_;
  std::vector<bool> unparsable_;  // parallel to batch_
  int64_t batch_start_ = 0;  // stream index of batch_[0]
  opinia::v1::IngestSummary summary_;
};

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_STREAM_INGEST_H_
