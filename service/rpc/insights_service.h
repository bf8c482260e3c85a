// InsightsService: dashboards' summaries, trends and aspect insights, thin
// over core::Insights (semantics and codes in service/core/insights/insights.h).
// The tenant comes from the key; who may call what:
// service/core/auth/authorization.h.
#ifndef OPINIA_SERVICE_RPC_INSIGHTS_SERVICE_H_
#define OPINIA_SERVICE_RPC_INSIGHTS_SERVICE_H_

#include "opinia/v1/insights.grpc.pb.h"
#include "service/rpc/deps.h"

namespace opinia::rpc {

class InsightsServiceImpl final
    : public opinia::v1::InsightsService::CallbackService {
 public:
  explicit InsightsServiceImpl(Deps deps) : deps_(deps) {}

  grpc::ServerUnaryReactor* GetReputationSummary(
      grpc::CallbackServerContext* context,
      const opinia::v1::SummaryRequest* request,
      opinia::v1::ReputationSummary* response) override;
  grpc::ServerUnaryReactor* GetTrends(
      grpc::CallbackServerContext* context,
      const opinia::v1::TrendsRequest* request,
      opinia::v1::Trends* response) override;
  grpc::ServerUnaryReactor* ListAspectInsights(
      grpc::CallbackServerContext* context,
      const opinia::v1::SummaryRequest* request,
      opinia::v1::ListAspectInsightsResponse* response) override;

 private:
  const Deps deps_;
};

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_INSIGHTS_SERVICE_H_
