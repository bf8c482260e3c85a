#include "service/core/auth/authorization.h"

#include <array>

#include "absl/strings/str_cat.h"

namespace opinia::core {
namespace {

absl::Status Require(const Principal& principal, uint32_t role) {
  if (principal.has(role)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("this key lacks the ", RoleName(role), " role"));
}

absl::Status RequireTenantRole(const Principal& principal, uint32_t role) {
  if (principal.is_operator()) {
    return absl::PermissionDeniedError(
        "operator keys manage tenants and keys only; use a tenant key");
  }
  return Require(principal, role);
}

using A = Action;
using K = Keys;

constexpr std::array kTable = {
    Rule{A::kIngestReviews, "IngestReviews", kRoleIngest, K::kTenant},
    Rule{A::kGetReview, "GetReview", kRoleRead, K::kTenant},
    Rule{A::kListReviews, "ListReviews", kRoleRead, K::kTenant},
    Rule{A::kUpdateReview, "UpdateReview", kRoleRespond, K::kTenant},
    Rule{A::kDeleteReview, "DeleteReview", kRoleIngest, K::kTenant},
    Rule{A::kAnalyzeText, "AnalyzeText", kRoleRead, K::kTenant},
    Rule{A::kRecordResponse, "RecordResponse", kRoleRespond, K::kTenant},
    Rule{A::kDeleteResponse, "DeleteResponse", kRoleRespond, K::kTenant},
    Rule{A::kRequestReviewRemoval, "RequestReviewRemoval", kRoleRespond,
         K::kTenant},
    Rule{A::kGetReputationSummary, "GetReputationSummary", kRoleRead,
         K::kTenant},
    Rule{A::kGetTrends, "GetTrends", kRoleRead, K::kTenant},
    Rule{A::kListAspectInsights, "ListAspectInsights", kRoleRead, K::kTenant},
    Rule{A::kStreamAlerts, "StreamAlerts", kRoleRead, K::kTenant},
    Rule{A::kListAlerts, "ListAlerts", kRoleRead, K::kTenant},
    Rule{A::kGetAlert, "GetAlert", kRoleRead, K::kTenant},
    Rule{A::kAcknowledgeAlert, "AcknowledgeAlert", kRoleRespond, K::kTenant},
    Rule{A::kResolveAlert, "ResolveAlert", kRoleRespond, K::kTenant},
    Rule{A::kSnoozeAlert, "SnoozeAlert", kRoleRespond, K::kTenant},
    Rule{A::kCreateAlertRule, "CreateAlertRule", kRoleAdmin, K::kTenant},
    Rule{A::kGetAlertRule, "GetAlertRule", kRoleAdmin, K::kTenant},
    Rule{A::kListAlertRules, "ListAlertRules", kRoleAdmin, K::kTenant},
    Rule{A::kUpdateAlertRule, "UpdateAlertRule", kRoleAdmin, K::kTenant},
    Rule{A::kDeleteAlertRule, "DeleteAlertRule", kRoleAdmin, K::kTenant},
    Rule{A::kCreateWebhook, "CreateWebhook", kRoleAdmin, K::kTenant},
    Rule{A::kListWebhooks, "ListWebhooks", kRoleAdmin, K::kTenant},
    Rule{A::kDeleteWebhook, "DeleteWebhook", kRoleAdmin, K::kTenant},
    Rule{A::kCreateCollector, "CreateCollector", kRoleAdmin, K::kTenant},
    Rule{A::kGetCollector, "GetCollector", kRoleAdmin, K::kTenant},
    Rule{A::kListCollectors, "ListCollectors", kRoleAdmin, K::kTenant},
    Rule{A::kUpdateCollector, "UpdateCollector", kRoleAdmin, K::kTenant},
    Rule{A::kDeleteCollector, "DeleteCollector", kRoleAdmin, K::kTenant},
    Rule{A::kRunCollector, "RunCollector", kRoleAdmin, K::kTenant},
    Rule{A::kCreateTenant, "CreateTenant", kRoleAdmin, K::kOperator,
         "only operator keys create tenants"},
    Rule{A::kListTenants, "ListTenants", kRoleAdmin, K::kAny},
    Rule{A::kCreateApiKey, "CreateApiKey", kRoleAdmin, K::kAny},
    Rule{A::kListApiKeys, "ListApiKeys", kRoleAdmin, K::kAny},
    Rule{A::kRevokeApiKey, "RevokeApiKey", kRoleAdmin, K::kAny},
    Rule{A::kRescoreReviews, "RescoreReviews", kRoleAdmin, K::kAny},
    Rule{A::kGetTenantSettings, "GetTenantSettings", kRoleAdmin, K::kAny},
    Rule{A::kUpdateTenantSettings, "UpdateTenantSettings", kRoleAdmin,
         K::kAny},
    // Every key holds at least one role: any key may ask about itself.
    Rule{A::kGetCallerApiKey, "GetCallerApiKey",
         kRoleIngest | kRoleRead | kRoleRespond | kRoleAdmin, K::kAny},
};

constexpr bool InActionOrder() {
  for (size_t i = 0; i < kTable.size(); ++i) {
    if (static_cast<size_t>(kTable[i].action) != i) return false;
  }
  return true;
}
static_assert(InActionOrder(), "one row per Action, in enum order");
static_assert(static_cast<size_t>(A::kGetCallerApiKey) + 1 ==
                  kTable.size(),
              "every Action has a row");

}  // namespace

absl::Span<const Rule> AuthorizationTable() { return kTable; }

const Rule& RuleFor(Action action) {
  return kTable[static_cast<size_t>(action)];
}

absl::Status Authorize(const Principal& caller, Action action) {
  const Rule& rule = RuleFor(action);
  switch (rule.keys) {
    case Keys::kTenant:
      return RequireTenantRole(caller, rule.role);
    case Keys::kAny:
      return Require(caller, rule.role);
    case Keys::kOperator:
      if (absl::Status s = Require(caller, rule.role); !s.ok()) return s;
      if (!caller.is_operator()) {
        return absl::PermissionDeniedError(rule.operator_only);
      }
      return absl::OkStatus();
  }
  return absl::InternalError("unknown authorization rule");
}

}  // namespace opinia::core
