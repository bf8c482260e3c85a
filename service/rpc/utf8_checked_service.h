// Proto3 refuses a whole request when one of its string fields holds
// invalid UTF-8: gRPC then answers UNIMPLEMENTED with no message and
// libprotobuf writes an ERROR line to the server log. Requests are checked
// here instead, before they are parsed, so that the client learns which
// field is wrong ("review.text: invalid UTF-8", INVALID_ARGUMENT) and the
// log stays clean.
#ifndef OPINIA_SERVICE_RPC_UTF8_CHECKED_SERVICE_H_
#define OPINIA_SERVICE_RPC_UTF8_CHECKED_SERVICE_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/impl/service_type.h"

namespace opinia::rpc {

// How a refusal's message ends: "<field path>: invalid UTF-8".
inline constexpr char kInvalidUtf8[] = ": invalid UTF-8";

// The path of the first string field of the `type` message in `wire` that
// is not valid UTF-8, e.g. "reviews[1].text" (map fields: "labels.key",
// "labels.value"); "" when every string is valid or when `wire` is not a
// well-formed message at all (the parser reports that).
std::string FindInvalidUtf8(const google::protobuf::Descriptor& type,
                            std::string_view wire);

// A service to register in place of `service` (the callback service named
// `full_name`, e.g. "opinia.v1.ReviewService"), which it calls and which
// must outlive it. Every request whose string fields are not all UTF-8 is
// answered INVALID_ARGUMENT "<field path>: invalid UTF-8" without reaching
// `service`. Methods that take their requests as raw bytes parse them
// themselves and are passed through (ingest rejects such reviews one by
// one). NOT_FOUND when `full_name` is not a service of the linked protos.
absl::StatusOr<std::unique_ptr<grpc::Service>> CheckUtf8OfRequests(
    grpc::Service* service, std::string_view full_name);

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_UTF8_CHECKED_SERVICE_H_
