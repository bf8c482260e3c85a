// The standard gRPC services: health reports SERVING for "" and reflection
// lists opinia.v1.ReviewService (what grpcurl needs).
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/generic/generic_stub.h>

#include <algorithm>
#include <chrono>

#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

class StandardServicesTest : public ServerTest {};

TEST_F(StandardServicesTest, HealthIsServing) {
  // grpc.health.v1.HealthCheckRequest{service: ""} is the empty message; the
  // response is HealthCheckResponse{status = 1 (SERVING)}.
  std::string response;
  grpc::Status status =
      RawUnaryCall(channel_, "/grpc.health.v1.Health/Check", "", "", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  UnknownFieldSet fields;
  ASSERT_TRUE(fields.ParseFromString(response));
  ASSERT_EQ(fields.field_count(), 1);
  EXPECT_EQ(fields.field(0).number(), 1);
  EXPECT_EQ(fields.field(0).varint(), 1u) << "SERVING";
  fields.Clear();

  // Per service too.
  for (const char* service :
       {"opinia.v1.ReviewService", "opinia.v1.AdminService"}) {
    status = RawUnaryCall(channel_, "/grpc.health.v1.Health/Check",
                          WireBytesField(1, service), "", &response);
    ASSERT_TRUE(status.ok()) << service << ": " << status.error_message();
    ASSERT_TRUE(fields.ParseFromString(response));
    ASSERT_EQ(fields.field_count(), 1) << service;
    EXPECT_EQ(fields.field(0).varint(), 1u) << service << " SERVING";
    fields.Clear();
  }
  status = RawUnaryCall(channel_, "/grpc.health.v1.Health/Check",
                        WireBytesField(1, "no.such.Service"), "", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

// Sends one ServerReflectionRequest{list_services: ""} and returns the
// service names of the answer.
std::vector<std::string> ListServices(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
    grpc::Status* status) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(&context, method, &cq);
  void* tag;
  bool ok;
  auto step = [&](intptr_t want) {
    EXPECT_TRUE(cq.Next(&tag, &ok));
    EXPECT_EQ(reinterpret_cast<intptr_t>(tag), want);
    return ok;
  };
  std::vector<std::string> names;
  call->StartCall(reinterpret_cast<void*>(1));
  if (step(1)) {
    const std::string request = WireBytesField(7, "");  // list_services
    grpc::Slice slice(request);
    grpc::ByteBuffer buffer(&slice, 1);
    call->Write(buffer, reinterpret_cast<void*>(2));
    step(2);
    call->WritesDone(reinterpret_cast<void*>(3));
    step(3);
    grpc::ByteBuffer reply;
    call->Read(&reply, reinterpret_cast<void*>(4));
    if (step(4)) {
      std::vector<grpc::Slice> slices;
      (void)reply.Dump(&slices);
      std::string bytes;
      for (const auto& s : slices)
        bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
      // ServerReflectionResponse.list_services_response = 6
      //   { repeated ServiceResponse service = 1 { string name = 1 } }
      UnknownFieldSet response;
      response.ParseFromString(bytes);
      for (int i = 0; i < response.field_count(); ++i) {
        if (response.field(i).number() != 6) continue;
        UnknownFieldSet list;
        list.ParseFromString(response.field(i).length_delimited());
        for (int j = 0; j < list.field_count(); ++j) {
          UnknownFieldSet service;
          service.ParseFromString(list.field(j).length_delimited());
          for (int k = 0; k < service.field_count(); ++k) {
            if (service.field(k).number() == 1) {
              names.push_back(service.field(k).length_delimited());
            }
          }
        }
      }
    }
  }
  call->Finish(status, reinterpret_cast<void*>(5));
  step(5);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return names;
}

// Both versions: grpcurl >= 1.8.8 and evans ask for v1, older clients for
// v1alpha.
TEST_F(StandardServicesTest, ReflectionListsOpiniaServices) {
  for (const char* method :
       {"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"}) {
    SCOPED_TRACE(method);
    grpc::Status status;
    std::vector<std::string> names = ListServices(channel_, method, &status);
    ASSERT_TRUE(status.ok())
        << status.error_code() << " " << status.error_message();
    for (const char* service :
         {"opinia.v1.ReviewService", "opinia.v1.AdminService",
          "opinia.v1.AlertService", "opinia.v1.InsightsService",
          "opinia.v1.CollectorService",
          "grpc.reflection.v1.ServerReflection"}) {
      EXPECT_NE(std::find(names.begin(), names.end(), service), names.end())
          << service;
    }
  }
}

TEST_F(StandardServicesTest, ReflectionV1ServesFileDescriptors) {
  using grpc::reflection::v1::ServerReflectionRequest;
  using grpc::reflection::v1::ServerReflectionResponse;
  auto stub = grpc::reflection::v1::ServerReflection::NewStub(channel_);
  auto context = ContextWithKey("");
  auto stream = stub->ServerReflectionInfo(context.get());
  ServerReflectionRequest request;
  ServerReflectionResponse response;

  request.set_file_containing_symbol("opinia.v1.ReviewService.AnalyzeText");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_TRUE(response.has_file_descriptor_response())
      << response.DebugString();
  std::vector<std::string> files;
  bool has_service = false;
  for (const std::string& bytes :
       response.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    files.push_back(file.name());
    for (const auto& s : file.service())
      has_service |= s.name() == "ReviewService";
  }
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files[0], "opinia/v1/reviews.proto");
  EXPECT_TRUE(has_service);
  // With what it imports, so a client can build the whole type.
  EXPECT_NE(
      std::find(files.begin(), files.end(), "google/protobuf/timestamp.proto"),
      files.end());

  request.set_file_by_filename("opinia/v1/admin.proto");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_TRUE(response.has_file_descriptor_response());
  google::protobuf::FileDescriptorProto admin;
  ASSERT_TRUE(admin.ParseFromString(
      response.file_descriptor_response().file_descriptor_proto(0)));
  EXPECT_EQ(admin.package(), "opinia.v1");

  request.set_file_containing_symbol("opinia.v1.NoSuchThing");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.error_response().error_code(),
            static_cast<int>(grpc::StatusCode::NOT_FOUND));

  ASSERT_TRUE(stream->WritesDone());
  EXPECT_FALSE(stream->Read(&response));
  grpc::Status status = stream->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace opinia::testing
