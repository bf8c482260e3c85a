// Calls to the server's own gRPC services by method name with serialized
// messages (grpc::GenericStub over the in-process channel): the gateway
// never calls core itself, so every HTTP request gets exactly what a gRPC
// client gets (auth, roles, validation, limits, errors).
#ifndef OPINIA_SERVICE_HTTP_GRPC_CALL_H_
#define OPINIA_SERVICE_HTTP_GRPC_CALL_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/client_callback.h"
#include "grpcpp/support/status.h"

namespace opinia::http {

// A ClientContext carrying `authorization` as the call's "authorization"
// metadata (none when nullopt).
std::unique_ptr<grpc::ClientContext> NewCallContext(
    const std::optional<std::string>& authorization);

// One unary call; blocks until it ends. `method` is "/pkg.Service/Method".
grpc::Status CallUnary(grpc::GenericStub* stub, const std::string& method,
                       grpc::ClientContext* context,
                       const grpc::ByteBuffer& request,
                       grpc::ByteBuffer* response);

// A client-, server- or bidirectional-streaming call driven by blocking
// calls from one thread (the HTTP handler's), with timeouts on reads. All
// three kinds are run as a bidi call: on the wire they are the same. A read
// is always pending (from the start, and again as soon as Read() hands a
// message over): the in-process transport can drop a message that arrives
// together with the trailers when no read is pending (seen: an empty
// NDJSON upload answered OK without its IngestSummary, 3 times in 20).
// Destroying it cancels the call if it has not ended and waits for gRPC to
// let go of it.
class StreamCall : public grpc::ClientBidiReactor<grpc::ByteBuffer,
                                                  grpc::ByteBuffer> {
 public:
  // Starts the call.
  StreamCall(grpc::GenericStub* stub, const std::string& method,
             std::unique_ptr<grpc::ClientContext> context);
  ~StreamCall() override;
  StreamCall(const StreamCall&) = delete;
  StreamCall& operator=(const StreamCall&) = delete;

  // Sends one message; false when the call has ended (Finish() says why).
  bool Write(const grpc::ByteBuffer& message);
  // Half-closes: no more messages from this side.
  void WritesDone();

  // Waits for the server's initial metadata and says whether it holds
  // `marker` (a key the service adds once it has admitted the caller, e.g.
  // "opinia-stream-open" of service/rpc/alert_stream.h). False when the call
  // ended without it (a refusal, sent as trailers only: Finish() says why)
  // or `timeout` passed.
  bool AwaitAccepted(absl::Duration timeout, absl::string_view marker);

  enum class ReadResult { kMessage, kTimeout, kEnd };
  // The next message, waiting at most `timeout`; after kTimeout the read
  // goes on, so nothing is lost. kEnd: the call has ended.
  ReadResult Read(grpc::ByteBuffer* message, absl::Duration timeout);

  // Ends the call from this side (the status becomes CANCELLED unless the
  // server had finished first). Any thread.
  void Cancel();

  // Waits for the end of the call and returns its status.
  grpc::Status Finish();

  // grpc::ClientBidiReactor
  void OnReadInitialMetadataDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnWritesDoneDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  void ReleaseHold();

  std::unique_ptr<grpc::ClientContext> context_;
  absl::Mutex mutex_;
  bool metadata_done_ ABSL_GUARDED_BY(mutex_) = false;
  bool accepted_ ABSL_GUARDED_BY(mutex_) = false;
  bool read_done_ ABSL_GUARDED_BY(mutex_) = false;
  bool read_ended_ ABSL_GUARDED_BY(mutex_) = false;
  bool read_ok_ ABSL_GUARDED_BY(mutex_) = false;
  bool ended_ ABSL_GUARDED_BY(mutex_) = false;  // a read or write failed
  bool writing_ ABSL_GUARDED_BY(mutex_) = false;
  bool write_ok_ ABSL_GUARDED_BY(mutex_) = false;
  bool writes_done_ ABSL_GUARDED_BY(mutex_) = false;
  bool hold_released_ ABSL_GUARDED_BY(mutex_) = false;
  bool done_ ABSL_GUARDED_BY(mutex_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mutex_);
  grpc::ByteBuffer read_buffer_;   // owned by gRPC while reading_
  grpc::ByteBuffer write_buffer_;  // owned by gRPC while writing_
};

}  // namespace opinia::http

#endif  // OPINIA_SERVICE_HTTP_GRPC_CALL_H_
