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

OPINIA_UNARY_HANDLER(ReviewServiceImpl, GetReview, GetReviewRequest, Review,
                     deps_.reviews->Get(caller, request->name()))
OPINIA_UNARY_HANDLER(ReviewServiceImpl, ListReviews, ListReviewsRequest,
                     ListReviewsResponse, deps_.reviews->List(caller, *request))
OPINIA_UNARY_HANDLER(ReviewServiceImpl, UpdateReview, UpdateReviewRequest,
                     Review, deps_.reviews->Update(caller, *request))
OPINIA_UNARY_HANDLER(ReviewServiceImpl, DeleteReview, DeleteReviewRequest,
                     Review, deps_.reviews->Delete(caller, request->name()))
OPINIA_UNARY_HANDLER(
    ReviewServiceImpl, AnalyzeText, AnalyzeTextRequest, Analysis,
    deps_.analysis->AnalyzeText(caller, *request,
                                deps_.ingestor->limits().max_text_bytes,
                                deps_.clock->Now()))
OPINIA_UNARY_HANDLER(ReviewServiceImpl, RecordResponse, RecordResponseRequest,
                     Review, deps_.reviews->RecordResponse(caller, *request))
OPINIA_UNARY_HANDLER(ReviewServiceImpl, DeleteResponse, DeleteResponseRequest,
                     Review,
                     deps_.reviews->DeleteResponse(caller, request->name()))
grpc::ServerUnaryReactor* ReviewServiceImpl::RequestReviewRemoval(
    grpc::CallbackServerContext* context,
    const opinia::v1::RequestReviewRemovalRequest* request,
    opinia::v1::Review* response) {
  // The platform's answer comes on core's outbound executor; the call waits
  // for it without holding a worker (as RunCollector does).
  return RespondLater(
      context, deps_, response,
      [this, request = *request](
          const Principal& caller,
          core::collectors::ReviewRemovals::Done done) {
        if (deps_.removals == nullptr) {
          return done(absl::FailedPreconditionError(
              "removal requests are not served by this server"));
        }
        deps_.removals->RequestAsync(caller, request, std::move(done));
      });
}

}  // namespace opinia::rpc
