// OpenStore: the one factory that picks a storage backend from where the
// data lives, so the server names no backend.
//
//   /var/lib/opinia/opinia.db   a path: the SQLite file (sqlite_store.h)
//   postgresql://... (or postgres://...)
//                               a libpq connection URI: PostgreSQL
//                               (pg_store.h)
//   other-scheme://...          INVALID_ARGUMENT
#ifndef OPINIA_SERVICE_STORAGE_OPEN_OPEN_STORE_H_
#define OPINIA_SERVICE_STORAGE_OPEN_OPEN_STORE_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "service/storage/postgres/pg_store.h"
#include "service/storage/sqlite/sqlite_store.h"
#include "service/storage/store.h"

namespace opinia::storage {

// Each backend's options; only the chosen backend's are used.
struct OpenStoreOptions {
  SqliteOptions sqlite;
  PgOptions postgres;
};

// Whether `url_or_path` names a backend by URL ("scheme://..."), i.e. is no
// file path.
bool IsStoreUrl(std::string_view url_or_path);

// INVALID_ARGUMENT for an empty location or a URL of an unknown backend;
// otherwise the chosen backend's open codes (OpenSqliteStore, OpenPgStore).
absl::StatusOr<std::unique_ptr<Store>> OpenStore(
    std::string_view url_or_path, const OpenStoreOptions& options = {});

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_OPEN_OPEN_STORE_H_
