#include "service/core/alerts/alerts.h"

#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "service/core/alerts/alert_evaluator.h"
#include "service/core/alerts/alert_model.h"
#include "service/core/auth/authorization.h"
#include "service/core/util/absl_sv.h"
#include "service/core/util/names.h"
#include "service/core/util/paging.h"
#include "service/core/util/time_proto.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

using opinia::v1::AlertRule;

std::string StreamKey(std::string_view tenant_id) {
  return absl::StrCat("alert-stream\n", Av(tenant_id));
}

absl::StatusOr<int64_t> CursorId(std::string_view cursor) {
  int64_t id = 0;
  if (cursor.empty()) return 0;
  if (!absl::SimpleAtoi(Av(cursor), &id) || id < 0) {
    return absl::InvalidArgumentError("page_token: malformed");
  }
  return id;
}

absl::Status ValidateStreamFilter(const opinia::v1::StreamAlertsRequest& r) {
  for (int i = 0; i < r.priorities_size(); ++i) {
    if (r.priorities(i) == 0 || !opinia::v1::Priority_IsValid(r.priorities(i))) {
      return absl::InvalidArgumentError(
          absl::StrCat("priorities[", i, "]: unknown value"));
    }
  }
  for (int i = 0; i < r.kinds_size(); ++i) {
    if (r.kinds(i) == 0 || !opinia::v1::AlertKind_IsValid(r.kinds(i))) {
      return absl::InvalidArgumentError(
          absl::StrCat("kinds[", i, "]: unknown value"));
    }
  }
  return absl::OkStatus();
}

// NOT_FOUND naming `field` for a rule/alert missing in this tenant.
absl::Status NotFound(std::string_view field, std::string_view name) {
  return absl::NotFoundError(
      absl::StrCat(Av(field), ": ", Av(name.substr(0, 100)), " not found"));
}

// Copies the masked fields of `from` into `to` (replacing lists).
absl::Status ApplyMask(const AlertRule& from,
                       const google::protobuf::FieldMask& mask, AlertRule* to) {
  const auto* descriptor = AlertRule::descriptor();
  const auto* reflection = AlertRule::GetReflection();
  if (mask.paths().empty()) {
    const std::string name = to->name();
    const auto create_time = to->create_time();
    *to = from;
    to->set_name(name);
    *to->mutable_create_time() = create_time;
    return absl::OkStatus();
  }
  for (const std::string& path : mask.paths()) {
    const auto* field = descriptor->FindFieldByName(path);
    if (field == nullptr || path == "name" || path == "create_time") {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: path \"", path.substr(0, 100),
          "\" is not an updatable AlertRule field"));
    }
    reflection->ClearField(to, field);
    AlertRule only = from;
    std::vector<const google::protobuf::FieldDescriptor*> all;
    reflection->ListFields(only, &all);
    for (const auto* f : all) {
      if (f != field) reflection->ClearField(&only, f);
    }
    to->MergeFrom(only);
    if (path == "max_sentiment_score") to->set_has_max_sentiment_score(true);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<AlertRule> Alerts::CreateRule(const Principal& caller,
                                             const AlertRule& rule) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kCreateAlertRule));
  const std::string& tenant_id = caller.tenant_id;
  RETURN_IF_ERROR(ValidateAlertRule(rule));
  AlertRule spec = rule;
  spec.clear_name();
  spec.clear_create_time();
  storage::AlertRuleRow row;
  row.tenant_id = std::string(tenant_id);
  row.spec = spec.SerializeAsString();
  row.create_time = row.update_time = clock_->Now();
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    // Seeds the default rule first so a tenant's first own rule does not
    // end up as its only one.
    RETURN_IF_ERROR(LoadAlertRules(txn, tenant_id, row.create_time).status());
    ASSIGN_OR_RETURN(row.id, txn.alerts().InsertAlertRule(row));
    return absl::OkStatus();
  }));
  return RuleFromRow(row);
}

absl::StatusOr<AlertRule> Alerts::GetRule(const Principal& caller,
                                          std::string_view name) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kGetAlertRule));
  const std::string& tenant_id = caller.tenant_id;
  ASSIGN_OR_RETURN(auto id, ParseAlertRuleName(name, "name"));
  storage::AlertRuleRow row;
  absl::Status status = store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(row, txn.alerts().GetAlertRule(tenant_id, id));
    return absl::OkStatus();
  });
  if (absl::IsNotFound(status)) return NotFound("name", name);
  if (!status.ok()) return status;
  return RuleFromRow(row);
}

absl::StatusOr<opinia::v1::ListAlertRulesResponse> Alerts::ListRules(
    const Principal& caller,
    const opinia::v1::ListAlertRulesRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kListAlertRules));
  const std::string& tenant_id = caller.tenant_id;
  ASSIGN_OR_RETURN(auto page_size, PageSize(request.page_size()));
  const std::string key = absl::StrCat("alert-rules\n", Av(tenant_id));
  ASSIGN_OR_RETURN(auto cursor, DecodePageToken(store_->ServerSecret(), key,
                                                request.page_token()));
  ASSIGN_OR_RETURN(auto after, CursorId(cursor));
  std::vector<storage::AlertRuleRow> rows;
  // A write: the first look at a tenant's rules creates its default rule.
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    RETURN_IF_ERROR(LoadAlertRules(txn, tenant_id, clock_->Now()).status());
    ASSIGN_OR_RETURN(
        rows, txn.alerts().ListAlertRules(tenant_id, after, page_size + 1));
    return absl::OkStatus();
  }));
  opinia::v1::ListAlertRulesResponse response;
  const bool more = static_cast<int>(rows.size()) > page_size;
  if (more) rows.resize(page_size);
  for (const auto& row : rows) {
    ASSIGN_OR_RETURN(auto rule, RuleFromRow(row));
    *response.add_rules() = std::move(rule);
  }
  if (more) {
    response.set_next_page_token(EncodePageToken(store_->ServerSecret(), key,
                                                 absl::StrCat(rows.back().id)));
  }
  return response;
}

absl::StatusOr<AlertRule> Alerts::UpdateRule(
    const Principal& caller,
    const opinia::v1::UpdateAlertRuleRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kUpdateAlertRule));
  const std::string& tenant_id = caller.tenant_id;
  ASSIGN_OR_RETURN(auto id,
                   ParseAlertRuleName(request.rule().name(), "rule.name"));
  storage::AlertRuleRow row;
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    auto found = txn.alerts().GetAlertRule(tenant_id, id);
    if (absl::IsNotFound(found.status())) {
      return NotFound("rule.name", request.rule().name());
    }
    if (!found.ok()) return found.status();
    row = *std::move(found);
    auto spec = RuleFromRow(row);
    if (!spec.ok()) return spec.status();
    RETURN_IF_ERROR(ApplyMask(request.rule(), request.update_mask(), &*spec));
    RETURN_IF_ERROR(ValidateAlertRule(*spec));
    spec->clear_name();
    spec->clear_create_time();
    row.spec = spec->SerializeAsString();
    row.update_time = clock_->Now();
    return txn.alerts().UpdateAlertRule(row);
  }));
  return RuleFromRow(row);
}

absl::Status Alerts::DeleteRule(const Principal& caller,
                                std::string_view name) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kDeleteAlertRule));
  const std::string& tenant_id = caller.tenant_id;
  ASSIGN_OR_RETURN(auto id, ParseAlertRuleName(name, "name"));
  absl::Status status = store_->Write([&](storage::Txn& txn) {
    return txn.alerts().DeleteAlertRule(tenant_id, id);
  });
  if (absl::IsNotFound(status)) return NotFound("name", name);
  return status;
}

absl::StatusOr<opinia::v1::ListAlertsResponse> Alerts::List(
    const Principal& caller,
    const opinia::v1::ListAlertsRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kListAlerts));
  const std::string& tenant_id = caller.tenant_id;
  ASSIGN_OR_RETURN(auto page_size, PageSize(request.page_size()));
  storage::AlertFilter filter;
  for (int i = 0; i < request.states_size(); ++i) {
    if (request.states(i) == 0 ||
        !opinia::v1::AlertState_IsValid(request.states(i))) {
      return absl::InvalidArgumentError(
          absl::StrCat("states[", i, "]: unknown value"));
    }
    filter.states.push_back(request.states(i));
  }
  for (int i = 0; i < request.kinds_size(); ++i) {
    if (request.kinds(i) == 0 ||
        !opinia::v1::AlertKind_IsValid(request.kinds(i))) {
      return absl::InvalidArgumentError(
          absl::StrCat("kinds[", i, "]: unknown value"));
    }
    filter.kinds.push_back(request.kinds(i));
  }
  for (int i = 0; i < request.priorities_size(); ++i) {
    if (request.priorities(i) == 0 ||
        !opinia::v1::Priority_IsValid(request.priorities(i))) {
      return absl::InvalidArgumentError(
          absl::StrCat("priorities[", i, "]: unknown value"));
    }
    filter.priorities.push_back(request.priorities(i));
  }
  if (!request.review().empty()) {
    // Scoped by the tenant like every read: another tenant's review (or a
    // missing one) simply has no alerts here.
    ASSIGN_OR_RETURN(filter.review_id,
                     ParseReviewName(request.review(), "review"));
  }
  opinia::v1::ListAlertsRequest query = request;
  query.clear_page_size();
  query.clear_page_token();
  const std::string key =
      absl::StrCat("alerts\n", Av(tenant_id), "\n", query.SerializeAsString());
  ASSIGN_OR_RETURN(auto cursor, DecodePageToken(store_->ServerSecret(), key,
                                                request.page_token()));
  ASSIGN_OR_RETURN(auto before, CursorId(cursor));
  std::vector<storage::AlertRow> rows;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(rows, txn.alerts().ListAlerts(tenant_id, filter, before,
                                                   page_size + 1));
    return absl::OkStatus();
  }));
  opinia::v1::ListAlertsResponse response;
  const bool more = static_cast<int>(rows.size()) > page_size;
  if (more) rows.resize(page_size);
  for (const auto& row : rows) *response.add_alerts() = AlertFromRow(row);
  if (more) {
    response.set_next_page_token(EncodePageToken(store_->ServerSecret(), key,
                                                 absl::StrCat(rows.back().id)));
  }
  return response;
}

absl::StatusOr<opinia::v1::Alert> Alerts::Get(const Principal& caller,
                                              std::string_view name) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kGetAlert));
  const std::string& tenant_id = caller.tenant_id;
  ASSIGN_OR_RETURN(auto id, ParseAlertName(name, "name"));
  storage::AlertRow row;
  absl::Status status = store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(row, txn.alerts().GetAlert(tenant_id, id));
    return absl::OkStatus();
  });
  if (absl::IsNotFound(status)) return NotFound("name", name);
  if (!status.ok()) return status;
  return AlertFromRow(row);
}

absl::StatusOr<opinia::v1::Alert> Alerts::Transit(
    std::string_view tenant_id, std::string_view actor, std::string_view name,
    std::string_view action, const Transition& fn) const {
  auto id = ParseAlertName(name, "name");
  if (!id.ok()) return id.status();
  const absl::Time now = clock_->Now();
  storage::AlertRow row;
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    auto found = txn.alerts().GetAlert(tenant_id, *id);
    if (absl::IsNotFound(found.status())) return NotFound("name", name);
    if (!found.ok()) return found.status();
    row = *std::move(found);
    const int32_t old_state = row.state;
    RETURN_IF_ERROR(fn(row));
    row.update_time = now;
    RETURN_IF_ERROR(txn.alerts().UpdateAlert(row));
    storage::AuditRow audit;
    audit.tenant_id = std::string(tenant_id);
    audit.actor = std::string(actor);
    audit.action = std::string(action);
    audit.target = AlertName(row.id);
    audit.detail = absl::StrCat(
        "{\"old_state\":\"",
        opinia::v1::AlertState_Name(
            static_cast<opinia::v1::AlertState>(old_state)),
        "\",\"new_state\":\"",
        opinia::v1::AlertState_Name(
            static_cast<opinia::v1::AlertState>(row.state)),
        "\"}");
    audit.time = now;
    return txn.InsertAudit(audit).status();
  }));
  return AlertFromRow(row);
}

absl::StatusOr<opinia::v1::Alert> Alerts::Acknowledge(
    const Principal& caller, std::string_view name) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kAcknowledgeAlert));
  const std::string& tenant_id = caller.tenant_id;
  const std::string actor = caller.actor();
  return Transit(tenant_id, actor, name, "alert.acknowledge",
                 [&](storage::AlertRow& row) -> absl::Status {
                   if (row.state == storage::kAlertResolved) {
                     return absl::FailedPreconditionError(absl::StrCat(
                         "name: ", Av(name), " is resolved"));
                   }
                   row.state = storage::kAlertAcknowledged;
                   row.snooze_until = absl::InfinitePast();
                   return absl::OkStatus();
                 });
}

absl::StatusOr<opinia::v1::Alert> Alerts::Resolve(const Principal& caller,
                                                  std::string_view name) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kResolveAlert));
  const std::string& tenant_id = caller.tenant_id;
  const std::string actor = caller.actor();
  return Transit(tenant_id, actor, name, "alert.resolve",
                 [](storage::AlertRow& row) {
                   row.state = storage::kAlertResolved;
                   row.snooze_until = absl::InfinitePast();
                   return absl::OkStatus();
                 });
}

absl::StatusOr<opinia::v1::Alert> Alerts::Snooze(
    const Principal& caller,
    const opinia::v1::SnoozeAlertRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kSnoozeAlert));
  const std::string& tenant_id = caller.tenant_id;
  const std::string actor = caller.actor();
  if (!request.has_snooze_until()) {
    return absl::InvalidArgumentError("snooze_until: required");
  }
  RETURN_IF_ERROR(ValidateTimestamp(request.snooze_until(), "snooze_until"));
  const absl::Time until = FromTimestamp(request.snooze_until());
  if (until <= clock_->Now()) {
    return absl::InvalidArgumentError("snooze_until: must be in the future");
  }
  return Transit(tenant_id, actor, request.name(), "alert.snooze",
                 [&](storage::AlertRow& row) -> absl::Status {
                   if (row.state == storage::kAlertResolved) {
                     return absl::FailedPreconditionError(absl::StrCat(
                         "name: ", request.name(), " is resolved"));
                   }
                   row.state = storage::kAlertSnoozed;
                   row.snooze_until = until;
                   return absl::OkStatus();
                 });
}

absl::StatusOr<int64_t> Alerts::StreamStart(
    const Principal& caller,
    const opinia::v1::StreamAlertsRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kStreamAlerts));
  const std::string& tenant_id = caller.tenant_id;
  if (auto s = ValidateStreamFilter(request); !s.ok()) return s;
  const std::string& resume_token = request.resume_token();
  if (!resume_token.empty()) {
    auto cursor = DecodePageToken(store_->ServerSecret(), StreamKey(tenant_id),
                                  resume_token);
    int64_t id = 0;
    if (!cursor.ok() || !absl::SimpleAtoi(*cursor, &id) || id < 0) {
      return absl::InvalidArgumentError(
          "resume_token: malformed, or issued to another tenant; reconnect "
          "without a token to receive alerts from now on");
    }
    return id;
  }
  int64_t max_id = 0;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(max_id, txn.alerts().MaxAlertEventId());
    return absl::OkStatus();
  }));
  return max_id;
}

std::string Alerts::ResumeToken(std::string_view tenant_id, int64_t id) const {
  return EncodePageToken(store_->ServerSecret(), StreamKey(tenant_id),
                         absl::StrCat(id));
}

absl::StatusOr<OutboxPage> Alerts::ReadOutbox(const Principal& caller,
                                              int64_t after_position,
                                              const SubscriberFilter& filter,
                                              int limit) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kStreamAlerts));
  const std::string& tenant_id = caller.tenant_id;
  OutboxPage page;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(page, core::ReadOutbox(txn.alerts(), tenant_id,
                                            after_position, filter, limit));
    return absl::OkStatus();
  }));
  return page;
}

}  // namespace opinia::core
