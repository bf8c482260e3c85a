#include "service/rpc/alert_service.h"

#include "service/rpc/alert_stream.h"
#include "service/rpc/call.h"

namespace opinia::rpc {

using core::Principal;

grpc::ServerWriteReactor<opinia::v1::AlertEvent>* AlertServiceImpl::StreamAlerts(
    grpc::CallbackServerContext* context,
    const opinia::v1::StreamAlertsRequest* request) {
  return new AlertStream(context, &deps_, *request);
}

// One handler: one call into core::Alerts.
#define OPINIA_ALERT_HANDLER(M, Req, Resp, expr)                              \
  grpc::ServerUnaryReactor* AlertServiceImpl::M(                              \
      grpc::CallbackServerContext* context, const opinia::v1::Req* request,   \
      opinia::v1::Resp* response) {                                           \
    return Respond(context, deps_, response,                                  \
                   [this, request](const Principal& caller)                   \
                       -> absl::StatusOr<opinia::v1::Resp> {                  \
                     return expr;                                             \
                   });                                                        \
  }

OPINIA_ALERT_HANDLER(ListAlerts, ListAlertsRequest, ListAlertsResponse,
                     deps_.alerts->List(caller, *request))
OPINIA_ALERT_HANDLER(GetAlert, GetAlertRequest, Alert,
                     deps_.alerts->Get(caller, request->name()))
OPINIA_ALERT_HANDLER(AcknowledgeAlert, AcknowledgeAlertRequest, Alert,
                     deps_.alerts->Acknowledge(caller, request->name()))
OPINIA_ALERT_HANDLER(ResolveAlert, ResolveAlertRequest, Alert,
                     deps_.alerts->Resolve(caller, request->name()))
OPINIA_ALERT_HANDLER(SnoozeAlert, SnoozeAlertRequest, Alert,
                     deps_.alerts->Snooze(caller, *request))
OPINIA_ALERT_HANDLER(CreateAlertRule, CreateAlertRuleRequest, AlertRule,
                     deps_.alerts->CreateRule(caller, request->rule()))
OPINIA_ALERT_HANDLER(GetAlertRule, GetAlertRuleRequest, AlertRule,
                     deps_.alerts->GetRule(caller, request->name()))
OPINIA_ALERT_HANDLER(ListAlertRules, ListAlertRulesRequest,
                     ListAlertRulesResponse,
                     deps_.alerts->ListRules(caller, *request))
OPINIA_ALERT_HANDLER(UpdateAlertRule, UpdateAlertRuleRequest, AlertRule,
                     deps_.alerts->UpdateRule(caller, *request))
OPINIA_ALERT_HANDLER(
    DeleteAlertRule, DeleteAlertRuleRequest, DeleteResponse,
    [&]() -> absl::StatusOr<opinia::v1::DeleteResponse> {
      if (auto s = deps_.alerts->DeleteRule(caller, request->name()); !s.ok()) {
        return s;
      }
      return opinia::v1::DeleteResponse();
    }())

#undef OPINIA_ALERT_HANDLER

}  // namespace opinia::rpc
