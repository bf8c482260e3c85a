// InsightsService placeholder: every method authenticates, then answers
// UNIMPLEMENTED until the insights issue builds it.
#ifndef OPINIA_SERVICE_RPC_INSIGHTS_SERVICE_H_
#define OPINIA_SERVICE_RPC_INSIGHTS_SERVICE_H_

#include "opinia/v1/insights.grpc.pb.h"
#include "service/rpc/deps.h"
#include "service/rpc/unimplemented.h"

namespace opinia::rpc {

class InsightsServiceImpl final
    : public opinia::v1::InsightsService::CallbackService {
 public:
  explicit InsightsServiceImpl(Deps deps) : deps_(deps) {}

  OPINIA_UNIMPLEMENTED_UNARY(GetReputationSummary, opinia::v1::SummaryRequest,
                             opinia::v1::ReputationSummary, "insights")
  OPINIA_UNIMPLEMENTED_UNARY(GetTrends, opinia::v1::TrendsRequest,
                             opinia::v1::Trends, "insights")
  OPINIA_UNIMPLEMENTED_UNARY(ListAspectInsights, opinia::v1::SummaryRequest,
                             opinia::v1::ListAspectInsightsResponse,
                             "insights")

 private:
  const Deps deps_;
};

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_INSIGHTS_SERVICE_H_
