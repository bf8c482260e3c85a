// The stacked meta models (nlp/sentiment_meta.h): file format and errors,
// the lexicon features, and that a review's meta prediction computed from
// its sentences' parts (as the analyzer does) equals the prediction on its
// whole training line.
#include "nlp/sentiment_meta.h"

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlp/lexicon.h"
#include "nlp/linear_model.h"
#include "nlp/sentiment.h"
#include "nlp/sentiment_features.h"
#include "nlp/text.h"
#include "nlp/tools/tsv.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

using ::opinia::nlp::test_paths::ModelsDir;
using ::opinia::nlp::test_paths::DataDir;

const std::vector<std::string> kLabels3 = {"negative", "neutral", "positive"};

TEST(MetaModelTest, ParsesAndPredictsSoftmax) {
  // K = 3: inputs ln p_1, ln p_2, ln p_3, then lexicon features 10 and 0.
  auto m = MetaModel::Parse(
      "OPMETA1\nlabels 3 negative neutral positive\nlexicon 2 10 0\n"
      "0.5 1 0 0 0 0\n0 0 1 0 0 0\n-0.5 0 0 1 0 2\n",
      kLabels3);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->Columns(), (std::vector<int>{10, 0}));
  LexiconCounts c;
  c.sum[0] = 2.0f;  // positive word valence
  c.tokens = 4;     // features: 0 -> 2 / sqrt(4) = 1, 10 -> ln 5
  std::vector<float> probs;
  const std::vector<float> base = {0.2f, 0.3f, 0.5f};
  (*m)->Predict(base, c, &probs);
  ASSERT_EQ(probs.size(), 3u);
  const double d[3] = {0.5 + std::log(0.2), std::log(0.3),
                       -0.5 + std::log(0.5) + 2 * 1.0};
  double z = 0;
  for (double v : d) z += std::exp(v);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(probs[k], std::exp(d[k]) / z, 1e-6) << k;
}

TEST(MetaModelTest, BinaryInputIsTheLogit) {
  auto m = MetaModel::Parse(
      "OPMETA1\nlabels 2 positive negative\nlexicon 0\n0 1\n0 -1\n",
      {"positive", "negative"});
  ASSERT_TRUE(m.ok()) << m.status();
  std::vector<float> probs;
  (*m)->Predict({0.8f, 0.2f}, LexiconCounts(), &probs);
  // x = ln 0.2 - ln 0.8; d = (x, -x); P(positive) = sigmoid(2x).
  const double x = std::log(0.2) - std::log(0.8);
  EXPECT_NEAR(probs[0], 1 / (1 + std::exp(-2 * x)), 1e-6);
  EXPECT_NEAR(probs[0] + probs[1], 1.0, 1e-6);
}

TEST(MetaModelTest, MalformedFilesAreInvalidArgument) {
  const std::string ok_tail = "0 1 0 0\n0 0 1 0\n0 0 0 1\n";
  const std::vector<std::string> bad = {
      "",
      "OPMETA2\nlabels 3 negative neutral positive\nlexicon 0\n" + ok_tail,
      "OPMETA1\n",
      "OPMETA1\nlabels 3 negative neutral\nlexicon 0\n" + ok_tail,
      "OPMETA1\nlabels 3 negative positive neutral\nlexicon 0\n" + ok_tail,
      "OPMETA1\nlabels 2 negative neutral\nlexicon 0\n0 1\n0 -1\n",
      "OPMETA1\nlabels 3 negative neutral positive\nlexicon 1 11\n" + ok_tail,
      "OPMETA1\nlabels 3 negative neutral positive\nlexicon 1\n" + ok_tail,
      "OPMETA1\nlabels 3 negative neutral positive\nlexicon 0\n0 1 0 0\n0 0 1 0\n",
      "OPMETA1\nlabels 3 negative neutral positive\nlexicon 0\n0 1 0\n0 0 1 0\n0 0 0 1\n",
      "OPMETA1\nlabels 3 negative neutral positive\nlexicon 0\n0 1 0 x\n0 0 1 0\n0 0 0 1\n",
      "OPMETA1\nlabels 3 negative neutral positive\nlexicon 0\n0 1 0 nan\n0 0 1 0\n0 0 0 1\n",
      "OPMETA1\nlabels 3 negative neutral positive\nlexicon 0\n" + ok_tail + "0 0 0 1\n",
  };
  for (const std::string& text : bad) {
    auto m = MetaModel::Parse(text, kLabels3, "x.meta");
    ASSERT_FALSE(m.ok()) << text;
    EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(m.status().message().find("x.meta"), std::string::npos);
  }
  auto missing = MetaModel::Load("/nonexistent/sentiment_pl.meta", kLabels3);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

TEST(MetaModelTest, ClassifierRejectsMalformedMetaFile) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("opinia_sentiment_meta_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // Every shipped file but the meta models.
  for (const auto& f : std::filesystem::directory_iterator(ModelsDir())) {
    if (f.path().extension() == ".meta") continue;
    std::filesystem::create_symlink(std::filesystem::absolute(f.path()),
                                    dir / f.path().filename());
  }
  // Without meta files: the base models are served.
  EXPECT_TRUE(SentimentClassifier::Create(dir.string()).ok());
  std::ofstream(dir / "sentiment_multi.meta") << "OPMETA1\nlabels 2 a b\n";
  auto c = SentimentClassifier::Create(dir.string());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << c.status();
  std::filesystem::remove_all(dir);
}

TEST(LexiconFeaturesTest, CountsWordsStemsNegationAndEmoji) {
  Lexicon lex;
  lex.Add("pl", "dobry", 0.5f);
  lex.Add("pl", "zły", -0.75f);
  lex.Add("pl", "~polec", 0.25f);
  lex.Add("*", ":)", 0.5f);
  lex.Add("*", "😡", -1.0f);
  LexiconCounts c;
  CountLexicon("to dobry neg_dobry zły :) 😡 ! ~polec ~dobry", lex.ForLanguage("pl"),
               lex.ForLanguage("*"), &c);
  EXPECT_EQ(c.tokens, 7);  // every token but the stems
  EXPECT_FLOAT_EQ(c.sum[0], 0.5f);    // dobry
  EXPECT_FLOAT_EQ(c.sum[1], -1.25f);  // neg_dobry, zły
  EXPECT_FLOAT_EQ(c.sum[2], 1);
  EXPECT_FLOAT_EQ(c.sum[3], 2);
  EXPECT_FLOAT_EQ(c.sum[4], 0.25f);  // ~polec (~dobry is no entry)
  EXPECT_FLOAT_EQ(c.sum[6], 1);
  EXPECT_FLOAT_EQ(c.sum[8], 0.5f);
  EXPECT_FLOAT_EQ(c.sum[9], -1.0f);
  const auto f = LexiconFeatures(c);
  EXPECT_NEAR(f[1], -1.25 / std::sqrt(7.0), 1e-6);
  EXPECT_NEAR(f[10], std::log(8.0), 1e-6);
  // An empty input counts as one token.
  const auto e = LexiconFeatures(LexiconCounts());
  EXPECT_NEAR(e[10], std::log(2.0), 1e-6);
}

// The analyzer's review prediction: base PredictJoined over the sentences'
// parts, lexicon counts summed over the parts. Training: the whole
// ReviewInput() line. They must agree.
TEST(MetaModelTest, JoinedPartsEqualTheTrainingLine) {
  auto lex = Lexicon::Load(ModelsDir() + "/lexicon.tsv");
  ASSERT_TRUE(lex.ok()) << lex.status();
  const Lexicon::View any = (*lex)->ForLanguage("*");
  int compared = 0;
  for (const auto& [model_file, data_file] :
       std::vector<std::pair<std::string, std::string>>{
           {"sentiment_pl", "pl_clarin_emo.dev.tsv"},
           {"sentiment_multi", "multi_tweets.dev.tsv"}}) {
    auto model = LinearModel::Load(ModelsDir() + "/" + model_file + ".lin");
    ASSERT_TRUE(model.ok()) << model.status();
    auto meta = MetaModel::Load(ModelsDir() + "/" + model_file + ".meta",
                                (*model)->Labels());
    if (!meta.ok() && absl::IsNotFound(meta.status())) continue;
    ASSERT_TRUE(meta.ok()) << meta.status();
    auto ex = tools::ReadTsv(DataDir() + "/sentiment/" + data_file);
    if (!ex.ok()) continue;
    std::vector<LinearModel::PartialInput> parts;
    std::vector<float> raw, joined, whole, pj, pw;
    for (const tools::Example& e : *ex) {
      const TokenizedText t = Tokenize(e.text);
      const Lexicon::View view = (*lex)->ForLanguage(e.lang);
      parts.assign(t.sentences.size(), {});
      std::vector<const LinearModel::PartialInput*> ptrs;
      LexiconCounts sum;
      for (size_t i = 0; i < t.sentences.size(); ++i) {
        const std::string in =
            SentimentInput(t, t.sentences[i].first_token, t.sentences[i].end_token);
        (*model)->PredictPart(in, &parts[i], &raw);
        ptrs.push_back(&parts[i]);
        LexiconCounts c;
        CountLexicon(in, view, any, &c);
        sum.Add(c);
      }
      (*model)->PredictJoined(ptrs, &joined);
      const std::string line = ReviewInput(t);
      (*model)->Predict(line, &whole);
      LexiconCounts all;
      CountLexicon(line, view, any, &all);
      ASSERT_EQ(sum.tokens, all.tokens) << e.text;
      for (size_t i = 0; i < all.sum.size(); ++i) {
        ASSERT_NEAR(sum.sum[i], all.sum[i], 1e-4) << e.text;
      }
      (*meta)->Predict(joined, sum, &pj);
      (*meta)->Predict(whole, all, &pw);
      for (size_t k = 0; k < pw.size(); ++k) ASSERT_NEAR(pj[k], pw[k], 1e-5) << e.text;
      ++compared;
    }
  }
  if (compared == 0) GTEST_SKIP() << "no meta models or data";
  std::printf("compared %d texts\n", compared);
}

}  // namespace
}  // namespace opinia::nlp
