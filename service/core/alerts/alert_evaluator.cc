#include "service/core/alerts/alert_evaluator.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/core/alerts/alert_model.h"
#include "service/core/util/absl_sv.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

using storage::AlertRow;

constexpr size_t kSummaryBytes = 160;

// Cuts UTF-8 text at a character boundary at most `max` bytes long.
std::string Snippet(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return absl::StrCat(Av(text.substr(0, end)), "…");
}

std::string PriorityName(int32_t p) {
  return opinia::v1::Priority_Name(static_cast<opinia::v1::Priority>(p));
}

// Lower number = more urgent; 0 (unspecified) ranks below everything.
int Rank(int32_t priority) { return priority == 0 ? 100 : priority; }

AlertRow NewReviewAlert(const storage::ReviewRow& row, const LoadedRule& rule,
                        const opinia::v1::Analysis& analysis, absl::Time now,
                        std::string key) {
  AlertRow a;
  a.tenant_id = row.tenant_id;
  a.kind = opinia::v1::NEGATIVE_REVIEW;
  a.priority = row.priority;
  a.review_id = row.id;
  a.rule_id = rule.row.id;
  for (const auto& r : analysis.urgency().reasons()) a.reasons.push_back(r);
  a.state = storage::kAlertOpen;
  a.create_time = now;
  a.update_time = now;
  a.summary = absl::StrCat(
      PriorityName(row.priority), " review on ", row.source,
      row.rating > 0 ? absl::StrCat(" (", row.rating, "/5)") : std::string(),
      ", rule \"",
      rule.spec.display_name().empty() ? AlertRuleName(rule.row.id)
                                       : rule.spec.display_name(),
      "\": ", Snippet(row.search_text, kSummaryBytes));
  a.source = row.source;
  a.dedup_key = std::move(key);
  return a;
}

absl::Status Close(storage::Txn& txn, AlertRow alert, const char* reason,
                   absl::Time now) {
  alert.state = storage::kAlertResolved;
  alert.reasons.push_back(reason);
  alert.update_time = now;
  return txn.alerts().UpdateAlert(alert);
}

}  // namespace

absl::StatusOr<std::vector<LoadedRule>> LoadAlertRules(
    storage::Txn& txn, std::string_view tenant_id, absl::Time now) {
  storage::AlertTxn& alerts = txn.alerts();
  ASSIGN_OR_RETURN(auto settings, alerts.GetAlertSettings(tenant_id));
  if (!settings.defaults_created) {
    storage::AlertRuleRow row;
    row.tenant_id = std::string(tenant_id);
    row.spec = DefaultAlertRule().SerializeAsString();
    row.create_time = row.update_time = now;
    RETURN_IF_ERROR(alerts.InsertAlertRule(row).status());
    settings.defaults_created = true;
    RETURN_IF_ERROR(alerts.PutAlertSettings(settings));
  }
  std::vector<LoadedRule> out;
  int64_t after = 0;
  while (true) {
    ASSIGN_OR_RETURN(auto page, alerts.ListAlertRules(tenant_id, after, 200));
    for (auto& row : page) {
      ASSIGN_OR_RETURN(auto spec, RuleFromRow(row));
      out.push_back({std::move(row), std::move(spec)});
    }
    if (page.size() < 200) break;
    after = page.back().id;
  }
  return out;
}

absl::Status AlertEvaluator::OnReviewChanged(storage::Txn& txn,
                                             const ReviewChange& change) {
  std::optional<std::vector<LoadedRule>> rules;
  return Evaluate(txn, change, rules);
}

absl::Status AlertEvaluator::OnReviewsChanged(
    storage::Txn& txn, absl::Span<const ReviewChange> changes) {
  std::optional<std::vector<LoadedRule>> rules;
  std::string_view rules_tenant;
  for (const ReviewChange& change : changes) {
    if (change.after->tenant_id != rules_tenant) rules.reset();
    rules_tenant = change.after->tenant_id;
    RETURN_IF_ERROR(Evaluate(txn, change, rules));
  }
  return absl::OkStatus();
}

absl::Status AlertEvaluator::Evaluate(
    storage::Txn& txn, const ReviewChange& change,
    std::optional<std::vector<LoadedRule>>& rules) {
  using Kind = ReviewChange::Kind;
  const storage::ReviewRow& after = *change.after;
  const std::string& tenant = after.tenant_id;
  storage::AlertTxn& alerts = txn.alerts();
  switch (change.kind) {
    case Kind::kStatusChanged:
    case Kind::kResponded:
      return absl::OkStatus();  // SLA scans skip answered reviews themselves
    case Kind::kDeleted: {
      ASSIGN_OR_RETURN(auto active,
                       alerts.ActiveAlertsOfReview(tenant, after.id));
      for (auto& a : active) {
        RETURN_IF_ERROR(
            Close(txn, std::move(a), kReasonReviewDeleted, change.now));
      }
      return absl::OkStatus();
    }
    default:
      break;
  }
  if (!rules.has_value()) {
    ASSIGN_OR_RETURN(rules, LoadAlertRules(txn, tenant, change.now));
  }
  if (rules->empty()) return absl::OkStatus();
  opinia::v1::Analysis analysis, before_analysis;
  analysis.ParseFromString(after.analysis);  // corrupt -> no aspects/reasons
  if (change.before != nullptr) {
    before_analysis.ParseFromString(change.before->analysis);
  }
  for (LoadedRule& rule : *rules) {
    std::string key = absl::StrCat("review:", after.id, ":rule:", rule.row.id);
    const bool match = RuleMatches(rule.spec, {&after, &analysis});
    // A created review has a fresh id (rowids are never reused), so no alert
    // can carry its key yet: skip the lookup on the hot ingest path.
    absl::StatusOr<std::vector<AlertRow>> active = std::vector<AlertRow>{};
    if (change.kind != Kind::kCreated) {
      active = alerts.FindActiveAlerts(tenant, key);
    }
    if (!active.ok()) return active.status();
    if (!match) {
      for (auto& a : *active) {
        RETURN_IF_ERROR(
            Close(txn, std::move(a), kReasonNoLongerMatches, change.now));
      }
      continue;
    }
    if (!active->empty()) {
      AlertRow current = active->back();
      if (Rank(after.priority) >= Rank(current.priority)) continue;  // dedup
      if (current.state == storage::kAlertAcknowledged &&
          after.priority != opinia::v1::P1) {
        current.priority = after.priority;
        current.update_time = change.now;
        RETURN_IF_ERROR(alerts.UpdateAlert(current));
        continue;
      }
      for (auto& a : *active) {
        RETURN_IF_ERROR(
            Close(txn, std::move(a), kReasonSuperseded, change.now));
      }
    } else {
      if (change.before != nullptr &&
          RuleMatches(rule.spec, {change.before, &before_analysis}) &&
          Rank(after.priority) >= Rank(change.before->priority)) {
        continue;  // matched before and did not become more urgent
      }
      const int64_t cooldown = rule.spec.cooldown_seconds();
      if (cooldown > 0 && after.priority != opinia::v1::P1 &&
          change.now - rule.row.last_fire_time < absl::Seconds(cooldown)) {
        continue;  // the rule is cooling down
      }
    }
    RETURN_IF_ERROR(alerts
                        .InsertAlert(NewReviewAlert(after, rule, analysis,
                                                    change.now, std::move(key)))
                        .status());
    // Only a cooldown reads when the rule last fired. Without one the rule
    // row is left alone: writing it on every alert made it a hot row that
    // all concurrent ingest transactions (every replica's) conflicted on.
    if (rule.spec.cooldown_seconds() > 0) {
      rule.row.last_fire_time = change.now;
      RETURN_IF_ERROR(alerts.UpdateAlertRule(rule.row));
    }
    // Subscribers on other replicas (this one's wake in OnCommitted).
    RETURN_IF_ERROR(txn.NotifyTenant(tenant));
  }
  return absl::OkStatus();
}

void AlertEvaluator::OnCommitted(std::string_view tenant_id) {
  hub_->Notify(tenant_id);
}

}  // namespace opinia::core
