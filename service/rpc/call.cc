#include "service/rpc/call.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
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

grpc::Status AdmitCaller(const std::optional<std::string>& authorization,
                         const Deps& deps, core::Principal* caller) {
  absl::StatusOr<core::Principal> principal =
      Authenticate(authorization, *deps.auth);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (grpc::Status limited = TakeRateToken(deps, *principal); !limited.ok()) {
    return limited;
  }
  *caller = *std::move(principal);
  return grpc::Status::OK;
}

grpc::Status OverloadedStatus() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "server overloaded; retry with backoff");
}

grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context,
                                   const Deps& deps, Body body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const Deps* d = &deps;
  bool queued = deps.pool->Submit([context, reactor, d, body = std::move(body)] {
    core::Principal caller;
    if (grpc::Status refused = AdmitCaller(AuthorizationHeader(*context), *d,
                                             &caller);
        !refused.ok()) {
      return reactor->Finish(refused);
    }
    reactor->Finish(ToGrpcStatus(body(caller)));
  });
  if (!queued) reactor->Finish(OverloadedStatus());
  return reactor;
}

namespace {

// A unary reactor that finishes when LateReply::Send says so, or at once
// when the call is cancelled (deadline included).
class LateReactor final : public grpc::ServerUnaryReactor {
 public:
  class Reply final : public LateReply {
   public:
    explicit Reply(LateReactor* reactor) : reactor_(reactor) {}
    void Send(const absl::Status& status,
              const std::function<void()>& fill = nullptr) override {
      Finish(ToGrpcStatus(status), status.ok() ? fill : nullptr);
    }
    // Finishes the call unless it was finished already.
    void Finish(const grpc::Status& status,
                const std::function<void()>& fill = nullptr) {
      {
        absl::MutexLock lock(&mutex_);
        if (finished_) return;
        finished_ = true;
        if (fill) fill();
      }
      // After this the reactor may be deleted at any time (OnDone).
      reactor_->Finish(status);
    }
    bool finished() const {
      absl::MutexLock lock(&mutex_);
      return finished_;
    }

   private:
    LateReactor* const reactor_;
    mutable absl::Mutex mutex_;
    bool finished_ ABSL_GUARDED_BY(mutex_) = false;
  };

  explicit LateReactor(const grpc::CallbackServerContext& context)
      : reply_(std::make_shared<Reply>(this)),
        deadline_(absl::FromChrono(context.deadline())) {}

  const std::shared_ptr<Reply>& reply() const { return reply_; }

  void OnCancel() override {
    std::shared_ptr<Reply> reply = reply_;  // OnDone may delete *this
    const bool expired = absl::Now() >= deadline_;
    reply->Finish(grpc::Status(
        expired ? grpc::StatusCode::DEADLINE_EXCEEDED
                : grpc::StatusCode::CANCELLED,
        expired ? "deadline exceeded; the work goes on in the background"
                : "cancelled; the work goes on in the background"));
  }
  void OnDone() override { delete this; }

 private:
  const std::shared_ptr<Reply> reply_;
  const absl::Time deadline_;
};

}  // namespace

grpc::ServerUnaryReactor* RunUnaryLater(grpc::CallbackServerContext* context,
                                        const Deps& deps, LateBody body) {
  auto* reactor = new LateReactor(*context);
  std::shared_ptr<LateReactor::Reply> reply = reactor->reply();
  const Deps* d = &deps;
  // The context may be gone when the task runs (a call cancelled while
  // queued ends at once): copy what the task needs.
  bool queued = deps.pool->Submit(
      [reply, d, authorization = AuthorizationHeader(*context),
       body = std::move(body)] {
        if (reply->finished()) return;
        core::Principal caller;
        if (grpc::Status refused = AdmitCaller(authorization, *d, &caller);
            !refused.ok()) {
          return reply->Finish(refused);
        }
        body(caller, reply);
      });
  if (!queued) reply->Finish(OverloadedStatus());
  return reactor;
}

}  // namespace opinia::rpc
