// The Allegro mapper on bodies in the format of GET /sale/user-ratings.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/core/collectors/platform.h"

namespace opinia::core::collectors {
namespace {

absl::StatusOr<MappedPage> ParseAllegro(std::string_view body) {
  auto platform = PlatformFor(opinia::v1::ALLEGRO);
  if (!platform.ok()) return platform.status();
  return (*platform)->ParsePage(body, {});
}

constexpr char kRatingsPage[] = R"json({
  "ratings": [
    {"id": "5df0a6d1ef437e00255572a1",
     "createdAt": "2026-10-01T10:00:00.000Z",
     "lastChangedAt": "2026-10-03T12:30:00.250Z",
     "editedAt": "2026-10-03T12:30:00.250Z",
     "recommended": false,
     "rates": {"delivery": 1, "deliveryCost": 5, "description": 4,
               "service": 2},
     "comment": "Towar OK, ale paczka szła dwa tygodnie",
     "buyer": {"id": "41846511", "login": "kupujacy_jan"},
     "answer": {"message": "Przepraszamy za opóźnienie kuriera",
                "createdAt": "2026-10-04T08:00:00.000Z"},
     "order": {"id": "29b8d1a0-9e2b-11ea-8a8c-5b9e2a6d3f10",
               "offers": [{"id": "9876543210", "title": "Kubek"}]},
     "removal": {"possibleTo": "2026-10-31T10:00:00.000Z",
                 "request": {"createdAt": "2026-10-05T09:00:00.000Z",
                             "message": "Ocena dotyczy kuriera",
                             "source": "SELLER"}},
     "excludedFromAverageRates": false},
    {"id": "r2",
     "createdAt": "2026-10-02T10:00:00Z",
     "lastChangedAt": "2026-10-02T10:00:00Z",
     "recommended": true,
     "buyer": {"id": "7", "login": "anna"}}
  ]
})json";

TEST(AllegroFormatTest, MapsRatingRatesAnswerAndRemoval) {
  auto page = ParseAllegro(kRatingsPage);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->reviews.size(), 2u);
  const MappedReview& a = page->reviews[0];
  EXPECT_EQ(a.input.external_id(), "5df0a6d1ef437e00255572a1");
  EXPECT_EQ(a.input.author_name(), "kupujacy_jan");
  EXPECT_EQ(a.input.author_id(), "41846511");
  EXPECT_EQ(a.input.text(), "Towar OK, ale paczka szła dwa tygodnie");
  EXPECT_EQ(a.input.rating(), 1) << "not recommended, a rate below 4";
  EXPECT_EQ(a.input.create_time().seconds(), 1790848800);
  EXPECT_EQ(a.input.update_time().seconds(), 1790848800 + 2 * 86400 + 9000)
      << "lastChangedAt";
  EXPECT_EQ(a.input.update_time().nanos(), 250000000);
  const auto& attr = a.input.attributes();
  EXPECT_EQ(attr.at("aspect_rating.delivery"), "1");
  EXPECT_EQ(attr.at("aspect_rating.price"), "5");
  EXPECT_EQ(attr.at("aspect_rating.product_quality"), "4");
  EXPECT_EQ(attr.at("aspect_rating.customer_service"), "2");
  EXPECT_EQ(attr.at("allegro_order_id"),
            "29b8d1a0-9e2b-11ea-8a8c-5b9e2a6d3f10");
  EXPECT_EQ(attr.at("removal_requested_at"),
            "2026-10-05T09:00:00.000Z");
  ASSERT_TRUE(a.has_reply);
  EXPECT_EQ(a.reply.text(), "Przepraszamy za opóźnienie kuriera");
  EXPECT_EQ(a.reply.response_time().seconds(), 1790848800 + 3 * 86400 - 7200);

  const MappedReview& b = page->reviews[1];
  EXPECT_EQ(b.input.rating(), 5) << "recommended, no rates";
  EXPECT_TRUE(b.input.text().empty());
  EXPECT_EQ(b.input.attributes().count("aspect_rating.delivery"), 0u);
  EXPECT_EQ(b.input.attributes().count("allegro_order_id"), 0u);
  EXPECT_FALSE(b.has_reply);
  // The next key: the last rating's lastChangedAt and how many share it.
  EXPECT_EQ(page->next, "1 2026-10-02T10:00:00Z");
}

TEST(AllegroFormatTest, VerdictAndRatesMapOntoFiveStars) {
  const struct {
    const char* rating;  // the JSON members after "id"
    int stars;
  } cases[] = {
      {R"("recommended": true)", 5},
      {R"("recommended": true, "rates": {"delivery": 5, "service": 4})", 5},
      {R"("recommended": true, "rates": {"delivery": 3, "service": 5})", 4},
      {R"("recommended": false)", 1},
      {R"("recommended": false, "rates": {"delivery": 2, "service": 5})", 1},
      {R"("recommended": false, "rates": {"delivery": 4, "service": 5})", 2},
      {R"("recommended": false, "rates": {"delivery": 9})", 1},
      {R"("comment": "bez werdyktu")", 0},
  };
  for (const auto& c : cases) {
    auto page = ParseAllegro(
        absl::StrCat(R"({"ratings": [{"id": "x", )", c.rating, "}]}"));
    ASSERT_TRUE(page.ok()) << c.rating << ": " << page.status();
    EXPECT_EQ(page->reviews[0].input.rating(), c.stars) << c.rating;
  }
  // A rate off Allegro's 1..5 is not passed on (ingest would reject it).
  auto odd = ParseAllegro(
      R"({"ratings": [{"id": "x", "recommended": true,
                       "rates": {"delivery": 0, "service": 6}}]})");
  ASSERT_TRUE(odd.ok());
  EXPECT_TRUE(odd->reviews[0].input.attributes().empty());
}

TEST(AllegroFormatTest, NextKeyCountsTheTiesAtTheEnd) {
  auto page = ParseAllegro(R"({"ratings": [
      {"id": "1", "recommended": true, "lastChangedAt": "2026-10-03T00:00:00Z"},
      {"id": "2", "recommended": true, "lastChangedAt": "2026-10-02T00:00:00Z"},
      {"id": "3", "recommended": true, "lastChangedAt": "2026-10-02T00:00:00Z"}
  ]})");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->next, "2 2026-10-02T00:00:00Z");
  auto timeless = ParseAllegro(R"({"ratings": [
      {"id": "1", "recommended": true}, {"id": "2", "recommended": true}]})");
  ASSERT_TRUE(timeless.ok());
  EXPECT_EQ(timeless->next, "2 ");
}

TEST(AllegroFormatTest, EmptyAndMalformed) {
  for (const char* empty : {R"({"ratings": []})", "{}"}) {
    auto page = ParseAllegro(empty);
    ASSERT_TRUE(page.ok()) << empty;
    EXPECT_TRUE(page->reviews.empty());
    EXPECT_TRUE(page->next.empty()) << "the last page";
  }
  for (const char* bad : {"{\"ratings\": [", "{\"ratings\": {}}", "[]",
                          "<html>"}) {
    EXPECT_EQ(ParseAllegro(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  // An item without an id is returned with an empty one (ingest rejects it).
  auto no_id = ParseAllegro(R"({"ratings": [{"recommended": true}]})");
  ASSERT_TRUE(no_id.ok());
  EXPECT_TRUE(no_id->reviews[0].input.external_id().empty());
}

ReplyTarget Target(std::string text = "Dziękujemy") {
  ReplyTarget t;
  t.endpoint = "https://api.allegro.pl/sale/user-ratings?recommended=false";
  t.credentials["bearer_token"] = "tok";
  t.review.set_external_id("5df0a6d1");
  t.text = std::move(text);
  return t;
}

const HttpHeaders kAllegroJson = {
    {"Accept", "application/vnd.allegro.public.v1+json"},
    {"Authorization", "Bearer tok"},
    {"Content-Type", "application/vnd.allegro.public.v1+json"}};

TEST(AllegroReplyFormatTest, AnswerIsAPutOnTheRating) {
  const Platform& allegro = **PlatformFor(opinia::v1::ALLEGRO);
  EXPECT_TRUE(allegro.SupportsReply(ReplyAction::kPublish));
  EXPECT_FALSE(allegro.SupportsReply(ReplyAction::kDelete));
  EXPECT_FALSE(allegro.IdempotentPublish()) << "checked before a resend";
  auto put = allegro.BuildReplyRequest(ReplyAction::kPublish,
                                       Target("Przepraszamy \"bardzo\""));
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->method, "PUT");
  EXPECT_EQ(put->url,
            "https://api.allegro.pl/sale/user-ratings/5df0a6d1/answer");
  EXPECT_EQ(put->headers, kAllegroJson);
  EXPECT_EQ(put->body, R"({"message":"Przepraszamy \"bardzo\""})");
  EXPECT_EQ(allegro.BuildReplyRequest(ReplyAction::kDelete, Target())
                .status()
                .code(),
            absl::StatusCode::kUnimplemented);
  ReplyTarget no_id = Target();
  no_id.review.clear_external_id();
  EXPECT_EQ(allegro.BuildReplyRequest(ReplyAction::kPublish, no_id)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  // A test server mounts the API under a path prefix.
  ReplyTarget local = Target();
  local.endpoint = "http://127.0.0.1:8080/x/sale/user-ratings";
  EXPECT_EQ(allegro.BuildReplyRequest(ReplyAction::kPublish, local)->url,
            "http://127.0.0.1:8080/x/sale/user-ratings/5df0a6d1/answer");

  const ReplyResult ok = allegro.ParseReplyResponse(
      ReplyAction::kPublish, 200,
      R"({"message": "Przepraszamy", "createdAt": "2026-10-04T08:00:00.000Z"})");
  EXPECT_TRUE(ok.ok);
  ASSERT_TRUE(ok.publish_time.has_value());
  EXPECT_EQ(absl::ToUnixSeconds(*ok.publish_time), 1790848800 + 3 * 86400 - 7200);
  const ReplyResult refused = allegro.ParseReplyResponse(
      ReplyAction::kPublish, 422,
      R"({"errors": [{"code": "VALIDATION_ERROR", "message": "message: too long",
          "userMessage": "Odpowiedź jest za długa", "path": "message"}]})");
  EXPECT_FALSE(refused.ok);
  EXPECT_FALSE(refused.retryable);
  EXPECT_EQ(refused.error, "HTTP 422: Odpowiedź jest za długa");
  const ReplyResult busy =
      allegro.ParseReplyResponse(ReplyAction::kPublish, 503, "<html>");
  EXPECT_TRUE(busy.retryable);
  EXPECT_EQ(busy.error, "HTTP 503");

  auto check = allegro.BuildReplyCheckRequest(Target());
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->method, "GET");
  EXPECT_EQ(check->url, "https://api.allegro.pl/sale/user-ratings/5df0a6d1");
  auto there = allegro.ParseReplyCheck(
      R"({"id": "5df0a6d1", "recommended": true,
          "answer": {"message": "Dziękujemy", "createdAt": "2026-10-04T08:00:00Z"}})");
  ASSERT_TRUE(there.ok()) << there.status();
  EXPECT_TRUE(there->exists);
  EXPECT_EQ(there->text, "Dziękujemy");
  auto none = allegro.ParseReplyCheck(R"({"id": "5df0a6d1", "recommended": true})");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->exists);
}

TEST(AllegroReplyFormatTest, RemovalRequestIsAPutWithTheReason) {
  const Platform& allegro = **PlatformFor(opinia::v1::ALLEGRO);
  EXPECT_TRUE(allegro.SupportsRemovalRequest());
  auto put = allegro.BuildRemovalRequest(Target("Ocena dotyczy kuriera"));
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->method, "PUT");
  EXPECT_EQ(put->url,
            "https://api.allegro.pl/sale/user-ratings/5df0a6d1/removal");
  EXPECT_EQ(put->headers, kAllegroJson);
  EXPECT_EQ(put->body, R"({"request":{"message":"Ocena dotyczy kuriera"}})");
  const ReplyResult ok = allegro.ParseRemovalResponse(
      200, R"({"possibleTo": "2026-10-31T10:00:00Z",
               "request": {"createdAt": "2026-10-05T09:00:00Z",
                           "message": "Ocena dotyczy kuriera",
                           "source": "SELLER"}})");
  EXPECT_TRUE(ok.ok);
  ASSERT_TRUE(ok.publish_time.has_value());
  EXPECT_EQ(absl::ToUnixSeconds(*ok.publish_time), 1790848800 + 4 * 86400 - 3600);
  const ReplyResult late = allegro.ParseRemovalResponse(
      422, R"({"errors": [{"code": "RemovalNotPossible",
                           "message": "Removal period expired",
                           "userMessage": ""}]})");
  EXPECT_FALSE(late.ok);
  EXPECT_EQ(late.error, "HTTP 422: Removal period expired");
  // Other platforms take none.
  for (auto kind : {opinia::v1::GOOGLE_BUSINESS_PROFILE, opinia::v1::TRUSTPILOT,
                    opinia::v1::JSON_FEED, opinia::v1::CSV_FEED}) {
    const Platform& other = **PlatformFor(kind);
    EXPECT_FALSE(other.SupportsRemovalRequest());
    EXPECT_EQ(other.BuildRemovalRequest(Target()).status().code(),
              absl::StatusCode::kUnimplemented);
  }
}

}  // namespace
}  // namespace opinia::core::collectors
