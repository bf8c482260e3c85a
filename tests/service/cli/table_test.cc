#include "service/cli/table.h"

#include <sstream>

#include "gtest/gtest.h"

namespace opinia::cli {
namespace {

TEST(DisplayWidthTest, CountsColumnsNotBytes) {
  const struct {
    const char* text;
    int width;
  } cases[] = {
      {"", 0},
      {"abc", 3},
      {"zażółć gęślą jaźń", 17},
      {"e\xCC\x81", 1},                 // e + combining acute
      {"\xE6\x97\xA5\xE6\x9C\xAC", 4},  // 日本: wide
      {"\xF0\x9F\x98\x80", 2},          // emoji
      {"a\xFFz", 3},                    // invalid byte counts 1
  };
  for (const auto& c : cases)
    EXPECT_EQ(DisplayWidth(c.text), c.width) << c.text;
}

TEST(TruncateTest, CutsOnCharacterBoundariesWithEllipsis) {
  const struct {
    const char* text;
    int width;
    const char* want;
  } cases[] = {
      {"short", 10, "short"},
      {"exactly10!", 10, "exactly10!"},
      {"abcdefghijk", 5, "abcd\xE2\x80\xA6"},
      {"zażółć gęślą", 6, "zażół\xE2\x80\xA6"},
      {"ab cd", 4, "ab\xE2\x80\xA6"},  // trailing space dropped before "…"
      {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 4, "\xE6\x97\xA5\xE2\x80\xA6"},
      {"anything", 0, ""},
  };
  for (const auto& c : cases) {
    const std::string got = Truncate(c.text, c.width);
    EXPECT_EQ(got, c.want) << c.text << " @" << c.width;
    EXPECT_LE(DisplayWidth(got), c.width) << c.text;
  }
}

TEST(IsValidUtf8Test, RejectsMalformedSequences) {
  EXPECT_TRUE(IsValidUtf8("zażółć 日本 \xF0\x9F\x98\x80"));
  for (const char* bad :
       {"\xFF", "\xC0\xAF", "\xC3", "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
    EXPECT_FALSE(IsValidUtf8(bad))
        << "case " << static_cast<int>(static_cast<unsigned char>(bad[0]));
  }
}

TEST(OneLineTest, FlattensControlCharactersAndBadBytes) {
  EXPECT_EQ(OneLine("a\nb\t\tc  d\r\n"), "a b c d");
  EXPECT_EQ(OneLine("ok \xFF!"), "ok \xEF\xBF\xBD!");
}

TEST(TableTest, AlignsColumnsAndBoundsTheFlexibleOne) {
  Table table({{"NAME"}, {"N", 0, true}, {"TEXT", 0, false, true}});
  table.AddRow(
      {"reviews/1", "5", "Świetny produkt, polecam każdemu kto szuka"});
  table.AddRow({"reviews/22", "10", "krótko"});
  std::ostringstream out;
  table.Print(out, 40);
  EXPECT_EQ(out.str(),
            "NAME         N  TEXT\n"
            "reviews/1    5  Świetny produkt, poleca\xE2\x80\xA6\n"
            "reviews/22  10  krótko\n");
}

}  // namespace
}  // namespace opinia::cli
