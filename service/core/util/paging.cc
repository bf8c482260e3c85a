#include "service/core/util/paging.h"

#include <openssl/crypto.h>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "service/core/util/absl_sv.h"
#include "service/core/util/crypto.h"

namespace opinia::core {
namespace {

constexpr size_t kFingerprintBytes = 8;
constexpr size_t kTagBytes = 16;

std::string Fingerprint(std::string_view query) {
  return Sha256(query).substr(0, kFingerprintBytes);
}

// The label keeps these tags apart from other MACs under the same secret.
std::string Tag(std::string_view secret, std::string_view signed_part) {
  return HmacSha256(secret,
                    absl::StrCat("opinia page token\n", Av(signed_part)))
      .substr(0, kTagBytes);
}

}  // namespace

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

std::string EncodePageToken(std::string_view secret, std::string_view query,
                            std::string_view cursor) {
  std::string raw = absl::StrCat(Fingerprint(query), Av(cursor));
  raw += Tag(secret, raw);
  std::string token;
  absl::WebSafeBase64Escape(raw, &token);
  return token;
}

absl::StatusOr<std::string> DecodePageToken(std::string_view secret,
                                            std::string_view query,
                                            std::string_view token) {
  if (token.empty()) return std::string();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(Av(token), &raw) ||
      raw.size() <= kFingerprintBytes + kTagBytes) {
    return absl::InvalidArgumentError("page_token: malformed");
  }
  const std::string_view signed_part(raw.data(), raw.size() - kTagBytes);
  const std::string tag = Tag(secret, signed_part);
  // base64 has several spellings of one byte string; the canonical one is
  // the only one we hand out.
  std::string canonical;
  absl::WebSafeBase64Escape(raw, &canonical);
  if (CRYPTO_memcmp(tag.data(), raw.data() + signed_part.size(), kTagBytes) !=
          0 ||
      canonical != token) {
    return absl::InvalidArgumentError("page_token: malformed");
  }
  if (raw.compare(0, kFingerprintBytes, Fingerprint(query)) != 0) {
    return absl::InvalidArgumentError(
        "page_token: does not belong to this request (filters or order "
        "changed); start again without a token");
  }
  return raw.substr(kFingerprintBytes,
                    raw.size() - kFingerprintBytes - kTagBytes);
}

}  // namespace opinia::core
