#include "service/rpc/alert_service.h"

#include "service/rpc/alert_stream.h"
#include "service/rpc/call.h"

namespace opinia::rpc {

grpc::ServerWriteReactor<opinia::v1::AlertEvent>* AlertServiceImpl::StreamAlerts(
    grpc::CallbackServerContext* context,
    const opinia::v1::StreamAlertsRequest* request) {
  return new AlertStream(context, &deps_, *request);
}

OPINIA_UNARY_HANDLER(AlertServiceImpl, ListAlerts, ListAlertsRequest,
                     ListAlertsResponse, deps_.alerts->List(caller, *request))
OPINIA_UNARY_HANDLER(AlertServiceImpl, GetAlert, GetAlertRequest, Alert,
                     deps_.alerts->Get(caller, request->name()))
OPINIA_UNARY_HANDLER(AlertServiceImpl, AcknowledgeAlert,
                     AcknowledgeAlertRequest, Alert,
                     deps_.alerts->Acknowledge(caller, request->name()))
OPINIA_UNARY_HANDLER(AlertServiceImpl, ResolveAlert, ResolveAlertRequest, Alert,
                     deps_.alerts->Resolve(caller, request->name()))
OPINIA_UNARY_HANDLER(AlertServiceImpl, SnoozeAlert, SnoozeAlertRequest, Alert,
                     deps_.alerts->Snooze(caller, *request))
OPINIA_UNARY_HANDLER(AlertServiceImpl, CreateAlertRule, CreateAlertRuleRequest,
                     AlertRule,
                     deps_.alerts->CreateRule(caller, request->rule()))
OPINIA_UNARY_HANDLER(AlertServiceImpl, GetAlertRule, GetAlertRuleRequest,
                     AlertRule, deps_.alerts->GetRule(caller, request->name()))
OPINIA_UNARY_HANDLER(AlertServiceImpl, ListAlertRules, ListAlertRulesRequest,
                     ListAlertRulesResponse,
                     deps_.alerts->ListRules(caller, *request))
OPINIA_UNARY_HANDLER(AlertServiceImpl, UpdateAlertRule, UpdateAlertRuleRequest,
                     AlertRule, deps_.alerts->UpdateRule(caller, *request))
OPINIA_UNARY_HANDLER(
    AlertServiceImpl, DeleteAlertRule, DeleteAlertRuleRequest, DeleteResponse,
    [&]() -> absl::StatusOr<opinia::v1::DeleteResponse> {
      if (auto s = deps_.alerts->DeleteRule(caller, request->name()); !s.ok()) {
        return s;
      }
      return opinia::v1::DeleteResponse();
    }())

}  // namespace opinia::rpc
