#include "service/rpc/insights_service.h"

#include "service/rpc/call.h"

namespace opinia::rpc {

OPINIA_UNARY_HANDLER(InsightsServiceImpl, GetReputationSummary, SummaryRequest,
                     ReputationSummary,
                     deps_.insights->Summary(caller, *request))
OPINIA_UNARY_HANDLER(InsightsServiceImpl, GetTrends, TrendsRequest, Trends,
                     deps_.insights->Trends(caller, *request))
OPINIA_UNARY_HANDLER(InsightsServiceImpl, ListAspectInsights, SummaryRequest,
                     ListAspectInsightsResponse,
                     deps_.insights->AspectInsights(caller, *request))

}  // namespace opinia::rpc
