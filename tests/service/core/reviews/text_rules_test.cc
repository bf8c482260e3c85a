// Small pure rules of the core: UTF-8 validation, resource names, page
// tokens, rating normalisation.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/core/reviews/review_model.h"
#include "service/core/util/names.h"
#include "service/core/util/paging.h"
#include "service/core/util/utf8.h"

namespace opinia::core {
namespace {

TEST(Utf8Test, Table) {
  struct Case {
    std::string bytes;
    bool valid;
  } cases[] = {
      {"", true},
      {"plain ascii", true},
      {"zażółć gęślą jaźń", true},
      {"\xe2\x82\xac", true},          // €
      {"\xf0\x9f\x98\x80", true},      // emoji
      {"\xf4\x8f\xbf\xbf", true},      // U+10FFFF
      {"\xff", false},
      {"\x80", false},                 // lone continuation
      {"\xc3", false},                 // truncated
      {"\xe2\x82", false},             // truncated
      {"\xc0\xaf", false},             // overlong '/'
      {"\xe0\x80\xaf", false},         // overlong
      {"\xed\xa0\x80", false},         // surrogate
      {"\xf4\x90\x80\x80", false},     // above U+10FFFF
      {"\xf5\x80\x80\x80", false},
      {std::string("a\0b", 3), true},  // NUL is valid UTF-8
  };
  for (const auto& c : cases) {
    EXPECT_EQ(IsValidUtf8(c.bytes), c.valid) << "bytes: " << c.bytes;
  }
}

TEST(NamesTest, ReviewNamesRoundTripAndRejectJunk) {
  auto id = ParseReviewName(ReviewName(42), "name");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, 42);
  for (const char* bad :
       {"", "reviews/", "reviews/0", "reviews/-3", "reviews/1a", "reviews/ 1",
        "Reviews/1", "reviews/99999999999999999999", "tenants/1"}) {
    auto r = ParseReviewName(bad, "review.name");
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(r.status().message().rfind("review.name:", 0), 0u) << bad;
  }
}

TEST(NamesTest, TenantAndKeyIds) {
  EXPECT_EQ(*ParseTenantName("tenants/shop-1", "t"), "shop-1");
  EXPECT_EQ(*ParseApiKeyName("apiKeys/k0a1", "k"), "k0a1");
  for (const char* bad : {"tenants/", "tenants/Shop", "tenants/a/b",
                          "tenants/-a", "apiKeys/x", "tenants/a-"}) {
    EXPECT_FALSE(ParseTenantName(bad, "t").ok()) << bad;
  }
  EXPECT_FALSE(ParseApiKeyName("tenants/k1", "k").ok());
  EXPECT_FALSE(IsValidResourceId(std::string(64, 'a')));
  EXPECT_TRUE(IsValidResourceId(std::string(63, 'a')));
}

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";

TEST(PagingTest, TokensAreBoundToTheirQuery) {
  const std::string token = EncodePageToken(kSecret, "query-1", "cursor");
  auto cursor = DecodePageToken(kSecret, "query-1", token);
  ASSERT_TRUE(cursor.ok());
  EXPECT_EQ(*cursor, "cursor");
  EXPECT_EQ(DecodePageToken(kSecret, "query-2", token).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*DecodePageToken(kSecret, "query-1", ""), "");
  for (const char* bad : {"garbage!!", "AAAA", "====", "a"}) {
    auto r = DecodePageToken(kSecret, "query-1", bad);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(r.status().message().rfind("page_token:", 0), 0u) << bad;
  }
  // The token survives a new server on the same database (same secret).
  EXPECT_EQ(*DecodePageToken(std::string(kSecret), "query-1", token), "cursor");
}

TEST(PagingTest, ChangedCutOrForeignTokensAreMalformed) {
  // Cursors of every length mod 3, so the last base64 character sometimes
  // carries unused bits.
  for (const std::string cursor : {"12", "123", "1234"}) {
    const std::string token = EncodePageToken(kSecret, "q", cursor);
    std::vector<std::string> bad;
    for (size_t i = 0; i < token.size(); ++i) {
      for (const char c : {'A', 'B', 'g', '-', '_', '0'}) {
        if (token[i] == c) continue;
        std::string changed = token;
        changed[i] = c;
        bad.push_back(changed);
      }
      bad.push_back(token.substr(0, i));
    }
    bad.push_back(token + "A");
    bad.push_back(token + "=");
    bad.push_back(EncodePageToken("another database's secret", "q", cursor));
    for (const std::string& b : bad) {
      if (b.empty()) continue;
      auto r = DecodePageToken(kSecret, "q", b);
      EXPECT_EQ(r.status(), absl::InvalidArgumentError("page_token: malformed"))
          << token << " -> " << b;
    }
  }
}

TEST(PageSizeTest, DefaultsAndBounds) {
  EXPECT_EQ(*PageSize(0), kDefaultPageSize);
  EXPECT_EQ(*PageSize(5000), kMaxPageSize);
  EXPECT_FALSE(PageSize(-1).ok());
}

TEST(RatingTest, NormalisesOntoOneToFive) {
  struct Case {
    int rating, scale, want;
  } cases[] = {{0, 0, 0},  {1, 0, 1},   {5, 0, 5},  {3, 5, 3},
               {10, 10, 5}, {1, 10, 1}, {6, 10, 3}, {100, 100, 5},
               {2, 2, 5},  {1, 2, 1}};
  for (const auto& c : cases) {
    EXPECT_EQ(NormalizeRating(c.rating, c.scale), c.want)
        << c.rating << "/" << c.scale;
  }
}

}  // namespace
}  // namespace opinia::core
