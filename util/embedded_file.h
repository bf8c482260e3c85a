// A file compiled into the binary by opinia_embed_files()
// (cmake/opinia.cmake, cmake/embed_files.cmake).
#ifndef OPINIA_UTIL_EMBEDDED_FILE_H_
#define OPINIA_UTIL_EMBEDDED_FILE_H_

#include "absl/strings/string_view.h"

namespace opinia {

struct EmbeddedFile {
  absl::string_view name;  // relative to the embedded folder, "/"-separated
  absl::string_view etag;  // first 32 hex digits of the content's SHA-256
  absl::string_view data;
};

}  // namespace opinia

#endif  // OPINIA_UTIL_EMBEDDED_FILE_H_
