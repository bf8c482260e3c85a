#include "service/core/alerts/webhooks.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "service/core/alerts/alert_model.h"
#include "service/core/auth/authorization.h"
#include "service/core/util/absl_sv.h"
#include "service/core/util/names.h"
#include "service/core/util/paging.h"
#include "service/core/util/time_proto.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

constexpr std::string_view kWebhooks = "webhooks/";

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(Av(field), ": ", Av(what)));
}

bool Contains(const std::vector<int32_t>& v, int32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// The alert as the API shows it. Kept here (rather than shared with the
// alerts code) so the webhook body depends only on the stored row.
opinia::v1::Alert AlertToWebhookProto(const storage::AlertRow& row) {
  opinia::v1::Alert a;
  a.set_name(absl::StrCat("alerts/", row.id));
  a.set_kind(static_cast<opinia::v1::AlertKind>(row.kind));
  a.set_priority(static_cast<opinia::v1::Priority>(row.priority));
  if (row.review_id != 0) a.set_review(ReviewName(row.review_id));
  if (row.rule_id != 0) a.set_rule(absl::StrCat("alertRules/", row.rule_id));
  for (const std::string& r : row.reasons) {
    if (IsReasonCode(r)) a.add_reasons(r);
  }
  a.set_state(static_cast<opinia::v1::AlertState>(row.state));
  ToTimestamp(row.create_time, a.mutable_create_time());
  a.set_summary(row.summary);
  if (row.snooze_until != absl::InfinitePast()) {
    ToTimestamp(row.snooze_until, a.mutable_snooze_until());
  }
  a.set_source(row.source);
  return a;
}

}  // namespace

std::string WebhookName(int64_t id) { return absl::StrCat(Av(kWebhooks), id); }

absl::StatusOr<int64_t> ParseWebhookName(std::string_view name,
                                         std::string_view field) {
  int64_t id = 0;
  if (!absl::StartsWith(Av(name), Av(kWebhooks)) ||
      !absl::SimpleAtoi(Av(name.substr(kWebhooks.size())), &id) || id <= 0 ||
      name.substr(kWebhooks.size()).front() == '+') {
    return absl::InvalidArgumentError(absl::StrCat(
        Av(field), ": malformed name \"", Av(name.substr(0, 100)),
        "\", expected \"webhooks/{id}\""));
  }
  return id;
}

absl::Status ValidateWebhookUrl(std::string_view url, std::string_view field) {
  if (url.empty()) return Invalid(field, "required");
  if (url.size() > kMaxWebhookUrl) {
    return Invalid(field, absl::StrCat("longer than ", kMaxWebhookUrl, " bytes"));
  }
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7f) {
      return Invalid(field,
                     "must not contain whitespace, control or non-ASCII "
                     "characters (percent-encode them)");
    }
  }
  const std::string lower = absl::AsciiStrToLower(Av(url));
  size_t rest = 0;
  if (absl::StartsWith(lower, "https://")) {
    rest = 8;
  } else if (absl::StartsWith(lower, "http://")) {
    rest = 7;
  } else {
    return Invalid(field, "must be an http:// or https:// URL");
  }
  const std::string authority =
      lower.substr(rest, lower.find_first_of("/?#", rest) - rest);
  const size_t at = authority.rfind('@');
  std::string host = at == std::string::npos ? authority : authority.substr(at + 1);
  if (!host.empty() && host.front() != '[') host = host.substr(0, host.find(':'));
  if (host.empty() || host == "[]") return Invalid(field, "has no host");
  return absl::OkStatus();
}

SubscriberFilter WebhookFilter(const storage::WebhookRow& webhook) {
  return {webhook.priorities, webhook.kinds, /*sources=*/{}};
}

std::string WebhookEventId(const storage::AlertEventRow& event) {
  // The creation event's id is the alert's name itself: receivers dedupe on
  // it, so it must not change; later events of the alert need ids of their
  // own.
  if (event.type == storage::kAlertEventCreated) {
    return absl::StrCat("alerts/", event.alert.id);
  }
  return absl::StrCat("alerts/", event.alert.id, "/events/", event.id);
}

opinia::v1::WebhookEvent MakeWebhookEvent(const storage::WebhookRow& webhook,
                                          const storage::AlertEventRow& e) {
  opinia::v1::WebhookEvent event;
  event.set_event_id(WebhookEventId(e));
  event.set_tenant(TenantName(e.alert.tenant_id));
  event.set_webhook(WebhookName(webhook.id));
  ToTimestamp(e.time, event.mutable_event_time());
  *event.mutable_alert() = AlertToWebhookProto(e.alert);
  event.set_type(static_cast<opinia::v1::AlertEventType>(e.type));
  return event;
}

std::string WebhookEventJson(const opinia::v1::WebhookEvent& event) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  // Cannot fail for a well-formed message of a linked-in type.
  (void)google::protobuf::util::MessageToJsonString(event, &json, options);
  return json;
}

opinia::v1::Webhook WebhookToProto(const storage::WebhookRow& row,
                                   const storage::DeliveryStats& stats) {
  opinia::v1::Webhook w;
  w.set_name(WebhookName(row.id));
  w.set_url(row.url);
  for (int32_t p : row.priorities) {
    w.add_priorities(static_cast<opinia::v1::Priority>(p));
  }
  for (int32_t k : row.kinds) w.add_kinds(static_cast<opinia::v1::AlertKind>(k));
  ToTimestamp(row.create_time, w.mutable_create_time());
  if (stats.retrying > 0) {
    w.set_state(opinia::v1::RETRYING);
  } else if (stats.last_finished_state == storage::kDeliveryDead) {
    w.set_state(opinia::v1::DEAD_LETTER);
  } else {
    w.set_state(opinia::v1::HEALTHY);
  }
  w.set_delivered(stats.delivered);
  w.set_pending(stats.pending);
  w.set_dead_lettered(stats.dead);
  w.set_last_error(stats.last_error);
  return w;
}

absl::StatusOr<opinia::v1::Webhook> Webhooks::Create(
    const Principal& caller, const opinia::v1::CreateWebhookRequest& request) {
  RETURN_IF_ERROR(Authorize(caller, Action::kCreateWebhook));
  const opinia::v1::Webhook& in = request.webhook();
  RETURN_IF_ERROR(ValidateWebhookUrl(in.url(), "webhook.url"));
  RETURN_IF_ERROR(outbound_->CheckUrl(in.url(), "webhook.url"));
  if (in.secret().size() < kMinWebhookSecret ||
      in.secret().size() > kMaxWebhookSecret) {
    return Invalid("webhook.secret",
                   absl::StrCat("required, ", kMinWebhookSecret, " to ",
                                kMaxWebhookSecret,
                                " bytes (e.g. 32 random bytes, hex)"));
  }
  storage::WebhookRow row;
  row.tenant_id = caller.tenant_id;
  row.url = in.url();
  row.secret = in.secret();
  for (int p : in.priorities()) {
    if (p <= opinia::v1::PRIORITY_UNSPECIFIED ||
        !opinia::v1::Priority_IsValid(p)) {
      return Invalid("webhook.priorities", absl::StrCat("unknown value ", p));
    }
    if (!Contains(row.priorities, p)) row.priorities.push_back(p);
  }
  for (int k : in.kinds()) {
    if (k <= opinia::v1::ALERT_KIND_UNSPECIFIED ||
        !opinia::v1::AlertKind_IsValid(k)) {
      return Invalid("webhook.kinds", absl::StrCat("unknown value ", k));
    }
    if (!Contains(row.kinds, k)) row.kinds.push_back(k);
  }
  row.create_time = clock_->Now();

  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    // Only events from now on: the newest event id of any tenant is a safe
    // start (ids are global and grow in commit order).
    ASSIGN_OR_RETURN(auto newest, txn.alerts().MaxAlertEventId());
    row.cursor = newest;
    auto id = txn.webhooks().InsertWebhook(row);
    if (!id.ok()) return id.status();
    row.id = *id;
    storage::AuditRow audit;
    audit.tenant_id = caller.tenant_id;
    audit.actor = caller.actor();
    audit.action = "webhook.create";
    audit.target = WebhookName(row.id);
    audit.detail = row.url;
    audit.time = row.create_time;
    return txn.InsertAudit(audit).status();
  }));
  return WebhookToProto(row, storage::DeliveryStats{});
}

absl::StatusOr<opinia::v1::ListWebhooksResponse> Webhooks::List(
    const Principal& caller, const opinia::v1::ListWebhooksRequest& request) {
  RETURN_IF_ERROR(Authorize(caller, Action::kListWebhooks));
  ASSIGN_OR_RETURN(auto page_size, PageSize(request.page_size()));
  const std::string query = absl::StrCat("webhooks\n", caller.tenant_id);
  ASSIGN_OR_RETURN(auto cursor, DecodePageToken(store_->ServerSecret(), query,
                                                request.page_token()));
  int64_t after = 0;
  if (!cursor.empty() && !absl::SimpleAtoi(cursor, &after)) {
    return Invalid("page_token", "malformed");
  }

  opinia::v1::ListWebhooksResponse response;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto rows, txn.webhooks().ListWebhooks(
                                    caller.tenant_id, after, page_size + 1));
    const int n = std::min<int>(static_cast<int>(rows.size()), page_size);
    for (int i = 0; i < n; ++i) {
      ASSIGN_OR_RETURN(auto stats, txn.webhooks().GetDeliveryStats(rows[i].id));
      *response.add_webhooks() = WebhookToProto(rows[i], stats);
    }
    if (static_cast<int>(rows.size()) > page_size) {
      response.set_next_page_token(EncodePageToken(
          store_->ServerSecret(), query, absl::StrCat(rows[page_size - 1].id)));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<opinia::v1::DeleteResponse> Webhooks::Delete(
    const Principal& caller, const opinia::v1::DeleteWebhookRequest& request) {
  RETURN_IF_ERROR(Authorize(caller, Action::kDeleteWebhook));
  ASSIGN_OR_RETURN(auto id, ParseWebhookName(request.name(), "name"));
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    if (absl::Status s = txn.webhooks().DeleteWebhook(caller.tenant_id, id);
        !s.ok()) {
      if (absl::IsNotFound(s)) {
        return absl::NotFoundError(
            absl::StrCat("name: ", WebhookName(id), " not found"));
      }
      return s;
    }
    storage::AuditRow audit;
    audit.tenant_id = caller.tenant_id;
    audit.actor = caller.actor();
    audit.action = "webhook.delete";
    audit.target = WebhookName(id);
    audit.time = clock_->Now();
    return txn.InsertAudit(audit).status();
  }));
  return opinia::v1::DeleteResponse();
}

}  // namespace opinia::core
