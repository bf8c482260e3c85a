// The standard gRPC services: health reports SERVING for "" and reflection
// lists opinia.v1.ReviewService (what grpcurl needs).
#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/generic/generic_stub.h>

#include <algorithm>
#include <chrono>

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

TEST_F(StandardServicesTest, ReflectionListsOpiniaServices) {
  bool found = false;
  for (const char* method :
       {"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"}) {
    grpc::Status status;
    std::vector<std::string> names = ListServices(channel_, method, &status);
    if (!status.ok()) continue;
    for (const auto& n : names) found |= n == "opinia.v1.ReviewService";
    if (found) {
      EXPECT_NE(std::find(names.begin(), names.end(), "opinia.v1.AdminService"),
                names.end());
    }
  }
  EXPECT_TRUE(found) << "no reflection service lists opinia.v1.ReviewService";
}

}  // namespace
}  // namespace opinia::testing
