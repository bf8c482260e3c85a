#include "service/http/security.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace opinia::http {

std::vector<std::pair<std::string, std::string>> SecurityHeaders() {
  return {{"Content-Security-Policy", kContentSecurityPolicy},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "no-referrer"},
          {"X-Frame-Options", "DENY"}};
}

absl::StatusOr<std::set<std::string>> ParseAllowedOrigins(
    absl::string_view flag) {
  std::set<std::string> origins;
  for (absl::string_view entry : absl::StrSplit(flag, ',', absl::SkipEmpty())) {
    entry = absl::StripAsciiWhitespace(entry);
    if (entry.empty()) continue;
    const std::string origin = absl::AsciiStrToLower(entry);
    absl::string_view rest = origin;
    const bool scheme_ok = absl::ConsumePrefix(&rest, "http://") ||
                           absl::ConsumePrefix(&rest, "https://");
    bool ok = scheme_ok && !rest.empty() &&
              rest.find_first_of("/?#@* ") == absl::string_view::npos;
    if (ok) {
      // An optional :PORT after the host (or after "[v6]").
      const size_t colon = rest.rfind(':');
      const size_t bracket = rest.rfind(']');
      if (colon != absl::string_view::npos &&
          (bracket == absl::string_view::npos || colon > bracket)) {
        int port = 0;
        ok = colon > 0 && absl::SimpleAtoi(rest.substr(colon + 1), &port) &&
             port > 0 && port < 65536;
      }
    }
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--http-allowed-origins: \"", entry,
          "\" is not an origin like https://app.example or "
          "http://localhost:3000 (scheme, host, optional port; no path, no "
          "*)"));
    }
    origins.insert(origin);
  }
  return origins;
}

std::optional<std::string> KeyParameter(
    const std::multimap<std::string, std::string>& params) {
  static constexpr const char* kKeyNames[] = {
      "key", "api_key", "apikey", "api-key", "access_token", "token",
      "authorization"};
  for (const auto& [name, value] : params) {
    for (const char* key : kKeyNames) {
      if (absl::EqualsIgnoreCase(name, key)) return name;
    }
  }
  return std::nullopt;
}

OriginVerdict JudgeOrigin(absl::string_view origin,
                          absl::string_view sec_fetch_site,
                          absl::string_view scheme, absl::string_view host,
                          const std::set<std::string>& allowed) {
  const std::string lower = absl::AsciiStrToLower(origin);
  const bool cross_site = absl::EqualsIgnoreCase(sec_fetch_site, "cross-site") ||
                          absl::EqualsIgnoreCase(sec_fetch_site, "same-site");
  if (!origin.empty()) {
    const bool own =
        !host.empty() &&
        lower == absl::AsciiStrToLower(absl::StrCat(scheme, "://", host));
    if (own && !cross_site) return OriginVerdict::kSameOrigin;
    return allowed.count(lower) != 0 ? OriginVerdict::kAllowed
                                     : OriginVerdict::kRefused;
  }
  return cross_site ? OriginVerdict::kRefused : OriginVerdict::kSameOrigin;
}

std::string LoggablePath(absl::string_view path) {
  constexpr size_t kMax = 200;
  std::string out;
  for (unsigned char c : path) {
    if (out.size() >= kMax) {
      out.append("...");
      break;
    }
    if (c > 0x20 && c < 0x7f && c != '%') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(&out, "%%%02X", c);
    }
  }
  return out;
}

}  // namespace opinia::http
