// ReviewService. IngestReviews and StreamIngestReviews take raw bytes (see
// raw_ingest.proto) so that invalid UTF-8 becomes a per-item REJECTED.
//
// Who may call what: service/core/auth/authorization.h.
#ifndef OPINIA_SERVICE_RPC_REVIEW_SERVICE_H_
#define OPINIA_SERVICE_RPC_REVIEW_SERVICE_H_

#include "opinia/v1/reviews.grpc.pb.h"
#include "service/rpc/deps.h"

namespace opinia::rpc {

namespace internal {
using v1::ReviewService;
using ReviewServiceBase = ReviewService::WithRawCallbackMethod_IngestReviews<
    ReviewService::WithRawCallbackMethod_StreamIngestReviews<
        ReviewService::WithCallbackMethod_GetReview<
            ReviewService::WithCallbackMethod_ListReviews<
                ReviewService::WithCallbackMethod_UpdateReview<
                    ReviewService::WithCallbackMethod_DeleteReview<
                        ReviewService::WithCallbackMethod_AnalyzeText<
                            ReviewService::WithCallbackMethod_RecordResponse<
                                ReviewService::WithCallbackMethod_DeleteResponse<
                                    ReviewService::
                                        WithCallbackMethod_RequestReviewRemoval<
                                            ReviewService::Service>>>>>>>>>>;
}  // namespace internal

class ReviewServiceImpl final : public internal::ReviewServiceBase {
 public:
  // Items per core ingest batch of StreamIngestReviews.
  static constexpr int kStreamBatch = 500;

  explicit ReviewServiceImpl(Deps deps) : deps_(deps) {}

  grpc::ServerUnaryReactor* IngestReviews(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerReadReactor<grpc::ByteBuffer>* StreamIngestReviews(
      grpc::CallbackServerContext* context,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetReview(
      grpc::CallbackServerContext* context,
      const opinia::v1::GetReviewRequest* request,
      opinia::v1::Review* response) override;
  grpc::ServerUnaryReactor* ListReviews(
      grpc::CallbackServerContext* context,
      const opinia::v1::ListReviewsRequest* request,
      opinia::v1::ListReviewsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateReview(
      grpc::CallbackServerContext* context,
      const opinia::v1::UpdateReviewRequest* request,
      opinia::v1::Review* response) override;
  grpc::ServerUnaryReactor* DeleteReview(
      grpc::CallbackServerContext* context,
      const opinia::v1::DeleteReviewRequest* request,
      opinia::v1::Review* response) override;
  grpc::ServerUnaryReactor* AnalyzeText(
      grpc::CallbackServerContext* context,
      const opinia::v1::AnalyzeTextRequest* request,
      opinia::v1::Analysis* response) override;
  grpc::ServerUnaryReactor* RecordResponse(
      grpc::CallbackServerContext* context,
      const opinia::v1::RecordResponseRequest* request,
      opinia::v1::Review* response) override;
  grpc::ServerUnaryReactor* DeleteResponse(
      grpc::CallbackServerContext* context,
      const opinia::v1::DeleteResponseRequest* request,
      opinia::v1::Review* response) override;
  grpc::ServerUnaryReactor* RequestReviewRemoval(
      grpc::CallbackServerContext* context,
      const opinia::v1::RequestReviewRemovalRequest* request,
      opinia::v1::Review* response) override;

 private:
  const Deps deps_;
};

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_REVIEW_SERVICE_H_
