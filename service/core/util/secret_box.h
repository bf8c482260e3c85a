// Authenticated encryption of secrets kept at rest: AES-256-GCM through
// OpenSSL's EVP interface.
//
// A sealed value is bytes:
//
//   "\0SB" | version 0x01 | key id | nonce (12 random bytes) | ciphertext |
//   GCM tag (16)
//
// The key id is derived from the key (KeyIdOf), so keys need no numbering
// of their own: a box that holds the current key and old ones opens values
// sealed with any of them and seals with the current one (rotation). The
// context is authenticated but not stored: it names what the value is and
// where it belongs (a table, a tenant, a row), and Open with any other
// context fails, so a sealed value moved to another row does not open.
// The magic, version and key id are authenticated too.
#ifndef OPINIA_SERVICE_CORE_UTIL_SECRET_BOX_H_
#define OPINIA_SERVICE_CORE_UTIL_SECRET_BOX_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace opinia::core {

class SecretBox {
 public:
  static constexpr size_t kKeySize = 32;     // AES-256
  static constexpr size_t kNonceSize = 12;   // 96-bit GCM nonce
  static constexpr size_t kTagSize = 16;
  static constexpr size_t kHeaderSize = 5;   // magic (3), version, key id
  static constexpr size_t kOverhead = kHeaderSize + kNonceSize + kTagSize;

  // Seals with `key` (kKeySize raw bytes); opens values sealed with it or
  // with any of `old_keys`. INVALID_ARGUMENT for a key of another size or
  // two different keys with one key id (make another key).
  static absl::StatusOr<SecretBox> Create(
      std::string key, const std::vector<std::string>& old_keys = {});

  SecretBox(SecretBox&& other) noexcept = default;
  SecretBox& operator=(SecretBox&& other) noexcept = default;
  ~SecretBox();

  // A fresh nonce each call: sealing one value twice gives two blobs.
  std::string Seal(std::string_view plaintext, std::string_view context) const;
  // DATA_LOSS when `sealed` is not a sealed value, was changed, or was
  // sealed for another context (or with another key of the same id);
  // FAILED_PRECONDITION when it was sealed with a key this box does not
  // hold (the message names both key ids).
  absl::StatusOr<std::string> Open(std::string_view sealed,
                                   std::string_view context) const;

  // The id of the key this box seals with.
  uint8_t key_id() const { return keys_.front().id; }
  // Whether this box holds the key `id` (current or old).
  bool HasKey(uint8_t id) const;

  // Whether `value` has the sealed format (magic, version, length); says
  // nothing about whether it opens.
  static bool LooksSealed(std::string_view value);
  // The key id a sealed value names; std::nullopt when !LooksSealed.
  static std::optional<uint8_t> SealedKeyId(std::string_view value);
  // The id of a key: the first byte of SHA-256 over a label and the key.
  static uint8_t KeyIdOf(std::string_view key);
  // "0x3a": how logs and errors name a key id.
  static std::string KeyIdName(uint8_t id);

  // A key file holds the key as base64 of its kKeySize bytes on one line
  // (what `openssl rand -base64 32` prints); lines starting with '#' and
  // surrounding whitespace are ignored. INVALID_ARGUMENT otherwise (the
  // message never contains the file's text).
  static absl::StatusOr<std::string> ParseKeyText(std::string_view text);
  // The text of a new key file: a comment and a fresh random key.
  static std::string NewKeyText();

 private:
  struct Key {
    uint8_t id = 0;
    std::string bytes;
  };
  explicit SecretBox(std::vector<Key> keys) : keys_(std::move(keys)) {}
  const Key* FindKey(uint8_t id) const;

  std::vector<Key> keys_;  // front(): the sealing key
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_SECRET_BOX_H_
