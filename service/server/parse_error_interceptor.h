// gRPC C++ answers a request whose bytes do not parse as the method's
// request message with UNIMPLEMENTED and no message, which tells a client
// the method does not exist. This server interceptor turns exactly that case
// (a method of our protos, UNIMPLEMENTED, empty message) into
// INVALID_ARGUMENT naming the request type, as AIP-193 asks; unknown methods
// keep their UNIMPLEMENTED.
//
// As it sees every call's final status, it also counts the calls that
// failed authentication (UNAUTHENTICATED) or parsing (the case above, and
// strings refused by the UTF-8 check) into a FailedRequestLog.
#ifndef OPINIA_SERVICE_SERVER_PARSE_ERROR_INTERCEPTOR_H_
#define OPINIA_SERVICE_SERVER_PARSE_ERROR_INTERCEPTOR_H_

#include <memory>

#include "grpcpp/support/server_interceptor.h"
#include "service/server/failed_requests.h"

namespace opinia::server {

// `failed` (may be null) must outlive the server.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewParseErrorInterceptorFactory(FailedRequestLog* failed = nullptr);

}  // namespace opinia::server

#endif  // OPINIA_SERVICE_SERVER_PARSE_ERROR_INTERCEPTOR_H_
