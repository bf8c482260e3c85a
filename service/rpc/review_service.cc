#include "service/rpc/review_service.h"

#include <vector>

#include "service/rpc/call.h"
#include "service/rpc/raw_ingest.h"
#include "service/rpc/stream_ingest.h"

namespace opinia::rpc {

using core::Principal;

grpc::ServerUnaryReactor* ReviewServiceImpl::IngestReviews(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  // The ByteBuffer is read on the worker; gRPC keeps it alive until Finish.
  auto* buffer = const_cast<grpc::ByteBuffer*>(request);
  return RunUnary(
      context, deps_,
      [this, buffer, response](const Principal& caller) -> absl::Status {
        ASSIGN_OR_RETURN(auto session, deps_.ingestor->Open(caller));
        ASSIGN_OR_RETURN(auto inputs, ParseIngestRequest(buffer));
        ASSIGN_OR_RETURN(auto results, session.Ingest(inputs));
        opinia::v1::IngestReviewsResponse reply;
        for (auto& r : results) *reply.add_results() = std::move(r);
        SerializeTo(reply, response);
        return absl::OkStatus();
      });
}

grpc::ServerReadReactor<grpc::ByteBuffer>*
ReviewServiceImpl::StreamIngestReviews(grpc::CallbackServerContext* context,
                                       grpc::ByteBuffer* response) {
  return new StreamIngestReactor(context, &deps_, response, kStreamBatch);
}

grpc::ServerUnaryReactor* ReviewServiceImpl::GetReview(
    grpc::CallbackServerContext* context,
    const opinia::v1::GetReviewRequest* request,
    opinia::v1::Review* response) {
  return Respond(context, deps_, response,
                 [this, request](const Principal& caller)
                     -> absl::StatusOr<opinia::v1::Review> {
                   return deps_.reviews->Get(caller, request->name());
                 });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::ListReviews(
    grpc::CallbackServerContext* context,
    const opinia::v1::ListReviewsRequest* request,
    opinia::v1::ListReviewsResponse* response) {
  return Respond(context, deps_, response,
                 [this, request](const Principal& caller)
                     -> absl::StatusOr<opinia::v1::ListReviewsResponse> {
                   return deps_.reviews->List(caller, *request);
                 });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::UpdateReview(
    grpc::CallbackServerContext* context,
    const opinia::v1::UpdateReviewRequest* request,
    opinia::v1::Review* response) {
  return Respond(context, deps_, response,
                 [this, request](const Principal& caller)
                     -> absl::StatusOr<opinia::v1::Review> {
                   return deps_.reviews->Update(caller, *request);
                 });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::DeleteReview(
    grpc::CallbackServerContext* context,
    const opinia::v1::DeleteReviewRequest* request,
    opinia::v1::Review* response) {
  return Respond(context, deps_, response,
                 [this, request](const Principal& caller)
                     -> absl::StatusOr<opinia::v1::Review> {
                   return deps_.reviews->Delete(caller, request->name());
                 });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::AnalyzeText(
    grpc::CallbackServerContext* context,
    const opinia::v1::AnalyzeTextRequest* request,
    opinia::v1::Analysis* response) {
  return Respond(context, deps_, response,
                 [this, request](const Principal& caller)
                     -> absl::StatusOr<opinia::v1::Analysis> {
                   return deps_.analysis->AnalyzeText(
                       caller, *request, deps_.ingestor->limits().max_text_bytes,
                       deps_.clock->Now());
                 });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::RecordResponse(
    grpc::CallbackServerContext* context,
    const opinia::v1::RecordResponseRequest* request,
    opinia::v1::Review* response) {
  return Respond(context, deps_, response,
                 [this, request](const Principal& caller)
                     -> absl::StatusOr<opinia::v1::Review> {
                   return deps_.reviews->RecordResponse(caller,
                                                        *request);
                 });
}

}  // namespace opinia::rpc
