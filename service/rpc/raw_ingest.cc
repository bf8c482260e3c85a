#include "service/rpc/raw_ingest.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/slice.h"
#include "service/rpc/raw_ingest.pb.h"

namespace opinia::rpc {
namespace {

using internal::RawReviewInput;

opinia::v1::ReviewInput FromRaw(RawReviewInput& raw) {
  opinia::v1::ReviewInput in;
  in.set_source(std::move(*raw.mutable_source()));
  in.set_external_id(std::move(*raw.mutable_external_id()));
  in.set_subject_id(std::move(*raw.mutable_subject_id()));
  in.set_author_name(std::move(*raw.mutable_author_name()));
  in.set_author_id(std::move(*raw.mutable_author_id()));
  in.set_rating(raw.rating());
  in.set_rating_scale(raw.rating_scale());
  in.set_title(std::move(*raw.mutable_title()));
  in.set_text(std::move(*raw.mutable_text()));
  in.set_language_hint(std::move(*raw.mutable_language_hint()));
  if (raw.has_create_time()) *in.mutable_create_time() = raw.create_time();
  if (raw.has_update_time()) *in.mutable_update_time() = raw.update_time();
  in.set_url(std::move(*raw.mutable_url()));
  auto& attributes = *in.mutable_attributes();
  for (auto& a : *raw.mutable_attributes()) {
    attributes[std::move(*a.mutable_key())] = std::move(*a.mutable_value());
  }
  return in;
}

bool Parse(grpc::ByteBuffer* buffer, google::protobuf::MessageLite* msg) {
  grpc::ProtoBufferReader reader(buffer);
  return msg->ParseFromZeroCopyStream(&reader);
}

}  // namespace

absl::StatusOr<std::vector<opinia::v1::ReviewInput>> ParseIngestRequest(
    grpc::ByteBuffer* buffer) {
  internal::RawIngestReviewsRequest raw;
  if (!Parse(buffer, &raw)) {
    return absl::InvalidArgumentError(
        "request is not a valid IngestReviewsRequest");
  }
  std::vector<opinia::v1::ReviewInput> out;
  out.reserve(raw.reviews_size());
  for (auto& r : *raw.mutable_reviews()) out.push_back(FromRaw(r));
  return out;
}

absl::StatusOr<opinia::v1::ReviewInput> ParseReviewInput(
    grpc::ByteBuffer* buffer) {
  RawReviewInput raw;
  if (!Parse(buffer, &raw)) {
    return absl::InvalidArgumentError("message is not a valid ReviewInput");
  }
  return FromRaw(raw);
}

void SerializeTo(const google::protobuf::MessageLite& message,
                 grpc::ByteBuffer* out) {
  std::string bytes = message.SerializeAsString();
  grpc::Slice slice(std::move(bytes));
  *out = grpc::ByteBuffer(&slice, 1);
}

}  // namespace opinia::rpc
