#include "service/server/secrets_key.h"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/core/secrets/sealed_store.h"
#include "service/core/util/secret_box.h"
#include "service/server/files.h"
#include "service/server/log.h"
#include "service/storage/open/open_store.h"
#include "util/status_macros.h"

namespace opinia::server {
namespace {

using core::SecretBox;

// Wipes a string that held key material.
void Cleanse(std::string& s) { OPENSSL_cleanse(s.data(), s.size()); }

// "secrets.key" in the database's folder; for a database URL (no folder)
// in the working directory.
std::string DefaultKeyFile(const std::string& db) {
  if (storage::IsStoreUrl(db)) return "secrets.key";
  return (std::filesystem::path(db).parent_path() / "secrets.key").string();
}

std::string OctalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  auto key = SecretBox::ParseKeyText(text);
  Cleanse(text);
  if (!key.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", key.status().message()));
  }
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    LogWarning("the secrets key file is readable by others than its owner; "
               "chmod 600 it",
               {{"file", path},
                {"mode", OctalMode(st.st_mode)}});
  }
  return key;
}

// The sealing key. `rotating`: a missing key file is made even though
// values are sealed (with the old key, which --old-secrets-key-file names).
absl::StatusOr<std::string> LoadKey(const Options& options,
                                    storage::Store& store, bool rotating) {
  if (options.secrets_key_file.empty() && !options.secrets_key.empty()) {
    auto key = SecretBox::ParseKeyText(options.secrets_key);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("$OPINIA_SECRETS_KEY: ", key.status().message()));
    }
    return key;
  }
  std::string path = options.secrets_key_file;
  if (path.empty()) path = DefaultKeyFile(options.db);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return ReadKeyFile(path);
  if (!rotating) {
    ASSIGN_OR_RETURN(std::optional<uint8_t> sealed_with,
                     core::FindSealedKeyId(store));
    if (sealed_with.has_value()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the secrets key file ", path,
          " does not exist, and the database holds secrets sealed with key ",
          SecretBox::KeyIdName(*sealed_with),
          ": start with --secrets-key-file naming that key's file (a new "
          "key would not open them)"));
    }
  }
  std::string text = SecretBox::NewKeyText();
  // Replicas started at once from one folder make one key between them.
  absl::Status written = WriteFileAtomically(path, text, 0600,
                                             /*replace=*/false);
  Cleanse(text);
  if (absl::IsAlreadyExists(written)) return ReadKeyFile(path);
  RETURN_IF_ERROR(written);
  ASSIGN_OR_RETURN(std::string key, ReadKeyFile(path));
  LogWarning(
      "made a new secrets key; keep it out of the database's backups and "
      "keep a copy of it elsewhere: without it the webhook secrets and "
      "collector credentials in the database cannot be opened; every "
      "server on one database needs this same key",
      {{"file", path},
       {"key_id", SecretBox::KeyIdName(SecretBox::KeyIdOf(key))}});
  return key;
}

absl::StatusOr<SecretBox> LoadBox(const Options& options,
                                  storage::Store& store, bool rotating) {
  ASSIGN_OR_RETURN(std::string key, LoadKey(options, store, rotating));
  std::vector<std::string> old;
  if (!options.old_secrets_key_file.empty()) {
    ASSIGN_OR_RETURN(std::string old_key,
                     ReadKeyFile(options.old_secrets_key_file));
    if (rotating && old_key == key) {
      Cleanse(old_key);
      Cleanse(key);
      return absl::InvalidArgumentError(
          "--secrets-key-file and --old-secrets-key-file hold the same key");
    }
    old.push_back(std::move(old_key));
  }
  auto box = SecretBox::Create(key, old);
  Cleanse(key);
  for (std::string& k : old) Cleanse(k);
  return box;
}

// Seals and re-seals the stored secrets under `box`, and logs the counts.
absl::Status SealAll(storage::Store& store, const SecretBox& box,
                     std::string_view msg) {
  auto report = core::SealStoredSecrets(store, box);
  if (!report.ok()) {
    return absl::Status(
        report.status().code(),
        absl::StrCat("stored secrets: ", report.status().message()));
  }
  LogInfo(msg, {{"key_id", SecretBox::KeyIdName(box.key_id())},
                {"sealed_now", absl::StrCat(report->sealed)},
                {"resealed", absl::StrCat(report->resealed)},
                {"already_sealed", absl::StrCat(report->current)}});
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<storage::Store>> SealStore(
    const Options& options, std::unique_ptr<storage::Store> store) {
  ASSIGN_OR_RETURN(SecretBox box, LoadBox(options, *store, false));
  RETURN_IF_ERROR(SealAll(*store, box, "secrets sealed at rest"));
  return core::NewSealedStore(std::move(store),
                              std::make_shared<const SecretBox>(std::move(box)));
}

absl::Status RotateSecretsKey(const Options& options) {
  if (options.secrets_key_file.empty() ||
      options.old_secrets_key_file.empty()) {
    return absl::InvalidArgumentError(
        "--rotate-secrets-key needs --secrets-key-file=NEW (made if missing) "
        "and --old-secrets-key-file=OLD");
  }
  std::error_code ec;
  if (!storage::IsStoreUrl(options.db) &&
      !std::filesystem::exists(options.db, ec)) {
    return absl::NotFoundError(absl::StrCat("no database at ", options.db));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store,
                   storage::OpenStore(options.db));
  ASSIGN_OR_RETURN(SecretBox box, LoadBox(options, *store, true));
  return SealAll(*store, box, "secrets re-sealed with the new key");
}

}  // namespace opinia::server
