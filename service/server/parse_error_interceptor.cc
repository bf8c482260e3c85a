#include "service/server/parse_error_interceptor.h"

#include <string>

#include "google/protobuf/descriptor.h"
#include "grpcpp/support/interceptor.h"

namespace opinia::server {
namespace {

// "/opinia.v1.ReviewService/GetReview" -> its descriptor, or null.
const google::protobuf::MethodDescriptor* FindMethod(const char* path) {
  if (path == nullptr || path[0] != '/') return nullptr;
  std::string name(path + 1);
  const size_t slash = name.find('/');
  if (slash == std::string::npos) return nullptr;
  name[slash] = '.';
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
      name);
}

class ParseErrorInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ParseErrorInterceptor(const google::protobuf::MethodDescriptor* m)
      : method_(m) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (method_ != nullptr &&
        methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED &&
          status.error_message().empty()) {
        methods->ModifySendStatus(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            "request is not a valid " + method_->input_type()->full_name() +
                " message"));
      }
    }
    methods->Proceed();
  }

 private:
  const google::protobuf::MethodDescriptor* const method_;
};

class Factory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new ParseErrorInterceptor(FindMethod(info->method()));
  }
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewParseErrorInterceptorFactory() {
  return std::make_unique<Factory>();
}

}  // namespace opinia::server
