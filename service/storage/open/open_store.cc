#include "service/storage/open/open_store.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace opinia::storage {

bool IsStoreUrl(std::string_view url_or_path) {
  return url_or_path.find("://") != std::string_view::npos;
}

absl::StatusOr<std::unique_ptr<Store>> OpenStore(
    std::string_view url_or_path, const OpenStoreOptions& options) {
  if (url_or_path.empty()) {
    return absl::InvalidArgumentError("store: no database path or URL");
  }
  if (IsPostgresUrl(url_or_path)) {
    return OpenPgStore(std::string(url_or_path), options.postgres);
  }
  if (IsStoreUrl(url_or_path)) {
    const std::string_view scheme =
        url_or_path.substr(0, url_or_path.find("://"));
    return absl::InvalidArgumentError(
        absl::StrCat("store: unknown backend \"",
                     absl::string_view(scheme.data(), scheme.size()),
                     "\" (postgresql:// opens PostgreSQL, a file path SQLite)"));
  }
  return OpenSqliteStore(std::string(url_or_path), options.sqlite);
}

}  // namespace opinia::storage
