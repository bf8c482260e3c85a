#include "service/cli/args.h"

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace opinia::cli {

absl::StatusOr<Args> Args::Parse(
    int argc, const char* const* argv,
    const absl::flat_hash_set<std::string>& bool_options) {
  Args args;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string token = argv[i];
    if (options_done || token.size() < 2 || token[0] != '-') {
      args.positional_.push_back(token);
      continue;
    }
    if (token == "--") {
      options_done = true;
      continue;
    }
    if (token == "-h") token = "--help";
    if (token.rfind("--", 0) != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown option ", token, " (options look like --name)"));
    }
    std::string name = token.substr(2);
    std::string value;
    const size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (bool_options.contains(name)) {
      value = "true";
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("option --", name, " needs a value"));
    }
    if (!args.options_.emplace(name, value).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("option --", name, " given twice"));
    }
  }
  return args;
}

bool Args::Has(absl::string_view name) const {
  auto it = options_.find(std::string(name));
  return it != options_.end() && it->second != "false";
}

std::optional<std::string> Args::Get(absl::string_view name) const {
  auto it = options_.find(std::string(name));
  if (it == options_.end()) return std::nullopt;
  return it->second;
}

std::string Args::GetOr(absl::string_view name,
                        absl::string_view fallback) const {
  auto value = Get(name);
  return value ? *value : std::string(fallback);
}

absl::StatusOr<int> Args::GetInt(absl::string_view name, int fallback, int min,
                                 int max) const {
  auto value = Get(name);
  if (!value) return fallback;
  int n = 0;
  if (!absl::SimpleAtoi(*value, &n) || n < min || n > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " must be an integer in [", min, ", ", max,
                     "], got '", *value, "'"));
  }
  return n;
}

}  // namespace opinia::cli
