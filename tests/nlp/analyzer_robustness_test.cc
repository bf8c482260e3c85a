// Hostile and odd inputs through the full analyzer: always a defined result,
// every span inside the text, never a crash.
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "nlp/analyzer.h"
#include "nlp/text.h"
#include "tests/nlp/test_util.h"

namespace opinia::nlp {
namespace {

class AnalyzerRobustnessTest : public test_util::AnalyzerSuiteTest {};

void ExpectSpanInside(const std::string& name, const Span& s, size_t size) {
  EXPECT_LE(0, s.begin) << name;
  EXPECT_LE(s.begin, s.end) << name;
  EXPECT_LE(static_cast<size_t>(s.end), size) << name;
}

void ExpectDefined(const std::string& name, const std::string& text,
                   const Analysis& a) {
  EXPECT_FALSE(a.language.empty()) << name;
  EXPECT_TRUE(IsValidUtf8(a.language)) << name;
  EXPECT_NE(a.sentiment.label, SentimentLabel::kUnspecified) << name;
  EXPECT_GE(a.sentiment.score, -1.0f) << name;
  EXPECT_LE(a.sentiment.score, 1.0f) << name;
  EXPECT_GE(a.sentiment.confidence, 0.0f) << name;
  EXPECT_LE(a.sentiment.confidence, 1.0f) << name;
  EXPECT_GE(a.language_confidence, 0.0f) << name;
  EXPECT_LE(a.language_confidence, 1.0f) << name;
  EXPECT_FALSE(a.model_version.empty()) << name;
  int32_t prev_end = 0;
  for (const SentenceSentiment& s : a.sentences) {
    ExpectSpanInside(name + " sentence", s.span, text.size());
    EXPECT_LE(prev_end, s.span.begin) << name << ": sentences overlap";
    prev_end = s.span.end;
    EXPECT_NE(s.sentiment.label, SentimentLabel::kUnspecified) << name;
  }
  for (const AspectSentiment& as : a.aspects) {
    for (const Span& e : as.evidence) {
      ExpectSpanInside(name + " aspect evidence", e, text.size());
    }
  }
  for (const Span& e : a.urgency.evidence) {
    ExpectSpanInside(name + " urgency evidence", e, text.size());
  }
}

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

TEST_F(AnalyzerRobustnessTest, HostileInputsTable) {
  ASSERT_NE(model_, nullptr);
  struct Case {
    std::string name;
    std::string text;
  };
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  const std::vector<Case> cases = {
      {"empty", ""},
      {"whitespace", " \n\t\r  "},
      {"invalid_utf8", "Nie polecam \xFF\xFE\xC3 sklepu \xED\xA0\x80 :("},
      {"truncated_multibyte_end", "Dostaw\xC4"},
      {"lone_continuations", "\x80\x81\x82\x83"},
      {"all_bytes", all_bytes},
      {"nul_bytes", std::string("ab\0cd\0", 6)},
      {"one_mb_text", Repeat("Produkt świetny, ale dostawa fatalna. ", 27000)},
      {"ten_thousand_emoji", Repeat("😀", 10000)},
      {"emoji_zwj_and_skin", Repeat("👩🏽‍💻👍🏿🇵🇱", 500)},
      {"mixed_scripts",
       "Świetny produkt! Great product. Отличный товар. 很好的产品。 "
       "منتج رائع. מוצר מצוין. उत्पाद अच्छा है. 素晴らしい製品です。"},
      {"combining_storm", Repeat("a\xCC\x81\xCC\x82\xCC\x83", 2000)},
      {"only_punctuation", "!!!???...,,,;;;"},
      {"long_word", std::string(100000, 'x')},
      {"control_chars", "\x01\x02\x03\x1B[31mred\x1B[0m"},
      {"rtl_marks", "\xE2\x80\x8F\xE2\x80\x8E\xE2\x80\xAEtext\xE2\x80\xAC"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    AnalyzeOptions o;
    Analysis a = model_->Analyze(c.text, o);
    ExpectDefined(c.name, c.text, a);
    // Same again with every option set.
    o.title = c.text.substr(0, 100);
    o.language_hint = "pl";
    o.rating = 1;
    o.source = "google";
    ExpectDefined(c.name + " with options", c.text, model_->Analyze(c.text, o));
  }
}

TEST_F(AnalyzerRobustnessTest, EmptyTextIsNeutralWithoutSentences) {
  Analysis a = model_->Analyze("", AnalyzeOptions());
  EXPECT_EQ(a.language, "und");
  EXPECT_EQ(a.sentiment.label, SentimentLabel::kNeutral);
  EXPECT_EQ(a.sentiment.confidence, 0.0f);
  EXPECT_TRUE(a.sentences.empty());
}

TEST_F(AnalyzerRobustnessTest, ShortTextUsesHint) {
  AnalyzeOptions o;
  o.language_hint = "de-DE";
  EXPECT_EQ(model_->Analyze("ok", o).language, "de");
  EXPECT_EQ(model_->Analyze("ok", AnalyzeOptions()).language, "und");
}

TEST_F(AnalyzerRobustnessTest, RatingOutOfRangeIsIgnored) {
  AnalyzeOptions o;
  o.rating = 9;
  o.rating_scale = 5;
  Analysis with = model_->Analyze("Fatalna obsługa, nie polecam.", o);
  Analysis without = model_->Analyze("Fatalna obsługa, nie polecam.", {});
  EXPECT_EQ(with.sentiment.label, without.sentiment.label);
}

TEST_F(AnalyzerRobustnessTest, TitleSpansStayInText) {
  AnalyzeOptions o;
  o.title = "Bardzo długi tytuł recenzji, który jest dłuższy niż tekst";
  const std::string text = "Źle.";
  Analysis a = model_->Analyze(text, o);
  ExpectDefined("title", text, a);
  ASSERT_EQ(a.sentences.size(), 1u);
  EXPECT_EQ(a.sentences[0].span, (Span{0, static_cast<int32_t>(text.size())}));
}

TEST_F(AnalyzerRobustnessTest, UnsupportedLanguageHasLowConfidence) {
  Analysis a = model_->Analyze(
      "Tento výrobek je naprosto skvělý, doporučuji všem svým přátelům.", {});
  EXPECT_EQ(a.language, "cs");
  EXPECT_LE(a.sentiment.confidence, 0.35f);
}

// Too short to tell the language ("und"), but most likely English: the
// sentiment is read with the English model and lexicon (not forced to
// NEUTRAL for want of evidence), at the confidence cap of "und".
TEST_F(AnalyzerRobustnessTest, UndeterminedShortTextIsScoredByItsLikelyLanguage) {
  for (const char* text : {"Bad choice.", "What a waste."}) {
    Analysis a = model_->Analyze(text, {});
    EXPECT_EQ(a.language, "und") << text;
    EXPECT_EQ(a.sentiment.label, SentimentLabel::kNegative) << text;
    EXPECT_LE(a.sentiment.confidence, 0.35f) << text;
  }
}

TEST_F(AnalyzerRobustnessTest, ConcurrentCallsMatchSequential) {
  const std::vector<std::string> texts = {
      "Nie polecam, obsługa fatalna :(", "Great product, fast delivery 👍",
      "Produkt super. Dostawa niestety spóźniona.", "Das ist sehr gut!",
      "Zamówienie dotarło uszkodzone, żądam zwrotu pieniędzy."};
  std::vector<Analysis> expected;
  for (const auto& t : texts) expected.push_back(model_->Analyze(t, {}));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (int rep = 0; rep < 50; ++rep) {
        for (size_t i = 0; i < texts.size(); ++i) {
          Analysis a = model_->Analyze(texts[i], {});
          if (a.sentiment.label != expected[i].sentiment.label ||
              a.sentiment.score != expected[i].sentiment.score ||
              a.language != expected[i].language ||
              a.sentences.size() != expected[i].sentences.size()) {
            ++mismatches[k];
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int k = 0; k < 4; ++k) EXPECT_EQ(mismatches[k], 0) << "thread " << k;
}

}  // namespace
}  // namespace opinia::nlp
