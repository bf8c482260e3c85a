#include "service/core/paging.h"

#include "absl/status/status.h"
#include "service/core/absl_sv.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "service/core/crypto.h"

namespace opinia::core {
namespace {

constexpr size_t kFingerprintBytes = 8;

std::string Fingerprint(std::string_view query) {
  return Sha256(query).substr(0, kFingerprintBytes);
}

}  // namespace

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

std::string EncodePageToken(std::string_view query, std::string_view cursor) {
  std::string token;
  absl::WebSafeBase64Escape(absl::StrCat(Fingerprint(query), Av(cursor)), &token);
  return token;
}

absl::StatusOr<std::string> DecodePageToken(std::string_view query,
                                            std::string_view token) {
  if (token.empty()) return std::string();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(Av(token), &raw) ||
      raw.size() <= kFingerprintBytes) {
    return absl::InvalidArgumentError("page_token: malformed");
  }
  if (raw.substr(0, kFingerprintBytes) != Fingerprint(query)) {
    return absl::InvalidArgumentError(
        "page_token: does not belong to this request (filters or order "
        "changed); start again without a token");
  }
  return raw.substr(kFingerprintBytes);
}

}  // namespace opinia::core
