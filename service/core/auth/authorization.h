// Which keys may do what: the one authorization table of the API.
//
// Every core entry point that serves an API method takes the caller's
// Principal and starts with Authorize(caller, Action::k...), so the gRPC
// front cannot reach tenant data without a verified caller and never decides
// a role itself. A new method adds its Action and its row here.
#ifndef OPINIA_SERVICE_CORE_AUTH_AUTHORIZATION_H_
#define OPINIA_SERVICE_CORE_AUTH_AUTHORIZATION_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "service/core/auth/auth.h"

namespace opinia::core {

// One per API method (streams included), named after it.
enum class Action {
  // ReviewService
  kIngestReviews,  // also StreamIngestReviews
  kGetReview,
  kListReviews,
  kUpdateReview,
  kDeleteReview,
  kAnalyzeText,
  kRecordResponse,
  kDeleteResponse,
  kRequestReviewRemoval,
  // InsightsService
  kGetReputationSummary,
  kGetTrends,
  kListAspectInsights,
  // AlertService
  kStreamAlerts,
  kListAlerts,
  kGetAlert,
  kAcknowledgeAlert,
  kResolveAlert,
  kSnoozeAlert,
  kCreateAlertRule,
  kGetAlertRule,
  kListAlertRules,
  kUpdateAlertRule,
  kDeleteAlertRule,
  kCreateWebhook,
  kListWebhooks,
  kDeleteWebhook,
  // CollectorService
  kCreateCollector,
  kGetCollector,
  kListCollectors,
  kUpdateCollector,
  kDeleteCollector,
  kRunCollector,
  // AdminService
  kCreateTenant,
  kListTenants,
  kCreateApiKey,
  kListApiKeys,
  kRevokeApiKey,
  kRescoreReviews,
  kGetTenantSettings,
  kUpdateTenantSettings,
  kGetCallerApiKey,
};

// Which keys an action admits, besides holding the role.
enum class Keys {
  kTenant,    // tenant keys only: operator keys hold no tenant data
  kAny,       // tenant and operator keys (the action scopes by tenant)
  kOperator,  // operator keys only
};

struct Rule {
  Action action;
  const char* name;  // the API method, for tests
  uint32_t role;          // a kRole* bit the key must hold
  Keys keys;
  const char* operator_only = "";  // kOperator: the denial for tenant keys
};

// Every row, in Action order.
absl::Span<const Rule> AuthorizationTable();
const Rule& RuleFor(Action action);

// PERMISSION_DENIED with the reason when the rule of `action` does not admit
// `caller`: "this key lacks the <role> role" is checked first, then the kind
// of key.
absl::Status Authorize(const Principal& caller, Action action);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_AUTH_AUTHORIZATION_H_
