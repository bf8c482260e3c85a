// AIP-158 pagination helpers: page sizes and opaque page tokens.
//
// A token is base64url(fingerprint || cursor || tag): fingerprint is 8 bytes
// of SHA-256 over everything that defines the result set (tenant and
// filter), tag 16 bytes of HMAC-SHA256 keyed by the database's server
// secret (storage::Store::ServerSecret) over the rest. A token replayed with
// another filter is refused instead of silently returning the wrong rows; a
// token with any byte changed, cut short or made by a server on another
// database is refused as malformed; tokens survive restarts and work on
// every replica sharing the database.
#ifndef OPINIA_SERVICE_CORE_UTIL_PAGING_H_
#define OPINIA_SERVICE_CORE_UTIL_PAGING_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace opinia::core {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// 0 -> kDefaultPageSize, above kMaxPageSize -> kMaxPageSize; negative:
// INVALID_ARGUMENT naming page_size.
absl::StatusOr<int> PageSize(int requested);

// `secret` is the server secret; `query` identifies the result set (any
// deterministic bytes).
std::string EncodePageToken(std::string_view secret, std::string_view query,
                            std::string_view cursor);
// The cursor of `token`. INVALID_ARGUMENT "page_token: malformed" when it is
// not one we made, "page_token: does not belong ..." when it was made for
// another query. Empty token: empty cursor.
absl::StatusOr<std::string> DecodePageToken(std::string_view secret,
                                            std::string_view query,
                                            std::string_view token);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_PAGING_H_
