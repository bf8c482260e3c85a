#include "service/core/collectors/format_util.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {

void ToProtoTime(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(t);
  int64_t seconds = micros / 1000000;
  int64_t rem = micros % 1000000;
  if (rem < 0) {
    rem += 1000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rem * 1000));
}

std::optional<google::protobuf::Timestamp> TimeOfText(std::string_view text) {
  std::optional<absl::Time> t = ParseTimeText(text);
  if (!t.has_value()) return std::nullopt;
  google::protobuf::Timestamp out;
  ToProtoTime(*t, &out);
  return out;
}

std::optional<google::protobuf::Timestamp> TimeOf(const JsonValue* value) {
  std::optional<std::string> text = ScalarText(value);
  if (!text.has_value()) return std::nullopt;
  return TimeOfText(*text);
}

int ParseRatingText(std::string_view raw) {
  const std::string text(
      absl::StripAsciiWhitespace(absl::string_view(raw.data(), raw.size())));
  double d = 0;
  if (text.empty() || !absl::SimpleAtod(text, &d) || !std::isfinite(d) ||
      d < 0 || d > 1e6) {
    return 0;
  }
  return static_cast<int>(std::lround(d));
}

int ParseRating(const JsonValue* value) {
  return ParseRatingText(ScalarText(value).value_or(""));
}

std::string TextAt(const JsonValue& value, std::string_view path) {
  return ScalarText(FindPath(value, path)).value_or("");
}

void SetReply(const std::string& text,
              const std::optional<google::protobuf::Timestamp>& time,
              const std::string& author, MappedReview* r) {
  if (text.empty()) return;
  r->has_reply = true;
  r->reply.set_text(text);
  if (!author.empty()) r->reply.set_author(author);
  if (time.has_value()) *r->reply.mutable_response_time() = *time;
}

absl::StatusOr<MappedPage> ParseReviewsPage(
    std::string_view body, const char* list_field,
    std::string (*next)(const JsonValue& doc),
    MappedReview (*map)(const JsonValue& item)) {
  ASSIGN_OR_RETURN(auto doc, ParseJson(body));
  if (!doc.has_struct_value()) {
    return absl::InvalidArgumentError("response: not a JSON object");
  }
  const JsonValue* list = FindPath(doc, list_field);
  if (list != nullptr && !list->has_list_value()) {
    return absl::InvalidArgumentError(absl::StrCat(list_field, ": not a list"));
  }
  MappedPage page;
  page.next = next(doc);
  if (list == nullptr) return page;  // GBP omits the field when empty
  for (const JsonValue& item : list->list_value().values()) {
    page.reviews.push_back(map(item));
  }
  return page;
}

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

std::string AddQuery(const std::string& url, const std::string& param) {
  return absl::StrCat(url, url.find('?') == std::string::npos ? "?" : "&",
                      param);
}

std::string QueryValue(const std::string& url, const std::string& name) {
  const size_t q = url.find('?');
  if (q == std::string::npos) return "";
  for (absl::string_view part :
       absl::StrSplit(absl::string_view(url).substr(q + 1), '&')) {
    if (absl::StartsWith(part, name + "=")) {
      return std::string(part.substr(name.size() + 1));
    }
  }
  return "";
}

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

std::string ReplaceQuery(std::string url,
                         std::initializer_list<const char*> names,
                         const std::string& params) {
  for (const char* name : names) url = DropQuery(url, name);
  return AddQuery(url, params);
}

std::string ResolveUrl(const std::string& current, const std::string& next) {
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

absl::Status CheckCredentialHeaderName(std::string_view name,
                                       std::string_view where) {
  // RFC 7230 token characters.
  static constexpr absl::string_view kTokenPunct = "!#$%&'*+-.^_`|~";
  const bool token =
      !name.empty() && name.size() <= 64 &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return absl::ascii_isalnum(c) ||
               kTokenPunct.find(c) != absl::string_view::npos;
      });
  if (!token) {
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(where),
        ": not a header name (1..64 letters, digits or !#$%&'*+-.^_`|~)"));
  }
  // Headers the exchange itself depends on, that servers or proxies trust,
  // or that have a field of their own (Authorization: bearer_token,
  // username/password).
  static constexpr const char* kReserved[] = {
      "host",           "content-length",      "transfer-encoding",
      "connection",     "cookie",              "authorization",
      "metadata-flavor", "forwarded",          "proxy-authorization",
      "proxy-connection", "keep-alive",        "te",
      "trailer",        "upgrade",             "expect",
      "content-type",   "accept"};
  const std::string lower = absl::AsciiStrToLower(
      absl::string_view(name.data(), name.size()));
  bool reserved = absl::StartsWith(lower, "x-forwarded-");
  for (const char* r : kReserved) reserved = reserved || lower == r;
  if (reserved) {
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(where), ": ", lower,
        " cannot carry a credential (reserved: Host, Content-Length, "
        "Transfer-Encoding, Connection, Cookie, Authorization, "
        "Metadata-Flavor, Forwarded, X-Forwarded-*, hop-by-hop headers, "
        "Accept and Content-Type)"));
  }
  return absl::OkStatus();
}

std::string Cred(const Credentials& credentials, const char* key) {
  auto it = credentials.find(key);
  return it == credentials.end() ? "" : it->second;
}

absl::Status CheckEndpointPath(const std::string& endpoint,
                               std::string_view field, const char* contains,
                               const char* ends_with, const char* what,
                               const char* example) {
  const std::string path = UrlWithoutQuery(endpoint);
  if (absl::StrContains(path, contains) && absl::EndsWith(path, ends_with)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(field), ": ", what, ", e.g. ", example));
}

absl::Status CheckCredentials(opinia::v1::CollectorKind kind,
                              const Credentials& credentials,
                              const std::set<std::string>& allowed,
                              const char* required, std::string_view field_sv) {
  const std::string field(field_sv);
  for (const auto& [key, value] : credentials) {
    if (allowed.count(key) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, "[\"", key, "\"]: not used by ",
                       opinia::v1::CollectorKind_Name(kind),
                       "; allowed: ", absl::StrJoin(allowed, ", ")));
    }
    if (MultilineCredential(key)) {
      if (value.empty() || value.size() > kMaxKeyCredentialBytes) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, "[\"", key, "\"]: empty or longer than ",
                         kMaxKeyCredentialBytes, " bytes"));
      }
    } else if (value.empty() ||
               value.find_first_of("\r\n") != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, "[\"", key, "\"]: empty or contains a line break"));
    }
    if (key == "api_key_header") {
      RETURN_IF_ERROR(CheckCredentialHeaderName(
          value, absl::StrCat(field, "[\"", key, "\"]")));
    }
  }
  if (required != nullptr && Cred(credentials, required).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, "[\"", required, "\"]: required for ",
                     opinia::v1::CollectorKind_Name(kind)));
  }
  if (Cred(credentials, "username").empty() !=
      Cred(credentials, "password").empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": username and password go together"));
  }
  return absl::OkStatus();
}

absl::Status CheckAuthKind(opinia::v1::CollectorKind kind,
                           const AuthSpec& auth, const Credentials& credentials,
                           std::string_view field_sv) {
  if (auth.kinds.empty()) return absl::OkStatus();
  const std::string field(field_sv);
  const std::string platform = opinia::v1::CollectorKind_Name(kind);
  const std::optional<AuthKind> used = AuthKindOf(auth, credentials);
  if (!used.has_value()) {
    std::vector<std::string> ways;
    for (AuthKind k : auth.kinds) {
      ways.push_back(absl::StrCat(AuthKindName(k), " (",
                                  absl::StrJoin(KeysOf(k).required, ", "),
                                  ")"));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        field, "[\"", KeysOf(auth.kinds.front()).required.front(),
        "\"]: required for ", platform, "; give one of: ",
        absl::StrJoin(ways, " or ")));
  }
  for (const char* key : KeysOf(*used).required) {
    if (credentials.count(key) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, "[\"", key, "\"]: required with an ",
                       AuthKindName(*used), " for ", platform));
    }
  }
  std::set<std::string_view> mine;
  for (const auto* keys : {&KeysOf(*used).required, &KeysOf(*used).optional}) {
    mine.insert(keys->begin(), keys->end());
  }
  for (AuthKind other : auth.kinds) {
    for (const auto* keys :
         {&KeysOf(other).required, &KeysOf(other).optional}) {
      for (const char* key : *keys) {
        if (mine.count(key) == 0 && credentials.count(key) > 0) {
          return absl::InvalidArgumentError(absl::StrCat(
              field, "[\"", key, "\"]: not used with an ",
              AuthKindName(*used), "; give one kind of credentials"));
        }
      }
    }
  }
  return absl::OkStatus();
}

HttpHeaders CredentialHeaders(const Credentials& credentials,
                              std::string_view accept,
                              std::string_view api_key_header) {
  HttpHeaders h = {{"Accept", std::string(accept)}};
  if (const std::string t = Cred(credentials, "bearer_token"); !t.empty()) {
    h.emplace_back("Authorization", absl::StrCat("Bearer ", t));
  }
  if (const std::string k = Cred(credentials, "api_key"); !k.empty()) {
    std::string name(api_key_header);
    if (const std::string n = Cred(credentials, "api_key_header"); !n.empty()) {
      name = n;
    }
    h.emplace_back(name, k);
  }
  if (const std::string u = Cred(credentials, "username"); !u.empty()) {
    h.emplace_back(
        "Authorization",
        absl::StrCat("Basic ", absl::Base64Escape(absl::StrCat(
                                   u, ":", Cred(credentials, "password")))));
  }
  return h;
}

std::string JsonObjectOf(
    std::initializer_list<std::pair<const char*, std::string>> fields) {
  // Each value printed by protobuf's JSON printer (escaping), in order.
  std::string out = "{";
  for (const auto& [key, value] : fields) {
    google::protobuf::Value v;
    v.set_string_value(value);
    std::string text;
    (void)google::protobuf::util::MessageToJsonString(v, &text);
    absl::StrAppend(&out, out.size() > 1 ? "," : "", "\"", key, "\":", text);
  }
  return out + "}";
}

ReplyHttpRequest ReplyCall(const char* method, std::string url,
                           HttpHeaders headers, std::string body) {
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
  return ReplyHttpRequest{method, std::move(url), std::move(headers),
                          std::move(body)};
}

absl::StatusOr<PlatformReply> ParseReviewReply(
    std::string_view body, MappedReview (*map)(const JsonValue& item)) {
  ASSIGN_OR_RETURN(JsonValue doc, ParseJson(body));
  if (!doc.has_struct_value()) {
    return absl::InvalidArgumentError("review: not a JSON object");
  }
  const MappedReview review = map(doc);
  PlatformReply reply;
  reply.exists = review.has_reply;
  reply.text = review.reply.text();
  if (review.reply.has_response_time()) {
    reply.update_time = absl::FromUnixSeconds(
                            review.reply.response_time().seconds()) +
                        absl::Nanoseconds(review.reply.response_time().nanos());
  }
  return reply;
}

absl::Status CheckReplyTarget(const ReplyTarget& target) {
  if (target.review.external_id().empty()) {
    return absl::FailedPreconditionError(
        "review: it has no external_id (the platform's review id)");
  }
  return absl::OkStatus();
}

}  // namespace opinia::core::collectors
