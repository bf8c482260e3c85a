// `opinia alerts tail|list|ack|resolve|snooze` and
// `opinia rules list|get|create|update|delete`.
//
// `alerts tail` follows StreamAlerts; when the stream ends with a retryable
// code (UNAVAILABLE: server restart or shutdown; also CANCELLED/INTERNAL/
// DEADLINE_EXCEEDED caused by a dropped connection) it reconnects with
// exponential back-off, resuming from the last resume_token it printed, so
// no alert is lost or shown twice across a restart.
#include <chrono>
#include <iostream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "service/cli/command.h"
#include "service/cli/connection.h"
#include "service/cli/display_zone.h"
#include "service/cli/format.h"
#include "service/cli/table.h"

namespace opinia::cli {
namespace {

using opinia::v1::Alert;
using opinia::v1::AlertRule;
using opinia::v1::AlertService;

Table AlertTable(const DisplayZone& zone) {
  return Table({{"NAME"},
                {absl::StrCat("CREATED (", zone.name, ")")},
                {"KIND"},
                {"PRI"},
                {"STATE"},
                {"SOURCE", 12},
                {"REVIEW"},
                {"SUMMARY", 0, false, true}});
}

void AddAlertRow(const Alert& a, const DisplayZone& zone, Table* table) {
  table->AddRow({a.name(), ShortTime(a.create_time(), zone.tz),
                 opinia::v1::AlertKind_Name(a.kind()),
                 opinia::v1::Priority_Name(a.priority()),
                 opinia::v1::AlertState_Name(a.state()),
                 a.source().empty() ? "-" : a.source(),
                 a.review().empty() ? "-" : a.review(), a.summary()});
}

// One line per streamed alert (no table: it never ends).
std::string AlertLine(const Alert& a) {
  return absl::StrCat(LongTime(a.create_time()), "  ", a.name(), "  ",
                      opinia::v1::AlertKind_Name(a.kind()), "  ",
                      opinia::v1::Priority_Name(a.priority()), "  ",
                      a.review().empty() ? "-" : a.review(), "  ",
                      OneLine(a.summary()));
}

bool Retryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE ||
         code == grpc::StatusCode::INTERNAL ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::CANCELLED ||
         code == grpc::StatusCode::UNKNOWN;
}

int RunTail(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) return ReportUsageError("usage: opinia alerts tail");
  opinia::v1::StreamAlertsRequest request;
  if (auto v = args.Get("priority")) {
    if (auto bad = AddEnumList(*v, opinia::v1::Priority_Parse,
                               request.mutable_priorities())) {
      return ReportUsageError(absl::StrCat("--priority: unknown ", *bad));
    }
  }
  if (auto v = args.Get("kind")) {
    if (auto bad = AddEnumList(*v, opinia::v1::AlertKind_Parse,
                               request.mutable_kinds())) {
      std::vector<std::string> kinds;  // every AlertKind but UNSPECIFIED
      const auto* d = opinia::v1::AlertKind_descriptor();
      for (int i = 1; i < d->value_count(); ++i) {
        kinds.push_back(d->value(i)->name());
      }
      return ReportUsageError(absl::StrCat("--kind: unknown ", *bad, " (",
                                           absl::StrJoin(kinds, ", "), ")"));
    }
  }
  if (auto v = args.Get("source")) {
    for (auto& s : SplitList(*v)) request.add_sources(s);
  }
  request.set_resume_token(args.GetOr("token", ""));
  auto max_events = args.GetInt("max-events", 0, 0, 1 << 30);
  if (!max_events.ok()) return ReportUsageError(max_events.status().message());
  const bool json = args.Has("json");
  int printed = 0;
  absl::Duration backoff = absl::Milliseconds(200);
  while (true) {
    // A fresh channel per attempt: a channel that saw the server go away
    // keeps failing fast for its own (long) reconnect back-off.
    auto connection = Connection::Create(args);
    if (!connection.ok()) {
      return ReportUsageError(connection.status().message());
    }
    auto stub = AlertService::NewStub((*connection)->channel());
    auto context = (*connection)->NewContext();
    // A stream has no deadline; --timeout bounds unary calls only.
    context->set_deadline(std::chrono::system_clock::time_point::max());
    auto reader = stub->StreamAlerts(context.get(), request);
    opinia::v1::AlertEvent event;
    bool got_any = false;
    while (reader->Read(&event)) {
      got_any = true;
      request.set_resume_token(event.resume_token());
      if (json) {
        std::cout << ToJsonLine(event) << std::endl;
      } else if (event.type() == opinia::v1::ALERT_REOPENED) {
        std::cout << AlertLine(event.alert()) << "  [reopened: snooze ended]"
                  << std::endl;
      } else {
        std::cout << AlertLine(event.alert()) << std::endl;
      }
      if (*max_events > 0 && ++printed >= *max_events) {
        context->TryCancel();
        reader->Finish().IgnoreError();
        return kExitOk;
      }
    }
    grpc::Status status = reader->Finish();
    if (!Retryable(status.error_code())) {
      return ReportRpcError(status, "StreamAlerts", **connection);
    }
    if (got_any) backoff = absl::Milliseconds(200);
    std::cerr << "opinia: alert stream ended ("
              << StatusCodeName(status.error_code()) << ": "
              << status.error_message() << "); reconnecting in "
              << absl::FormatDuration(backoff) << "\n";
    std::this_thread::sleep_for(absl::ToChronoMilliseconds(backoff));
    // Capped low: a restart takes about a second, and a tail that waits
    // long after the server is back looks broken.
    backoff = std::min(backoff * 2, absl::Seconds(2));
  }
}

int RunList(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) return ReportUsageError("usage: opinia alerts list");
  opinia::v1::ListAlertsRequest request;
  if (auto v = args.Get("state")) {
    if (auto bad = AddEnumList(*v, opinia::v1::AlertState_Parse,
                               request.mutable_states(), "", "_ALERT")) {
      return ReportUsageError(
          absl::StrCat("--state: unknown ", *bad,
                       " (OPEN, ACKNOWLEDGED, RESOLVED, SNOOZED)"));
    }
  }
  if (auto v = args.Get("kind")) {
    if (auto bad = AddEnumList(*v, opinia::v1::AlertKind_Parse,
                               request.mutable_kinds())) {
      return ReportUsageError(absl::StrCat("--kind: unknown ", *bad));
    }
  }
  if (auto v = args.Get("priority")) {
    if (auto bad = AddEnumList(*v, opinia::v1::Priority_Parse,
                               request.mutable_priorities())) {
      return ReportUsageError(absl::StrCat("--priority: unknown ", *bad));
    }
  }
  auto limit = args.GetInt("limit", 50, 1, 1000000);
  if (!limit.ok()) return ReportUsageError(limit.status().message());
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());
  auto zone = ResolveDisplayZone(args, **connection);
  if (!zone.ok()) return ReportUsageError(zone.status().message());
  Table table = AlertTable(*zone);
  int shown = 0;
  const bool json = args.Has("json");
  while (shown < *limit) {
    request.set_page_size(std::min(*limit - shown, 1000));
    opinia::v1::ListAlertsResponse response;
    if (!Call(**connection, &AlertService::Stub::ListAlerts, "ListAlerts",
              request, &response)) {
      return kExitRpcError;
    }
    for (const Alert& a : response.alerts()) {
      if (json) {
        std::cout << ToJsonLine(a) << "\n";
      } else {
        AddAlertRow(a, *zone, &table);
      }
      ++shown;
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  if (!json) table.Print(std::cout, TerminalWidth(120));
  return kExitOk;
}

int PrintAlertResult(const Args& args, const Alert& alert) {
  PrintJsonOr(args, alert, [&] {
    std::cout << alert.name() << ": " << opinia::v1::AlertState_Name(alert.state());
    if (alert.has_snooze_until()) {
      std::cout << " until " << LongTime(alert.snooze_until());
    }
    std::cout << "\n";
  });
  return kExitOk;
}

// ack / resolve / snooze share everything but the call.
int RunTransition(const Args& args, const std::vector<std::string>& operands,
                  const std::string& verb) {
  if (operands.size() != 1) {
    return ReportUsageError(absl::StrCat("usage: opinia alerts ", verb, " NAME",
                                         verb == "snooze" ? " --for=2h" : ""));
  }
  const std::string name = QualifyName("alerts", operands[0]);
  google::protobuf::Timestamp until;
  if (verb == "snooze") {
    absl::Duration d;
    if (auto f = args.Get("for")) {
      if (!absl::ParseDuration(*f, &d) || d <= absl::ZeroDuration()) {
        return ReportUsageError("--for: a positive duration such as 90m or 2h");
      }
      until = ToProtoTime(absl::Now() + d);
    } else if (auto u = args.Get("until")) {
      absl::Time t;
      std::string err;
      if (!absl::ParseTime(absl::RFC3339_full, *u, &t, &err)) {
        return ReportUsageError(absl::StrCat("--until: RFC 3339 time: ", err));
      }
      until = ToProtoTime(t);
    } else {
      return ReportUsageError("snooze needs --for=DURATION or --until=TIME");
    }
  }
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());
  Alert alert;
  bool ok = false;
  if (verb == "ack") {
    opinia::v1::AcknowledgeAlertRequest r;
    r.set_name(name);
    ok = Call(**connection, &AlertService::Stub::AcknowledgeAlert, verb, r,
              &alert);
  } else if (verb == "resolve") {
    opinia::v1::ResolveAlertRequest r;
    r.set_name(name);
    ok = Call(**connection, &AlertService::Stub::ResolveAlert, verb, r, &alert);
  } else {
    opinia::v1::SnoozeAlertRequest r;
    r.set_name(name);
    *r.mutable_snooze_until() = until;
    ok = Call(**connection, &AlertService::Stub::SnoozeAlert, verb, r, &alert);
  }
  if (!ok) return kExitRpcError;
  return PrintAlertResult(args, alert);
}

int RunAck(const Args& a, const std::vector<std::string>& o) {
  return RunTransition(a, o, "ack");
}
int RunResolve(const Args& a, const std::vector<std::string>& o) {
  return RunTransition(a, o, "resolve");
}
int RunSnooze(const Args& a, const std::vector<std::string>& o) {
  return RunTransition(a, o, "snooze");
}

// ---- rules

void PrintRule(const Args& args, const AlertRule& r) {
  if (args.Has("json")) {
    std::cout << ToJsonLine(r) << "\n";
    return;
  }
  std::vector<std::string> conditions;
  auto names = [](const auto& list, auto name_fn) {
    std::vector<std::string> out;
    for (int v : list) out.push_back(name_fn(v));
    return absl::StrJoin(out, ",");
  };
  if (!r.priorities().empty()) {
    conditions.push_back("priority " + names(r.priorities(), [](int v) {
                           return opinia::v1::Priority_Name(v);
                         }));
  }
  if (!r.labels().empty()) {
    conditions.push_back("label " + names(r.labels(), [](int v) {
                           return opinia::v1::SentimentLabel_Name(v);
                         }));
  }
  if (r.has_max_sentiment_score()) {
    conditions.push_back(absl::StrFormat("score <= %.2f", r.max_sentiment_score()));
  }
  if (r.max_rating() > 0) {
    conditions.push_back(absl::StrCat("rating <= ", r.max_rating()));
  }
  if (!r.aspects().empty()) {
    conditions.push_back("aspect " + names(r.aspects(), [](int v) {
                           return opinia::v1::Aspect_Name(v);
                         }));
  }
  if (!r.keywords().empty()) {
    conditions.push_back("keyword " + absl::StrJoin(r.keywords(), ","));
  }
  if (!r.sources().empty()) {
    conditions.push_back("source " + absl::StrJoin(r.sources(), ","));
  }
  if (!r.languages().empty()) {
    conditions.push_back("language " + absl::StrJoin(r.languages(), ","));
  }
  if (!r.subject_ids().empty()) {
    conditions.push_back("subject " + absl::StrJoin(r.subject_ids(), ","));
  }
  std::cout << r.name() << "  " << (r.enabled() ? "enabled " : "disabled")
            << "  " << (r.display_name().empty() ? "-" : r.display_name())
            << "  [" << absl::StrJoin(conditions, "; ") << "]";
  if (r.cooldown_seconds() > 0) std::cout << "  cooldown " << r.cooldown_seconds() << "s";
  std::cout << "\n";
}

// Fills `rule` and `mask` from the rule flags; "" or a usage error.
std::string RuleFromFlags(const Args& args, AlertRule* rule,
                          google::protobuf::FieldMask* mask) {
  if (auto v = args.Get("display-name")) {
    rule->set_display_name(*v);
    mask->add_paths("display_name");
  }
  if (args.Has("disabled") || args.Has("enabled")) {
    rule->set_enabled(!args.Has("disabled"));
    mask->add_paths("enabled");
  }
  if (auto v = args.Get("priority")) {
    if (auto bad = AddEnumList(*v, opinia::v1::Priority_Parse,
                               rule->mutable_priorities())) {
      return "--priority: unknown " + *bad;
    }
    mask->add_paths("priorities");
  }
  if (auto v = args.Get("label")) {
    if (auto bad = AddEnumList(*v, opinia::v1::SentimentLabel_Parse,
                               rule->mutable_labels())) {
      return "--label: unknown " + *bad;
    }
    mask->add_paths("labels");
  }
  if (auto v = args.Get("max-score")) {
    float score = 0;
    if (!absl::SimpleAtof(*v, &score)) return "--max-score: a number in [-1, 1]";
    rule->set_max_sentiment_score(score);
    rule->set_has_max_sentiment_score(true);
    mask->add_paths("max_sentiment_score");
    mask->add_paths("has_max_sentiment_score");
  }
  if (args.Has("max-rating")) {
    auto n = args.GetInt("max-rating", 0, 0, 5);
    if (!n.ok()) return std::string(n.status().message());
    rule->set_max_rating(*n);
    mask->add_paths("max_rating");
  }
  if (auto v = args.Get("aspect")) {
    if (auto bad = AddEnumList(*v, opinia::v1::Aspect_Parse,
                               rule->mutable_aspects())) {
      return "--aspect: unknown " + *bad;
    }
    mask->add_paths("aspects");
  }
  for (auto [flag, path] : {std::pair{"keyword", "keywords"},
                            std::pair{"source", "sources"},
                            std::pair{"language", "languages"},
                            std::pair{"subject", "subject_ids"}}) {
    if (auto v = args.Get(flag)) {
      auto* field = AlertRule::descriptor()->FindFieldByName(path);
      for (auto& s : SplitList(*v)) {
        AlertRule::GetReflection()->AddString(rule, field, s);
      }
      mask->add_paths(path);
    }
  }
  if (args.Has("cooldown")) {
    auto n = args.GetInt("cooldown", 0, 0, 30 * 24 * 3600);
    if (!n.ok()) return std::string(n.status().message());
    rule->set_cooldown_seconds(*n);
    mask->add_paths("cooldown_seconds");
  }
  return "";
}

int RunRulesList(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) return ReportUsageError("usage: opinia rules list");
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());
  opinia::v1::ListAlertRulesRequest request;
  request.set_page_size(1000);
  while (true) {
    opinia::v1::ListAlertRulesResponse response;
    if (!Call(**connection, &AlertService::Stub::ListAlertRules,
              "ListAlertRules", request, &response)) {
      return kExitRpcError;
    }
    for (const auto& r : response.rules()) PrintRule(args, r);
    if (response.next_page_token().empty()) return kExitOk;
    request.set_page_token(response.next_page_token());
  }
}

int RunRulesGet(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1) return ReportUsageError("usage: opinia rules get NAME");
  opinia::v1::GetAlertRuleRequest request;
  request.set_name(QualifyName("alertRules", operands[0]));
  AlertRule rule;
  if (int rc = CallOnce(args, &AlertService::Stub::GetAlertRule, "GetAlertRule",
                        request, &rule)) {
    return rc;
  }
  PrintRule(args, rule);
  return kExitOk;
}

int RunRulesCreate(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) {
    return ReportUsageError("usage: opinia rules create --priority=P1 ...");
  }
  opinia::v1::CreateAlertRuleRequest request;
  google::protobuf::FieldMask unused;
  request.mutable_rule()->set_enabled(true);
  if (std::string e = RuleFromFlags(args, request.mutable_rule(), &unused);
      !e.empty()) {
    return ReportUsageError(e);
  }
  AlertRule rule;
  if (int rc = CallOnce(args, &AlertService::Stub::CreateAlertRule,
                        "CreateAlertRule", request, &rule)) {
    return rc;
  }
  PrintRule(args, rule);
  return kExitOk;
}

int RunRulesUpdate(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1) {
    return ReportUsageError("usage: opinia rules update NAME --flag=... ");
  }
  opinia::v1::UpdateAlertRuleRequest request;
  if (std::string e = RuleFromFlags(args, request.mutable_rule(),
                                    request.mutable_update_mask());
      !e.empty()) {
    return ReportUsageError(e);
  }
  if (request.update_mask().paths().empty()) {
    return ReportUsageError("rules update: nothing to change; see --help");
  }
  request.mutable_rule()->set_name(QualifyName("alertRules", operands[0]));
  AlertRule rule;
  if (int rc = CallOnce(args, &AlertService::Stub::UpdateAlertRule,
                        "UpdateAlertRule", request, &rule)) {
    return rc;
  }
  PrintRule(args, rule);
  return kExitOk;
}

int RunRulesDelete(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1) return ReportUsageError("usage: opinia rules delete NAME");
  opinia::v1::DeleteAlertRuleRequest request;
  request.set_name(QualifyName("alertRules", operands[0]));
  opinia::v1::DeleteResponse response;
  if (int rc = CallOnce(args, &AlertService::Stub::DeleteAlertRule,
                        "DeleteAlertRule", request, &response)) {
    return rc;
  }
  if (!args.Has("json")) std::cout << request.name() << ": deleted\n";
  return kExitOk;
}

std::vector<OptionHelp> RuleOptions() {
  return {{"display-name", "TEXT", "a name for people"},
          {"priority", "P1,P2", "review priority is one of these"},
          {"label", "NEGATIVE,...", "effective sentiment label is one of these"},
          {"max-score", "X", "sentiment score at most X (-1..1)"},
          {"max-rating", "N", "rating at most N (1..5)"},
          {"aspect", "DELIVERY,...", "mentions one of these aspects"},
          {"keyword", "A,B", "text contains one of these (case-insensitive)"},
          {"source", "A,B", "only these sources"},
          {"language", "pl,en", "only these languages"},
          {"subject", "A,B", "only these subject ids"},
          {"cooldown", "SECONDS", "at most one alert per period (P1 always alerts)"},
          {"disabled", "", "create/update the rule disabled"},
          {"enabled", "", "enable the rule (update)"}};
}

}  // namespace

std::vector<Command> AlertCommands() {
  return {
      {{"alerts", "tail"},
       "",
       "follow new alerts as they happen; reconnects and resumes after a "
       "server restart",
       {{"priority", "P1,P2", "only these priorities"},
        {"kind", "NEGATIVE_REVIEW,...", "only these kinds"},
        {"source", "A,B", "only these sources"},
        {"token", "TOKEN", "resume after this resume_token"},
        {"max-events", "N", "exit after N alerts"}},
       RunTail},
      {{"alerts", "list"},
       "",
       "list alerts, newest first",
       {{"state", "OPEN,...", "only these states"},
        {"kind", "NEGATIVE_REVIEW,...", "only these kinds"},
        {"priority", "P1,P2", "only these priorities"},
        {"limit", "N", "show at most N (default 50)"}},
       RunList},
      {{"alerts", "ack"}, "NAME", "acknowledge an alert", {}, RunAck},
      {{"alerts", "resolve"}, "NAME", "resolve an alert", {}, RunResolve},
      {{"alerts", "snooze"},
       "NAME",
       "snooze an alert until a time",
       {{"for", "DURATION", "e.g. 90m, 2h"},
        {"until", "TIME", "RFC 3339 time"}},
       RunSnooze},
      {{"rules", "list"}, "", "list alert rules", {}, RunRulesList},
      {{"rules", "get"}, "NAME", "show one alert rule", {}, RunRulesGet},
      {{"rules", "create"}, "", "create an alert rule", RuleOptions(),
       RunRulesCreate},
      {{"rules", "update"}, "NAME", "change the given fields of a rule",
       RuleOptions(), RunRulesUpdate},
      {{"rules", "delete"}, "NAME", "delete an alert rule", {}, RunRulesDelete},
  };
}

}  // namespace opinia::cli
