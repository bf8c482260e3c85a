#include "service/rpc/collector_service.h"

#include "service/rpc/call.h"

namespace opinia::rpc {

using core::Principal;

OPINIA_UNARY_HANDLER(CollectorServiceImpl, CreateCollector,
                     CreateCollectorRequest, Collector,
                     collectors_->Create(caller, *request))
OPINIA_UNARY_HANDLER(CollectorServiceImpl, GetCollector, GetCollectorRequest,
                     Collector, collectors_->Get(caller, *request))
OPINIA_UNARY_HANDLER(CollectorServiceImpl, ListCollectors,
                     ListCollectorsRequest, ListCollectorsResponse,
                     collectors_->List(caller, *request))
OPINIA_UNARY_HANDLER(CollectorServiceImpl, UpdateCollector,
                     UpdateCollectorRequest, Collector,
                     collectors_->Update(caller, *request))

grpc::ServerUnaryReactor* CollectorServiceImpl::DeleteCollector(
    grpc::CallbackServerContext* context,
    const opinia::v1::DeleteCollectorRequest* request,
    opinia::v1::DeleteCollectorResponse* /*response*/) {
  return RunUnary(context, deps_, [this, request](const Principal& p) {
    return collectors_->Delete(p, *request);
  });
}

grpc::ServerUnaryReactor* CollectorServiceImpl::RunCollector(
    grpc::CallbackServerContext* context,
    const opinia::v1::RunCollectorRequest* request,
    opinia::v1::RunCollectorResponse* response) {
  // The run goes to core's executor; the call waits for it without holding
  // a worker, and ends at the caller's deadline while the run goes on.
  return RespondLater(
      context, deps_, response,
      [this, request = *request](const Principal& p,
                                 core::collectors::Collectors::RunDone done) {
        collectors_->RunAsync(p, request, std::move(done));
      });
}

}  // namespace opinia::rpc
