#include "service/rpc/alert_service.h"

#include "service/rpc/alert_stream.h"
#include "service/rpc/call.h"

namespace opinia::rpc {

using core::Principal;
using core::kRoleAdmin;
using core::kRoleRead;
using core::kRoleRespond;

grpc::ServerWriteReactor<opinia::v1::AlertEvent>* AlertServiceImpl::StreamAlerts(
    grpc::CallbackServerContext* context,
    const opinia::v1::StreamAlertsRequest* request) {
  return new AlertStream(context, &deps_, *request);
}

// One handler: role check, then one call into core::Alerts.
#define OPINIA_ALERT_HANDLER(M, Req, Resp, role, expr)                        \
  grpc::ServerUnaryReactor* AlertServiceImpl::M(                              \
      grpc::CallbackServerContext* context, const opinia::v1::Req* request,   \
      opinia::v1::Resp* response) {                                           \
    return Respond(context, deps_, response,                                  \
                   [this, request](const Principal& caller)                   \
                       -> absl::StatusOr<opinia::v1::Resp> {                  \
                     if (auto s = core::RequireTenantRole(caller, role);      \
                         !s.ok()) {                                           \
                       return s;                                              \
                     }                                                        \
                     const auto& tenant = caller.tenant_id;                   \
                     (void)tenant;                                            \
                     return expr;                                             \
                   });                                                        \
  }

OPINIA_ALERT_HANDLER(ListAlerts, ListAlertsRequest, ListAlertsResponse,
                     kRoleRead, deps_.alerts->List(tenant, *request))
OPINIA_ALERT_HANDLER(GetAlert, GetAlertRequest, Alert, kRoleRead,
                     deps_.alerts->Get(tenant, request->name()))
OPINIA_ALERT_HANDLER(AcknowledgeAlert, AcknowledgeAlertRequest, Alert,
                     kRoleRespond,
                     deps_.alerts->Acknowledge(tenant, caller.actor(),
                                               request->name()))
OPINIA_ALERT_HANDLER(ResolveAlert, ResolveAlertRequest, Alert, kRoleRespond,
                     deps_.alerts->Resolve(tenant, caller.actor(),
                                           request->name()))
OPINIA_ALERT_HANDLER(SnoozeAlert, SnoozeAlertRequest, Alert, kRoleRespond,
                     deps_.alerts->Snooze(tenant, caller.actor(), *request))
OPINIA_ALERT_HANDLER(CreateAlertRule, CreateAlertRuleRequest, AlertRule,
                     kRoleAdmin,
                     deps_.alerts->CreateRule(tenant, request->rule()))
OPINIA_ALERT_HANDLER(GetAlertRule, GetAlertRuleRequest, AlertRule, kRoleAdmin,
                     deps_.alerts->GetRule(tenant, request->name()))
OPINIA_ALERT_HANDLER(ListAlertRules, ListAlertRulesRequest,
                     ListAlertRulesResponse, kRoleAdmin,
                     deps_.alerts->ListRules(tenant, *request))
OPINIA_ALERT_HANDLER(UpdateAlertRule, UpdateAlertRuleRequest, AlertRule,
                     kRoleAdmin, deps_.alerts->UpdateRule(tenant, *request))
OPINIA_ALERT_HANDLER(
    DeleteAlertRule, DeleteAlertRuleRequest, DeleteResponse, kRoleAdmin,
    [&]() -> absl::StatusOr<opinia::v1::DeleteResponse> {
      if (auto s = deps_.alerts->DeleteRule(tenant, request->name()); !s.ok()) {
        return s;
      }
      return opinia::v1::DeleteResponse();
    }())

#undef OPINIA_ALERT_HANDLER

}  // namespace opinia::rpc
