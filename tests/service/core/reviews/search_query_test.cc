// ParseSearchQuery: the user syntax becomes a storage::SearchQuery, which the
// SQLite backend renders as a safe FTS5 expression, and bad queries are
// INVALID_ARGUMENT naming `query`. The end-to-end matching (diacritics,
// prefixes, filters, paging) is in search_test.cc.
#include "service/core/reviews/search_query.h"

#include <string>

#include "gtest/gtest.h"
#include "service/storage/sqlite/fts_query.h"

namespace opinia::core {
namespace {

using storage::SearchQuery;
using storage::SearchTerm;

std::string Terms(const std::vector<SearchTerm>& terms) {
  std::string out;
  for (const SearchTerm& t : terms) {
    out += "[" + t.text + (t.prefix ? "*" : "") + "]";
  }
  return out;
}

TEST(ParseSearchQueryTest, GroupsAndExclusions) {
  absl::StatusOr<SearchQuery> q =
      ParseSearchQuery("kurier OR \"nie pol\"* zwrot* -allegro -\"a b\"");
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_EQ(q->all_of.size(), 2u);
  EXPECT_EQ(Terms(q->all_of[0]), "[kurier][nie pol*]");
  EXPECT_EQ(Terms(q->all_of[1]), "[zwrot*]");
  EXPECT_EQ(Terms(q->none_of), "[allegro][a b]");
}

// The user's query as the SQLite backend matches it (FtsMatchExpression).
TEST(ParseSearchQueryTest, TranslatesToFts5) {
  const struct {
    const char* in;
    const char* want;
  } kCases[] = {
      {"zwrot", "\"zwrot\""},
      {"  zwrot   paczka ", "\"zwrot\" AND \"paczka\""},
      {"zwrot*", "\"zwrot\"*"},
      {"\"nie polecam\"", "\"nie polecam\""},
      {"\"nie pol\"*", "\"nie pol\"*"},
      {"kurier OR poczta", "(\"kurier\" OR \"poczta\")"},
      {"a OR b c", "(\"a\" OR \"b\") AND \"c\""},
      {"OR a", "\"a\""},
      {"a OR", "\"a\""},
      {"zwrot -allegro", "(\"zwrot\") NOT (\"allegro\")"},
      {"dostałem", "\"dostalem\""},  // ł folded; other marks by the tokenizer
      {"Żółć", "\"Żólć\""},
      {"NEAR(a b) AND c", "\"NEAR(a\" AND \"b)\" AND \"AND\" AND \"c\""},
      {"a\"b", "\"a b\""},
      {"!!! zwrot ???", "\"zwrot\""},
      {"or", "\"or\""},
  };
  for (const auto& c : kCases) {
    auto got = ParseSearchQuery(c.in);
    ASSERT_TRUE(got.ok()) << c.in << ": " << got.status();
    EXPECT_EQ(storage::sqlite::FtsMatchExpression(*got), c.want) << c.in;
  }
}

TEST(ParseSearchQueryTest, RejectsNamingQuery) {
  const std::string kCases[] = {
      "",           "   ",         "!!!",          "*",
      "\"unterminated", "-only -excluded", "-", std::string(1025, 'a'),
      std::string("\xff\xfe"),
  };
  for (const std::string& c : kCases) {
    auto got = ParseSearchQuery(c);
    ASSERT_FALSE(got.ok()) << c;
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << c;
    EXPECT_EQ(got.status().message().substr(0, 6), "query:") << c;
  }
  std::string many;
  for (int i = 0; i < 40; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_EQ(ParseSearchQuery(many).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseSearchQueryTest, RejectsControlCharactersNamingThem) {
  struct Case {
    std::string in;
    std::string code_point;
  };
  const Case kCases[] = {
      {std::string("zwrot\0paczka", 13), "U+0000 at byte 5"},
      {std::string("\0", 1), "U+0000 at byte 0"},
      {"zwrot\x01", "U+0001 at byte 5"},
      {"\"a\x1b[31m\"", "U+001B at byte 2"},
      {"kurier\x7f", "U+007F at byte 6"},
      {"zwrot \xc2\x85 paczka", "U+0085 at byte 6"},
  };
  for (const Case& c : kCases) {
    auto got = ParseSearchQuery(c.in);
    ASSERT_FALSE(got.ok()) << c.code_point;
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(got.status().message().substr(0, 6), "query:");
    EXPECT_NE(got.status().message().find("control character " + c.code_point),
              std::string::npos)
        << got.status();
  }
  // Whitespace separates words; non-control characters after 0xC2 stay.
  for (const char* ok : {"zwrot\tpaczka", "zwrot\r\npaczka\f\v", "\xc2\xa3 cena",
                         "zwrot \xc2\xa0 paczka"}) {
    EXPECT_TRUE(ParseSearchQuery(ok).ok()) << ok;
  }
}

}  // namespace
}  // namespace opinia::core
