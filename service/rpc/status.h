// The one absl::Status -> grpc::Status mapping of the server.
#ifndef OPINIA_SERVICE_RPC_STATUS_H_
#define OPINIA_SERVICE_RPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace opinia::rpc {

// Same code (the canonical codes coincide), same message.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_STATUS_H_
