// Hashing and randomness for keys, ids and change detection (OpenSSL).
#ifndef OPINIA_SERVICE_CORE_UTIL_CRYPTO_H_
#define OPINIA_SERVICE_CORE_UTIL_CRYPTO_H_

#include <string>
#include <string_view>

namespace opinia::core {

// The 32-byte SHA-256 digest of `data`.
std::string Sha256(std::string_view data);
// Lowercase hex of Sha256(data): the stored form of API key secrets.
std::string Sha256Hex(std::string_view data);

// The 32-byte HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);

// `n` bytes from the OpenSSL CSPRNG. Aborts if the CSPRNG fails: running
// on with predictable secrets would be worse than stopping.
std::string RandomBytes(size_t n);

// A new API key secret: "opk_" + base64url(32 random bytes).
std::string NewApiKeySecret();

// A new resource id: `prefix` (a lowercase letter) + `hex_chars` random
// lowercase hex digits; valid under IsValidResourceId.
std::string NewResourceId(char prefix, int hex_chars);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_CRYPTO_H_
