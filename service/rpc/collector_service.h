// CollectorService placeholder: every method authenticates, then answers
// UNIMPLEMENTED until the collectors issue builds it.
#ifndef OPINIA_SERVICE_RPC_COLLECTOR_SERVICE_H_
#define OPINIA_SERVICE_RPC_COLLECTOR_SERVICE_H_

#include "opinia/v1/collectors.grpc.pb.h"
#include "service/rpc/deps.h"
#include "service/rpc/unimplemented.h"

namespace opinia::rpc {

class CollectorServiceImpl final
    : public opinia::v1::CollectorService::CallbackService {
 public:
  explicit CollectorServiceImpl(Deps deps) : deps_(deps) {}

#define OPINIA_COLLECTORS(M, Req, Resp) \
  OPINIA_UNIMPLEMENTED_UNARY(M, opinia::v1::Req, opinia::v1::Resp, "collectors")
  OPINIA_COLLECTORS(CreateCollector, CreateCollectorRequest, Collector)
  OPINIA_COLLECTORS(GetCollector, GetCollectorRequest, Collector)
  OPINIA_COLLECTORS(ListCollectors, ListCollectorsRequest, ListCollectorsResponse)
  OPINIA_COLLECTORS(UpdateCollector, UpdateCollectorRequest, Collector)
  OPINIA_COLLECTORS(DeleteCollector, DeleteCollectorRequest, DeleteCollectorResponse)
  OPINIA_COLLECTORS(RunCollector, RunCollectorRequest, RunCollectorResponse)
#undef OPINIA_COLLECTORS

 private:
  const Deps deps_;
};

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_COLLECTOR_SERVICE_H_
