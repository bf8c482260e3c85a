// Parses ingest messages from the wire without proto3's UTF-8 refusal (see
// raw_ingest.proto) and serializes replies.
#ifndef OPINIA_SERVICE_RPC_RAW_INGEST_H_
#define OPINIA_SERVICE_RPC_RAW_INGEST_H_

#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message_lite.h"
#include "grpcpp/support/byte_buffer.h"
#include "opinia/v1/reviews.pb.h"

namespace opinia::rpc {

// INVALID_ARGUMENT when the bytes are not an IngestReviewsRequest at all.
absl::StatusOr<std::vector<opinia::v1::ReviewInput>> ParseIngestRequest(
    grpc::ByteBuffer* buffer);
// INVALID_ARGUMENT when the bytes are not a ReviewInput.
absl::StatusOr<opinia::v1::ReviewInput> ParseReviewInput(
    grpc::ByteBuffer* buffer);

void SerializeTo(const google::protobuf::MessageLite& message,
                 grpc::ByteBuffer* out);

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_RAW_INGEST_H_
