// What service/http/CMakeLists.txt compiles into the binary
// (opinia_embed_files): the dashboard's files and the API's descriptor set.
#ifndef OPINIA_SERVICE_HTTP_EMBEDDED_H_
#define OPINIA_SERVICE_HTTP_EMBEDDED_H_

#include <vector>

#include "util/embedded_file.h"

namespace opinia::http {

// Every file under service/http/dashboard/, named by its path there
// ("index.html", "app.js", "img/logo.svg").
std::vector<EmbeddedFile> DashboardFiles();

// One file, "opinia_v1.desc": a google.protobuf.FileDescriptorSet of
// protos/opinia/v1/*.proto made with --include_source_info, so that the
// OpenAPI document carries the protos' comments.
std::vector<EmbeddedFile> ApiDescriptorSet();

}  // namespace opinia::http

#endif  // OPINIA_SERVICE_HTTP_EMBEDDED_H_
