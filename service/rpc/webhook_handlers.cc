// AlertService's webhook methods (CreateWebhook, ListWebhooks,
// DeleteWebhook): thin handlers over core::Webhooks, which authorizes the
// caller (core/auth/authorization.h) and checks the tenant scope and the
// fields. Kept apart from alert_service.cc so the two parts of AlertService
// evolve independently.
#include "service/rpc/alert_service.h"
#include "service/rpc/call.h"

namespace opinia::rpc {

grpc::ServerUnaryReactor* AlertServiceImpl::CreateWebhook(
    grpc::CallbackServerContext* context,
    const opinia::v1::CreateWebhookRequest* request,
    opinia::v1::Webhook* response) {
  return Respond(context, deps_, response,
                 [this, request](const core::Principal& caller)
                     -> absl::StatusOr<opinia::v1::Webhook> {
                   return deps_.webhooks->Create(caller, *request);
                 });
}

grpc::ServerUnaryReactor* AlertServiceImpl::ListWebhooks(
    grpc::CallbackServerContext* context,
    const opinia::v1::ListWebhooksRequest* request,
    opinia::v1::ListWebhooksResponse* response) {
  return Respond(context, deps_, response,
                 [this, request](const core::Principal& caller)
                     -> absl::StatusOr<opinia::v1::ListWebhooksResponse> {
                   return deps_.webhooks->List(caller, *request);
                 });
}

grpc::ServerUnaryReactor* AlertServiceImpl::DeleteWebhook(
    grpc::CallbackServerContext* context,
    const opinia::v1::DeleteWebhookRequest* request,
    opinia::v1::DeleteResponse* response) {
  return Respond(context, deps_, response,
                 [this, request](const core::Principal& caller)
                     -> absl::StatusOr<opinia::v1::DeleteResponse> {
                   return deps_.webhooks->Delete(caller, *request);
                 });
}

}  // namespace opinia::rpc
