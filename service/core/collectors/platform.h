// How each collector kind talks HTTP: the first page's URL, the next page's
// URL from what a page said, the credential headers, and whether the
// platform lists reviews newest first (so incremental sync can stop paging
// at the synced region).
//
// Credentials (Collector.credentials keys):
//   GOOGLE_BUSINESS_PROFILE  "bearer_token": an OAuth 2.0 access token with
//                            the business.manage scope ->
//                            "Authorization: Bearer <token>";
//   TRUSTPILOT               "api_key" -> header "apikey: <key>" (public
//                            reviews endpoint); "bearer_token" (optional,
//                            private endpoint) -> "Authorization: Bearer";
//   JSON_FEED, CSV_FEED      optional: "bearer_token" -> Bearer;
//                            "api_key" -> header named by "api_key_header"
//                            (default "X-Api-Key"); "username" +
//                            "password" -> HTTP Basic.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_PLATFORM_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_PLATFORM_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "opinia/v1/collectors.pb.h"
#include "service/core/http_client.h"

namespace opinia::core::collectors {

// Allowed credential keys per kind; INVALID_ARGUMENT naming
// `field["key"]` for another key, or `field["bearer_token"]` (GBP) /
// `field["api_key"]` (Trustpilot) when the required one is missing.
absl::Status ValidateCredentials(const opinia::v1::Collector& spec,
                                 std::string_view field);

// GBP asks for pageSize=50 ordered by updateTime desc; Trustpilot for
// perPage=100 ordered by createdat.desc; feeds use the endpoint as given.
std::string FirstPageUrl(const opinia::v1::Collector& spec);

// The URL of the page after `current` given the page's `next` (GBP: a
// pageToken; Trustpilot/JSON feed: a URL, absolute or relative to
// `current`).
std::string NextPageUrl(const opinia::v1::Collector& spec,
                        const std::string& current, const std::string& next);

HttpHeaders RequestHeaders(const opinia::v1::Collector& spec);

// GBP: by update time; Trustpilot: by create time; feeds: unknown order.
enum class SortOrder { kNone, kUpdateTimeDesc, kCreateTimeDesc };
SortOrder PlatformOrder(opinia::v1::CollectorKind kind);

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view s);

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_PLATFORM_H_
