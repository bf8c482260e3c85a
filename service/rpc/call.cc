#include "service/rpc/call.h"

#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "service/rpc/rate_limiter.h"

namespace opinia::rpc {

std::optional<std::string> AuthorizationHeader(
    const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return std::nullopt;
  return std::string(it->second.data(), it->second.size());
}

absl::StatusOr<core::Principal> Authenticate(
    const std::optional<std::string>& authorization,
    const core::Authenticator& auth) {
  if (!authorization.has_value()) return auth.Authenticate("");
  const std::string& value = *authorization;
  constexpr std::string_view kBearer = "bearer ";
  if (value.size() <= kBearer.size() ||
      !absl::EqualsIgnoreCase(absl::string_view(value).substr(0, kBearer.size()),
                              absl::string_view(kBearer.data(), kBearer.size()))) {
    return absl::UnauthenticatedError(
        "authorization metadata must be \"Bearer <key>\"");
  }
  std::string secret(absl::StripAsciiWhitespace(
      absl::string_view(value).substr(kBearer.size())));
  return auth.Authenticate(secret);
}

absl::StatusOr<core::Principal> Authenticate(
    const grpc::CallbackServerContext& context,
    const core::Authenticator& auth) {
  return Authenticate(AuthorizationHeader(context), auth);
}

grpc::Status TakeRateToken(const Deps& deps, const core::Principal& caller) {
  if (deps.rate_limiter == nullptr) return grpc::Status::OK;
  const absl::Duration wait =
      deps.rate_limiter->Acquire(caller.key_id, absl::Now());
  return wait > absl::ZeroDuration() ? RateLimitedStatus(wait)
                                     : grpc::Status::OK;
}

grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context,
                                   const Deps& deps, Body body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const Deps* d = &deps;
  bool queued = deps.pool->Submit([context, reactor, d, body = std::move(body)] {
    auto caller = Authenticate(*context, *d->auth);
    if (!caller.ok()) {
      reactor->Finish(ToGrpcStatus(caller.status()));
      return;
    }
    if (grpc::Status limited = TakeRateToken(*d, *caller); !limited.ok()) {
      reactor->Finish(limited);
      return;
    }
    reactor->Finish(ToGrpcStatus(body(*caller)));
  });
  if (!queued) {
    reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                 "server overloaded; retry with backoff"));
  }
  return reactor;
}

}  // namespace opinia::rpc
