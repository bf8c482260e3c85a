#include "service/rpc/stream_ingest.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/rpc/call.h"
#include "service/rpc/raw_ingest.h"
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
  Schedule([this] {
    auto caller = Authenticate(*context_, *deps_->auth);
    auto session = caller.ok() ? deps_->ingestor->Open(*caller)
                               : absl::StatusOr<core::Ingestor::Session>(
                                     caller.status());
    if (!session.ok()) {
      End(ToGrpcStatus(session.status()));
      return;
    }
    session_.emplace(*std::move(session));
    Read();
  });
}

void StreamIngestReactor::Schedule(std::function<void()> task) {
  if (!deps_->pool->Submit(std::move(task))) {
    End(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "server overloaded; retry with backoff"));
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
  Finish(status);
}

void StreamIngestReactor::Read() {
  OPINIA_HAPPENS_BEFORE(this);
  StartRead(&message_);
}

void StreamIngestReactor::OnReadDone(bool ok) {
  OPINIA_HAPPENS_AFTER(this);
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
