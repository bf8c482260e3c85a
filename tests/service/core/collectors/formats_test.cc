// The platform mappers on fixture bodies in each platform's own format.
#include "service/core/collectors/platform.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/core/collectors/json_value.h"

namespace opinia::core::collectors {
namespace {

// One body through the platform of `kind`, as the syncer and `opinia import`
// parse it.
absl::StatusOr<MappedPage> Parse(opinia::v1::CollectorKind kind,
                                 std::string_view body,
                                 const FeedMapping& mapping = {}) {
  auto platform = PlatformFor(kind);
  if (!platform.ok()) return platform.status();
  return (*platform)->ParsePage(body, mapping);
}
absl::StatusOr<MappedPage> ParseGbpPage(std::string_view body) {
  return Parse(opinia::v1::GOOGLE_BUSINESS_PROFILE, body);
}
absl::StatusOr<MappedPage> ParseTrustpilotPage(std::string_view body) {
  return Parse(opinia::v1::TRUSTPILOT, body);
}
absl::StatusOr<MappedPage> ParseJsonFeed(std::string_view body,
                                         const FeedMapping& mapping) {
  return Parse(opinia::v1::JSON_FEED, body, mapping);
}
absl::StatusOr<MappedPage> ParseCsvFeed(std::string_view body,
                                        const FeedMapping& mapping) {
  return Parse(opinia::v1::CSV_FEED, body, mapping);
}
absl::Status ValidateFeedMapping(opinia::v1::CollectorKind kind,
                                 const FeedMapping& mapping,
                                 std::string_view field) {
  auto platform = PlatformFor(kind);
  if (!platform.ok()) return platform.status();
  return (*platform)->ValidateMapping(mapping, field);
}

constexpr char kGbpPage[] = R"json({
  "reviews": [
    {"name": "accounts/1/locations/2/reviews/AbC",
     "reviewId": "AbC",
     "reviewer": {"displayName": "Anna K.", "profilePhotoUrl": "x"},
     "starRating": "FOUR",
     "comment": "Szybka dostawa, polecam",
     "createTime": "2026-10-01T10:00:00.540Z",
     "updateTime": "2026-10-02T11:00:00Z",
     "reviewReply": {"comment": "Dziękujemy!",
                     "updateTime": "2026-10-03T09:00:00Z"}},
    {"name": "accounts/1/locations/2/reviews/XyZ",
     "reviewer": {"displayName": "Jan", "isAnonymous": false},
     "starRating": "STAR_RATING_UNSPECIFIED",
     "comment": "(Translated by Google) Great\n\n(Original)\nŚwietnie",
     "createTime": "2026-10-01T08:00:00Z",
     "updateTime": "2026-10-01T08:00:00Z"}
  ],
  "averageRating": 4.5, "totalReviewCount": 3, "nextPageToken": "tok/2+"
})json";

TEST(GbpFormatTest, MapsFieldsReplyAndNextPageToken) {
  auto page = ParseGbpPage(kGbpPage);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->reviews.size(), 2u);
  EXPECT_EQ(page->next, "tok/2+");
  const auto& a = page->reviews[0];
  EXPECT_EQ(a.input.external_id(), "AbC");
  EXPECT_EQ(a.input.author_name(), "Anna K.");
  EXPECT_EQ(a.input.rating(), 4);
  EXPECT_EQ(a.input.text(), "Szybka dostawa, polecam");
  EXPECT_EQ(a.input.create_time().seconds(), 1790848800);
  EXPECT_EQ(a.input.create_time().nanos(), 540000000);
  EXPECT_EQ(a.input.update_time().seconds(), 1790938800);
  ASSERT_TRUE(a.has_reply);
  EXPECT_EQ(a.reply.text(), "Dziękujemy!");
  EXPECT_EQ(a.reply.response_time().seconds(), 1791018000);
  const auto& b = page->reviews[1];
  EXPECT_EQ(b.input.external_id(), "XyZ") << "id from the resource name";
  EXPECT_EQ(b.input.rating(), 0) << "unspecified stars: no rating";
  EXPECT_EQ(b.input.text(), "Świetnie") << "the original, not the translation";
  EXPECT_FALSE(b.has_reply);
}

TEST(GbpFormatTest, StarRatings) {
  const struct {
    const char* stars;
    int rating;
  } cases[] = {{"ONE", 1},  {"TWO", 2}, {"THREE", 3}, {"FOUR", 4},
               {"FIVE", 5}, {"SIX", 0}, {"", 0}};
  for (const auto& c : cases) {
    auto page = ParseGbpPage(absl::StrCat(
        R"({"reviews":[{"reviewId":"1","starRating":")", c.stars, R"("}]})"));
    ASSERT_TRUE(page.ok()) << c.stars;
    EXPECT_EQ(page->reviews[0].input.rating(), c.rating) << c.stars;
  }
}

TEST(GbpFormatTest, EmptyAndMalformed) {
  auto empty = ParseGbpPage("{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->reviews.empty());
  EXPECT_TRUE(empty->next.empty());
  for (const char* bad : {"{\"reviews\": [", "<html>oops</html>", "",
                          "{\"reviews\": 5}", "[1,2]"}) {
    auto page = ParseGbpPage(bad);
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(
      ParseGbpPage("{\"reviews\": [").status().message().find("malformed JSON"),
      std::string::npos);
}

constexpr char kTrustpilotPage[] = R"json({
  "links": [
    {"href": "https://api.trustpilot.com/v1/business-units/b1/reviews?page=1",
     "method": "GET", "rel": "self"},
    {"href": "https://api.trustpilot.com/v1/business-units/b1/reviews?page=2",
     "method": "GET", "rel": "next-page"}],
  "reviews": [
    {"id": "5f1", "stars": 2, "title": "Słabo", "text": "Paczka uszkodzona",
     "language": "pl", "createdAt": "2026-09-30T12:00:00Z", "updatedAt": null,
     "consumer": {"id": "c9", "displayName": "Ola"},
     "companyReply": {"text": "Przepraszamy", "createdAt":
                      "2026-10-01T08:00:00Z"}},
    {"id": "5f2", "stars": 5, "title": "Super", "text": "Polecam",
     "language": "pl", "createdAt": "2026-09-29T12:00:00Z",
     "updatedAt": "2026-10-05T12:00:00Z",
     "consumer": {"displayName": "Piotr"}}]
})json";

TEST(TrustpilotFormatTest, MapsFieldsReplyAndNextLink) {
  auto page = ParseTrustpilotPage(kTrustpilotPage);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->next,
            "https://api.trustpilot.com/v1/business-units/b1/reviews?page=2");
  ASSERT_EQ(page->reviews.size(), 2u);
  const auto& a = page->reviews[0];
  EXPECT_EQ(a.input.external_id(), "5f1");
  EXPECT_EQ(a.input.rating(), 2);
  EXPECT_EQ(a.input.title(), "Słabo");
  EXPECT_EQ(a.input.text(), "Paczka uszkodzona");
  EXPECT_EQ(a.input.language_hint(), "pl");
  EXPECT_EQ(a.input.author_name(), "Ola");
  EXPECT_EQ(a.input.author_id(), "c9");
  EXPECT_EQ(a.input.update_time().seconds(), a.input.create_time().seconds())
      << "no updatedAt: the create time";
  ASSERT_TRUE(a.has_reply);
  EXPECT_EQ(a.reply.text(), "Przepraszamy");
  EXPECT_GT(page->reviews[1].input.update_time().seconds(),
            page->reviews[1].input.create_time().seconds());
  EXPECT_FALSE(page->reviews[1].has_reply);
  auto last = ParseTrustpilotPage(R"({"reviews": [], "links": []})");
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(last->next.empty());
}

TEST(JsonFeedTest, NestedPathsItemsNextPageAttributesAndScale) {
  const FeedMapping mapping = {
      {"items", "data.entries"},     {"next_page", "paging.next"},
      {"external_id", "meta.id"},    {"text", "body"},
      {"rating", "score.value"},     {"rating_scale", "10"},
      {"create_time", "ts"},         {"author", "user.name"},
      {"reply_text", "answer.text"}, {"attributes.order", "order_id"},
      {"subject_id", "product.sku"}};
  auto page = ParseJsonFeed(R"json({
    "data": {"entries": [
      {"meta": {"id": 1001}, "body": "Dobre", "score": {"value": "8"},
       "ts": 1790848800, "user": {"name": "Ewa"}, "order_id": "Z-1",
       "product": {"sku": "sku-7"}, "answer": {"text": "Dzięki"}},
      {"meta": {"id": "a-2"}, "body": "Złe", "score": {"value": 2.4},
       "ts": "2026-10-01 10:00:00"}]},
    "paging": {"next": "/feed?page=2"}})json",
                            mapping);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->next, "/feed?page=2");
  ASSERT_EQ(page->reviews.size(), 2u);
  const auto& a = page->reviews[0].input;
  EXPECT_EQ(a.external_id(), "1001") << "numbers print as integers";
  EXPECT_EQ(a.text(), "Dobre");
  EXPECT_EQ(a.rating(), 8);
  EXPECT_EQ(a.rating_scale(), 10);
  EXPECT_EQ(a.create_time().seconds(), 1790848800);
  EXPECT_EQ(a.author_name(), "Ewa");
  EXPECT_EQ(a.subject_id(), "sku-7");
  EXPECT_EQ(a.attributes().at("order"), "Z-1");
  EXPECT_TRUE(page->reviews[0].has_reply);
  const auto& b = page->reviews[1].input;
  EXPECT_EQ(b.external_id(), "a-2");
  EXPECT_EQ(b.rating(), 2);
  EXPECT_EQ(b.create_time().seconds(), 1790848800);
  EXPECT_EQ(b.attributes_size(), 0);
}

TEST(JsonFeedTest, TopLevelArrayAndErrors) {
  auto page =
      ParseJsonFeed(R"([{"id": "1", "text": "ok"}])", {{"external_id", "id"}});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->reviews.size(), 1u);
  EXPECT_EQ(page->reviews[0].input.text(), "ok") << "unmapped key: same name";
  EXPECT_EQ(ParseJsonFeed(R"({"data": 5})",
                          {{"external_id", "id"}, {"items", "data"}})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseJsonFeed("{oops", {{"external_id", "id"}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CsvFeedTest, Rfc4180) {
  const std::string csv =
      "\xEF\xBB\xBFid,opinion,stars,date\r\n"
      "1,\"Dobre, \"\"naprawdę\"\"\",5,2026-10-01\r\n"
      "2,\"dwie\nlinie\",1,2026-10-02T10:00:00Z\r\n"
      "\r\n"
      "3,,4,\n";
  auto page = ParseCsvFeed(csv, {{"external_id", "id"},
                                 {"text", "opinion"},
                                 {"rating", "stars"},
                                 {"create_time", "date"}});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->reviews.size(), 3u);
  EXPECT_EQ(page->reviews[0].input.external_id(), "1") << "BOM stripped";
  EXPECT_EQ(page->reviews[0].input.text(), "Dobre, \"naprawdę\"");
  EXPECT_EQ(page->reviews[1].input.text(), "dwie\nlinie");
  EXPECT_EQ(page->reviews[1].input.rating(), 1);
  EXPECT_EQ(page->reviews[2].input.text(), "");
  EXPECT_EQ(page->reviews[2].input.rating(), 4);
  EXPECT_TRUE(page->next.empty());
}

TEST(CsvFeedTest, Errors) {
  EXPECT_EQ(ParseCsvFeed("id,text\n1,\"open\n", {{"external_id", "id"}})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  auto missing = ParseCsvFeed("id,text\n1,a\n", {{"external_id", "nr"}});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("nr"), std::string::npos);
}

TEST(FeedMappingTest, ValidationNamesTheKey) {
  using opinia::v1::CSV_FEED;
  using opinia::v1::JSON_FEED;
  const struct {
    opinia::v1::CollectorKind kind;
    FeedMapping mapping;
    const char* error;  // nullptr = valid
  } cases[] = {
      {JSON_FEED, {{"external_id", "id"}}, nullptr},
      {JSON_FEED,
       {{"external_id", "id"}, {"attributes.sku", "p.sku"}},
       nullptr},
      {JSON_FEED, {{"text", "body"}}, "external_id"},
      {JSON_FEED, {{"external_id", "id"}, {"colour", "c"}}, "colour"},
      {JSON_FEED,
       {{"external_id", "id"}, {"rating_scale", "x"}},
       "rating_scale"},
      {JSON_FEED, {{"external_id", ""}}, "external_id"},
      {CSV_FEED, {{"external_id", "id"}, {"items", "data"}}, "items"},
  };
  for (const auto& c : cases) {
    absl::Status s =
        ValidateFeedMapping(c.kind, c.mapping, "collector.mapping");
    if (c.error == nullptr) {
      EXPECT_TRUE(s.ok()) << s;
    } else {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.error;
      EXPECT_NE(s.message().find(c.error), std::string::npos) << s;
      EXPECT_NE(s.message().find("collector.mapping"), std::string::npos) << s;
    }
  }
}

TEST(JsonValueTest, TimesAndPaths) {
  EXPECT_TRUE(ParseTimeText("2026-10-01T10:00:00+02:00").has_value());
  EXPECT_TRUE(ParseTimeText("1759312800").has_value());
  EXPECT_FALSE(ParseTimeText("yesterday").has_value());
  auto doc = ParseJson(R"({"a": [{"b": null}, {"b": 3}]})");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(FindPath(*doc, "a.0.b"), nullptr) << "null is missing";
  EXPECT_EQ(ScalarText(FindPath(*doc, "a.1.b")).value_or(""), "3");
  EXPECT_EQ(FindPath(*doc, "a.2.b"), nullptr);
}

}  // namespace
}  // namespace opinia::core::collectors
