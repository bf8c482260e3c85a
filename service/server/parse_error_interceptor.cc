#include "service/server/parse_error_interceptor.h"

#include <string>

#include "absl/strings/match.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/interceptor.h"
#include "service/rpc/utf8_checked_service.h"

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
  ParseErrorInterceptor(grpc::experimental::ServerRpcInfo* info,
                        FailedRequestLog* failed)
      : info_(info), method_(FindMethod(info->method())), failed_(failed) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      if (method_ != nullptr &&
          status.error_code() == grpc::StatusCode::UNIMPLEMENTED &&
          status.error_message().empty()) {
        methods->ModifySendStatus(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            "request is not a valid " + method_->input_type()->full_name() +
                " message"));
        Count(FailedRequestLog::Kind::kParse);
      } else if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
        Count(FailedRequestLog::Kind::kAuthentication);
      } else if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
                 absl::EndsWith(status.error_message(), rpc::kInvalidUtf8)) {
        Count(FailedRequestLog::Kind::kParse);
      }
    }
    methods->Proceed();
  }

 private:
  void Count(FailedRequestLog::Kind kind) {
    if (failed_ == nullptr) return;
    failed_->Count(kind, info_->method(), info_->server_context()->peer());
  }

  grpc::experimental::ServerRpcInfo* const info_;
  const google::protobuf::MethodDescriptor* const method_;
  FailedRequestLog* const failed_;
};

class Factory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit Factory(FailedRequestLog* failed) : failed_(failed) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new ParseErrorInterceptor(info, failed_);
  }

 private:
  FailedRequestLog* const failed_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewParseErrorInterceptorFactory(FailedRequestLog* failed) {
  return std::make_unique<Factory>(failed);
}

}  // namespace opinia::server
