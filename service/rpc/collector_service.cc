#include "service/rpc/collector_service.h"

#include "service/rpc/call.h"

namespace opinia::rpc {

using core::Principal;

grpc::ServerUnaryReactor* CollectorServiceImpl::CreateCollector(
    grpc::CallbackServerContext* context,
    const opinia::v1::CreateCollectorRequest* request,
    opinia::v1::Collector* response) {
  return Respond(context, deps_, response, [this, request](const Principal& p) {
    return collectors_->Create(p, *request);
  });
}

grpc::ServerUnaryReactor* CollectorServiceImpl::GetCollector(
    grpc::CallbackServerContext* context,
    const opinia::v1::GetCollectorRequest* request,
    opinia::v1::Collector* response) {
  return Respond(context, deps_, response, [this, request](const Principal& p) {
    return collectors_->Get(p, *request);
  });
}

grpc::ServerUnaryReactor* CollectorServiceImpl::ListCollectors(
    grpc::CallbackServerContext* context,
    const opinia::v1::ListCollectorsRequest* request,
    opinia::v1::ListCollectorsResponse* response) {
  return Respond(context, deps_, response, [this, request](const Principal& p) {
    return collectors_->List(p, *request);
  });
}

grpc::ServerUnaryReactor* CollectorServiceImpl::UpdateCollector(
    grpc::CallbackServerContext* context,
    const opinia::v1::UpdateCollectorRequest* request,
    opinia::v1::Collector* response) {
  return Respond(context, deps_, response, [this, request](const Principal& p) {
    return collectors_->Update(p, *request);
  });
}

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
