// Files the server writes for its operator: the bootstrap key, the secrets
// key and the ready file. They appear atomically (written to a temp file,
// renamed). Folders the server creates are 0700, its database files 0600.
#ifndef OPINIA_SERVICE_SERVER_FILES_H_
#define OPINIA_SERVICE_SERVER_FILES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace opinia::server {

// Writes `content` to `path` via a temp file and rename, with `mode`
// permissions; creates the parent directory. INTERNAL on I/O errors.
// `replace` false: an existing `path` is left alone (ALREADY_EXISTS), also
// when another process makes it at the same moment.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& content, int mode,
                                 bool replace = true);

// Creates the parent directory of `path` if missing, and every missing
// folder above it, each with mode 0700.
absl::Status EnsureParentDir(const std::string& path);

// Creates the SQLite file `db_path` empty with mode 0600 if it is missing
// (SQLite gives a database it creates 0644 less the umask, and its -wal
// and -shm files the mode of the database), and takes the group and other
// permissions off `db_path`, `db_path`-wal and `db_path`-shm where they
// exist. Returns the files whose mode it narrowed.
absl::StatusOr<std::vector<std::string>> MakeDatabaseFilesPrivate(
    const std::string& db_path);

// Reads a whole file; NOT_FOUND when it cannot be opened.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

}  // namespace opinia::server

#endif  // OPINIA_SERVICE_SERVER_FILES_H_
