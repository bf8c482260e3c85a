// Between HTTP and protobuf: request bodies and query parameters into
// request messages (proto3 JSON mapping, protobuf's json_util), messages
// into response JSON, and gRPC statuses into HTTP errors with a
// google.rpc.Status JSON body.
#ifndef OPINIA_SERVICE_HTTP_JSON_CODEC_H_
#define OPINIA_SERVICE_HTTP_JSON_CODEC_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"

namespace opinia::http {

// `body` (JSON; proto or lowerCamel field names) into `message`; an empty
// body is an empty message. INVALID_ARGUMENT naming the field
// ("reviews[0].foo: unknown field", "priorities[1]: invalid value ...") or
// saying why the text is not JSON.
absl::Status ParseJsonBody(absl::string_view body,
                           google::protobuf::Message* message);

// Query parameters into `message`: a parameter names a field by its proto
// (or lowerCamel) name, a nested field by a dotted path ("a.b"); a repeated
// field repeats the parameter; values as in JSON (enums by name, Timestamps
// RFC 3339, Durations "3s", bools true/false). INVALID_ARGUMENT naming the
// parameter: unknown field, a singular field given twice, a message or map
// field given a value.
absl::Status ParseQuery(const std::multimap<std::string, std::string>& params,
                        google::protobuf::Message* message);

// `message` as one line of JSON: proto field names, zero values printed,
// enums by name, int64 as strings.
std::string PrintJson(const google::protobuf::Message& message);

// What a failed call answers over HTTP.
struct HttpError {
  int http_status = 500;
  std::string body;  // google.rpc.Status as JSON
  // From google.rpc.RetryInfo, whole seconds rounded up (>= 1).
  std::optional<int64_t> retry_after_seconds;
};

// The HTTP status for a gRPC code (400 INVALID_ARGUMENT, 401, 403, 404,
// 409, 429, 499 CANCELLED, 501, 503, 504, else 500).
int HttpStatusOf(grpc::StatusCode code);

// A failed call's error: its google.rpc.Status from the error details
// when the server sent one (details kept), else {code, message}.
HttpError ErrorFromGrpc(const grpc::Status& status);

// An error of the gateway itself (404 no route, 405, 413, ...):
// `http_status` with a google.rpc.Status {code, message} body, and
// `detail` (when given) in its details.
HttpError GatewayError(int http_status, grpc::StatusCode code,
                       std::string message,
                       const google::protobuf::Message* detail = nullptr);

}  // namespace opinia::http

#endif  // OPINIA_SERVICE_HTTP_JSON_CODEC_H_
