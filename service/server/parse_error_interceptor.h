// gRPC C++ answers a request whose bytes do not parse as the method's
// request message with UNIMPLEMENTED and no message, which tells a client
// the method does not exist. This server interceptor turns exactly that case
// (a method of our protos, UNIMPLEMENTED, empty message) into
// INVALID_ARGUMENT naming the request type, as AIP-193 asks; unknown methods
// keep their UNIMPLEMENTED.
#ifndef OPINIA_SERVICE_SERVER_PARSE_ERROR_INTERCEPTOR_H_
#define OPINIA_SERVICE_SERVER_PARSE_ERROR_INTERCEPTOR_H_

#include <memory>

#include "grpcpp/support/server_interceptor.h"

namespace opinia::server {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewParseErrorInterceptorFactory();

}  // namespace opinia::server

#endif  // OPINIA_SERVICE_SERVER_PARSE_ERROR_INTERCEPTOR_H_
