// Signed JSON Web Tokens (RFC 7519, compact JWS) for platform APIs that
// authenticate with a private key: RS256 (Google service accounts) and
// ES256 (App Store Connect), signed with OpenSSL.
#ifndef OPINIA_SERVICE_CORE_UTIL_JWT_H_
#define OPINIA_SERVICE_CORE_UTIL_JWT_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace opinia::core {

enum class JwtAlgorithm {
  kRs256,  // RSASSA-PKCS1-v1_5 with SHA-256; an RSA key of >= 2048 bits
  kEs256,  // ECDSA P-256 with SHA-256; the signature is r||s (64 bytes,
           // RFC 7518 §3.4), not DER
};

// base64url without padding (RFC 7515 §2).
std::string Base64Url(std::string_view data);

// INVALID_ARGUMENT unless `pem` is a PEM private key (PKCS#8 "PRIVATE KEY",
// or the traditional RSA/EC forms) that `alg` signs with. The message
// never quotes the key.
absl::Status CheckJwtKey(JwtAlgorithm alg, std::string_view pem);

// base64url(header).base64url(claims).base64url(signature), where header
// and claims are JSON texts as given (the caller puts "alg": "RS256" or
// "ES256" in the header). CheckJwtKey's errors; INTERNAL when OpenSSL fails to sign.
absl::StatusOr<std::string> SignJwt(JwtAlgorithm alg, std::string_view pem,
                                    std::string_view header_json,
                                    std::string_view claims_json);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_JWT_H_
