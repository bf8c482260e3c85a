// The sentiment model table (nlp/sentiment_models.h): its file format, and
// which shipped model scores which language. A newly trained language adds
// its row to kShippedRoutes.
#include "nlp/sentiment_models.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlp/sentiment.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

using ::opinia::nlp::test_paths::ModelsDir;

TEST(SentimentModelsTest, FormatParsesBack) {
  const std::vector<SentimentModelRow> rows = {
      {"sentiment_pl", TextDomain::kReview, {"pl"}, 0.0f},
      {"sentiment_multi", TextDomain::kTweet, {"de", "en", kAnyLanguage}, 2.5f},
  };
  auto parsed = ParseSentimentModels(FormatSentimentModels(rows), "t.tsv");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ((*parsed)[i].name, rows[i].name);
    EXPECT_EQ((*parsed)[i].domain, rows[i].domain);
    EXPECT_EQ((*parsed)[i].languages, rows[i].languages);
    EXPECT_EQ((*parsed)[i].length_k, rows[i].length_k);
  }
}

TEST(SentimentModelsTest, MalformedTablesNameFileAndLine) {
  const std::string ok_any = "m\ttweet\t*\t0\n";
  struct Case {
    std::string text;
    std::string where;  // expected in the message
  };
  const std::vector<Case> cases = {
      {"# c\nm\treview\tpl\n" + ok_any, "t.tsv:2:"},           // 3 fields
      {"m\tnews\tpl\t0\n" + ok_any, "t.tsv:1: unknown domain"},
      {"m\treview\t\t0\n" + ok_any, "t.tsv:1: no language"},
      {"m\treview\tpl\tx\n" + ok_any, "t.tsv:1: bad length_k"},
      {"m\treview\tpl\t-1\n" + ok_any, "t.tsv:1: bad length_k"},
      {"a\treview\tpl\t0\nb\treview\tpl\t0\n" + ok_any, "t.tsv:2: language 'pl'"},
      {"\treview\tpl\t0\n" + ok_any, "t.tsv:1: empty model name"},
      {"m\treview\tpl\t0\n", "t.tsv: exactly one row must list '*'"},
      {ok_any + "n\treview\t*\t0\n", "t.tsv: exactly one row must list '*'"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseSentimentModels(c.text, "t.tsv");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_NE(parsed.status().message().find(c.where), std::string::npos)
        << c.text << " -> " << parsed.status();
  }
  EXPECT_EQ(LoadSentimentModels("/nonexistent/sentiment_models.tsv").status().code(),
            absl::StatusCode::kNotFound);
}

// Every language of the shipped table, and one it does not list.
struct Route {
  std::string language;
  std::string review_model;
  std::string tweet_model;
  float confidence_cap;
};
const Route kShippedRoutes[] = {
    {"pl", "sentiment_pl", "sentiment_pl", 1.0f},
    {"en", "sentiment_en", "sentiment_multi", 1.0f},
    {"ar", "sentiment_multi", "sentiment_multi", kTweetOnlyConfidenceCap},
    {"de", "sentiment_multi", "sentiment_multi", kTweetOnlyConfidenceCap},
    {"es", "sentiment_multi", "sentiment_multi", kTweetOnlyConfidenceCap},
    {"fr", "sentiment_multi", "sentiment_multi", kTweetOnlyConfidenceCap},
    {"hi", "sentiment_multi", "sentiment_multi", kTweetOnlyConfidenceCap},
    {"it", "sentiment_multi", "sentiment_multi", kTweetOnlyConfidenceCap},
    {"pt", "sentiment_multi", "sentiment_multi", kTweetOnlyConfidenceCap},
    {"cs", "sentiment_multi", "sentiment_multi", kUnsupportedConfidenceCap},
    {"und", "sentiment_multi", "sentiment_multi", kUnsupportedConfidenceCap},
};

TEST(SentimentModelsTest, ShippedModelsServeEveryLanguage) {
  auto c = SentimentClassifier::Create(ModelsDir());
  ASSERT_TRUE(c.ok()) << c.status();
  for (const Route& r : kShippedRoutes) {
    EXPECT_EQ((*c)->ModelName(r.language, /*tweet=*/false), r.review_model)
        << r.language;
    EXPECT_EQ((*c)->ModelName(r.language, /*tweet=*/true), r.tweet_model)
        << r.language;
    EXPECT_EQ((*c)->ConfidenceCap(r.language), r.confidence_cap) << r.language;
  }
}

}  // namespace
}  // namespace opinia::nlp
