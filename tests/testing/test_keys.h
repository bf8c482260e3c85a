// Private keys made fresh for a test, and verification of signed JWTs with
// their public halves (OpenSSL), so signing is checked by an independent
// verifier rather than by reading our own code back. Header-only; the test
// links OpenSSL::Crypto and absl::strings.
#ifndef OPINIA_TESTS_TESTING_TEST_KEYS_H_
#define OPINIA_TESTS_TESTING_TEST_KEYS_H_

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"

namespace opinia::testing {

// A new key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"): RSA 2048 or EC
// P-256 (what an App Store Connect .p8 file holds).
inline std::string NewPrivateKeyPem(bool ec) {
  EVP_PKEY* key = ec ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                     : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, n);
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

// A Google service-account key file (JSON) holding `private_pem`, as the
// Cloud console downloads it (its PEM's line breaks escaped).
inline std::string ServiceAccountKeyJson(const std::string& client_email,
                                         const std::string& private_pem,
                                         const std::string& token_uri,
                                         const std::string& key_id = "kid-1") {
  std::string pem;
  for (char c : private_pem) {
    if (c == '\n') {
      pem += "\\n";
    } else {
      pem.push_back(c);
    }
  }
  return "{\n  \"type\": \"service_account\",\n  \"project_id\": \"p\",\n"
         "  \"private_key_id\": \"" + key_id + "\",\n  \"private_key\": \"" +
         pem + "\",\n  \"client_email\": \"" + client_email +
         "\",\n  \"token_uri\": \"" + token_uri + "\"\n}\n";
}

// The parts of a compact JWS, base64url-decoded: header, claims,
// signature. Empty when it does not have three parts.
inline std::vector<std::string> JwtParts(const std::string& jwt) {
  std::vector<std::string> parts = absl::StrSplit(jwt, '.');
  if (parts.size() != 3) return {};
  for (std::string& p : parts) {
    std::string decoded;
    if (!absl::WebSafeBase64Unescape(p, &decoded)) return {};
    p = decoded;
  }
  return parts;
}

// Whether `jwt`'s signature verifies with the public half of
// `private_pem`: RS256 (PKCS#1 v1.5) or ES256 with a JOSE r||s signature
// of exactly 64 bytes (converted to DER for OpenSSL here).
inline bool VerifyJwt(const std::string& jwt, const std::string& private_pem,
                      bool ec) {
  const size_t last_dot = jwt.rfind('.');
  if (last_dot == std::string::npos) return false;
  const std::string input = jwt.substr(0, last_dot);
  std::vector<std::string> parts = JwtParts(jwt);
  if (parts.empty()) return false;
  std::string signature = parts[2];
  if (ec) {
    if (signature.size() != 64) return false;
    const auto* b = reinterpret_cast<const unsigned char*>(signature.data());
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(b, 32, nullptr),
                   BN_bin2bn(b + 32, 32, nullptr));
    unsigned char* der = nullptr;
    const int n = i2d_ECDSA_SIG(sig, &der);
    signature.assign(reinterpret_cast<char*>(der), n);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
  }
  BIO* bio = BIO_new_mem_buf(private_pem.data(),
                             static_cast<int>(private_pem.size()));
  EVP_PKEY* priv = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (priv == nullptr) return false;
  // Only the public half verifies: write it out and read it back.
  BIO* pub_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(pub_bio, priv);
  EVP_PKEY_free(priv);
  EVP_PKEY* pub = PEM_read_bio_PUBKEY(pub_bio, nullptr, nullptr, nullptr);
  BIO_free(pub_bio);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      pub != nullptr &&
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pub) == 1 &&
      EVP_DigestVerify(
          ctx, reinterpret_cast<const unsigned char*>(signature.data()),
          signature.size(),
          reinterpret_cast<const unsigned char*>(input.data()),
          input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pub);
  return ok;
}

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_TESTING_TEST_KEYS_H_
