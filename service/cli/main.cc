// opinia: the command-line client of opinia-server. Talks to the server only
// through the generated gRPC stubs.
#include <iostream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/cli/args.h"
#include "service/cli/command.h"
#include "service/cli/connection.h"

namespace opinia::cli {
namespace {

std::vector<Command> AllCommands() {
  std::vector<Command> all;
  for (auto group : {IngestCommands, ReviewCommands, AlertCommands, AdminCommands,
                     InsightsCommands, WebhookCommands, SettingsCommands}) {
    for (Command& c : group()) all.push_back(std::move(c));
  }
  for (Command& c : CollectorCommands()) all.push_back(std::move(c));
  return all;
}

std::string Usage(const Command& c) {
  std::string usage = absl::StrCat("opinia ", absl::StrJoin(c.words, " "));
  if (!c.operands.empty()) absl::StrAppend(&usage, " ", c.operands);
  return absl::StrCat(usage, " [options]");
}

void PrintOptions(const std::vector<OptionHelp>& options) {
  for (const OptionHelp& o : options) {
    std::string flag = absl::StrCat("--", o.name);
    if (!o.value.empty()) absl::StrAppend(&flag, "=", o.value);
    std::cout << "  " << flag
              << std::string(flag.size() < 26 ? 26 - flag.size() : 1, ' ')
              << o.help << "\n";
  }
}

void PrintMainHelp(const std::vector<Command>& commands) {
  std::cout << "opinia: command-line client of the Opinia review-monitoring "
               "server\n\nUsage: opinia COMMAND [options]\n\nCommands:\n";
  for (const Command& c : commands) {
    std::string head = absl::StrJoin(c.words, " ");
    if (!c.operands.empty()) absl::StrAppend(&head, " ", c.operands);
    std::cout << "  " << head
              << std::string(head.size() < 26 ? 26 - head.size() : 1, ' ')
              << c.summary << "\n";
  }
  std::cout << "\nGlobal options:\n";
  PrintOptions(GlobalOptions());
  std::cout << "\nEnvironment: OPINIA_ADDR (default " << kDefaultAddress
            << "), OPINIA_KEY, OPINIA_KEY_FILE.\n"
               "Exit codes: 0 ok, 1 the server answered an error, 2 usage or "
               "file error, 3 ingest finished with rejected items.\n"
               "Run 'opinia COMMAND --help' for the options of a command.\n";
}

void PrintCommandHelp(const Command& c) {
  std::cout << "Usage: " << Usage(c) << "\n\n" << c.summary << "\n";
  if (!c.options.empty()) {
    std::cout << "\nOptions:\n";
    PrintOptions(c.options);
  }
  std::cout << "\nGlobal options:\n";
  PrintOptions(GlobalOptions());
}

// The command whose words are the longest prefix of `positional`.
const Command* Match(const std::vector<Command>& commands,
                     const std::vector<std::string>& positional) {
  const Command* best = nullptr;
  for (const Command& c : commands) {
    if (c.words.size() > positional.size()) continue;
    if (!std::equal(c.words.begin(), c.words.end(), positional.begin()))
      continue;
    if (best == nullptr || c.words.size() > best->words.size()) best = &c;
  }
  return best;
}

int Main(int argc, char** argv) {
  const absl::flat_hash_set<std::string> bool_options = {
      "help", "json", "all", "tls", "secret-only", "no-progress", "full",
      "enabled", "disabled", "publish"};
  auto args = Args::Parse(argc, argv, bool_options);
  if (!args.ok()) return ReportUsageError(args.status().message());
  const std::vector<Command> commands = AllCommands();
  const auto& positional = args->positional();

  const Command* command = Match(commands, positional);
  if (command == nullptr) {
    if (positional.empty() || args->Has("help") || positional[0] == "help") {
      PrintMainHelp(commands);
      return positional.empty() && !args->Has("help") ? kExitUsage : kExitOk;
    }
    // A group word alone ("opinia keys") lists the group's commands.
    bool group = false;
    for (const Command& c : commands) {
      if (c.words.size() > 1 && c.words[0] == positional[0]) {
        if (!group) std::cerr << "Commands of '" << positional[0] << "':\n";
        group = true;
        std::cerr << "  " << Usage(c) << "\n      " << c.summary << "\n";
      }
    }
    if (group) return args->Has("help") ? kExitOk : kExitUsage;
    return ReportUsageError(absl::StrCat("unknown command '",
                                         absl::StrJoin(positional, " "),
                                         "'; see opinia --help"));
  }
  if (args->Has("help")) {
    PrintCommandHelp(*command);
    return kExitOk;
  }
  absl::flat_hash_set<std::string> allowed;
  for (const auto& o : GlobalOptions()) allowed.insert(o.name);
  for (const auto& o : command->options) allowed.insert(o.name);
  for (const auto& [name, value] : args->options()) {
    if (!allowed.contains(name)) {
      return ReportUsageError(
          absl::StrCat("unknown option --", name, " for 'opinia ",
                       absl::StrJoin(command->words, " "), "'; see --help"));
    }
  }
  std::vector<std::string> operands(positional.begin() + command->words.size(),
                                    positional.end());
  return command->run(*args, operands);
}

}  // namespace

const std::vector<OptionHelp>& GlobalOptions() {
  static const auto* options = new std::vector<OptionHelp>{
      {"addr", "HOST:PORT",
       "server address (env OPINIA_ADDR, default 127.0.0.1:50051)"},
      {"key", "SECRET", "API key (env OPINIA_KEY)"},
      {"key-file", "PATH",
       "read the API key from the first line of PATH "
       "(e.g. the server's bootstrap key file)"},
      {"tls", "", "use TLS with the system root certificates"},
      {"tls-ca", "PATH", "use TLS trusting the CA certificate in PATH"},
      {"timeout", "SECONDS", "deadline of each call (default 30)"},
      {"time-zone", "IANA",
       "show times in this zone (default: the tenant's zone when the key "
       "may read its settings, else UTC; trends and reports always use the "
       "tenant's)"},
      {"json", "", "machine-readable output: one JSON object per line"},
      {"help", "", "show help"},
  };
  return *options;
}

}  // namespace opinia::cli

int main(int argc, char** argv) { return opinia::cli::Main(argc, argv); }
