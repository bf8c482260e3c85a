// `opinia webhooks create|list|delete` (AlertService webhook methods; a
// tenant key with the admin role).
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "service/cli/command.h"
#include "service/cli/connection.h"
#include "service/cli/format.h"
#include "service/cli/table.h"

namespace opinia::cli {
namespace {

using opinia::v1::AlertService;

// 32 bytes from the OS generator as hex: the same strength as the server's
// own secrets.
std::string GenerateSecret() {
  std::random_device rd;
  std::string bytes;
  for (int i = 0; i < 8; ++i) {
    const uint32_t v = rd();
    for (int b = 0; b < 4; ++b) bytes.push_back(static_cast<char>(v >> (8 * b)));
  }
  return absl::StrCat("whsec_", absl::BytesToHexString(bytes));
}

std::string EnumText(const std::string& name) {
  return absl::AsciiStrToLower(name);
}

std::string FilterText(const opinia::v1::Webhook& w) {
  std::vector<std::string> parts;
  for (int p : w.priorities()) {
    parts.push_back(
        opinia::v1::Priority_Name(static_cast<opinia::v1::Priority>(p)));
  }
  for (int k : w.kinds()) {
    parts.push_back(EnumText(
        opinia::v1::AlertKind_Name(static_cast<opinia::v1::AlertKind>(k))));
  }
  return parts.empty() ? "all" : absl::StrJoin(parts, ",");
}

int RunCreate(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) return ReportUsageError("webhooks create takes no operands");
  auto url = args.Get("url");
  if (!url || url->empty()) {
    return ReportUsageError("webhooks create needs --url=https://...");
  }
  opinia::v1::CreateWebhookRequest request;
  auto* w = request.mutable_webhook();
  w->set_url(*url);
  bool generated = false;
  if (auto secret = args.Get("secret")) {
    w->set_secret(*secret);
  } else if (auto file = args.Get("secret-file")) {
    std::ifstream in(*file, std::ios::binary);
    if (!in) return ReportUsageError(absl::StrCat("cannot read ", *file));
    std::stringstream ss;
    ss << in.rdbuf();
    w->set_secret(std::string(absl::StripTrailingAsciiWhitespace(ss.str())));
  } else {
    w->set_secret(GenerateSecret());
    generated = true;
  }
  std::string bad;
  std::vector<opinia::v1::Priority> priorities;
  if (!ParseEnumList(args.GetOr("priorities", ""), opinia::v1::Priority_Parse,
                     &priorities, &bad)) {
    return ReportUsageError(
        absl::StrCat("--priorities: unknown priority '", bad, "' (p1..p4)"));
  }
  for (auto p : priorities) w->add_priorities(p);
  std::vector<opinia::v1::AlertKind> kinds;
  if (!ParseEnumList(args.GetOr("kinds", ""), opinia::v1::AlertKind_Parse,
                     &kinds, &bad)) {
    return ReportUsageError(
        absl::StrCat("--kinds: unknown kind '", bad,
                     "' (negative_review, volume_spike, sla_breach)"));
  }
  for (auto k : kinds) w->add_kinds(k);
  opinia::v1::Webhook created;
  if (int rc = CallOnce(args, &AlertService::Stub::CreateWebhook,
                        "CreateWebhook", request, &created)) {
    return rc;
  }
  PrintJsonOr(args, created, [&] {
    std::cout << "created " << created.name() << " -> " << created.url()
              << " (alerts: " << FilterText(created) << ")\n";
  });
  if (generated) {
    // On stderr with --json so stdout stays one JSON line.
    (args.Has("json") ? std::cerr : std::cout)
        << "secret: " << w->secret() << "\n"
        << "The secret is shown only now; the receiver verifies "
           "Opinia-Signature with it.\n";
  }
  return kExitOk;
}

int RunList(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) return ReportUsageError("webhooks list takes no operands");
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());
  opinia::v1::ListWebhooksRequest request;
  request.set_page_size(1000);
  Table table({{"NAME"},
               {"URL", 40},
               {"ALERTS", 24},
               {"STATE"},
               {"DELIVERED"},
               {"PENDING"},
               {"DEAD"},
               {"LAST ERROR", 40}});
  do {
    opinia::v1::ListWebhooksResponse response;
    if (!Call(**connection, &AlertService::Stub::ListWebhooks, "ListWebhooks",
              request, &response)) {
      return kExitRpcError;
    }
    for (const auto& w : response.webhooks()) {
      if (args.Has("json")) {
        std::cout << ToJsonLine(w) << "\n";
      } else {
        table.AddRow({w.name(), w.url(), FilterText(w),
                      EnumText(opinia::v1::DeliveryState_Name(w.state())),
                      absl::StrCat(w.delivered()), absl::StrCat(w.pending()),
                      absl::StrCat(w.dead_lettered()),
                      w.last_error().empty() ? "-" : w.last_error()});
      }
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  if (!args.Has("json")) table.Print(std::cout, 0);
  return kExitOk;
}

int RunDelete(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1) {
    return ReportUsageError("usage: opinia webhooks delete NAME");
  }
  opinia::v1::DeleteWebhookRequest request;
  request.set_name(QualifyName("webhooks", operands[0]));
  opinia::v1::DeleteResponse response;
  if (int rc = CallOnce(args, &AlertService::Stub::DeleteWebhook,
                        "DeleteWebhook", request, &response)) {
    return rc;
  }
  if (!args.Has("json")) std::cout << "deleted " << request.name() << "\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> WebhookCommands() {
  return {
      {{"webhooks", "create"},
       "",
       "send alerts as signed JSON POSTs to a URL (admin key)",
       {{"url", "URL", "http(s) endpoint (required)"},
        {"secret", "TEXT",
         "HMAC-SHA256 key, 16+ bytes (default: generated and printed once)"},
        {"secret-file", "PATH", "read the secret from a file instead"},
        {"priorities", "p1,p2", "only alerts of these priorities"},
        {"kinds", "negative_review,sla_breach,volume_spike",
         "only alerts of these kinds"}},
       RunCreate},
      {{"webhooks", "list"},
       "",
       "list webhooks with delivery state, counts and last error",
       {},
       RunList},
      {{"webhooks", "delete"},
       "NAME",
       "delete a webhook and its queued deliveries (NAME: webhooks/ID or ID)",
       {},
       RunDelete},
  };
}

}  // namespace opinia::cli
