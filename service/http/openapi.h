// The OpenAPI 3.0 document of the JSON API, generated from the route table
// and the message descriptors: a path for every route, a schema in
// components/schemas for every message and enum a route reaches, in the
// proto3 JSON mapping (int64 as string, enums as string enums, Timestamp
// date-time, Duration "3.5s", FieldMask, maps, repeated fields). Comments
// of the protos become descriptions when a descriptor set with source info
// is given.
#ifndef OPINIA_SERVICE_HTTP_OPENAPI_H_
#define OPINIA_SERVICE_HTTP_OPENAPI_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"
#include "service/http/routes.h"

namespace opinia::http {

// `descriptor_set`: a serialized google.protobuf.FileDescriptorSet with
// source info (comments), or "" for a document without descriptions.
google::protobuf::Struct OpenApiDocument(const RouteTable& routes,
                                         absl::string_view descriptor_set);

// `value` as indented JSON with its keys sorted (a stable document).
std::string StructToJson(const google::protobuf::Struct& value);

}  // namespace opinia::http

#endif  // OPINIA_SERVICE_HTTP_OPENAPI_H_
