// Files the server writes for its operator: the bootstrap key and the
// ready file. Both appear atomically (written to a temp file, renamed).
#ifndef OPINIA_SERVICE_SERVER_FILES_H_
#define OPINIA_SERVICE_SERVER_FILES_H_

#include <string>

#include "absl/status/status.h"

namespace opinia::server {

// Writes `content` to `path` via a temp file and rename, with `mode`
// permissions; creates the parent directory. INTERNAL on I/O errors.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& content, int mode);

// Creates the parent directory of `path` if missing.
absl::Status EnsureParentDir(const std::string& path);

}  // namespace opinia::server

#endif  // OPINIA_SERVICE_SERVER_FILES_H_
