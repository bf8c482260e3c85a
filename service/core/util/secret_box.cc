#include "service/core/util/secret_box.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "service/core/util/crypto.h"

namespace opinia::core {
namespace {

constexpr char kMagic[3] = {'\0', 'S', 'B'};
constexpr char kVersionAesGcm = 0x01;
constexpr char kKeyIdLabel[] = "opinia secrets key id\n";

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* U(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

// OpenSSL's int lengths; secrets are small (a few KB at most).
int Len(std::string_view s) { return static_cast<int>(s.size()); }

// The header and the context, as one AAD input.
std::string Aad(std::string_view header, std::string_view context) {
  std::string aad(header);
  aad.append(context);
  return aad;
}

// EVP_CipherInit_ex's direction.
constexpr int kEncrypt = 1;
constexpr int kDecrypt = 0;

// Starts AES-256-GCM in `ctx` with `key` and `nonce` in direction `encrypt`
// and authenticates `aad` with it. False when the library fails (no
// context, no cipher).
bool StartGcm(EVP_CIPHER_CTX* ctx, int encrypt, std::string_view key,
              const unsigned char* nonce, std::string_view aad) {
  int n = 0;
  return ctx != nullptr &&
         EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr,
                           encrypt) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN,
                             SecretBox::kNonceSize, nullptr) == 1 &&
         EVP_CipherInit_ex(ctx, nullptr, nullptr, U(key), nonce, encrypt) ==
             1 &&
         EVP_CipherUpdate(ctx, nullptr, &n, U(aad), Len(aad)) == 1;
}

absl::Status CipherError(const char* what) {
  return absl::InternalError(absl::StrCat("secret box: ", what, " failed"));
}

}  // namespace

SecretBox::~SecretBox() {
  for (Key& k : keys_) OPENSSL_cleanse(k.bytes.data(), k.bytes.size());
}

absl::StatusOr<SecretBox> SecretBox::Create(
    std::string key, const std::vector<std::string>& old_keys) {
  std::vector<Key> keys;
  keys.push_back(Key{0, std::move(key)});
  for (const std::string& old : old_keys) keys.push_back(Key{0, old});
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].bytes.size() != kKeySize) {
      return absl::InvalidArgumentError(
          absl::StrCat("secrets key: ", kKeySize, " bytes expected, got ",
                       keys[i].bytes.size()));
    }
    keys[i].id = KeyIdOf(keys[i].bytes);
    for (size_t j = 0; j < i; ++j) {
      if (keys[j].id == keys[i].id && keys[j].bytes != keys[i].bytes) {
        return absl::InvalidArgumentError(absl::StrCat(
            "secrets keys: two different keys have the id ",
            KeyIdName(keys[i].id), "; make another new key"));
      }
    }
  }
  return SecretBox(std::move(keys));
}

const SecretBox::Key* SecretBox::FindKey(uint8_t id) const {
  for (const Key& k : keys_) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

bool SecretBox::HasKey(uint8_t id) const { return FindKey(id) != nullptr; }

std::string SecretBox::Seal(std::string_view plaintext,
                            std::string_view context) const {
  const Key& key = keys_.front();
  std::string out(kMagic, sizeof(kMagic));
  out.push_back(kVersionAesGcm);
  out.push_back(static_cast<char>(key.id));
  const std::string aad = Aad(out, context);
  out += RandomBytes(kNonceSize);
  const size_t body = out.size();
  out.resize(body + plaintext.size() + kTagSize);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int n = 0, final_n = 0;
  // A failure here is a broken crypto library (allocation, missing
  // cipher): nothing sensible can be stored, so stop like RandomBytes.
  if (!StartGcm(ctx.get(), kEncrypt, key.bytes, U(out) + kHeaderSize, aad) ||
      EVP_EncryptUpdate(ctx.get(), U(out) + body, &n, U(plaintext),
                        Len(plaintext)) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), U(out) + body + n, &final_n) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                          U(out) + body + plaintext.size()) != 1) {
    std::abort();
  }
  return out;
}

absl::StatusOr<std::string> SecretBox::Open(std::string_view sealed,
                                            std::string_view context) const {
  const std::optional<uint8_t> id = SealedKeyId(sealed);
  if (!id.has_value()) {
    return absl::DataLossError("not a sealed secret");
  }
  const Key* key = FindKey(*id);
  if (key == nullptr) {
    std::string held = KeyIdName(key_id());
    for (size_t i = 1; i < keys_.size(); ++i) {
      absl::StrAppend(&held, i == 1 ? " (old: " : ", ",
                      KeyIdName(keys_[i].id),
                      i + 1 == keys_.size() ? ")" : "");
    }
    return absl::FailedPreconditionError(
        absl::StrCat("sealed with secrets key ", KeyIdName(*id),
                     ", but the configured key is ", held,
                     ": not the secrets key file this database was sealed "
                     "with"));
  }
  const std::string aad = Aad(sealed.substr(0, kHeaderSize), context);
  const std::string_view nonce = sealed.substr(kHeaderSize, kNonceSize);
  const std::string_view ciphertext = sealed.substr(
      kHeaderSize + kNonceSize, sealed.size() - kOverhead);
  std::string tag(sealed.substr(sealed.size() - kTagSize));
  std::string out(ciphertext.size(), '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int n = 0, final_n = 0;
  if (!StartGcm(ctx.get(), kDecrypt, key->bytes, U(nonce), aad) ||
      EVP_DecryptUpdate(ctx.get(), U(out), &n, U(ciphertext),
                        Len(ciphertext)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize,
                          U(tag)) != 1) {
    return CipherError("AES-256-GCM decryption");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), U(out) + n, &final_n) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return absl::DataLossError(
        "sealed secret does not authenticate: changed, or moved from "
        "another row");
  }
  return out;
}

bool SecretBox::LooksSealed(std::string_view value) {
  return value.size() >= kOverhead &&
         value.substr(0, sizeof(kMagic)) ==
             std::string_view(kMagic, sizeof(kMagic)) &&
         value[sizeof(kMagic)] == kVersionAesGcm;
}

std::optional<uint8_t> SecretBox::SealedKeyId(std::string_view value) {
  if (!LooksSealed(value)) return std::nullopt;
  return static_cast<uint8_t>(value[sizeof(kMagic) + 1]);
}

uint8_t SecretBox::KeyIdOf(std::string_view key) {
  std::string labelled(kKeyIdLabel);
  labelled.append(key);
  const uint8_t id = static_cast<uint8_t>(Sha256(labelled)[0]);
  OPENSSL_cleanse(labelled.data(), labelled.size());
  return id;
}

std::string SecretBox::KeyIdName(uint8_t id) {
  return absl::StrCat("0x", absl::Hex(id, absl::kZeroPad2));
}

absl::StatusOr<std::string> SecretBox::ParseKeyText(std::string_view text) {
  std::string encoded;
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    if (!encoded.empty()) {
      return absl::InvalidArgumentError(
          "secrets key: more than one line of key text");
    }
    encoded = std::string(line);
  }
  std::string key;
  if (encoded.empty() || (!absl::Base64Unescape(encoded, &key) &&
                          !absl::WebSafeBase64Unescape(encoded, &key))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "secrets key: expected the base64 of ", kKeySize,
        " random bytes on one line (e.g. `openssl rand -base64 32`)"));
  }
  if (key.size() != kKeySize) {
    const size_t size = key.size();
    OPENSSL_cleanse(key.data(), key.size());
    return absl::InvalidArgumentError(
        absl::StrCat("secrets key: the base64 text decodes to ", size,
                     " bytes, ", kKeySize, " expected"));
  }
  OPENSSL_cleanse(encoded.data(), encoded.size());
  return key;
}

std::string SecretBox::NewKeyText() {
  std::string key = RandomBytes(kKeySize);
  std::string text = absl::StrCat(
      "# Opinia secrets key (AES-256-GCM, key id ", KeyIdName(KeyIdOf(key)),
      "): seals webhook secrets and collector\n"
      "# credentials in the database. Keep it apart from the database's "
      "backups,\n# and keep a copy: without it those secrets are lost.\n",
      absl::Base64Escape(key), "\n");
  OPENSSL_cleanse(key.data(), key.size());
  return text;
}

}  // namespace opinia::core
