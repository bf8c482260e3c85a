// AlertService's webhook methods (CreateWebhook, ListWebhooks,
// DeleteWebhook): thin handlers over core::Webhooks, which authorizes the
// caller (core/auth/authorization.h) and checks the tenant scope and the
// fields. Kept apart from alert_service.cc so the two parts of AlertService
// evolve independently.
#include "service/rpc/alert_service.h"
#include "service/rpc/call.h"

namespace opinia::rpc {

OPINIA_UNARY_HANDLER(AlertServiceImpl, CreateWebhook, CreateWebhookRequest,
                     Webhook, deps_.webhooks->Create(caller, *request))
OPINIA_UNARY_HANDLER(AlertServiceImpl, ListWebhooks, ListWebhooksRequest,
                     ListWebhooksResponse,
                     deps_.webhooks->List(caller, *request))
OPINIA_UNARY_HANDLER(AlertServiceImpl, DeleteWebhook, DeleteWebhookRequest,
                     DeleteResponse, deps_.webhooks->Delete(caller, *request))

}  // namespace opinia::rpc
