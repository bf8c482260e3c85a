// LooksLikeTweet(): which texts the analyzer sends to the tweet model.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlp/sentiment.h"

namespace opinia::nlp {
namespace {

TEST(LooksLikeTweetTest, Table) {
  struct Case {
    const char* text;
    bool tweet;
  };
  const std::vector<Case> cases = {
      {"", false},
      {"Great blender, works as described.", false},
      {"@user thanks for the quick reply!", true},
      {"so happy today #blessed", true},
      {"Dope!!! #007 #SPECTRE", true},
      {"We're #1 in the charts", false},  // '#' + digit: a number
      {"write to me at jan@example.com", false},  // e-mail, not a mention
      {"see https://example.com/x", true},
      {"http://t.co/abc", true},
      {"RT @someone: look", true},
      {"RTX graphics card, great", false},
      {"Produkt zgodny z opisem, polecam", false},
      {"@", false},
      {"#", false},
      {"C# and F# books", false},
      {"#zażółć", true},  // non-ASCII hashtag
  };
  for (const Case& c : cases) {
    EXPECT_EQ(LooksLikeTweet(c.text), c.tweet) << c.text;
  }
}

}  // namespace
}  // namespace opinia::nlp
