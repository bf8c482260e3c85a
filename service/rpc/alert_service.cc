#include "service/rpc/alert_service.h"

#include "service/rpc/status.h"

namespace opinia::rpc {
namespace {

// Authenticates on the pool, then finishes the stream without messages.
class UnimplementedStream final
    : public grpc::ServerWriteReactor<opinia::v1::AlertEvent> {
 public:
  UnimplementedStream(grpc::CallbackServerContext* context, const Deps* deps) {
    bool queued = deps->pool->Submit([this, context, deps] {
      auto caller = Authenticate(*context, *deps->auth);
      Finish(ToGrpcStatus(
          caller.ok() ? absl::UnimplementedError(
                            "StreamAlerts is not implemented yet; planned by "
                            "the alerts issue")
                      : caller.status()));
    });
    if (!queued) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "server overloaded; retry with backoff"));
    }
  }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerWriteReactor<opinia::v1::AlertEvent>* AlertServiceImpl::StreamAlerts(
    grpc::CallbackServerContext* context,
    const opinia::v1::StreamAlertsRequest* /*request*/) {
  return new UnimplementedStream(context, &deps_);
}

}  // namespace opinia::rpc
