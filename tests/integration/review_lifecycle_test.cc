// A review's life after ingest: status and human overrides (UpdateReview),
// the shop's response (RecordResponse), soft delete (DeleteReview); a
// re-send of the same input keeps all of it.
#include <algorithm>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

class ReviewLifecycleTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (key_.empty()) key_ = NewTenant("Lifecycle shop").key;
    stub_ = opinia::v1::ReviewService::NewStub(channel_);
  }

  std::string IngestOne(const opinia::v1::ReviewInput& review) {
    auto response = Ingest(channel_, key_, {review});
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? response->results(0).name() : "";
  }

  opinia::v1::Review Get(const std::string& name) {
    return FetchReview(key_, name);
  }

  std::vector<std::string> ListNames(bool show_deleted) {
    opinia::v1::ListReviewsRequest request;
    request.set_page_size(1000);
    request.set_show_deleted(show_deleted);
    opinia::v1::ListReviewsResponse response;
    grpc::Status s =
        stub_->ListReviews(ContextWithKey(key_).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> names;
    for (const auto& r : response.reviews()) names.push_back(r.name());
    return names;
  }

  static inline std::string key_;
  std::unique_ptr<opinia::v1::ReviewService::Stub> stub_;
};

TEST_F(ReviewLifecycleTest, StatusAndOverrideSurviveAnUnchangedResend) {
  const auto input = MakeReview("life-1", 1);
  const std::string name = IngestOne(input);
  EXPECT_EQ(Get(name).status(), opinia::v1::NEW);

  opinia::v1::UpdateReviewRequest update;
  update.mutable_review()->set_name(name);
  update.mutable_review()->set_status(opinia::v1::ACKNOWLEDGED);
  auto* sentiment =
      update.mutable_review()->mutable_override()->mutable_sentiment();
  sentiment->set_label(opinia::v1::NEGATIVE);
  sentiment->set_score(-0.8f);
  update.mutable_review()->mutable_override()->mutable_urgency()->set_priority(
      opinia::v1::P2);
  for (const char* path :
       {"status", "override.sentiment", "override.urgency.priority"}) {
    update.mutable_update_mask()->add_paths(path);
  }
  opinia::v1::Review updated;
  grpc::Status s =
      stub_->UpdateReview(ContextWithKey(key_).get(), update, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(updated.status(), opinia::v1::ACKNOWLEDGED);
  EXPECT_EQ(updated.override().sentiment().label(), opinia::v1::NEGATIVE);
  EXPECT_EQ(updated.override().urgency().priority(), opinia::v1::P2);

  auto again = Ingest(channel_, key_, {input});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->results(0).outcome(), opinia::v1::IngestResult::UNCHANGED);
  const opinia::v1::Review stored = Get(name);
  EXPECT_EQ(stored.status(), opinia::v1::ACKNOWLEDGED);
  EXPECT_EQ(stored.override().sentiment().label(), opinia::v1::NEGATIVE);
  EXPECT_EQ(stored.override().urgency().priority(), opinia::v1::P2);
}

TEST_F(ReviewLifecycleTest, OnlyTheMaskedFieldsChange) {
  const std::string name = IngestOne(MakeReview("life-2", 2));
  opinia::v1::UpdateReviewRequest update;
  update.mutable_review()->set_name(name);
  update.mutable_review()->set_status(opinia::v1::RESOLVED);
  update.mutable_review()->mutable_override()->mutable_urgency()->set_priority(
      opinia::v1::P1);
  update.mutable_update_mask()->add_paths("override.urgency.priority");
  opinia::v1::Review updated;
  ASSERT_TRUE(
      stub_->UpdateReview(ContextWithKey(key_).get(), update, &updated).ok());
  const opinia::v1::Review stored = Get(name);
  EXPECT_EQ(stored.status(), opinia::v1::NEW) << "status was not in the mask";
  EXPECT_EQ(stored.override().urgency().priority(), opinia::v1::P1);
}

TEST_F(ReviewLifecycleTest, RecordResponseSetsRespondedAndKeepsTheText) {
  const std::string name = IngestOne(MakeReview("life-3", 3));
  opinia::v1::RecordResponseRequest request;
  request.set_name(name);
  request.mutable_response()->set_text(
      "Przepraszamy, wysłaliśmy nowy egzemplarz.");
  request.mutable_response()->set_author("Obsługa klienta");
  opinia::v1::Review review;
  grpc::Status s =
      stub_->RecordResponse(ContextWithKey(key_).get(), request, &review);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const opinia::v1::Review stored = Get(name);
  EXPECT_EQ(stored.status(), opinia::v1::RESPONDED);
  EXPECT_EQ(stored.response().text(),
            "Przepraszamy, wysłaliśmy nowy egzemplarz.");
  EXPECT_EQ(stored.response().author(), "Obsługa klienta");
  EXPECT_GT(stored.response().response_time().seconds(), 0)
      << "server fills the time";
}

TEST_F(ReviewLifecycleTest, DeleteIsSoft) {
  const std::string name = IngestOne(MakeReview("life-4", 4));
  opinia::v1::DeleteReviewRequest request;
  request.set_name(name);
  opinia::v1::Review deleted;
  grpc::Status s =
      stub_->DeleteReview(ContextWithKey(key_).get(), request, &deleted);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(deleted.deleted());
  auto visible = ListNames(false);
  EXPECT_EQ(std::count(visible.begin(), visible.end(), name), 0)
      << "listed after delete";
  auto all = ListNames(true);
  EXPECT_EQ(std::count(all.begin(), all.end(), name), 1)
      << "show_deleted lists it";
}

TEST_F(ReviewLifecycleTest, NoDeadlineIsAnUnsetRespondBy) {
  auto input = MakeReview("life-5", 3);
  input.set_rating(5);
  input.set_text("Great quality, fast delivery, would buy again.");
  auto ingested = Ingest(channel_, key_, {input});
  ASSERT_TRUE(ingested.ok()) << ingested.status();
  const auto& result = ingested->results(0);
  ASSERT_EQ(result.analysis().urgency().priority(), opinia::v1::NONE)
      << "the case needs a review without a deadline";
  EXPECT_FALSE(result.analysis().urgency().has_respond_by())
      << "IngestResult: " << result.analysis().urgency().respond_by().DebugString();
  const opinia::v1::Review review = Get(result.name());
  EXPECT_FALSE(review.analysis().urgency().has_respond_by())
      << "GetReview: " << review.analysis().urgency().respond_by().DebugString();
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(review, &json).ok());
  EXPECT_EQ(json.find("respondBy"), std::string::npos) << json;
  EXPECT_EQ(json.find("1970"), std::string::npos) << json;
}

}  // namespace
}  // namespace opinia::testing
