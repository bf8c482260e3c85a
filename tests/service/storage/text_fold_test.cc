// FoldForSearch (text_fold.h): the letters Unicode does not decompose are
// mapped to their ASCII base, everything else is copied byte for byte —
// including runs around multi-byte letters, which the copy loop handles in
// one piece.
#include "service/storage/text_fold.h"

#include <string>

#include "gtest/gtest.h"

namespace opinia::storage {
namespace {

TEST(FoldForSearchTest, Table) {
  struct Case {
    std::string in, want;
  };
  const Case cases[] = {
      {"", ""},
      {"plain ascii 123", "plain ascii 123"},
      {"ł", "l"},
      {"Łódź", "Lódź"},  // ó and ź decompose: the tokenizer strips them
      {"dostałem paczkę", "dostalem paczkę"},
      {"Straße groß", "Strasse gross"},
      {"ẞ", "SS"},
      {"æøœ ÆØŒ", "aeooe AEOOE"},
      {"đðþ ĐÐÞ ı ħĦ", "ddth DDTH i hH"},
      {"żółw ł", "żólw l"},
      {"emoji 😀 ł 😀", "emoji 😀 l 😀"},
      {"ends with ł", "ends with l"},
      {"ł starts", "l starts"},
      {std::string("nul\0ł", 6), std::string("nul\0l", 5)},
      {"\xC3", "\xC3"},          // truncated lead byte: copied as is
      {"\xC5\x82\xC5", "l\xC5"},  // ł then a truncated lead byte
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FoldForSearch(c.in), c.want) << c.in;
  }
}

}  // namespace
}  // namespace opinia::storage
