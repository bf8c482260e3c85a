// LooksLikeTweet() and IsSocialSource(): which texts the analyzer sends to
// the tweet model; and that the analyzer does route by the source.
#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlp/analyzer.h"
#include "nlp/analyzer_config.h"
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
      // A bare "http" token: the data sets strip the URL of a link.
      {"Quand la moule menace les centrales électriques http", true},
      {"Governo Monti: BASTA TASSE! http giù le mani", true},
      {"Noticia importante: https", true},
      {"http", true},
      {"Il server httpd si è bloccato", false},
      {"rozmowa przez https-proxy", true},
      // A written laugh of five letters or more.
      {"Tengo la nariz helada jajaja como perrito", true},
      {"se me olvidó otra vez JAJAJ", true},
      {"jejeje qué bien", true},
      {"ahahah che ridere", true},
      {"hoje foi top kkkkk", true},
      {"rsrs boa noite", true},
      {"Haha, mąż powiedział, że za taki kolor pozwie sklep", false},
      {"robi sobie jaja ze studentów", false},  // Polish "jaja": eggs, jokes
      {"Pedí la talla L, jajajá", false},  // glued to a non-ASCII letter
      {"Pagamento con PayPal veloce e sicuro.", false},
      {"Rakkk", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(LooksLikeTweet(c.text), c.tweet) << c.text;
  }
}

TEST(IsSocialSourceTest, Table) {
  for (const char* s : {"twitter", "Twitter", "X", "x", "threads", "mastodon",
                        "bluesky"}) {
    EXPECT_TRUE(IsSocialSource(s)) << s;
  }
  for (const char* s : {"", "google", "allegro", "storefront", "twitterx", "xx",
                        "facebook", "email"}) {
    EXPECT_FALSE(IsSocialSource(s)) << s;
  }
}

// An English text without tweet marks is scored by the review model,
// unless it comes from a social platform; Polish keeps its own model.
TEST(TweetRoutingTest, SocialSourceSelectsTheTweetModel) {
  const char* dir = std::getenv("OPINIA_MODELS_DIR");
  auto analyzer = CreateAnalyzer(dir != nullptr ? dir : "models");
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  auto score = [&](const char* text, const char* source) {
    AnalyzeOptions o;
    o.source = source;
    return (*analyzer)->Analyze(text, o).sentiment.score;
  };
  const char* en = "The delivery came on Tuesday and the box was fine.";
  EXPECT_EQ(score(en, "google"), score(en, ""));
  EXPECT_NE(score(en, "twitter"), score(en, ""));
  // With a mark, the text goes to the tweet model from any source.
  const char* marked = "The delivery came on Tuesday #shopping";
  EXPECT_EQ(score(marked, "twitter"), score(marked, "google"));
  // A Spanish or French news post whose link the data set stripped to a bare
  // "http", or a post with a written laugh, is read as a tweet without a
  // source; a review of the same languages keeps the review model.
  for (const char* post : {"La colère des communistes et des écologistes contre le PS http",
                           "Tengo la nariz helada jajaja como perrito"}) {
    EXPECT_EQ(score(post, ""), score(post, "twitter")) << post;
  }
  const char* es = "El pedido llegó tarde y la batidora hace un ruido horrible.";
  EXPECT_NE(score(es, ""), score(es, "twitter"));
  // Polish keeps its own model; a social post only loses the compositional
  // layer, which was written for reviews.
  AnalyzerConfig plain;
  plain.sentiment.use_composition = false;
  auto no_layer = CreateAnalyzerWithConfig(dir != nullptr ? dir : "models", plain);
  ASSERT_TRUE(no_layer.ok()) << no_layer.status();
  const char* pl = "Dostawa przyszła we wtorek, paczka w porządku.";
  EXPECT_EQ(score(pl, "twitter"), (*no_layer)->Analyze(pl, {}).sentiment.score);
}

}  // namespace
}  // namespace opinia::nlp
