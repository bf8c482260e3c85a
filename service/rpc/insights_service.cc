#include "service/rpc/insights_service.h"

#include "service/rpc/call.h"

namespace opinia::rpc {

using core::Principal;
using core::kRoleRead;

namespace {

absl::Status CheckReady(const Deps& deps, const Principal& caller) {
  if (auto s = core::RequireTenantRole(caller, kRoleRead); !s.ok()) return s;
  if (deps.insights == nullptr) {
    return absl::UnimplementedError("insights are not configured");
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* InsightsServiceImpl::GetReputationSummary(
    grpc::CallbackServerContext* context,
    const opinia::v1::SummaryRequest* request,
    opinia::v1::ReputationSummary* response) {
  return Respond(context, deps_, response,
                 [this, request](const Principal& caller)
                     -> absl::StatusOr<opinia::v1::ReputationSummary> {
                   if (auto s = CheckReady(deps_, caller); !s.ok()) return s;
                   return deps_.insights->Summary(caller.tenant_id, *request);
                 });
}

grpc::ServerUnaryReactor* InsightsServiceImpl::GetTrends(
    grpc::CallbackServerContext* context,
    const opinia::v1::TrendsRequest* request, opinia::v1::Trends* response) {
  return Respond(context, deps_, response,
                 [this, request](const Principal& caller)
                     -> absl::StatusOr<opinia::v1::Trends> {
                   if (auto s = CheckReady(deps_, caller); !s.ok()) return s;
                   return deps_.insights->Trends(caller.tenant_id, *request);
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
        if (auto s = CheckReady(deps_, caller); !s.ok()) return s;
        return deps_.insights->AspectInsights(caller.tenant_id, *request);
      });
}

}  // namespace opinia::rpc
