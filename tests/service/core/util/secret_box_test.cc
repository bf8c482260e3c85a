// SecretBox: AES-256-GCM sealing of secrets at rest — round trips, the
// documented format (checked with a separate EVP decryption), tamper
// detection at every byte, contexts that bind a value to its row, key ids
// and rotation, key files.
#include "service/core/util/secret_box.h"

#include <openssl/evp.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/core/util/crypto.h"

namespace opinia::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kContext[] = "webhooks.secret\0shop-a\0" "7";
const std::string kCtx(kContext, sizeof(kContext) - 1);

SecretBox MakeBox(const std::string& key,
                  const std::vector<std::string>& old = {}) {
  auto box = SecretBox::Create(key, old);
  EXPECT_TRUE(box.ok()) << box.status();
  return *std::move(box);
}

// A random key whose id equals `id` but which differs from `not_this`.
std::string KeyWithId(uint8_t id, const std::string& not_this) {
  for (int i = 0; i < 100000; ++i) {
    std::string k = RandomBytes(SecretBox::kKeySize);
    if (SecretBox::KeyIdOf(k) == id && k != not_this) return k;
  }
  ADD_FAILURE() << "no key with id " << int{id};
  return "";
}

TEST(SecretBoxTest, SealsAndOpens) {
  const SecretBox box = MakeBox(RandomBytes(32));
  for (const std::string& plain :
       {std::string(), std::string("whsec-0123456789abcdef"),
        std::string("k\0\xff", 3), std::string(100000, 'x')}) {
    const std::string sealed = box.Seal(plain, kCtx);
    EXPECT_EQ(sealed.size(), plain.size() + SecretBox::kOverhead);
    EXPECT_TRUE(SecretBox::LooksSealed(sealed));
    EXPECT_EQ(SecretBox::SealedKeyId(sealed), box.key_id());
    auto opened = box.Open(sealed, kCtx);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(*opened, plain);
  }
}

TEST(SecretBoxTest, EverySealIsFreshAndHidesThePlaintext) {
  const SecretBox box = MakeBox(RandomBytes(32));
  const std::string plain = "Bearer tok-very-secret-value";
  std::set<std::string> seen;
  std::set<std::string> nonces;
  for (int i = 0; i < 50; ++i) {
    const std::string sealed = box.Seal(plain, kCtx);
    EXPECT_THAT(sealed, Not(HasSubstr("tok-very")));
    seen.insert(sealed);
    nonces.insert(sealed.substr(SecretBox::kHeaderSize, SecretBox::kNonceSize));
  }
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_EQ(nonces.size(), 50u);
}

// The format as secret_box.h documents it, decrypted here with EVP alone:
// a second backend or a later version can rely on it.
TEST(SecretBoxTest, FormatIsAsDocumented) {
  const std::string key = RandomBytes(32);
  const SecretBox box = MakeBox(key);
  const std::string plain = "documented";
  const std::string sealed = box.Seal(plain, kCtx);
  ASSERT_EQ(sealed.substr(0, 4), std::string("\0SB\x01", 4));
  EXPECT_EQ(static_cast<uint8_t>(sealed[4]), SecretBox::KeyIdOf(key));
  const std::string header = sealed.substr(0, 5);
  const std::string nonce = sealed.substr(5, 12);
  const std::string ct = sealed.substr(17, sealed.size() - 17 - 16);
  std::string tag = sealed.substr(sealed.size() - 16);
  const std::string aad = header + kCtx;

  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(
      EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(ct.size(), '\0');
  int n = 0;
  auto u = [](const std::string& s) {
    return reinterpret_cast<const unsigned char*>(s.data());
  };
  ASSERT_EQ(EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, u(key),
                               u(nonce)),
            1);
  ASSERT_EQ(EVP_DecryptUpdate(ctx.get(), nullptr, &n, u(aad),
                              static_cast<int>(aad.size())),
            1);
  ASSERT_EQ(EVP_DecryptUpdate(ctx.get(),
                              reinterpret_cast<unsigned char*>(out.data()), &n,
                              u(ct), static_cast<int>(ct.size())),
            1);
  ASSERT_EQ(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16,
                                tag.data()),
            1);
  int final_n = 0;
  EXPECT_EQ(EVP_DecryptFinal_ex(ctx.get(), nullptr, &final_n), 1);
  EXPECT_EQ(out, plain);
}

// Flipping any bit of any byte (header, nonce, ciphertext, tag) is caught.
TEST(SecretBoxTest, DetectsTamperingAtEveryByte) {
  const SecretBox box = MakeBox(RandomBytes(32));
  const std::string sealed = box.Seal("webhook-signing-secret", kCtx);
  for (size_t i = 0; i < sealed.size(); ++i) {
    for (int bit : {0, 7}) {
      std::string changed = sealed;
      changed[i] = static_cast<char>(changed[i] ^ (1 << bit));
      auto opened = box.Open(changed, kCtx);
      EXPECT_FALSE(opened.ok()) << "byte " << i << " bit " << bit;
      // The key id byte names another key; the rest does not authenticate.
      EXPECT_EQ(opened.status().code(), i == 4
                                            ? absl::StatusCode::kFailedPrecondition
                                            : absl::StatusCode::kDataLoss)
          << "byte " << i;
    }
  }
  EXPECT_EQ(box.Open(sealed.substr(0, sealed.size() - 1), kCtx).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(box.Open(sealed + "x", kCtx).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(box.Open(sealed.substr(0, SecretBox::kOverhead - 1), kCtx)
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(box.Open("webhook-signing-secret", kCtx).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_TRUE(box.Open(sealed, kCtx).ok());
}

// A value sealed for one row does not open as another row's, another
// tenant's or another column's.
TEST(SecretBoxTest, ContextBindsTheValueToItsRow) {
  const SecretBox box = MakeBox(RandomBytes(32));
  const std::string sealed = box.Seal("s3cret", kCtx);
  for (const std::string& other :
       {std::string("webhooks.secret\0shop-a\0" "8", 24),
        std::string("webhooks.secret\0shop-b\0" "7", 24),
        std::string("collectors.spec\0shop-a\0" "7", 24), std::string(),
        kCtx + "0"}) {
    auto opened = box.Open(sealed, other);
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(opened.status().message(), HasSubstr("moved"));
  }
}

TEST(SecretBoxTest, AnotherKeyDoesNotOpen) {
  const std::string key = RandomBytes(32);
  const SecretBox box = MakeBox(key);
  const std::string sealed = box.Seal("s3cret", kCtx);

  const std::string other = KeyWithId(static_cast<uint8_t>(box.key_id() + 1),
                                      key);
  auto opened = MakeBox(other).Open(sealed, kCtx);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(opened.status().message(),
              HasSubstr(SecretBox::KeyIdName(box.key_id())));
  EXPECT_THAT(opened.status().message(),
              HasSubstr(SecretBox::KeyIdName(SecretBox::KeyIdOf(other))));

  // Same id, different key (1 in 256): the tag still catches it.
  const std::string twin = KeyWithId(box.key_id(), key);
  EXPECT_EQ(MakeBox(twin).Open(sealed, kCtx).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(SecretBoxTest, OldKeysOpenAndTheNewKeySeals) {
  const std::string old_key = RandomBytes(32);
  const std::string new_key =
      KeyWithId(static_cast<uint8_t>(SecretBox::KeyIdOf(old_key) ^ 0x55),
                old_key);
  const std::string sealed_old = MakeBox(old_key).Seal("rotate me", kCtx);
  const SecretBox both = MakeBox(new_key, {old_key});
  EXPECT_EQ(both.key_id(), SecretBox::KeyIdOf(new_key));
  EXPECT_TRUE(both.HasKey(SecretBox::KeyIdOf(old_key)));
  EXPECT_EQ(*both.Open(sealed_old, kCtx), "rotate me");
  const std::string sealed_new = both.Seal("rotate me", kCtx);
  EXPECT_EQ(SecretBox::SealedKeyId(sealed_new), SecretBox::KeyIdOf(new_key));
  EXPECT_EQ(*MakeBox(new_key).Open(sealed_new, kCtx), "rotate me");
  auto missing = MakeBox(new_key).Open(sealed_old, kCtx);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.status().message(),
              HasSubstr(SecretBox::KeyIdName(SecretBox::KeyIdOf(old_key))));
}

TEST(SecretBoxTest, CreateChecksKeys) {
  EXPECT_EQ(SecretBox::Create(RandomBytes(31)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SecretBox::Create(RandomBytes(32), {RandomBytes(16)})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  const std::string key = RandomBytes(32);
  EXPECT_TRUE(SecretBox::Create(key, {key}).ok());
  auto clash = SecretBox::Create(key, {KeyWithId(SecretBox::KeyIdOf(key), key)});
  EXPECT_EQ(clash.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(clash.status().message(), HasSubstr("another new key"));
}

TEST(SecretBoxTest, KeyText) {
  const std::string key = RandomBytes(32);
  std::string b64 = absl::Base64Escape(key);
  // What `openssl rand -base64 32 > file` writes, with and without comments.
  EXPECT_EQ(*SecretBox::ParseKeyText(b64 + "\n"), key);
  EXPECT_EQ(*SecretBox::ParseKeyText("# mine\n\n  " + b64 + "  \r\n# end\n"),
            key);
  std::string url;
  absl::WebSafeBase64Escape(key, &url);
  EXPECT_EQ(*SecretBox::ParseKeyText(url), key);

  for (const std::string& bad :
       {std::string(), std::string("# only a comment\n"),
        absl::Base64Escape(RandomBytes(31)),
        absl::Base64Escape(RandomBytes(33)), std::string("not base64 !!"),
        b64 + "\n" + b64}) {
    auto parsed = SecretBox::ParseKeyText(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    if (!bad.empty()) {
      EXPECT_THAT(parsed.status().message(), Not(HasSubstr(bad)));
    }
  }

  const std::string text = SecretBox::NewKeyText();
  auto made = SecretBox::ParseKeyText(text);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->size(), 32u);
  EXPECT_THAT(text, HasSubstr(SecretBox::KeyIdName(SecretBox::KeyIdOf(*made))));
  EXPECT_THAT(text, HasSubstr("backups"));
  EXPECT_NE(*SecretBox::ParseKeyText(SecretBox::NewKeyText()), *made);
  EXPECT_EQ(SecretBox::KeyIdName(0x0a), "0x0a");
}

}  // namespace
}  // namespace opinia::core
