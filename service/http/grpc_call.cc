#include "service/http/grpc_call.h"

#include <utility>

#include "absl/synchronization/notification.h"

namespace opinia::http {

std::unique_ptr<grpc::ClientContext> NewCallContext(
    const std::optional<std::string>& authorization) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (authorization.has_value()) {
    context->AddMetadata("authorization", *authorization);
  }
  return context;
}

grpc::Status CallUnary(grpc::GenericStub* stub, const std::string& method,
                       grpc::ClientContext* context,
                       const grpc::ByteBuffer& request,
                       grpc::ByteBuffer* response) {
  absl::Notification done;
  grpc::Status status;
  stub->UnaryCall(context, method, grpc::StubOptions(), &request, response,
                  [&done, &status](grpc::Status s) {
                    status = std::move(s);
                    done.Notify();
                  });
  done.WaitForNotification();
  return status;
}

StreamCall::StreamCall(grpc::GenericStub* stub, const std::string& method,
                       std::unique_ptr<grpc::ClientContext> context)
    : context_(std::move(context)) {
  stub->PrepareBidiStreamingCall(context_.get(), method, grpc::StubOptions(),
                                 this);
  // Keeps OnDone from running while this thread may still start reads or
  // writes; released by Finish() or the destructor.
  AddHold();
  StartRead(&read_buffer_);
  StartCall();
}

StreamCall::~StreamCall() {
  {
    absl::MutexLock lock(&mutex_);
    if (done_) return;
  }
  context_->TryCancel();
  (void)Finish();
}

bool StreamCall::Write(const grpc::ByteBuffer& message) {
  {
    absl::MutexLock lock(&mutex_);
    if (ended_ || writes_done_ || hold_released_) return false;
    writing_ = true;
    write_buffer_ = message;
  }
  StartWrite(&write_buffer_);
  absl::MutexLock lock(&mutex_);
  mutex_.Await(absl::Condition(
      +[](bool* writing) { return !*writing; }, &writing_));
  if (!write_ok_) ended_ = true;
  return write_ok_;
}

void StreamCall::WritesDone() {
  {
    absl::MutexLock lock(&mutex_);
    if (ended_ || writes_done_ || hold_released_) return;
    writes_done_ = true;
  }
  StartWritesDone();
}

bool StreamCall::AwaitAccepted(absl::Duration timeout,
                               absl::string_view marker) {
  {
    absl::MutexLock lock(&mutex_);
    mutex_.AwaitWithTimeout(absl::Condition(&metadata_done_), timeout);
    if (!accepted_) return false;
  }
  // Set before OnReadInitialMetadataDone; read-only from then on.
  const auto& metadata = context_->GetServerInitialMetadata();
  return metadata.find(grpc::string_ref(marker.data(), marker.size())) !=
         metadata.end();
}

StreamCall::ReadResult StreamCall::Read(grpc::ByteBuffer* message,
                                        absl::Duration timeout) {
  {
    absl::MutexLock lock(&mutex_);
    if (read_ended_ || hold_released_) return ReadResult::kEnd;
    if (!mutex_.AwaitWithTimeout(absl::Condition(&read_done_), timeout)) {
      return ReadResult::kTimeout;
    }
    read_done_ = false;
    if (!read_ok_) {
      read_ended_ = true;
      ended_ = true;
      return ReadResult::kEnd;
    }
    *message = std::move(read_buffer_);
    read_buffer_.Clear();
  }
  StartRead(&read_buffer_);  // the next one, at once
  return ReadResult::kMessage;
}

void StreamCall::Cancel() { context_->TryCancel(); }

void StreamCall::ReleaseHold() {
  {
    absl::MutexLock lock(&mutex_);
    if (hold_released_) return;
    hold_released_ = true;
  }
  RemoveHold();
}

grpc::Status StreamCall::Finish() {
  ReleaseHold();
  absl::MutexLock lock(&mutex_);
  mutex_.Await(absl::Condition(&done_));
  return status_;
}

void StreamCall::OnReadInitialMetadataDone(bool ok) {
  absl::MutexLock lock(&mutex_);
  accepted_ = ok;
  metadata_done_ = true;
}

void StreamCall::OnReadDone(bool ok) {
  absl::MutexLock lock(&mutex_);
  read_ok_ = ok;
  read_done_ = true;
}

void StreamCall::OnWriteDone(bool ok) {
  absl::MutexLock lock(&mutex_);
  write_ok_ = ok;
  writing_ = false;
}

void StreamCall::OnWritesDoneDone(bool ok) {}

void StreamCall::OnDone(const grpc::Status& status) {
  absl::MutexLock lock(&mutex_);
  status_ = status;
  // Unblocks a wait for metadata that will never come.
  metadata_done_ = true;
  done_ = true;
}

}  // namespace opinia::http
