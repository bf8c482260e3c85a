#include "service/core/collectors/platform.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace opinia::core::collectors {
namespace {

using opinia::v1::Collector;

std::string Cred(const Collector& spec, const char* key) {
  auto it = spec.credentials().find(key);
  return it == spec.credentials().end() ? "" : it->second;
}

// `url` with `param` (already encoded) added to its query.
std::string AddQuery(const std::string& url, const std::string& param) {
  return absl::StrCat(url, url.find('?') == std::string::npos ? "?" : "&",
                      param);
}

// `url` without the query parameter `name`.
std::string DropQuery(const std::string& url, const std::string& name) {
  const size_t q = url.find('?');
  if (q == std::string::npos) return url;
  std::string out = url.substr(0, q);
  std::string sep = "?";
  size_t start = q + 1;
  while (start <= url.size()) {
    size_t end = url.find('&', start);
    if (end == std::string::npos) end = url.size();
    const std::string part = url.substr(start, end - start);
    if (!part.empty() && part != name && !absl::StartsWith(part, name + "=")) {
      absl::StrAppend(&out, sep, part);
      sep = "&";
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

absl::Status ValidateCredentials(const Collector& spec,
                                 std::string_view field_sv) {
  const std::string field(field_sv);
  std::set<std::string> allowed;
  const char* required = nullptr;
  switch (spec.kind()) {
    case opinia::v1::GOOGLE_BUSINESS_PROFILE:
      allowed = {"bearer_token"};
      required = "bearer_token";
      break;
    case opinia::v1::TRUSTPILOT:
      allowed = {"api_key", "bearer_token"};
      required = "api_key";
      break;
    default:
      allowed = {"bearer_token", "api_key", "api_key_header", "username",
                 "password"};
  }
  for (const auto& [key, value] : spec.credentials()) {
    if (allowed.count(key) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, "[\"", key, "\"]: not used by ",
                       opinia::v1::CollectorKind_Name(spec.kind()),
                       "; allowed: ", absl::StrJoin(allowed, ", ")));
    }
    if (value.empty() || value.find_first_of("\r\n") != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, "[\"", key, "\"]: empty or contains a line break"));
    }
  }
  if (required != nullptr && Cred(spec, required).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, "[\"", required, "\"]: required for ",
                     opinia::v1::CollectorKind_Name(spec.kind())));
  }
  if (Cred(spec, "username").empty() != Cred(spec, "password").empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": username and password go together"));
  }
  return absl::OkStatus();
}

std::string FirstPageUrl(const Collector& spec) {
  switch (spec.kind()) {
    case opinia::v1::GOOGLE_BUSINESS_PROFILE:
      return AddQuery(
          DropQuery(DropQuery(spec.endpoint(), "pageToken"), "orderBy"),
          "pageSize=50&orderBy=updateTime%20desc");
    case opinia::v1::TRUSTPILOT:
      return AddQuery(DropQuery(DropQuery(spec.endpoint(), "page"), "orderBy"),
                      "perPage=100&orderBy=createdat.desc");
    default:
      return spec.endpoint();
  }
}

std::string NextPageUrl(const Collector& spec, const std::string& current,
                        const std::string& next) {
  if (spec.kind() == opinia::v1::GOOGLE_BUSINESS_PROFILE) {
    return AddQuery(DropQuery(current, "pageToken"),
                    absl::StrCat("pageToken=", UrlEncode(next)));
  }
  if (absl::StrContains(next, "://")) return next;
  // Relative reference: "/path?..." against the origin, "?..." against the
  // current path, anything else against the current directory.
  const size_t scheme = current.find("://");
  const size_t path_start =
      scheme == std::string::npos ? 0 : current.find('/', scheme + 3);
  const std::string origin =
      path_start == std::string::npos ? current : current.substr(0, path_start);
  if (absl::StartsWith(next, "/")) return origin + next;
  const std::string without_query = current.substr(0, current.find('?'));
  if (absl::StartsWith(next, "?")) return without_query + next;
  return without_query.substr(0, without_query.rfind('/') + 1) + next;
}

HttpHeaders RequestHeaders(const Collector& spec) {
  HttpHeaders h = {{"Accept", spec.kind() == opinia::v1::CSV_FEED
                                  ? "text/csv, */*"
                                  : "application/json"}};
  if (const std::string t = Cred(spec, "bearer_token"); !t.empty()) {
    h.emplace_back("Authorization", absl::StrCat("Bearer ", t));
  }
  if (const std::string k = Cred(spec, "api_key"); !k.empty()) {
    std::string name =
        spec.kind() == opinia::v1::TRUSTPILOT ? "apikey" : "X-Api-Key";
    if (const std::string n = Cred(spec, "api_key_header"); !n.empty()) {
      name = n;
    }
    h.emplace_back(name, k);
  }
  if (const std::string u = Cred(spec, "username"); !u.empty()) {
    h.emplace_back(
        "Authorization",
        absl::StrCat("Basic ", absl::Base64Escape(absl::StrCat(
                                   u, ":", Cred(spec, "password")))));
  }
  return h;
}

SortOrder PlatformOrder(opinia::v1::CollectorKind kind) {
  switch (kind) {
    case opinia::v1::GOOGLE_BUSINESS_PROFILE:
      return SortOrder::kUpdateTimeDesc;
    case opinia::v1::TRUSTPILOT:
      return SortOrder::kCreateTimeDesc;
    default:
      return SortOrder::kNone;
  }
}

}  // namespace opinia::core::collectors
