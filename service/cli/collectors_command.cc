// `opinia collectors add|update|list|get|run|remove`: CollectorService.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "opinia/v1/collectors.grpc.pb.h"
#include "service/cli/collectors_flags.h"
#include "service/cli/command.h"
#include "service/cli/connection.h"
#include "service/cli/format.h"
#include "service/cli/table.h"

namespace opinia::cli {
namespace {

using opinia::v1::Collector;
using opinia::v1::CollectorService;

void PrintCollector(const Collector& c) {
  const auto& s = c.state();
  std::cout << c.name() << "\n"
            << "  kind           " << KindFlagName(c.kind()) << "\n"
            << "  endpoint       " << c.endpoint() << "\n"
            << "  source         " << c.source() << "\n"
            << "  subject_id     " << c.subject_id() << "\n"
            << "  poll interval  "
            << (c.poll_interval_seconds() > 0
                    ? absl::StrCat(c.poll_interval_seconds(), " s")
                    : std::string("manual (opinia collectors run)"))
            << "\n";
  for (const auto& [k, v] : c.mapping()) {
    std::cout << "  mapping        " << k << " = " << v << "\n";
  }
  std::cout << "  last run       "
            << (s.has_last_run_time() ? LongTime(s.last_run_time()) : "never")
            << "\n  last success   "
            << (s.has_last_success_time() ? LongTime(s.last_success_time())
                                          : "never")
            << "\n  last full sync "
            << (s.has_last_full_sync_time()
                    ? LongTime(s.last_full_sync_time())
                    : "never")
            << "\n  next run       "
            << (s.has_next_run_time() ? LongTime(s.next_run_time()) : "-")
            << "\n  fetched        " << s.reviews_fetched()
            << "\n  cursor         " << s.cursor()
            << "\n  last error     " << s.last_error() << "\n";
}

int RunAdd(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) return ReportUsageError("collectors add: no operands");
  auto collector = CollectorFromFlags(args, /*require_all=*/true);
  if (!collector.ok()) return ReportUsageError(collector.status().message());
  opinia::v1::CreateCollectorRequest request;
  *request.mutable_collector() = *collector;
  Collector out;
  if (int rc = CallOnce(args, &CollectorService::Stub::CreateCollector,
                        "CreateCollector", request, &out)) {
    return rc;
  }
  PrintJsonOr(args, out,
              [&] { std::cout << "created " << out.name() << "\n"; });
  return kExitOk;
}

// New credentials (they replace all of them: UpdateCollector's mask
// "credentials"), and --poll when given.
int RunUpdate(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1) {
    return ReportUsageError("collectors update: expected one NAME");
  }
  auto credentials = CredentialsFromFlags(args);
  if (!credentials.ok()) return ReportUsageError(credentials.status().message());
  opinia::v1::UpdateCollectorRequest request;
  request.mutable_collector()->set_name(operands[0]);
  if (!credentials->empty()) {
    for (const auto& [k, v] : *credentials) {
      (*request.mutable_collector()->mutable_credentials())[k] = v;
    }
    request.mutable_update_mask()->add_paths("credentials");
  }
  if (args.Has("poll")) {
    auto poll = args.GetInt("poll", 0, 0, 7 * 24 * 3600);
    if (!poll.ok()) return ReportUsageError(poll.status().message());
    request.mutable_collector()->set_poll_interval_seconds(*poll);
    request.mutable_update_mask()->add_paths("poll_interval_seconds");
  }
  if (request.update_mask().paths().empty()) {
    return ReportUsageError(
        "collectors update: give new credentials (e.g. --refresh-token) or "
        "--poll");
  }
  Collector out;
  if (int rc = CallOnce(args, &CollectorService::Stub::UpdateCollector,
                        "UpdateCollector", request, &out)) {
    return rc;
  }
  PrintJsonOr(args, out, [&] { std::cout << "updated " << out.name() << "\n"; });
  return kExitOk;
}

int RunList(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) return ReportUsageError("collectors list: no operands");
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());
  Table table({{"NAME"},
               {"KIND"},
               {"SOURCE"},
               {"POLL", 0, true},
               {"LAST RUN (UTC)"},
               {"FETCHED", 0, true},
               {"LAST ERROR", 0, false, true}});
  opinia::v1::ListCollectorsRequest request;
  request.set_page_size(100);
  while (true) {
    opinia::v1::ListCollectorsResponse page;
    if (!Call(**connection, &CollectorService::Stub::ListCollectors,
              "ListCollectors", request, &page)) {
      return kExitRpcError;
    }
    for (const Collector& c : page.collectors()) {
      if (args.Has("json")) {
        std::cout << ToJsonLine(c) << "\n";
        continue;
      }
      table.AddRow({c.name(), KindFlagName(c.kind()), c.source(),
                    c.poll_interval_seconds() > 0
                        ? absl::StrCat(c.poll_interval_seconds(), "s")
                        : "manual",
                    c.state().has_last_run_time()
                        ? ShortTime(c.state().last_run_time())
                        : "never",
                    absl::StrCat(c.state().reviews_fetched()),
                    OneLine(c.state().last_error())});
    }
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  if (!args.Has("json")) table.Print(std::cout, TerminalWidth(120));
  return kExitOk;
}

int RunGet(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1) return ReportUsageError("usage: opinia collectors get NAME");
  opinia::v1::GetCollectorRequest request;
  request.set_name(QualifyName("collectors", operands[0]));
  Collector out;
  if (int rc = CallOnce(args, &CollectorService::Stub::GetCollector,
                        "GetCollector", request, &out)) {
    return rc;
  }
  PrintJsonOr(args, out, [&] { PrintCollector(out); });
  return kExitOk;
}

int RunRun(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1) return ReportUsageError("usage: opinia collectors run NAME [--full]");
  opinia::v1::RunCollectorRequest request;
  request.set_name(QualifyName("collectors", operands[0]));
  request.set_full(args.Has("full"));
  opinia::v1::RunCollectorResponse out;
  if (int rc = CallOnce(args, &CollectorService::Stub::RunCollector,
                        "RunCollector", request, &out)) {
    return rc;
  }
  if (args.Has("json")) {
    std::cout << ToJsonLine(out) << "\n";
    return kExitOk;
  }
  std::cout << absl::StrFormat(
      "%s: fetched %d, created %d, updated %d, unchanged %d, deleted %d, "
      "rejected %d\n",
      request.name(), out.fetched(), out.created(), out.updated(),
      out.unchanged(), out.deleted(), out.rejected());
  return out.rejected() > 0 ? kExitPartial : kExitOk;
}

int RunRemove(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1) return ReportUsageError("usage: opinia collectors remove NAME");
  opinia::v1::DeleteCollectorRequest request;
  request.set_name(QualifyName("collectors", operands[0]));
  opinia::v1::DeleteCollectorResponse out;
  if (int rc = CallOnce(args, &CollectorService::Stub::DeleteCollector,
                        "DeleteCollector", request, &out)) {
    return rc;
  }
  std::cout << "removed " << request.name()
            << " (the reviews it collected stay)\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> CollectorCommands() {
  std::vector<Command> commands = {
      {{"collectors", "add"},
       "",
       "create a collector pulling reviews from a platform (admin key)",
       CollectorFlagHelp(),
       RunAdd},
      {{"collectors", "update"},
       "NAME",
       "replace a collector's credentials (all of them) and/or its poll "
       "interval",
       [] {
         std::vector<OptionHelp> help = CredentialFlagHelp();
         help.push_back({"poll", "SECONDS", "poll interval"});
         return help;
       }(),
       RunUpdate},
      {{"collectors", "list"}, "", "list collectors and their state", {},
       RunList},
      {{"collectors", "get"}, "NAME", "show a collector and its sync state",
       {}, RunGet},
      {{"collectors", "run"},
       "NAME",
       "sync now and print the counts (the server answers when done)",
       {{"full", "", "full re-crawl: also marks removed reviews deleted"}},
       RunRun},
      {{"collectors", "remove"}, "NAME",
       "delete a collector (its reviews stay)", {}, RunRemove},
  };
  for (Command& c : ImportCommands()) commands.push_back(std::move(c));
  return commands;
}

}  // namespace opinia::cli
