#include "service/core/alerts/webhook_signing.h"

#include <openssl/crypto.h>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "service/core/util/absl_sv.h"
#include "service/core/util/crypto.h"

namespace opinia::core {

std::string WebhookSignature(std::string_view secret, int64_t unix_seconds,
                             std::string_view body) {
  return absl::BytesToHexString(
      HmacSha256(secret, absl::StrCat(unix_seconds, ".", Av(body))));
}

std::string SignatureHeaderValue(std::string_view secret, absl::Time now,
                                 std::string_view body) {
  const int64_t t = absl::ToUnixSeconds(now);
  return absl::StrCat("t=", t, ",v1=", WebhookSignature(secret, t, body));
}

absl::Status VerifySignatureHeader(std::string_view secret,
                                   std::string_view header,
                                   std::string_view body, absl::Time now,
                                   absl::Duration tolerance) {
  int64_t t = 0;
  bool have_t = false;
  std::vector<std::string> candidates;
  for (absl::string_view part : absl::StrSplit(Av(header), ',')) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(part, absl::MaxSplits('=', 1));
    if (kv.first == "t") {
      have_t = absl::SimpleAtoi(kv.second, &t);
    } else if (kv.first == "v1") {
      candidates.emplace_back(kv.second);
    }
  }
  if (!have_t || candidates.empty()) {
    return absl::UnauthenticatedError("malformed Opinia-Signature header");
  }
  if (absl::AbsDuration(now - absl::FromUnixSeconds(t)) > tolerance) {
    return absl::UnauthenticatedError("signature timestamp outside tolerance");
  }
  const std::string expected = WebhookSignature(secret, t, body);
  for (const std::string& c : candidates) {
    if (c.size() == expected.size() &&
        CRYPTO_memcmp(c.data(), expected.data(), c.size()) == 0) {
      return absl::OkStatus();
    }
  }
  return absl::UnauthenticatedError("signature does not match");
}

}  // namespace opinia::core
