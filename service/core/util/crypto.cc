#include "service/core/util/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/escaping.h"

namespace opinia::core {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "opinia: %s\n", what);
  std::abort();
}

}  // namespace

std::string Sha256(std::string_view data) {
  // Fetched once: EVP_sha256() makes every EVP_Digest look the
  // implementation up in the provider again (ingest hashes each review
  // twice). Never freed; thread-safe to share.
  static EVP_MD* const kSha256 = [] {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (md == nullptr) Die("SHA-256 unavailable");
    return md;
  }();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, kSha256,
                 nullptr) != 1) {
    Die("SHA-256 failed");
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           digest, &size) == nullptr) {
    Die("HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string Sha256Hex(std::string_view data) {
  return absl::BytesToHexString(Sha256(data));
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()),
                 static_cast<int>(n)) != 1) {
    Die("CSPRNG failed");
  }
  return out;
}

std::string NewApiKeySecret() {
  std::string encoded;
  absl::WebSafeBase64Escape(RandomBytes(32), &encoded);
  return "opk_" + encoded;
}

std::string NewResourceId(char prefix, int hex_chars) {
  std::string hex = absl::BytesToHexString(RandomBytes((hex_chars + 1) / 2));
  hex.resize(hex_chars);
  return std::string(1, prefix) + hex;
}

}  // namespace opinia::core
