// CollectorService: scheduled pulls of reviews from platforms. Thin:
// authentication here, roles (core/auth/authorization.h), validation and
// the sync in core::collectors::Collectors. RunCollector answers with the
// run's counts when the sync is done, without holding a worker meanwhile
// (the run is on core's executor); at the caller's deadline it answers
// DEADLINE_EXCEEDED and the run goes on, its outcome in the collector's
// state.
#ifndef OPINIA_SERVICE_RPC_COLLECTOR_SERVICE_H_
#define OPINIA_SERVICE_RPC_COLLECTOR_SERVICE_H_

#include "opinia/v1/collectors.grpc.pb.h"
#include "service/core/collectors/collectors.h"
#include "service/rpc/deps.h"

namespace opinia::rpc {

class CollectorServiceImpl final
    : public opinia::v1::CollectorService::CallbackService {
 public:
  // `collectors` must outlive the service.
  CollectorServiceImpl(Deps deps,
                       const core::collectors::Collectors* collectors)
      : deps_(deps), collectors_(collectors) {}

  grpc::ServerUnaryReactor* CreateCollector(
      grpc::CallbackServerContext* context,
      const opinia::v1::CreateCollectorRequest* request,
      opinia::v1::Collector* response) override;
  grpc::ServerUnaryReactor* GetCollector(
      grpc::CallbackServerContext* context,
      const opinia::v1::GetCollectorRequest* request,
      opinia::v1::Collector* response) override;
  grpc::ServerUnaryReactor* ListCollectors(
      grpc::CallbackServerContext* context,
      const opinia::v1::ListCollectorsRequest* request,
      opinia::v1::ListCollectorsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateCollector(
      grpc::CallbackServerContext* context,
      const opinia::v1::UpdateCollectorRequest* request,
      opinia::v1::Collector* response) override;
  grpc::ServerUnaryReactor* DeleteCollector(
      grpc::CallbackServerContext* context,
      const opinia::v1::DeleteCollectorRequest* request,
      opinia::v1::DeleteCollectorResponse* response) override;
  grpc::ServerUnaryReactor* RunCollector(
      grpc::CallbackServerContext* context,
      const opinia::v1::RunCollectorRequest* request,
      opinia::v1::RunCollectorResponse* response) override;

 private:
  const Deps deps_;
  const core::collectors::Collectors* const collectors_;
};

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_COLLECTOR_SERVICE_H_
