#include "service/core/util/jwt.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace opinia::core {
namespace {

struct FreeKey {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, FreeKey>;

absl::StatusOr<KeyPtr> ReadKey(JwtAlgorithm alg, std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (bio == nullptr) return absl::InternalError("OpenSSL: BIO_new_mem_buf");
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        "not a PEM private key (-----BEGIN PRIVATE KEY----- ...)");
  }
  const int type = EVP_PKEY_base_id(key.get());
  const int bits = EVP_PKEY_bits(key.get());
  if (alg == JwtAlgorithm::kRs256 && (type != EVP_PKEY_RSA || bits < 2048)) {
    return absl::InvalidArgumentError(
        "RS256 needs an RSA private key of at least 2048 bits");
  }
  if (alg == JwtAlgorithm::kEs256 && (type != EVP_PKEY_EC || bits != 256)) {
    return absl::InvalidArgumentError(
        "ES256 needs an EC private key on P-256");
  }
  return key;
}

// The DER ECDSA signature as r||s, 32 bytes each.
absl::StatusOr<std::string> JoseFromDer(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())),
      ECDSA_SIG_free);
  if (sig == nullptr) return absl::InternalError("OpenSSL: d2i_ECDSA_SIG");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string out(64, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(r, o, 32) != 32 || BN_bn2binpad(s, o + 32, 32) != 32) {
    return absl::InternalError("OpenSSL: BN_bn2binpad");
  }
  return out;
}

}  // namespace

std::string Base64Url(std::string_view data) {
  return absl::WebSafeBase64Escape(absl::string_view(data.data(), data.size()));
}

absl::Status CheckJwtKey(JwtAlgorithm alg, std::string_view pem) {
  return ReadKey(alg, pem).status();
}

absl::StatusOr<std::string> SignJwt(JwtAlgorithm alg, std::string_view pem,
                                    std::string_view header_json,
                                    std::string_view claims_json) {
  absl::StatusOr<KeyPtr> key = ReadKey(alg, pem);
  if (!key.ok()) return key.status();
  const std::string input =
      absl::StrCat(Base64Url(header_json), ".", Base64Url(claims_json));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(
      EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t size = 0;
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr,
                         key->get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1) {
    return absl::InternalError("OpenSSL: signing failed");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(),
                     reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1) {
    return absl::InternalError("OpenSSL: signing failed");
  }
  signature.resize(size);
  if (alg == JwtAlgorithm::kEs256) {
    absl::StatusOr<std::string> jose = JoseFromDer(signature);
    if (!jose.ok()) return jose.status();
    signature = *std::move(jose);
  }
  return absl::StrCat(input, ".", Base64Url(signature));
}

}  // namespace opinia::core
