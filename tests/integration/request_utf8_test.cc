// Invalid UTF-8 in any string field of any request: INVALID_ARGUMENT naming
// the field, never a parse failure, and nothing from libprotobuf in the
// server's log. Ingest keeps rejecting such reviews one by one.
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "opinia/v1/admin.pb.h"
#include "opinia/v1/alerts.pb.h"
#include "opinia/v1/reviews.pb.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

// Stands in for the invalid bytes while the message is built: the same
// length, so the serialized lengths stay right after the swap.
constexpr char kMarker[] = "@@@@";
constexpr char kInvalid[] = "\xc3\x28\xff\xfe";

// `message` serialized with every kMarker replaced by invalid UTF-8.
std::string WithInvalidUtf8(const google::protobuf::Message& message) {
  return absl::StrReplaceAll(message.SerializeAsString(),
                             {{kMarker, kInvalid}});
}

class RequestUtf8Test : public ServerTest {};

TEST_F(RequestUtf8Test, EveryServiceNamesTheField) {
  const TenantWithKey tenant = NewTenant("utf8 shop");

  opinia::v1::AnalyzeTextRequest analyze;
  analyze.set_text(kMarker);
  opinia::v1::AnalyzeTextRequest analyze_title;
  analyze_title.set_text("fine");
  analyze_title.set_title(kMarker);
  opinia::v1::ListReviewsRequest list;
  list.add_sources("allegro");
  list.add_sources(kMarker);
  opinia::v1::UpdateReviewRequest update;
  update.mutable_review()->set_name("reviews/1");
  update.mutable_update_mask()->add_paths(kMarker);
  opinia::v1::CreateTenantRequest create_tenant;
  create_tenant.mutable_tenant()->set_display_name(kMarker);
  opinia::v1::StreamAlertsRequest stream;
  stream.set_resume_token(kMarker);

  struct Case {
    std::string method;
    std::string request;
    std::string key;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"/opinia.v1.ReviewService/AnalyzeText", WithInvalidUtf8(analyze),
       tenant.key, "text"},
      {"/opinia.v1.ReviewService/AnalyzeText", WithInvalidUtf8(analyze_title),
       tenant.key, "title"},
      {"/opinia.v1.ReviewService/ListReviews", WithInvalidUtf8(list),
       tenant.key, "sources[1]"},
      {"/opinia.v1.ReviewService/UpdateReview", WithInvalidUtf8(update),
       tenant.key, "update_mask.paths[0]"},
      {"/opinia.v1.AdminService/CreateTenant", WithInvalidUtf8(create_tenant),
       operator_key(), "tenant.display_name"},
      // A server-streaming method.
      {"/opinia.v1.AlertService/StreamAlerts", WithInvalidUtf8(stream),
       tenant.key, "resume_token"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.field);
    ASSERT_NE(c.request.find(kInvalid), std::string::npos);
    std::string response;
    grpc::Status status =
        RawUnaryCall(channel_, c.method, c.request, c.key, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message(), c.field + ": invalid UTF-8");
  }

  // The same requests with valid strings still reach the service.
  analyze.set_text("Great phone");
  std::string response;
  grpc::Status status =
      RawUnaryCall(channel_, "/opinia.v1.ReviewService/AnalyzeText",
                   analyze.SerializeAsString(), tenant.key, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();

  // Bytes that are no message at all keep their own answer.
  status = RawUnaryCall(channel_, "/opinia.v1.ReviewService/AnalyzeText",
                        "\x0a\x7f", tenant.key, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "request is not a valid opinia.v1.AnalyzeTextRequest message");

  EXPECT_EQ(server_->Log().find("libprotobuf"), std::string::npos)
      << server_->Log();
}

TEST_F(RequestUtf8Test, IngestRejectsOnlyTheBadReview) {
  const TenantWithKey tenant = NewTenant("utf8 ingest");
  opinia::v1::IngestReviewsRequest request;
  *request.add_reviews() = MakeReview("good", 1);
  *request.add_reviews() = MakeReview("bad", 2);
  request.mutable_reviews(1)->set_text(kMarker);
  std::string bytes;
  grpc::Status status =
      RawUnaryCall(channel_, "/opinia.v1.ReviewService/IngestReviews",
                   WithInvalidUtf8(request), tenant.key, &bytes);
  ASSERT_TRUE(status.ok()) << status.error_message();
  opinia::v1::IngestReviewsResponse response;
  ASSERT_TRUE(response.ParseFromString(bytes));
  ASSERT_EQ(response.results_size(), 2);
  EXPECT_EQ(response.results(0).outcome(), opinia::v1::IngestResult::CREATED);
  EXPECT_EQ(response.results(1).outcome(), opinia::v1::IngestResult::REJECTED);
  EXPECT_EQ(response.results(1).error(), "reviews[1].text: invalid UTF-8");
  EXPECT_EQ(server_->Log().find("libprotobuf"), std::string::npos)
      << server_->Log();
}

}  // namespace
}  // namespace opinia::testing
