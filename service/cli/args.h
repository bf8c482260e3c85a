// Command-line parsing for the `opinia` client: positional words, `--k=v`,
// `--k v` and boolean `--flag` options. absl flags are global and awkward for
// git-style subcommands, so this small parser is used instead.
#ifndef OPINIA_SERVICE_CLI_ARGS_H_
#define OPINIA_SERVICE_CLI_ARGS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace opinia::cli {

// The parsed command line. Immutable after Parse().
class Args {
 public:
  // Parses argv[1..argc). Options named in `bool_options` take no value
  // (`--json`); every other option takes one (`--limit=5` or `--limit 5`).
  // "--" ends option parsing. Returns INVALID_ARGUMENT for an option that
  // needs a value but has none, or an option given twice.
  static absl::StatusOr<Args> Parse(
      int argc, const char* const* argv,
      const absl::flat_hash_set<std::string>& bool_options);

  const std::vector<std::string>& positional() const { return positional_; }
  const std::map<std::string, std::string>& options() const { return options_; }

  bool Has(absl::string_view name) const;
  // The option's value, or nullopt when it was not given.
  std::optional<std::string> Get(absl::string_view name) const;
  std::string GetOr(absl::string_view name, absl::string_view fallback) const;
  // INVALID_ARGUMENT naming the option when the value is not an integer in
  // [min, max].
  absl::StatusOr<int> GetInt(absl::string_view name, int fallback, int min,
                             int max) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::string> options_;
};

}  // namespace opinia::cli

#endif  // OPINIA_SERVICE_CLI_ARGS_H_
