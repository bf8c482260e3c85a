// WordExpansion (nlp/word_expansion.h): the table format and its errors,
// the expansion tokens in the model input (after the words and stems), and
// that they are unigrams only, so a review joined from its sentences' parts
// still predicts as the whole line does.
#include "nlp/word_expansion.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "gtest/gtest.h"
#include "nlp/fnv1a.h"
#include "nlp/linear_model.h"
#include "nlp/sentiment_features.h"
#include "nlp/text.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

constexpr char kTable[] =
    "OPWX1\n"
    "dobry\t~%dobry ~%świetny\n"
    "polecam\t~=polecać ~%polecać\n";

std::unique_ptr<WordExpansion> Table() {
  auto w = WordExpansion::Parse(kTable, "test");
  EXPECT_TRUE(w.ok()) << w.status();
  return w.ok() ? *std::move(w) : nullptr;
}

TEST(WordExpansionTest, AppendsTheTokensOfAKnownForm) {
  auto w = Table();
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->size(), 2u);
  std::string out = "x";
  w->Append("dobry", &out);
  EXPECT_EQ(out, "x ~%dobry ~%świetny");
  out.clear();
  w->Append("Dobry", &out);  // forms are norms: the caller folds case
  w->Append("zły", &out);
  EXPECT_EQ(out, "");
}

TEST(WordExpansionTest, RejectsMalformedTables) {
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {"", "test:1: not a word expansion table"},
           {"OPWX2\n", "test:1: not a word expansion table"},
           {"OPWX1\ndobry\n", "test:2: no form"},
           {"OPWX1\n\t~%a\n", "test:2: no form"},
           {"OPWX1\ndobry\t \n", "test:2: no tokens"},
           {"OPWX1\ndobry\tdobry\n", "test:2: a token without ~% or ~="},
           {"OPWX1\ndobry\t~%a\n\ndobry\t~%b\n", "test:4: repeated form"},
       }) {
    auto w = WordExpansion::Parse(c.text, "test");
    ASSERT_FALSE(w.ok()) << c.text;
    EXPECT_EQ(w.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_EQ(w.status().message(), c.error) << c.text;
  }
  auto missing = WordExpansion::Load("/nonexistent/sentiment_pl.words");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

TEST(WordExpansionTest, ExpansionsFollowTheWordsAndStems) {
  auto w = Table();
  ASSERT_NE(w, nullptr);
  const TokenizedText t = Tokenize("Dobry sklep, polecam!");
  EXPECT_EQ(SentimentInput(t, 0, static_cast<int>(t.tokens.size()), w.get()),
            "dobry sklep polecam ! ~polec ~%dobry ~%świetny ~=polecać ~%polecać");
  // Without a table: as before.
  EXPECT_EQ(SentimentInput(t, 0, static_cast<int>(t.tokens.size())),
            "dobry sklep polecam ! ~polec");
}

TEST(WordExpansionTest, ExpansionTokensAreUnigramsOnly) {
  EXPECT_TRUE(IsExpansionToken("~%dobry"));
  EXPECT_TRUE(IsExpansionToken("~=polecać"));
  EXPECT_FALSE(IsExpansionToken("~polec"));
  EXPECT_FALSE(IsExpansionToken("~%"));
  std::vector<uint64_t> with, without, unigram, expansions;
  LinearFeatures("a ~%x ~=y b", &with, {}, nullptr, &expansions);
  LinearFeatures("a b", &without);
  LinearFeatures("~%x ~=y", &unigram);
  EXPECT_EQ(with, without);  // the words pair across them
  EXPECT_EQ(expansions, unigram);
  ASSERT_EQ(unigram.size(), 2u);  // and the two expansions do not pair
  std::vector<uint64_t> all;
  LinearFeatures("a ~%x ~=y b", &all);
  EXPECT_EQ(all.size(), 5u);
}

// With the shipped Polish model: a review whose sentences end in expansion
// tokens predicts from its parts as from its whole line.
TEST(WordExpansionTest, JoinedPartsPredictAsTheWholeLine) {
  auto m = LinearModel::Load(test_paths::ModelsDir() + "/sentiment_pl.lin");
  ASSERT_TRUE(m.ok()) << m.status();
  auto w = Table();
  ASSERT_NE(w, nullptr);
  const TokenizedText t = Tokenize("Dobry towar. Polecam ten sklep. Dobry!");
  ASSERT_EQ(t.sentences.size(), 3u);
  std::vector<LinearModel::PartialInput> parts(t.sentences.size());
  std::vector<const LinearModel::PartialInput*> ptrs;
  std::vector<float> p;
  for (size_t i = 0; i < t.sentences.size(); ++i) {
    const Sentence& s = t.sentences[i];
    (*m)->PredictPart(SentimentInput(t, s.first_token, s.end_token, w.get()),
                      &parts[i], &p);
    ptrs.push_back(&parts[i]);
  }
  // The pair across a sentence end skips the expansions, as in the line.
  EXPECT_EQ(parts[0].last, Fnv1a64("towar"));
  EXPECT_EQ(parts[1].first, Fnv1a64("polecam"));
  std::vector<float> joined, whole;
  (*m)->PredictJoined(ptrs, &joined);
  (*m)->Predict(ReviewInput(t, w.get()), &whole);
  ASSERT_EQ(joined.size(), whole.size());
  for (size_t k = 0; k < whole.size(); ++k) EXPECT_NEAR(joined[k], whole[k], 1e-6);
}

}  // namespace
}  // namespace opinia::nlp
