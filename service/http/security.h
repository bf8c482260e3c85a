// The HTTP side's security rules (README "JSON API (HTTP)"): the headers
// every response carries, cross-origin requests (no CORS unless the origin
// is allowed by --http-allowed-origins; a cross-origin write is refused),
// and API keys never in URLs.
#ifndef OPINIA_SERVICE_HTTP_SECURITY_H_
#define OPINIA_SERVICE_HTTP_SECURITY_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/status/statusor.h"

namespace opinia::http {

// Content-Security-Policy of every response: the dashboard's own scripts,
// styles, images and fonts only; no inline code, no eval, no other origin,
// no framing.
inline constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' "
    "data:; connect-src 'self'; font-src 'self'; media-src 'self' data:; "
    "manifest-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

// The headers of every response (name, value).
std::vector<std::pair<std::string, std::string>> SecurityHeaders();

// --http-allowed-origins: a comma-separated list of origins
// "scheme://host[:port]" (http or https, no path, no "*"), normalised to
// lower case. INVALID_ARGUMENT naming a bad entry.
absl::StatusOr<std::set<std::string>> ParseAllowedOrigins(
    absl::string_view flag);

// The query parameter that carries an API key ("key", "api_key",
// "access_token", "token", ... case-insensitive), if any: such a request
// is refused and its URL never logged.
std::optional<std::string> KeyParameter(
    const std::multimap<std::string, std::string>& params);

enum class OriginVerdict {
  kSameOrigin,  // no Origin, or the server's own (and no cross-site fetch)
  kAllowed,     // another origin on the allow-list
  kRefused,     // another origin, not allowed
};

// Where a request comes from: its Origin header against the server's own
// origin (`scheme`://`host` from the Host header) and `allowed`;
// Sec-Fetch-Site "cross-site"/"same-site" also means another origin.
OriginVerdict JudgeOrigin(absl::string_view origin,
                          absl::string_view sec_fetch_site,
                          absl::string_view scheme, absl::string_view host,
                          const std::set<std::string>& allowed);

// `path` for a log line: bytes outside printable ASCII percent-encoded,
// cut at 200 characters.
std::string LoggablePath(absl::string_view path);

}  // namespace opinia::http

#endif  // OPINIA_SERVICE_HTTP_SECURITY_H_
