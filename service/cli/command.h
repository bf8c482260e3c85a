// The subcommand table of `opinia`: each command group file contributes its
// commands; main.cc dispatches on the leading positional words.
#ifndef OPINIA_SERVICE_CLI_COMMAND_H_
#define OPINIA_SERVICE_CLI_COMMAND_H_

#include <string>
#include <vector>

#include "service/cli/args.h"

namespace opinia::cli {

struct OptionHelp {
  std::string name;   // without "--"
  std::string value;  // placeholder such as "N"; empty for boolean options
  std::string help;
};

struct Command {
  std::vector<std::string> words;  // e.g. {"reviews", "list"}
  std::string operands;            // e.g. "NAME"; shown in usage
  std::string summary;
  std::vector<OptionHelp> options;  // besides the global ones
  // `operands` are the positional arguments after the command words.
  // Returns the process exit code (see connection.h).
  int (*run)(const Args& args, const std::vector<std::string>& operands);
};

std::vector<Command> IngestCommands();
std::vector<Command> ReviewCommands();
std::vector<Command> AdminCommands();
std::vector<Command> CollectorCommands();  // collectors_command.cc
std::vector<Command> AlertCommands();  // alerts_command.cc
std::vector<Command> WebhookCommands();  // webhooks_command.cc
std::vector<Command> InsightsCommands();  // insights_command.cc
std::vector<Command> SettingsCommands();  // settings_command.cc

// Options every command accepts (connection, output, help).
const std::vector<OptionHelp>& GlobalOptions();

}  // namespace opinia::cli

#endif  // OPINIA_SERVICE_CLI_COMMAND_H_
