// FastTextModel's own inference (decoded rows, flat vocabulary, word n-gram
// hashing) must give fastText's probabilities: compared with libfasttext on
// every dev and test text of the sentiment data, sentence by sentence,
// whole review, and the review joined from its sentences' row sums, plus hand-made edge cases for the tokenizer and the hash.
#include "nlp/fasttext_model.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlp/sentiment_features.h"
#include "nlp/text.h"
#include "nlp/tools/tsv.h"

namespace opinia::nlp {
namespace {

std::string ModelsDir() {
  const char* d = std::getenv("OPINIA_MODELS_DIR");
  return d != nullptr ? d : "models";
}

std::string DataDir() {
  // The labelled data sits beside the checkout (../shared/data), not in it.
  if (const char* d = std::getenv("OPINIA_DATA_DIR")) return d;
  if (const char* src = std::getenv("OPINIA_SOURCE_DIR")) {
    return std::string(src) + "/../shared/data";
  }
  return "/work/shared/data";
}

// Largest |Δp| between our inference and libfasttext for `line`.
float MaxDiff(const FastTextModel& m, const std::string& line) {
  std::vector<float> fast, ref;
  m.PredictAll(line, &fast);
  m.PredictAllReference(line, &ref);
  EXPECT_EQ(fast.size(), ref.size());
  float worst = 0.0f;
  for (size_t i = 0; i < fast.size() && i < ref.size(); ++i) {
    worst = std::max(worst, std::fabs(fast[i] - ref[i]));
  }
  return worst;
}

struct ModelCase {
  const char* model;
  std::vector<const char*> files;
};

class FastTextModelTest : public ::testing::TestWithParam<ModelCase> {};

TEST_P(FastTextModelTest, MatchesLibfasttextOnEdgeCases) {
  auto m = FastTextModel::Load(ModelsDir() + "/" + GetParam().model);
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_TRUE((*m)->HasFastPath());
  const std::vector<std::string> lines = {
      "",
      "   ",
      "\t\v\f\r",
      "great",
      "not good at all",
      "__label__positive great",
      "great __label__positive __label__nosuch bad",
      "first line\nsecond line ignored",
      "zażółć gęślą jaźń ~zazol dostawę",
      "مرحبا بكم 😀 😡 :-)",
      "neg_polecam nie polecam ~polec",
      std::string("nul\0byte", 8),
      "a  b   c    d",
      "bardzo dobry produkt , ale dostawa ! ! ? wolna",
  };
  for (const std::string& line : lines) {
    EXPECT_LT(MaxDiff(**m, line), 1e-4f) << "[" << line << "]";
  }
}

TEST_P(FastTextModelTest, MatchesLibfasttextOnData) {
  auto m = FastTextModel::Load(ModelsDir() + "/" + GetParam().model);
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_TRUE((*m)->HasFastPath());
  int compared = 0;
  for (const char* file : GetParam().files) {
    const std::string path = DataDir() + "/sentiment/" + file;
    if (!std::filesystem::exists(path)) continue;
    auto examples = tools::ReadTsv(path);
    ASSERT_TRUE(examples.ok()) << examples.status();
    for (const tools::Example& e : *examples) {
      const TokenizedText t = Tokenize(e.text);
      const int n = static_cast<int>(t.tokens.size());
      const float whole = MaxDiff(**m, SentimentInput(t, 0, n));
      ASSERT_LT(whole, 1e-4f) << e.text;
      // The review as the analyzer computes it: per-sentence passes whose
      // row sums are joined, against libfasttext on ReviewInput().
      std::vector<FastTextModel::PartialSum> parts(t.sentences.size());
      std::vector<const FastTextModel::PartialSum*> ptrs;
      std::vector<float> probs;
      for (size_t i = 0; i < t.sentences.size(); ++i) {
        const Sentence& s = t.sentences[i];
        const std::string line = SentimentInput(t, s.first_token, s.end_token);
        ASSERT_LT(MaxDiff(**m, line), 1e-4f) << e.text;
        (*m)->PredictPart(line, &parts[i], &probs);
        std::vector<float> ref;
        (*m)->PredictAllReference(line, &ref);
        for (size_t k = 0; k < ref.size(); ++k) {
          ASSERT_NEAR(probs[k], ref[k], 1e-4f) << e.text;
        }
        ptrs.push_back(&parts[i]);
      }
      ASSERT_TRUE((*m)->CanJoin());
      std::vector<float> joined, ref;
      (*m)->PredictJoined(ptrs, kSegmentSeparator, &joined);
      (*m)->PredictAllReference(ReviewInput(t), &ref);
      ASSERT_EQ(joined.size(), ref.size());
      for (size_t k = 0; k < ref.size(); ++k) {
        ASSERT_NEAR(joined[k], ref[k], 1e-4f) << e.text;
      }
      ++compared;
    }
  }
  if (compared == 0) GTEST_SKIP() << "no data under " << DataDir();
}

INSTANTIATE_TEST_SUITE_P(
    Models, FastTextModelTest,
    ::testing::Values(
        ModelCase{"sentiment_pl.ftz",
                  {"pl_clarin_emo.dev.tsv", "pl_clarin_emo.test.tsv"}},
        ModelCase{"sentiment_en.ftz",
                  {"en_amazon_reviews.dev.tsv", "en_amazon_reviews.test.tsv",
                   "en_uci_sentences.test.tsv"}},
        ModelCase{"sentiment_multi.ftz",
                  {"multi_tweets.dev.tsv", "multi_tweets.test.tsv"}}),
    [](const auto& info) {
      std::string n = info.param.model;
      return n.substr(0, n.find('.'));
    });

TEST(FastTextModelLidTest, CharNgramModelUsesLibfasttext) {
  auto m = FastTextModel::Load(ModelsDir() + "/lid.176.ftz");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_FALSE((*m)->HasFastPath());
}

}  // namespace
}  // namespace opinia::nlp
