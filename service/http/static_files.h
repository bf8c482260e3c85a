// The dashboard's files, embedded in the binary (embedded.h), by the name
// a URL asks for: "/" is index.html, "/assets/<name>" any file.
#ifndef OPINIA_SERVICE_HTTP_STATIC_FILES_H_
#define OPINIA_SERVICE_HTTP_STATIC_FILES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "util/embedded_file.h"

namespace opinia::http {

class StaticFiles {
 public:
  explicit StaticFiles(const std::vector<EmbeddedFile>& files);

  // The file a URL path names ("/" -> index.html, "/assets/app.js" ->
  // app.js); nullptr when none.
  const EmbeddedFile* ForPath(absl::string_view path) const;
  // True when `path` is one StaticFiles answers ("/" or under /assets/).
  static bool Serves(absl::string_view path);

  // By the name's extension: "text/html; charset=utf-8", "text/javascript;
  // charset=utf-8", "image/svg+xml", ...; application/octet-stream when
  // unknown.
  static std::string ContentType(absl::string_view name);

 private:
  std::map<std::string, EmbeddedFile, std::less<>> by_name_;
};

}  // namespace opinia::http

#endif  // OPINIA_SERVICE_HTTP_STATIC_FILES_H_
