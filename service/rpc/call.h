// The shape every unary handler shares: authenticate from the
// "authorization: Bearer <key>" metadata, then run the body on the worker
// pool (never on a gRPC reactor thread) and finish with its status. What
// the caller may do is decided by the core call the body makes.
#ifndef OPINIA_SERVICE_RPC_CALL_H_
#define OPINIA_SERVICE_RPC_CALL_H_

#include <functional>
#include <memory>
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
#include "util/status_macros.h"

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

// Takes one token of the caller's key from the rate limiter: OK, or
// RESOURCE_EXHAUSTED with google.rpc.RetryInfo (rate_limiter.h). Every call
// and stream open takes one, and so does every message of an ingest stream.
grpc::Status TakeRateToken(const Deps& deps, const core::Principal& caller);

// The prologue of every call and stream open: authenticates the key in
// `authorization` (AuthorizationHeader) and takes its rate token. OK with
// `*caller` set, or the status to finish the call with.
grpc::Status AdmitCaller(const std::optional<std::string>& authorization,
                         const Deps& deps, core::Principal* caller);

// UNAVAILABLE (retryable): the worker pool's queue is full.
grpc::Status OverloadedStatus();

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
                    ASSIGN_OR_RETURN(*response, fn(caller));
                    return absl::OkStatus();
                  });
}

// Defines the handler `Impl::Method` of a unary method (request `Req`,
// response `Resp`, both in opinia.v1) that makes one call into core:
// `expr`, an absl::StatusOr<Resp> of `caller` (the core::Principal) and
// `request`, run by Respond. `Impl` holds `deps_`.
#define OPINIA_UNARY_HANDLER(Impl, Method, Req, Resp, expr)                    \
  grpc::ServerUnaryReactor* Impl::Method(grpc::CallbackServerContext* context, \
                                         const ::opinia::v1::Req* request,     \
                                         ::opinia::v1::Resp* response) {       \
    return ::opinia::rpc::Respond(                                             \
        context, deps_, response,                                              \
        [this, request](const ::opinia::core::Principal& caller)               \
            -> absl::StatusOr<::opinia::v1::Resp> { return expr; });           \
  }

// The answer of a call whose work finishes later on another thread (a
// collector run on core's OutboundExecutor), so that no worker waits for
// it. Thread-safe; Send takes effect once. When the client cancels or its
// deadline passes first, the call has already ended (CANCELLED or
// DEADLINE_EXCEEDED) and Send does nothing: `fill` never touches a
// response that is gone.
class LateReply {
 public:
  virtual ~LateReply() = default;
  // Finishes the call with `status`; runs `fill` (writes the response)
  // first when the status is OK and the call is still open.
  virtual void Send(const absl::Status& status,
                    const std::function<void()>& fill = nullptr) = 0;
};

using LateBody = std::function<void(const core::Principal&,
                                    std::shared_ptr<LateReply> reply)>;

// RunUnary for a body that only starts the work: authentication and the
// rate limit on the worker pool as for RunUnary, then `body`, which hands
// `reply` to whatever finishes the work.
grpc::ServerUnaryReactor* RunUnaryLater(grpc::CallbackServerContext* context,
                                        const Deps& deps, LateBody body);

// RunUnaryLater for core's asynchronous calls: `fn(caller, done)` starts the
// work and `done(absl::StatusOr<Response>)` answers, from any thread.
template <typename Response, typename Fn>
grpc::ServerUnaryReactor* RespondLater(grpc::CallbackServerContext* context,
                                       const Deps& deps, Response* response,
                                       Fn fn) {
  return RunUnaryLater(
      context, deps,
      [response, fn = std::move(fn)](const core::Principal& caller,
                                     std::shared_ptr<LateReply> reply) {
        fn(caller, [response, reply](absl::StatusOr<Response> result) {
          if (!result.ok()) return reply->Send(result.status());
          reply->Send(absl::OkStatus(),
                      [&] { *response = *std::move(result); });
        });
      });
}

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_CALL_H_
