// AlertService placeholder: every method authenticates, then answers
// UNIMPLEMENTED until the alerts issue builds it.
#ifndef OPINIA_SERVICE_RPC_ALERT_SERVICE_H_
#define OPINIA_SERVICE_RPC_ALERT_SERVICE_H_

#include "opinia/v1/alerts.grpc.pb.h"
#include "service/rpc/deps.h"
#include "service/rpc/unimplemented.h"

namespace opinia::rpc {

class AlertServiceImpl final : public opinia::v1::AlertService::CallbackService {
 public:
  explicit AlertServiceImpl(Deps deps) : deps_(deps) {}

  grpc::ServerWriteReactor<opinia::v1::AlertEvent>* StreamAlerts(
      grpc::CallbackServerContext* context,
      const opinia::v1::StreamAlertsRequest* request) override;

#define OPINIA_ALERTS(M, Req, Resp) \
  OPINIA_UNIMPLEMENTED_UNARY(M, opinia::v1::Req, opinia::v1::Resp, "alerts")
  OPINIA_ALERTS(ListAlerts, ListAlertsRequest, ListAlertsResponse)
  OPINIA_ALERTS(GetAlert, GetAlertRequest, Alert)
  OPINIA_ALERTS(AcknowledgeAlert, AcknowledgeAlertRequest, Alert)
  OPINIA_ALERTS(ResolveAlert, ResolveAlertRequest, Alert)
  OPINIA_ALERTS(SnoozeAlert, SnoozeAlertRequest, Alert)
  OPINIA_ALERTS(CreateAlertRule, CreateAlertRuleRequest, AlertRule)
  OPINIA_ALERTS(GetAlertRule, GetAlertRuleRequest, AlertRule)
  OPINIA_ALERTS(ListAlertRules, ListAlertRulesRequest, ListAlertRulesResponse)
  OPINIA_ALERTS(UpdateAlertRule, UpdateAlertRuleRequest, AlertRule)
  OPINIA_ALERTS(DeleteAlertRule, DeleteAlertRuleRequest, DeleteResponse)
  OPINIA_ALERTS(CreateWebhook, CreateWebhookRequest, Webhook)
  OPINIA_ALERTS(ListWebhooks, ListWebhooksRequest, ListWebhooksResponse)
  OPINIA_ALERTS(DeleteWebhook, DeleteWebhookRequest, DeleteResponse)
#undef OPINIA_ALERTS

 private:
  const Deps deps_;
};

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_ALERT_SERVICE_H_
