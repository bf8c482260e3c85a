// Bad input answers INVALID_ARGUMENT (or a REJECTED item) naming the field;
// oversize batches RESOURCE_EXHAUSTED or INVALID_ARGUMENT. Afterwards the
// server is healthy and the stored data is untouched.
#include <functional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

using grpc::StatusCode;
using opinia::v1::IngestResult;
using opinia::v1::ReviewInput;

constexpr char kIngestMethod[] = "/opinia.v1.ReviewService/IngestReviews";

class ValidationTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (!key_.empty()) return;
    key_ = NewTenant("Validation shop").key;
    std::vector<ReviewInput> batch;
    for (int i = 0; i < 10; ++i)
      batch.push_back(MakeReview("v" + std::to_string(i), i));
    auto response = Ingest(channel_, key_, batch);
    ASSERT_TRUE(response.ok()) << response.status();
    for (const auto& r : response->results())
      before_.push_back(Fetch(r.name()));
  }

  opinia::v1::Review Fetch(const std::string& name) {
    return FetchReview(key_, name);
  }

  // Either the call fails with INVALID_ARGUMENT (or `alt`), or the one item
  // is REJECTED; the message names `field` in both cases.
  void ExpectIngestRefused(const std::string& what, const std::string& payload,
                           const std::string& field,
                           StatusCode alt = StatusCode::INVALID_ARGUMENT) {
    std::string bytes;
    grpc::Status status =
        RawUnaryCall(channel_, kIngestMethod, payload, key_, &bytes);
    if (!status.ok()) {
      EXPECT_TRUE(status.error_code() == StatusCode::INVALID_ARGUMENT ||
                  status.error_code() == alt)
          << what << ": code " << status.error_code() << " "
          << status.error_message();
      EXPECT_TRUE(absl::StrContains(
          absl::AsciiStrToLower(status.error_message()), field))
          << what << ": message does not name " << field << ": "
          << status.error_message();
      return;
    }
    opinia::v1::IngestReviewsResponse response;
    ASSERT_TRUE(response.ParseFromString(bytes)) << what;
    ASSERT_EQ(response.results_size(), 1) << what;
    EXPECT_EQ(response.results(0).outcome(), IngestResult::REJECTED) << what;
    EXPECT_TRUE(absl::StrContains(
        absl::AsciiStrToLower(response.results(0).error()), field))
        << what << ": reason does not name " << field << ": "
        << response.results(0).error();
  }

  static std::string OneItem(const ReviewInput& review) {
    return WireBytesField(1, review.SerializeAsString());
  }

  static inline std::string key_;
  static inline std::vector<opinia::v1::Review> before_;
};

TEST_F(ValidationTest, BadReviewsAreRefusedNamingTheField) {
  // Raw wire bytes: a generated stub would not serialize invalid UTF-8.
  const std::string bad_utf8_text = WireBytesField(1, "storefront") +
                                    WireBytesField(2, "bad-utf8") +
                                    WireBytesField(9, "ok \xff\xfe broken");
  ExpectIngestRefused("invalid UTF-8 text", WireBytesField(1, bad_utf8_text),
                      "text");
  const std::string bad_utf8_author =
      WireBytesField(1, "storefront") + WireBytesField(2, "bad-utf8-author") +
      WireBytesField(4, "Jan \xc3\x28") + WireBytesField(9, "ok");
  ExpectIngestRefused("invalid UTF-8 author",
                      WireBytesField(1, bad_utf8_author), "author_name");
  const std::string overlong = WireBytesField(1, "storefront") +
                               WireBytesField(2, "overlong") +
                               WireBytesField(9, "\xc0\xaf");
  ExpectIngestRefused("overlong UTF-8", WireBytesField(1, overlong), "text");

  struct Case {
    std::string what;
    std::function<void(ReviewInput*)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"empty source", [](ReviewInput* r) { r->clear_source(); }, "source"},
      {"empty external_id", [](ReviewInput* r) { r->clear_external_id(); },
       "external_id"},
      {"rating 9", [](ReviewInput* r) { r->set_rating(9); }, "rating"},
      {"rating -1", [](ReviewInput* r) { r->set_rating(-1); }, "rating"},
      {"rating 11 of 10",
       [](ReviewInput* r) {
         r->set_rating(11);
         r->set_rating_scale(10);
       },
       "rating"},
      {"neither text nor rating",
       [](ReviewInput* r) {
         r->clear_text();
         r->clear_rating();
       },
       "text or rating required"},
      {"text over 64 KiB",
       [](ReviewInput* r) { r->set_text(std::string(64 * 1024 + 1, 'a')); },
       "text"},
      // A rejected re-send of a stored review must not change it.
      {"stored review with rating 9",
       [](ReviewInput* r) {
         *r = MakeReview("v3", 3);
         r->set_rating(9);
         r->set_text("zmieniony tekst, który nie powinien zostać zapisany");
       },
       "rating"},
  };
  for (const Case& c : cases) {
    ReviewInput review = MakeReview("case-" + c.what, 1);
    c.mutate(&review);
    ExpectIngestRefused(c.what, OneItem(review), c.field);
  }
}

TEST_F(ValidationTest, OversizeBatchIsRefused) {
  std::string payload;
  for (int i = 0; i < 1001; ++i)
    payload += OneItem(MakeReview("big" + std::to_string(i), i));
  std::string bytes;
  grpc::Status status =
      RawUnaryCall(channel_, kIngestMethod, payload, key_, &bytes);
  EXPECT_TRUE(status.error_code() == StatusCode::RESOURCE_EXHAUSTED ||
              status.error_code() == StatusCode::INVALID_ARGUMENT)
      << "code " << status.error_code() << " " << status.error_message();
}

TEST_F(ValidationTest, OversizeMessageIsResourceExhausted) {
  // 200 texts of 60 KiB: each item is valid, the message (12 MiB) is not.
  std::string payload;
  for (int i = 0; i < 200; ++i) {
    ReviewInput review = MakeReview("huge" + std::to_string(i), i);
    review.set_text(std::string(60 * 1024, 'x'));
    payload += OneItem(review);
  }
  std::string bytes;
  grpc::Status status =
      RawUnaryCall(channel_, kIngestMethod, payload, key_, &bytes);
  EXPECT_EQ(status.error_code(), StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
}

TEST_F(ValidationTest, MixedBatchStoresTheValidItems) {
  ReviewInput bad = MakeReview("mixed-bad", 1);
  bad.set_rating(7);
  auto response =
      Ingest(channel_, key_,
             {MakeReview("mixed-ok-1", 1), bad, MakeReview("mixed-ok-2", 2)});
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->results(0).outcome(), IngestResult::CREATED);
  EXPECT_EQ(response->results(1).outcome(), IngestResult::REJECTED);
  EXPECT_EQ(response->results(2).outcome(), IngestResult::CREATED);
  Fetch(response->results(0).name());
  Fetch(response->results(2).name());
}

TEST_F(ValidationTest, BadNamesTokensAndRequestsAreInvalidArgument) {
  auto reviews = opinia::v1::ReviewService::NewStub(channel_);
  auto admin = opinia::v1::AdminService::NewStub(channel_);
  struct Case {
    std::string what;
    std::function<grpc::Status()> call;
    StatusCode want;
  };
  auto get = [&](const std::string& name) {
    return [&, name] {
      opinia::v1::GetReviewRequest request;
      request.set_name(name);
      opinia::v1::Review out;
      return reviews->GetReview(ContextWithKey(key_).get(), request, &out);
    };
  };
  auto list_with_token = [&](const std::string& token) {
    return [&, token] {
      opinia::v1::ListReviewsRequest request;
      request.set_page_token(token);
      opinia::v1::ListReviewsResponse out;
      return reviews->ListReviews(ContextWithKey(key_).get(), request, &out);
    };
  };
  // A real token with one character changed must not be accepted.
  std::string token;
  {
    opinia::v1::ListReviewsRequest request;
    request.set_page_size(2);
    opinia::v1::ListReviewsResponse out;
    ASSERT_TRUE(
        reviews->ListReviews(ContextWithKey(key_).get(), request, &out).ok());
    token = out.next_page_token();
    ASSERT_FALSE(token.empty());
  }
  std::string tampered = token;
  tampered[tampered.size() / 2] =
      tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';

  const std::vector<Case> cases = {
      {"name without collection", get("12345"), StatusCode::INVALID_ARGUMENT},
      {"empty name", get(""), StatusCode::INVALID_ARGUMENT},
      {"wrong collection", get("alerts/1"), StatusCode::INVALID_ARGUMENT},
      {"empty id", get("reviews/"), StatusCode::INVALID_ARGUMENT},
      {"junk id", get("reviews/../../etc"), StatusCode::INVALID_ARGUMENT},
      {"well-formed unknown name", get("reviews/999999999"),
       StatusCode::NOT_FOUND},
      {"garbage page token", list_with_token("garbage!!"),
       StatusCode::INVALID_ARGUMENT},
      {"tampered page token", list_with_token(tampered),
       StatusCode::INVALID_ARGUMENT},
      {"negative page size",
       [&] {
         opinia::v1::ListReviewsRequest request;
         request.set_page_size(-1);
         opinia::v1::ListReviewsResponse out;
         return reviews->ListReviews(ContextWithKey(key_).get(), request, &out);
       },
       StatusCode::INVALID_ARGUMENT},
      {"unknown order_by",
       [&] {
         opinia::v1::ListReviewsRequest request;
         request.set_order_by("rating sideways");
         opinia::v1::ListReviewsResponse out;
         return reviews->ListReviews(ContextWithKey(key_).get(), request, &out);
       },
       StatusCode::INVALID_ARGUMENT},
      {"unknown update_mask path",
       [&] {
         opinia::v1::UpdateReviewRequest request;
         request.mutable_review()->set_name(before_[0].name());
         request.mutable_update_mask()->add_paths("input.text");
         opinia::v1::Review out;
         return reviews->UpdateReview(ContextWithKey(key_).get(), request,
                                      &out);
       },
       StatusCode::INVALID_ARGUMENT},
      {"bad tenant id",
       [&] {
         opinia::v1::CreateTenantRequest request;
         request.set_tenant_id("Bad_ID!");
         request.mutable_tenant()->set_display_name("x");
         opinia::v1::Tenant out;
         return admin->CreateTenant(ContextWithKey(operator_key()).get(),
                                    request, &out);
       },
       StatusCode::INVALID_ARGUMENT},
      {"bad time zone",
       [&] {
         opinia::v1::CreateTenantRequest request;
         request.mutable_tenant()->set_display_name("x");
         request.mutable_tenant()->set_time_zone("Mars/Olympus");
         opinia::v1::Tenant out;
         return admin->CreateTenant(ContextWithKey(operator_key()).get(),
                                    request, &out);
       },
       StatusCode::INVALID_ARGUMENT},
      {"bad api key name",
       [&] {
         opinia::v1::RevokeApiKeyRequest request;
         request.set_name("keys/whatever");
         opinia::v1::ApiKey out;
         return admin->RevokeApiKey(ContextWithKey(operator_key()).get(),
                                    request, &out);
       },
       StatusCode::INVALID_ARGUMENT},
  };
  for (const Case& c : cases) {
    grpc::Status status = c.call();
    EXPECT_EQ(status.error_code(), c.want)
        << c.what << ": " << status.error_message();
  }
}

// Runs last (gtest keeps declaration order): nothing above changed the
// reviews stored in SetUp, and the server still answers.
TEST_F(ValidationTest, ServerHealthyAndStoredDataUntouched) {
  for (const auto& before : before_) {
    opinia::v1::Review now = Fetch(before.name());
    EXPECT_EQ(now.input().SerializeAsString(),
              before.input().SerializeAsString())
        << before.name() << " changed";
  }
  std::set<std::string> names;
  auto listed = ListAllNames(channel_, key_, {1000});
  ASSERT_TRUE(listed.ok()) << listed.status();
  names.insert(listed->begin(), listed->end());
  EXPECT_EQ(names.size(), 12u)
      << "10 from SetUp + 2 valid items of the mixed batch";
  auto ok = Ingest(channel_, key_, {MakeReview("after-bad-input", 1)});
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->results(0).outcome(), IngestResult::CREATED);
}

}  // namespace
}  // namespace opinia::testing
