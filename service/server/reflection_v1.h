// gRPC server reflection v1 (grpc.reflection.v1.ServerReflection), which
// current grpcurl and evans ask for first. Debian's grpc++_reflection serves
// only v1alpha; both are registered. Answers come from the generated
// descriptor pool, i.e. every proto linked into the server.
#ifndef OPINIA_SERVICE_SERVER_REFLECTION_V1_H_
#define OPINIA_SERVICE_SERVER_REFLECTION_V1_H_

#include <string>
#include <vector>

#include "grpc/reflection/v1/reflection.grpc.pb.h"

namespace opinia::server {

// Pure: the answer to one request. Unknown files, symbols and extensions
// get an error_response with NOT_FOUND.
grpc::reflection::v1::ServerReflectionResponse AnswerReflection(
    const grpc::reflection::v1::ServerReflectionRequest& request,
    const std::vector<std::string>& services);

class ReflectionV1Service
    : public grpc::reflection::v1::ServerReflection::CallbackService {
 public:
  // `services`: the full names list_services answers with.
  explicit ReflectionV1Service(std::vector<std::string> services)
      : services_(std::move(services)) {}

  grpc::ServerBidiReactor<grpc::reflection::v1::ServerReflectionRequest,
                          grpc::reflection::v1::ServerReflectionResponse>*
  ServerReflectionInfo(grpc::CallbackServerContext* context) override;

 private:
  const std::vector<std::string> services_;
};

}  // namespace opinia::server

#endif  // OPINIA_SERVICE_SERVER_REFLECTION_V1_H_
