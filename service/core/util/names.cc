#include "service/core/util/names.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/core/util/absl_sv.h"

namespace opinia::core {
namespace {

constexpr std::string_view kReviews = "reviews";
constexpr std::string_view kTenants = "tenants/";
constexpr std::string_view kApiKeys = "apiKeys/";

absl::Status Malformed(std::string_view field, std::string_view name,
                       std::string_view expected) {
  return absl::InvalidArgumentError(absl::StrCat(
      Av(field), ": malformed name \"", Av(name.substr(0, 100)),
      "\", expected \"", Av(expected), "\""));
}

absl::StatusOr<std::string> ParseIdName(std::string_view name,
                                        std::string_view prefix,
                                        std::string_view field) {
  if (!absl::StartsWith(Av(name), Av(prefix)) ||
      !IsValidResourceId(name.substr(prefix.size()))) {
    return Malformed(field, name, absl::StrCat(Av(prefix), "{id}"));
  }
  return std::string(name.substr(prefix.size()));
}

}  // namespace

bool IsValidResourceId(std::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  if (!absl::ascii_islower(id.front()) || id.back() == '-') return false;
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
      return false;
    }
  }
  return true;
}

absl::StatusOr<int64_t> ParseNumericName(std::string_view name,
                                         std::string_view collection,
                                         std::string_view field) {
  const std::string prefix = absl::StrCat(Av(collection), "/");
  std::string_view digits = name;
  bool canonical = absl::StartsWith(Av(name), prefix);
  if (canonical) digits.remove_prefix(prefix.size());
  // At most 19 digits, the first not 0: SimpleAtoi alone would also take
  // a sign, surrounding spaces and leading zeros.
  canonical = canonical && !digits.empty() && digits.size() <= 19 &&
              digits.front() != '0';
  for (char c : digits) canonical = canonical && absl::ascii_isdigit(c);
  int64_t id = 0;
  if (!canonical || !absl::SimpleAtoi(Av(digits), &id) || id <= 0) {
    return Malformed(field, name, absl::StrCat(prefix, "{id}"));
  }
  return id;
}

std::string ReviewName(int64_t id) {
  return absl::StrCat(Av(kReviews), "/", id);
}

absl::StatusOr<int64_t> ParseReviewName(std::string_view name,
                                        std::string_view field) {
  return ParseNumericName(name, kReviews, field);
}

std::string TenantName(std::string_view id) {
  return absl::StrCat(Av(kTenants), Av(id));
}

absl::StatusOr<std::string> ParseTenantName(std::string_view name,
                                            std::string_view field) {
  return ParseIdName(name, kTenants, field);
}

std::string ApiKeyName(std::string_view id) {
  return absl::StrCat(Av(kApiKeys), Av(id));
}

absl::StatusOr<std::string> ParseApiKeyName(std::string_view name,
                                            std::string_view field) {
  return ParseIdName(name, kApiKeys, field);
}

}  // namespace opinia::core
