#include "service/rpc/insights_service.h"

#include "service/rpc/call.h"

namespace opinia::rpc {

using core::Principal;
grpc::ServerUnaryReactor* InsightsServiceImpl::GetReputationSummary(
    grpc::CallbackServerContext* context,
    const opinia::v1::SummaryRequest* request,
    opinia::v1::ReputationSummary* response) {
  return Respond(context, deps_, response,
                 [this, request](const Principal& caller)
                     -> absl::StatusOr<opinia::v1::ReputationSummary> {
                   return deps_.insights->Summary(caller, *request);
                 });
}

grpc::ServerUnaryReactor* InsightsServiceImpl::GetTrends(
    grpc::CallbackServerContext* context,
    const opinia::v1::TrendsRequest* request, opinia::v1::Trends* response) {
  return Respond(context, deps_, response,
                 [this, request](const Principal& caller)
                     -> absl::StatusOr<opinia::v1::Trends> {
                   return deps_.insights->Trends(caller, *request);
                 });
}

grpc::ServerUnaryReactor* InsightsServiceImpl::ListAspectInsights(
    grpc::CallbackServerContext* context,
    const opinia::v1::SummaryRequest* request,
    opinia::v1::ListAspectInsightsResponse* response) {
  return Respond(
      context, deps_, response,
      [this, request](const Principal& caller)
          -> absl::StatusOr<opinia::v1::ListAspectInsightsResponse> {
        return deps_.insights->AspectInsights(caller, *request);
      });
}

}  // namespace opinia::rpc
