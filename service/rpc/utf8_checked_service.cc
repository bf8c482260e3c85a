#include "service/rpc/utf8_checked_service.h"

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/slice.h>

#include <new>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/impl/rpc_service_method.h"
#include "grpcpp/support/byte_buffer.h"
#include "service/core/util/utf8.h"

namespace opinia::rpc {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;
using grpc::internal::MethodHandler;

// protobuf's own nesting limit: deeper input is the parser's to refuse.
constexpr int kMaxDepth = 100;

// False when the input is malformed. Otherwise *path is the first invalid
// field's path, or stays empty.
bool Scan(CodedInputStream* in, const Descriptor& type,
          const std::string& prefix, int depth, std::string* path) {
  if (depth > kMaxDepth) return false;
  absl::flat_hash_map<int, int> occurrences;  // for repeated fields' indices
  while (const uint32_t tag = in->ReadTag()) {
    const FieldDescriptor* field =
        type.FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
    if (field == nullptr ||
        WireFormatLite::GetTagWireType(tag) !=
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED ||
        (field->type() != FieldDescriptor::TYPE_STRING &&
         field->type() != FieldDescriptor::TYPE_MESSAGE)) {
      if (!WireFormatLite::SkipField(in, tag)) return false;
      continue;
    }
    std::string name =
        absl::StrCat(prefix, prefix.empty() ? "" : ".", field->name());
    const int index = occurrences[field->number()]++;
    if (field->is_repeated() && !field->is_map()) {
      absl::StrAppend(&name, "[", index, "]");
    }
    uint32_t length = 0;
    if (!in->ReadVarint32(&length)) return false;
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      std::string value;
      if (!in->ReadString(&value, static_cast<int>(length))) return false;
      if (!core::IsValidUtf8(value)) {
        *path = std::move(name);
        return true;
      }
      continue;
    }
    const CodedInputStream::Limit limit =
        in->PushLimit(static_cast<int>(length));
    if (!Scan(in, *field->message_type(), name, depth + 1, path)) return false;
    if (!path->empty()) return true;
    if (!in->ConsumedEntireMessage()) return false;
    in->PopLimit(limit);
  }
  return true;
}

// The handler's choice for one call, in the call's arena.
struct Route {
  MethodHandler* handler;
  void* handler_data;
};

std::string Text(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string text;
  if (buffer.Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices) {
      text.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  return text;
}

grpc::Status Invalid(const grpc::ByteBuffer& message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, Text(message));
}

class RejectingWriter : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  explicit RejectingWriter(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

// Runs `inner` for requests whose strings are UTF-8. Any other request goes
// to `reject_`, whose request is the error message: gRPC's own handlers
// answer a failed parse with a bare UNIMPLEMENTED, so the rejection must be
// a successful call of a handler that finishes it.
class CheckingHandler : public MethodHandler {
 public:
  CheckingHandler(MethodHandler* inner, const Descriptor* request_type,
                  bool server_streaming)
      : inner_(inner), request_type_(request_type) {
    using grpc::ByteBuffer;
    if (server_streaming) {
      reject_ = std::make_unique<grpc::internal::CallbackServerStreamingHandler<
          ByteBuffer, ByteBuffer>>(
          [](grpc::CallbackServerContext*, const ByteBuffer* message) {
            return new RejectingWriter(Invalid(*message));
          });
    } else {
      reject_ = std::make_unique<
          grpc::internal::CallbackUnaryHandler<ByteBuffer, ByteBuffer>>(
          [](grpc::CallbackServerContext* context, const ByteBuffer* message,
             ByteBuffer*) {
            grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
            reactor->Finish(Invalid(*message));
            return reactor;
          });
    }
  }

  void* Deserialize(grpc_call* call, grpc_byte_buffer* request,
                    grpc::Status* status, void** handler_data) override {
    auto* route =
        new (grpc_call_arena_alloc(call, sizeof(Route))) Route{inner_, nullptr};
    *handler_data = route;
    std::string path;
    grpc_byte_buffer_reader reader;
    if (request != nullptr && grpc_byte_buffer_reader_init(&reader, request)) {
      grpc_slice all = grpc_byte_buffer_reader_readall(&reader);
      grpc_byte_buffer_reader_destroy(&reader);
      path = FindInvalidUtf8(*request_type_,
                             std::string_view(reinterpret_cast<const char*>(
                                                  GRPC_SLICE_START_PTR(all)),
                                              GRPC_SLICE_LENGTH(all)));
      grpc_slice_unref(all);
    }
    if (path.empty()) {
      return inner_->Deserialize(call, request, status, &route->handler_data);
    }
    // Handlers own the payload they are given.
    grpc_byte_buffer_destroy(request);
    const std::string text = absl::StrCat(path, kInvalidUtf8);
    grpc_slice slice = grpc_slice_from_copied_buffer(text.data(), text.size());
    grpc_byte_buffer* message = grpc_raw_byte_buffer_create(&slice, 1);
    grpc_slice_unref(slice);
    route->handler = reject_.get();
    return reject_->Deserialize(call, message, status, &route->handler_data);
  }

  void RunHandler(const HandlerParameter& param) override {
    const auto* route = static_cast<const Route*>(param.internal_data);
    if (route == nullptr) {  // no request message was read
      inner_->RunHandler(param);
      return;
    }
    route->handler->RunHandler(HandlerParameter(
        param.call, param.server_context, param.request, param.status,
        route->handler_data, param.call_requester));
  }

 private:
  MethodHandler* const inner_;  // owned by the wrapped service
  const Descriptor* const request_type_;
  std::unique_ptr<MethodHandler> reject_;
};

// Forwards to a handler owned elsewhere.
class ForwardingHandler : public MethodHandler {
 public:
  explicit ForwardingHandler(MethodHandler* inner) : inner_(inner) {}
  void* Deserialize(grpc_call* call, grpc_byte_buffer* request,
                    grpc::Status* status, void** handler_data) override {
    return inner_->Deserialize(call, request, status, handler_data);
  }
  void RunHandler(const HandlerParameter& param) override {
    inner_->RunHandler(param);
  }

 private:
  MethodHandler* const inner_;
};

// grpc::Service lends its handlers to subclasses only.
struct HandlerAccess : grpc::Service {
  static MethodHandler* Get(grpc::Service* service, int index) {
    return (service->*&HandlerAccess::GetHandler)(index);
  }
};

class CheckedService : public grpc::Service {
 public:
  CheckedService(grpc::Service* service,
                 const google::protobuf::ServiceDescriptor& descriptor) {
    // The generated service adds its methods in the order of the .proto;
    // RpcMethod keeps a pointer to its path, so paths_ never reallocates.
    paths_.reserve(descriptor.method_count());
    for (int i = 0; i < descriptor.method_count(); ++i) {
      const google::protobuf::MethodDescriptor& method = *descriptor.method(i);
      paths_.push_back(
          absl::StrCat("/", descriptor.full_name(), "/", method.name()));
      AddMethod(new grpc::internal::RpcServiceMethod(paths_.back().c_str(),
                                                     RpcType(method), nullptr));
      MethodHandler* inner = HandlerAccess::Get(service, i);
      // Streams of requests read their messages in their reactors.
      const bool own_parsing =
          method.client_streaming() ||
          dynamic_cast<grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer,
                                                            grpc::ByteBuffer>*>(
              inner) != nullptr;
      MarkMethodCallback(
          i, own_parsing
                 ? static_cast<MethodHandler*>(new ForwardingHandler(inner))
                 : new CheckingHandler(inner, method.input_type(),
                                       method.server_streaming()));
    }
  }

 private:
  static grpc::internal::RpcMethod::RpcType RpcType(
      const google::protobuf::MethodDescriptor& m) {
    using grpc::internal::RpcMethod;
    if (m.client_streaming()) {
      return m.server_streaming() ? RpcMethod::BIDI_STREAMING
                                  : RpcMethod::CLIENT_STREAMING;
    }
    return m.server_streaming() ? RpcMethod::SERVER_STREAMING
                                : RpcMethod::NORMAL_RPC;
  }

  std::vector<std::string> paths_;
};

}  // namespace

std::string FindInvalidUtf8(const google::protobuf::Descriptor& type,
                            std::string_view wire) {
  CodedInputStream in(reinterpret_cast<const uint8_t*>(wire.data()),
                      static_cast<int>(wire.size()));
  std::string path;
  if (!Scan(&in, type, "", 0, &path)) return "";
  return path;
}

absl::StatusOr<std::unique_ptr<grpc::Service>> CheckUtf8OfRequests(
    grpc::Service* service, std::string_view full_name) {
  const google::protobuf::ServiceDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(full_name));
  if (descriptor == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("no service ", std::string(full_name)));
  }
  return std::make_unique<CheckedService>(service, *descriptor);
}

}  // namespace opinia::rpc
