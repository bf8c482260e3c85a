// Flags shared by `opinia collectors add` and `opinia import`: the kind, the
// field mapping and the credentials of a collector.
#ifndef OPINIA_SERVICE_CLI_COLLECTORS_FLAGS_H_
#define OPINIA_SERVICE_CLI_COLLECTORS_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "opinia/v1/collectors.pb.h"
#include "service/cli/args.h"
#include "service/cli/command.h"

namespace opinia::cli {

// The collector kinds' names on the command line (the table in
// collectors_flags.cc; one row per CollectorKind but UNSPECIFIED):
// "gbp"|"google", "trustpilot", "json", "csv" -> kind; INVALID_ARGUMENT
// naming --kind/--format otherwise.
absl::StatusOr<opinia::v1::CollectorKind> ParseKind(const std::string& text,
                                                    const char* flag);
// The name shown for `kind` ("gbp"); "?" for one not in the table.
std::string KindFlagName(opinia::v1::CollectorKind kind);
// "gbp|trustpilot|json|csv", for help texts.
std::string KindFlagNames();

// "--mapping=external_id=id,text=body.text" -> map; INVALID_ARGUMENT for a
// pair without '='.
absl::StatusOr<std::map<std::string, std::string>> ParseMapping(
    const std::string& text);

// A Collector from --kind, --endpoint, --source, --subject, --poll,
// --mapping and the credential flags (CredentialsFromFlags). The server
// validates the rest.
absl::StatusOr<opinia::v1::Collector> CollectorFromFlags(const Args& args,
                                                         bool require_all);
std::vector<OptionHelp> CollectorFlagHelp();

// The credentials the flags give (--bearer-token, --refresh-token, the key
// files read, ...); INVALID_ARGUMENT naming an unreadable key file.
absl::StatusOr<std::map<std::string, std::string>> CredentialsFromFlags(
    const Args& args);
// CollectorFlagHelp's credential flags.
std::vector<OptionHelp> CredentialFlagHelp();

// `opinia import` (import_command.cc).
std::vector<Command> ImportCommands();

}  // namespace opinia::cli

#endif  // OPINIA_SERVICE_CLI_COLLECTORS_FLAGS_H_
