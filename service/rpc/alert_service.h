// AlertService: thin callback handlers over core::Alerts (rules, workflow)
// and the StreamAlerts reactor (alert_stream.h). Who may call what:
// service/core/auth/authorization.h.
#ifndef OPINIA_SERVICE_RPC_ALERT_SERVICE_H_
#define OPINIA_SERVICE_RPC_ALERT_SERVICE_H_

#include "opinia/v1/alerts.grpc.pb.h"
#include "service/rpc/deps.h"

namespace opinia::rpc {

class AlertServiceImpl final : public opinia::v1::AlertService::CallbackService {
 public:
  explicit AlertServiceImpl(Deps deps) : deps_(deps) {}

  grpc::ServerWriteReactor<opinia::v1::AlertEvent>* StreamAlerts(
      grpc::CallbackServerContext* context,
      const opinia::v1::StreamAlertsRequest* request) override;

#define OPINIA_ALERT_METHOD(M, Req, Resp)                                \
  grpc::ServerUnaryReactor* M(grpc::CallbackServerContext* context,     \
                              const opinia::v1::Req* request,           \
                              opinia::v1::Resp* response) override;
  OPINIA_ALERT_METHOD(ListAlerts, ListAlertsRequest, ListAlertsResponse)
  OPINIA_ALERT_METHOD(GetAlert, GetAlertRequest, Alert)
  OPINIA_ALERT_METHOD(AcknowledgeAlert, AcknowledgeAlertRequest, Alert)
  OPINIA_ALERT_METHOD(ResolveAlert, ResolveAlertRequest, Alert)
  OPINIA_ALERT_METHOD(SnoozeAlert, SnoozeAlertRequest, Alert)
  OPINIA_ALERT_METHOD(CreateAlertRule, CreateAlertRuleRequest, AlertRule)
  OPINIA_ALERT_METHOD(GetAlertRule, GetAlertRuleRequest, AlertRule)
  OPINIA_ALERT_METHOD(ListAlertRules, ListAlertRulesRequest,
                      ListAlertRulesResponse)
  OPINIA_ALERT_METHOD(UpdateAlertRule, UpdateAlertRuleRequest, AlertRule)
  OPINIA_ALERT_METHOD(DeleteAlertRule, DeleteAlertRuleRequest, DeleteResponse)
#undef OPINIA_ALERT_METHOD

  // Webhooks: defined in webhook_handlers.cc (over core::Webhooks).
  grpc::ServerUnaryReactor* CreateWebhook(
      grpc::CallbackServerContext* context,
      const opinia::v1::CreateWebhookRequest* request,
      opinia::v1::Webhook* response) override;
  grpc::ServerUnaryReactor* ListWebhooks(
      grpc::CallbackServerContext* context,
      const opinia::v1::ListWebhooksRequest* request,
      opinia::v1::ListWebhooksResponse* response) override;
  grpc::ServerUnaryReactor* DeleteWebhook(
      grpc::CallbackServerContext* context,
      const opinia::v1::DeleteWebhookRequest* request,
      opinia::v1::DeleteResponse* response) override;

 private:
  const Deps deps_;
};

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_ALERT_SERVICE_H_
