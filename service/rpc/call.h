// The shape every unary handler shares: authenticate from the
// "authorization: Bearer <key>" metadata, then run the body on the worker
// pool (never on a gRPC reactor thread) and finish with its status.
#ifndef OPINIA_SERVICE_RPC_CALL_H_
#define OPINIA_SERVICE_RPC_CALL_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "service/core/auth/auth.h"
#include "service/rpc/deps.h"
#include "service/rpc/status.h"

namespace opinia::rpc {

// The key of the call. UNAUTHENTICATED when absent, not a Bearer token,
// unknown or revoked.
absl::StatusOr<core::Principal> Authenticate(
    const grpc::CallbackServerContext& context,
    const core::Authenticator& auth);

// The call's "authorization" metadata, copied; nullopt when absent. For work
// that may run after the call's context is gone (a stream cancelled before
// its first task ran), copy it while the context is valid and authenticate
// the copy with the overload below.
std::optional<std::string> AuthorizationHeader(
    const grpc::CallbackServerContext& context);
absl::StatusOr<core::Principal> Authenticate(
    const std::optional<std::string>& authorization,
    const core::Authenticator& auth);

using Body = std::function<absl::Status(const core::Principal&)>;

// Answers UNAVAILABLE (retryable) when the pool's queue is full.
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context,
                                   const Deps& deps, Body body);

// RunUnary for a body that produces `*response` from core's StatusOr.
template <typename Response, typename Fn>
grpc::ServerUnaryReactor* Respond(grpc::CallbackServerContext* context,
                                  const Deps& deps, Response* response,
                                  Fn fn) {
  return RunUnary(context, deps,
                  [response, fn = std::move(fn)](
                      const core::Principal& caller) -> absl::Status {
                    auto result = fn(caller);
                    if (!result.ok()) return result.status();
                    *response = *std::move(result);
                    return absl::OkStatus();
                  });
}

// Respond for tenant data: the caller's key must belong to a tenant and hold
// `tenant_role` (core::RequireTenantRole) before `fn` runs.
template <typename Response, typename Fn>
grpc::ServerUnaryReactor* Respond(grpc::CallbackServerContext* context,
                                  const Deps& deps, Response* response,
                                  uint32_t tenant_role, Fn fn) {
  return Respond(context, deps, response,
                 [tenant_role, fn = std::move(fn)](const core::Principal& caller)
                     -> absl::StatusOr<Response> {
                   if (auto s = core::RequireTenantRole(caller, tenant_role);
                       !s.ok()) {
                     return s;
                   }
                   return fn(caller);
                 });
}

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_CALL_H_
