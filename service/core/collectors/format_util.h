// Helpers shared by the platforms (platform.h): reading values out of a
// page, and building a platform's requests. Internal to opinia_review_formats.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_FORMAT_UTIL_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_FORMAT_UTIL_H_

#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "service/core/collectors/json_value.h"
#include "service/core/collectors/platform.h"

namespace opinia::core::collectors {

// --- Reading a page.

void ToProtoTime(absl::Time t, google::protobuf::Timestamp* out);

// A time value (ParseTimeText); nullopt when missing or unparseable (the
// caller then leaves the field unset: calling mutable_*() would set it).
std::optional<google::protobuf::Timestamp> TimeOf(const JsonValue* value);
std::optional<google::protobuf::Timestamp> TimeOfText(std::string_view text);

// A rating from a number or numeric text, rounded; 0 when absent or not a
// number (ingest validates the range).
int ParseRating(const JsonValue* value);
int ParseRatingText(std::string_view text);

// The text at `path` of `value`; "" when missing (ScalarText).
std::string TextAt(const JsonValue& value, std::string_view path);

// Records the owner's reply in *r when `text` is not empty.
void SetReply(const std::string& text,
              const std::optional<google::protobuf::Timestamp>& time,
              const std::string& author, MappedReview* r);

// A platform's JSON page: an object whose `list_field` (absent: no
// reviews) lists the reviews, each mapped by `map`; `next` reads where the
// next page is from the document. INVALID_ARGUMENT for malformed JSON, a
// document that is not an object or a `list_field` that is not a list.
absl::StatusOr<MappedPage> ParseReviewsPage(
    std::string_view body, const char* list_field,
    std::string (*next)(const JsonValue& doc),
    MappedReview (*map)(const JsonValue& item));

// --- Building requests.

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view s);
// `url` with `param` (already encoded) added to its query.
std::string AddQuery(const std::string& url, const std::string& param);
// The value of query parameter `name` of `url` as it is (still encoded);
// "" when absent.
std::string QueryValue(const std::string& url, const std::string& name);
// `url` without the query parameter `name`.
std::string DropQuery(const std::string& url, const std::string& name);
// `url` without the query parameters `names`, then with `params` (already
// encoded) added: a platform's own paging and order on a given endpoint.
std::string ReplaceQuery(std::string url,
                         std::initializer_list<const char*> names,
                         const std::string& params);
// `next` (absolute, "/path?...", "?..." or relative to the directory)
// resolved against `current`.
std::string ResolveUrl(const std::string& current, const std::string& next);

// An endpoint whose path (without query) contains `contains` and ends
// with `ends_with`; else INVALID_ARGUMENT "<field>: <what>, e.g.
// <example>".
absl::Status CheckEndpointPath(const std::string& endpoint,
                               std::string_view field, const char* contains,
                               const char* ends_with, const char* what,
                               const char* example);

// A custom credential header (credentials["api_key_header"]): an RFC 7230
// token of at most 64 bytes, and not Host, Content-Length,
// Transfer-Encoding, Connection, Cookie, Authorization (bearer_token and
// username/password have their own keys), Metadata-Flavor, Forwarded,
// X-Forwarded-*, a hop-by-hop header, Accept or Content-Type
// (case-insensitive). INVALID_ARGUMENT naming `where`.
absl::Status CheckCredentialHeaderName(std::string_view name,
                                       std::string_view where);

// The credential `key`; "" when absent.
std::string Cred(const Credentials& credentials, const char* key);

// Credentials of a platform of `kind` that takes the keys `allowed` and
// needs `required` (nullptr: none): INVALID_ARGUMENT naming
// `field["key"]` for another key, an empty value or one with a line break,
// an api_key_header CheckCredentialHeaderName refuses, a missing required
// key, or a username without a password (or back).
absl::Status CheckCredentials(opinia::v1::CollectorKind kind,
                              const Credentials& credentials,
                              const std::set<std::string>& allowed,
                              const char* required, std::string_view field);

// With `auth` declaring kinds (auth_kind.h): the credentials are of
// exactly one kind, with all its required keys. INVALID_ARGUMENT naming
// `field["key"]`: the first kind's first key when none is given, a
// missing required key, or a key of another kind.
absl::Status CheckAuthKind(opinia::v1::CollectorKind kind,
                           const AuthSpec& auth, const Credentials& credentials,
                           std::string_view field);

// Headers of every request: Accept, then from the credentials
// "bearer_token" -> Authorization: Bearer; "api_key" -> a header named by
// "api_key_header", else `api_key_header`; "username" + "password" ->
// Authorization: Basic.
HttpHeaders CredentialHeaders(const Credentials& credentials,
                              std::string_view accept,
                              std::string_view api_key_header);

// --- Replies (reply.h).

// A JSON object of string fields, in order: {"k": "v", ...}.
std::string JsonObjectOf(
    std::initializer_list<std::pair<const char*, std::string>> fields);

// A reply call on `url`: `method`, `headers` plus Content-Type JSON when
// there is a `body`.
ReplyHttpRequest ReplyCall(const char* method, std::string url,
                           HttpHeaders headers, std::string body = "");

// The reply in a body holding one review of the platform, mapped by `map`
// (the platform's page item mapping). INVALID_ARGUMENT when the body is not
// a JSON object.
absl::StatusOr<PlatformReply> ParseReviewReply(
    std::string_view body, MappedReview (*map)(const JsonValue& item));

// FAILED_PRECONDITION "review: ..." when the review has no external id
// (the platform's id every reply call names).
absl::Status CheckReplyTarget(const ReplyTarget& target);

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_FORMAT_UTIL_H_
