// Placeholders for services whose issue has not landed yet. The key is still
// checked first (UNAUTHENTICATED without a valid one), then the call answers
// UNIMPLEMENTED naming the issue that will build it.
#ifndef OPINIA_SERVICE_RPC_UNIMPLEMENTED_H_
#define OPINIA_SERVICE_RPC_UNIMPLEMENTED_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/rpc/call.h"

namespace opinia::rpc {

inline grpc::ServerUnaryReactor* Unimplemented(
    grpc::CallbackServerContext* context, const Deps& deps,
    const char* method, const char* issue) {
  std::string message =
      absl::StrCat(method, " is not implemented yet; planned by the ", issue,
                   " issue");
  return RunUnary(context, deps, [message](const core::Principal&) {
    return absl::UnimplementedError(message);
  });
}

// Declares a unary override answering Unimplemented(); for placeholder
// services only, where every method has the same body.
#define OPINIA_UNIMPLEMENTED_UNARY(Method, Request, Response, issue)        \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,   \
                                   const Request*, Response*) override {   \
    return Unimplemented(context, deps_, #Method, issue);                  \
  }

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_UNIMPLEMENTED_H_
