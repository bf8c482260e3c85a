// What the analyzer computes once per text and shares between its steps
// (speed, seventh pass): the clause models' readings (ClauseReader,
// nlp/clause_model.h), the review's linear-model features (ReviewFeatures,
// nlp/review_features.h) and a linear model's prediction from features
// (LinearModel::PredictFeatures). Each must give exactly what the
// uncached call gives. The texts are written for this test.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "nlp/clause_model.h"
#include "nlp/linear_model.h"
#include "nlp/review_features.h"
#include "nlp/sentiment_features.h"
#include "nlp/text.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

constexpr std::string_view kTexts[] = {
    "Kurtka przyszła szybko, ale zamek zaciął się po tygodniu. Nie polecam!",
    "The kettle looks lovely, but the lid doesn't close and it leaks. Refund please?",
    "Die Lieferung kam pünktlich. Leider passt die Größe nicht, und der Stoff kratzt.",
    "",
};

void ExpectSame(const Sentiment& a, const Sentiment& b) {
  EXPECT_EQ(a.score, b.score);
  EXPECT_EQ(a.label, b.label);
  EXPECT_EQ(a.confidence, b.confidence);
}

TEST(ClauseReaderTest, ReadsWhatTheModelsReadOncePerRange) {
  auto models = ClauseModels::Load(test_paths::ModelsDir());
  ASSERT_TRUE(models.ok()) << models.status();
  const std::string_view languages[] = {"pl", "en", "de", "en"};
  ClauseReader reader;
  for (size_t k = 0; k < std::size(kTexts); ++k) {
    const TokenizedText t = Tokenize(kTexts[k]);
    reader.Reset(models->get(), t, languages[k]);
    EXPECT_EQ(reader.Knows(), (*models)->Knows(languages[k]));
    const int n = static_cast<int>(t.tokens.size());
    // Ranges sharing a first token, read twice each, in both orders.
    for (int pass = 0; pass < 2; ++pass) {
      for (int first = 0; first < n; first += 3) {
        for (int end : {std::min(n, first + 4), n}) {
          ExpectSame(reader.Read(first, end), (*models)->Read(t, first, end, languages[k]));
        }
      }
    }
    ExpectSame(reader.Read(0, n), (*models)->Read(t, 0, n, languages[k]));
  }
}

// Second speed round: the clause models read the clauses' features from
// ReviewFeatures, which the aspect detector reads too.
TEST(ClauseReaderTest, ReadsFromSharedClauseFeaturesWhatTheModelsRead) {
  auto models = ClauseModels::Load(test_paths::ModelsDir());
  ASSERT_TRUE(models.ok()) << models.status();
  const std::string_view languages[] = {"pl", "en", "de", "en"};
  ClauseReader reader;
  ReviewFeatures features;
  for (size_t k = 0; k < std::size(kTexts); ++k) {
    const TokenizedText t = Tokenize(kTexts[k]);
    features.Reset(t);
    reader.Reset(models->get(), t, languages[k], &features);
    const int n = static_cast<int>(t.tokens.size());
    for (int first = 0; first < n; first += 2) {
      for (int end : {std::min(n, first + 3), n}) {
        ExpectSame(reader.Read(first, end), (*models)->Read(t, first, end, languages[k]));
        ExpectSame((*models)->Read(t, first, end, languages[k], &features),
                   (*models)->Read(t, first, end, languages[k]));
      }
    }
  }
}

TEST(ClauseReaderTest, NoModelReadsNeutral) {
  const TokenizedText t = Tokenize(kTexts[0]);
  ClauseReader reader;
  reader.Reset(nullptr, t, "pl");
  EXPECT_FALSE(reader.Knows());
  const Sentiment s = reader.Read(0, static_cast<int>(t.tokens.size()));
  EXPECT_EQ(s.label, SentimentLabel::kNeutral);
  EXPECT_EQ(s.confidence, 0.0f);
  auto models = ClauseModels::Load(test_paths::ModelsDir());
  ASSERT_TRUE(models.ok()) << models.status();
  reader.Reset(models->get(), t, "pt");  // no clause model for Portuguese
  EXPECT_FALSE(reader.Knows());
  EXPECT_EQ(reader.Read(0, 3).confidence, 0.0f);
}

TEST(ReviewFeaturesTest, TheFeaturesOfReviewInputWithOrWithoutSentenceInputs) {
  for (std::string_view text : kTexts) {
    const TokenizedText t = Tokenize(text);
    std::vector<uint64_t> expected;
    LinearFeatures(ReviewInput(t), &expected);
    ReviewFeatures built;
    built.Reset(t);
    EXPECT_FALSE(built.Built());
    EXPECT_EQ(built.Get(), expected) << text;
    EXPECT_TRUE(built.Built());
    // From the sentences' own inputs (as the sentence pass keeps them).
    std::vector<std::string> inputs;
    for (const Sentence& s : t.sentences) {
      inputs.push_back(SentimentInput(t, s.first_token, s.end_token));
    }
    ReviewFeatures joined;
    joined.Reset(t);
    for (const std::string& in : inputs) joined.AddSentenceInput(in);
    EXPECT_EQ(joined.Get(), expected) << text;
    // Reset forgets the previous text.
    const TokenizedText other = Tokenize("Short one.");
    std::vector<uint64_t> other_expected;
    LinearFeatures(ReviewInput(other), &other_expected);
    joined.Reset(other);
    EXPECT_EQ(joined.Get(), other_expected);
  }
}

TEST(ReviewFeaturesTest, ClauseFeaturesAreTheClauseInputsFeatures) {
  ReviewFeatures features;
  for (std::string_view text : kTexts) {
    const TokenizedText t = Tokenize(text);
    features.Reset(t);
    const int n = static_cast<int>(t.tokens.size());
    // Twice each, ranges sharing a first token or an end, across Reset().
    for (int pass = 0; pass < 2; ++pass) {
      for (int first = 0; first <= n; first += 3) {
        for (int end : {std::min(n, first + 2), n}) {
          std::vector<uint64_t> expected;
          LinearFeatures(SentimentInput(t, first, end), &expected);
          EXPECT_EQ(features.Clause(first, end), expected) << text << " " << first << " " << end;
        }
      }
    }
  }
}

// Thirteenth speed pass: a clause that is a whole sentence is hashed from
// the input the sentence pass built (AddSentenceInput), not rebuilt by
// SentimentInput(); any other range still is.
TEST(ReviewFeaturesTest, ClauseOfAWholeSentenceReadsTheSentencesInput) {
  for (std::string_view text : kTexts) {
    const TokenizedText t = Tokenize(text);
    std::vector<std::string> inputs;
    for (const Sentence& s : t.sentences) {
      inputs.push_back(SentimentInput(t, s.first_token, s.end_token));
    }
    ReviewFeatures features;
    features.Reset(t);
    for (const std::string& in : inputs) features.AddSentenceInput(in);
    const int n = static_cast<int>(t.tokens.size());
    for (const Sentence& s : t.sentences) {
      std::vector<uint64_t> expected;
      LinearFeatures(SentimentInput(t, s.first_token, s.end_token), &expected);
      EXPECT_EQ(features.Clause(s.first_token, s.end_token), expected) << text;
    }
    for (int first = 0; first <= n; first += 2) {
      for (int end : {std::min(n, first + 3), n}) {
        std::vector<uint64_t> expected;
        LinearFeatures(SentimentInput(t, first, end), &expected);
        EXPECT_EQ(features.Clause(first, end), expected) << text << " " << first << " " << end;
      }
    }
  }
  // The sentence's input is what is read: a marked one shows it.
  const TokenizedText t = Tokenize(kTexts[0]);
  ASSERT_EQ(t.sentences.size(), 2u);
  const std::string marked = "marked input";
  std::vector<uint64_t> expected;
  LinearFeatures(marked, &expected);
  ReviewFeatures features;
  features.Reset(t);
  features.AddSentenceInput(SentimentInput(t, t.sentences[0].first_token, t.sentences[0].end_token));
  features.AddSentenceInput(marked);
  EXPECT_EQ(features.Clause(t.sentences[1].first_token, t.sentences[1].end_token), expected);
  // Not all sentences' inputs given: none is used.
  ReviewFeatures partial;
  partial.Reset(t);
  partial.AddSentenceInput(marked);
  std::vector<uint64_t> first;
  LinearFeatures(SentimentInput(t, t.sentences[0].first_token, t.sentences[0].end_token), &first);
  EXPECT_EQ(partial.Clause(t.sentences[0].first_token, t.sentences[0].end_token), first);
}

// The sentence pass's hashes reused (thirteenth speed pass): PredictPart()
// hands out LinearFeatures() of its input, and JoinLinearFeatures() of the
// parts is LinearFeatures() of the joined input, junction pairs in place.
TEST(ReviewFeaturesTest, JoinedPartsFeaturesAreTheJoinedInputsFeatures) {
  auto m = LinearModel::Load(test_paths::ModelsDir() + "/sentiment_pl.lin");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_FALSE((*m)->Chars().enabled());
  const std::string_view words[] = {"a", "bb", "neg_c", "d", "bb", "e"};
  uint32_t seed = 12345;
  auto next = [&seed] { return (seed = seed * 1103515245u + 12345u) >> 16; };
  for (int round = 0; round < 300; ++round) {
    const size_t n = 1 + next() % 5;
    std::vector<std::string> inputs(n);
    for (std::string& in : inputs) {
      const size_t len = next() % 4;  // empty parts too
      for (size_t w = 0; w < len; ++w) {
        if (!in.empty()) in += ' ';
        in += words[next() % std::size(words)];
      }
    }
    std::vector<std::vector<uint64_t>> features(n);
    std::vector<LinearModel::PartialInput> parts(n);
    std::vector<FeatureSpan> spans;
    std::string joined;
    std::vector<float> probs;
    for (size_t i = 0; i < n; ++i) {
      (*m)->PredictPart(inputs[i], &parts[i], &probs, &features[i]);
      std::vector<uint64_t> expected;
      LinearFeatures(inputs[i], &expected);
      ASSERT_EQ(features[i], expected) << inputs[i];
      spans.push_back({&features[i], parts[i].first, parts[i].last});
      if (inputs[i].empty()) continue;
      if (!joined.empty()) joined += ' ';
      joined += inputs[i];
    }
    std::vector<uint64_t> expected;
    LinearFeatures(joined, &expected);
    std::vector<uint64_t> from_parts;
    JoinLinearFeatures(spans, &from_parts);
    ASSERT_EQ(from_parts, expected) << joined;
  }
}

// ReviewFeatures given the sentence pass's hashes: the same Get() and
// Clause() as from the inputs; an input with an expansion token ("~%x",
// "~=x"; a stem "~x" is none) is hashed again for Get().
TEST(ReviewFeaturesTest, FromTheSentencePassHashes) {
  auto m = LinearModel::Load(test_paths::ModelsDir() + "/sentiment_pl.lin");
  ASSERT_TRUE(m.ok()) << m.status();
  for (std::string_view text : kTexts) {
    const TokenizedText t = Tokenize(text);
    const size_t n = t.sentences.size();
    std::vector<std::string> inputs;
    for (const Sentence& s : t.sentences) {
      inputs.push_back(SentimentInput(t, s.first_token, s.end_token));
    }
    std::vector<std::vector<uint64_t>> features(n);
    std::vector<LinearModel::PartialInput> parts(n);
    std::vector<float> probs;
    ReviewFeatures given;
    given.Reset(t);
    for (size_t i = 0; i < n; ++i) {
      (*m)->PredictPart(inputs[i], &parts[i], &probs, &features[i]);
      given.AddSentenceInput(inputs[i], {&features[i], parts[i].first, parts[i].last});
    }
    std::vector<uint64_t> expected;
    LinearFeatures(ReviewInput(t), &expected);
    EXPECT_EQ(given.Get(), expected) << text;
    for (const Sentence& s : t.sentences) {
      std::vector<uint64_t> clause;
      LinearFeatures(SentimentInput(t, s.first_token, s.end_token), &clause);
      EXPECT_EQ(given.Clause(s.first_token, s.end_token), clause) << text;
    }
  }
  // The given hashes are what Get() and Clause() read: marked ones show it,
  // except that an input with "~%" makes Get() hash the inputs again.
  const TokenizedText t = Tokenize(kTexts[0]);
  ASSERT_EQ(t.sentences.size(), 2u);
  const std::vector<uint64_t> marked = {7, 8, 9};
  const std::string one = SentimentInput(t, t.sentences[0].first_token, t.sentences[0].end_token);
  const std::string two = SentimentInput(t, t.sentences[1].first_token, t.sentences[1].end_token);
  ReviewFeatures features;
  features.Reset(t);
  features.AddSentenceInput(one, {&marked, 1, 2});
  features.AddSentenceInput(two, {&marked, 3, 4});
  std::vector<uint64_t> joined;
  JoinLinearFeatures({{&marked, 1, 2}, {&marked, 3, 4}}, &joined);
  EXPECT_EQ(features.Get(), joined);
  EXPECT_EQ(features.Clause(t.sentences[1].first_token, t.sentences[1].end_token), marked);
  const std::string expanded = two + " ~%x";
  features.Reset(t);
  features.AddSentenceInput(one, {&marked, 1, 2});
  features.AddSentenceInput(expanded, {&marked, 3, 4});
  std::vector<uint64_t> expected;
  LinearFeatures(one + " " + expanded, &expected);
  EXPECT_EQ(features.Get(), expected);
}

// SentimentFeatures() hashes SentimentInput() as it is written, without the
// string: every range of texts with negation scopes, "!"/"?", stems,
// non-Latin words and a token that looks like an expansion token.
TEST(SentimentFeaturesTest, FeaturesAreTheInputsFeatures) {
  constexpr std::string_view kMore[] = {
      "Nie polecam, nie działa i nigdy nie działało! Czemu?? Słabiutkie.",
      "I don't like it, it isn't worth the money... never again?! ~%odd ~=odd ~x",
      "Это не работает. 本当に良くない！ Ça ne marche pas :( 👍👍",
      "  ",
  };
  std::vector<std::string_view> texts(std::begin(kTexts), std::end(kTexts));
  texts.insert(texts.end(), std::begin(kMore), std::end(kMore));
  for (std::string_view text : texts) {
    const TokenizedText t = Tokenize(text);
    const int n = static_cast<int>(t.tokens.size());
    for (int first = -1; first <= n; ++first) {
      for (int end = first; end <= n + 1; ++end) {
        std::vector<uint64_t> expected = {42};
        LinearFeatures(SentimentInput(t, first, end), &expected);
        std::vector<uint64_t> features = {42};  // appended to
        SentimentFeatures(t, first, end, &features);
        ASSERT_EQ(features, expected) << text << " " << first << " " << end;
      }
    }
  }
  // The stream alone: any cut of the bytes gives LinearFeatures() of them.
  const std::string input = " a  ~%x bb ~=y ~s neg_c  d ~%";
  std::vector<uint64_t> expected;
  LinearFeatures(input, &expected);
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    std::vector<uint64_t> features;
    LinearFeatureStream stream(&features);
    stream.Append(std::string_view(input).substr(0, cut));
    stream.Append(std::string_view(input).substr(cut));
    stream.Finish();
    EXPECT_EQ(features, expected) << cut;
  }
}

TEST(SentimentFeaturesTest, NegatorsWithATypographicApostrophe) {
  EXPECT_TRUE(IsNegator("don't"));
  EXPECT_TRUE(IsNegator("don\xE2\x80\x99t"));
  EXPECT_TRUE(IsNegator("wouldn\xE2\x80\x99t"));
  EXPECT_TRUE(IsNegator("not"));
  EXPECT_FALSE(IsNegator("don\xE2\x80\x99"));
  EXPECT_FALSE(IsNegator("do\xE2\x80\x99n\xE2\x80\x99t"));
  EXPECT_FALSE(IsNegator("\xE2\x80\x99t"));
  EXPECT_FALSE(IsNegator("can\xE2\x80\x99ts"));
  EXPECT_FALSE(IsNegator("it\xE2\x80\x99s"));
  EXPECT_FALSE(IsNegator("dont"));
  EXPECT_FALSE(IsNegator(""));
}

// Every negator, and words that share a negator's first bytes, length or
// last letters, are told apart.
TEST(SentimentFeaturesTest, NegatorTableIsTheList) {
  constexpr std::string_view kIn[] = {
      "ain't", "aren't", "bez", "can't", "cannot", "couldn't", "didn't", "doesn't",
      "don't", "hadn't", "hasn't", "haven't", "isn't", "kein", "keine", "keinen",
      "keiner", "nada", "ne", "never", "nicht", "nie", "niente", "nigdy", "no",
      "non", "nor", "not", "nothing", "nunca", "shouldn't", "wasn't", "weren't",
      "without", "won't", "wouldn't"};
  for (std::string_view w : kIn) EXPECT_TRUE(IsNegator(w)) << w;
  constexpr std::string_view kOut[] = {
      "n", "o", "na", "nic", "nei", "note", "nots", "shouldn'", "shouldn'tt",
      "shouldn'x", "shouldnt", "wouldn'tx", "keines", "nothings", "noth", "nothin",
      "without'", "withou", "nie ", std::string_view("no\0", 3), "tak", "yes"};
  for (std::string_view w : kOut) EXPECT_FALSE(IsNegator(w)) << w;
}

TEST(LinearModelTest, PredictFeaturesIsPredict) {
  auto model = LinearModel::Load(test_paths::ModelsDir() + "/router.lin");
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_FALSE((*model)->Chars().enabled());
  for (std::string_view text : kTexts) {
    const TokenizedText t = Tokenize(text);
    const std::string input = ReviewInput(t);
    std::vector<float> want;
    (*model)->Predict(input, &want);
    std::vector<uint64_t> features;
    LinearFeatures(input, &features);
    std::vector<float> got;
    (*model)->PredictFeatures(features, &got);
    EXPECT_EQ(got, want) << text;
  }
}

}  // namespace
}  // namespace opinia::nlp
