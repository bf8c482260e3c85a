// The label arbiter (nlp/label_arbiter.h): its features of hand-written
// texts, its file (missing: the analyzer as before; malformed:
// INVALID_ARGUMENT naming it), and reviews written for this test - apart
// from the shop corpus and the evaluation tables - that the rule-composed
// label reads as one side and the arbiter as MIXED.
#include "nlp/label_arbiter.h"

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "nlp/analyzer.h"
#include "nlp/analyzer_config.h"
#include "nlp/tools/eval_cases.h"
#include "tests/nlp/conventions.h"
#include "tests/nlp/models_copy.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

// The shipped models without label_arbiter.meta, and with `arbiter` as
// that file when not empty.
class ModelsWithArbiter {
 public:
  ModelsWithArbiter(const std::string& name, const std::string& arbiter)
      : copy_(name, [](const std::string& file) { return file == kLabelArbiterFile; }) {
    if (!arbiter.empty()) std::ofstream(copy_.path() / kLabelArbiterFile) << arbiter;
  }
  std::string dir() const { return copy_.dir(); }

 private:
  ModelsCopy copy_;
};

// A well-formed file whose labels all weigh `bias` (label order positive,
// negative, neutral, mixed) and no feature.
std::string ConstantArbiter(const std::vector<double>& bias, double threshold) {
  static const char* const kNames[] = {"positive", "negative", "neutral", "mixed"};
  std::string text = "OPARB1\nfeatures " + std::to_string(kNumLabelArbiterFeatures) +
                     "\nthreshold " + std::to_string(threshold) + "\n";
  for (size_t k = 0; k < 4; ++k) {
    text += std::string(kNames[k]) + " " + std::to_string(bias[k]);
    for (int i = 0; i < kNumLabelArbiterFeatures; ++i) text += " 0";
    text += "\n";
  }
  return text;
}

// The arbiter's features of `text` as the shipped analyzer computes them.
std::vector<float> FeaturesOf(const Analyzer& analyzer, const std::string& text, int rating = 0,
                              const std::string& source = "") {
  AnalyzeOptions o;
  o.rating = rating;
  o.source = source;
  analyzer.Analyze(text, o);
  return ThreadLabelArbiterTrace().features;
}

class LabelArbiterFeaturesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    AnalyzerConfig config;
    config.trace_label_arbiter = true;
    auto a = CreateAnalyzerWithConfig(test_paths::ModelsDir(), config);
    ASSERT_TRUE(a.ok()) << a.status();
    analyzer_ = a->release();
  }
  static void TearDownTestSuite() {
    delete analyzer_;
    analyzer_ = nullptr;
  }
  static Analyzer* analyzer_;
};
Analyzer* LabelArbiterFeaturesTest::analyzer_ = nullptr;

TEST_F(LabelArbiterFeaturesTest, TwoSidedReviewWithRating) {
  const std::vector<float> x =
      FeaturesOf(*analyzer_,
                 "The trolley bag rolls smoothly and looks smart. Sadly one wheel snapped off on "
                 "the second trip and the handle jams.",
                 3);
  ASSERT_EQ(x.size(), static_cast<size_t>(kNumLabelArbiterFeatures));
  EXPECT_FLOAT_EQ(x[0] + x[1] + x[2] + x[3], 1.0f);  // one composed label
  EXPECT_NEAR(x[5] + x[6] + x[7] + x[8], 1.0f, 1e-4);  // the model's probabilities
  EXPECT_GT(x[11], 0.0f);  // clauses with praise
  EXPECT_GT(x[12], 0.0f);  // and with complaints
  EXPECT_GT(x[46], 0.0f);  // both sides in the evidence
  EXPECT_EQ(x[20], 1.0f);  // the clause models read it
  EXPECT_GE(x[18], x[19]);  // the clause models' highest and lowest reading
  EXPECT_LT(x[19], 0.0f);
  EXPECT_EQ(x[38], 1.0f);  // a rating, 3 of 5: the middle
  EXPECT_FLOAT_EQ(x[39], 0.0f);
  EXPECT_EQ(x[42], 1.0f);  // English
  EXPECT_EQ(x[41] + x[43] + x[44], 0.0f);
  // The interactions: English copies features 0-8, the others are 0.
  for (int i = 0; i < 9; ++i) {
    EXPECT_FLOAT_EQ(x[59 + i], x[i]) << i;
    EXPECT_EQ(x[50 + i] + x[68 + i] + x[77 + i], 0.0f) << i;
  }
}

// Twenty-second pass: the review model's reading without the
// compositional layer (features 90-93), alone and by language group
// (94-109: English the second group).
TEST_F(LabelArbiterFeaturesTest, PlainReadingByLanguageGroup) {
  const std::vector<float> x =
      FeaturesOf(*analyzer_,
                 "No complaints at all about the kettle, it boils fast. The lid creaks a bit.");
  ASSERT_EQ(x.size(), static_cast<size_t>(kNumLabelArbiterFeatures));
  EXPECT_NEAR(x[90] + x[91] + x[92] + x[93], 1.0f, 1e-4);
  EXPECT_EQ(x[42], 1.0f);  // English
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_FLOAT_EQ(x[98 + i], x[90 + i]) << i;
    EXPECT_EQ(x[94 + i] + x[102 + i] + x[106 + i], 0.0f) << i;
  }
  // Not computed (no input): all 0.
  LabelArbiterInput in;
  std::vector<float> none;
  LabelArbiterFeatures(in, &none);
  for (size_t i = 90; i < 110; ++i) EXPECT_EQ(none[i], 0.0f) << i;
}

// Eleventh pass: the aspects' sides (features 86-89), read from the
// aspects the analyzer passes in.
TEST_F(LabelArbiterFeaturesTest, AspectSidesOfATwoSidedReview) {
  const std::vector<float> x = FeaturesOf(
      *analyzer_, "The plates are beautiful, a lovely glaze. The courier was rude and very late.");
  ASSERT_EQ(x.size(), static_cast<size_t>(kNumLabelArbiterFeatures));
  EXPECT_GT(x[86], 0.3f);  // praise and a complaint among the aspects
  EXPECT_EQ(x[87], 0.0f);  // the product is not blamed
  EXPECT_EQ(x[88], 1.0f);  // the product praised, the delivery blamed
  EXPECT_EQ(x[89], 0.0f);
}

TEST(LabelArbiterAspectFeaturesTest, ProductBlamedAfterOtherPraise) {
  std::vector<AspectSentiment> aspects(2);
  aspects[0].aspect = Aspect::kDelivery;
  aspects[0].sentiment = {0.8f, SentimentLabel::kPositive, 0.8f};
  aspects[1].aspect = Aspect::kProductQuality;
  aspects[1].sentiment = {-0.6f, SentimentLabel::kNegative, 0.6f};
  LabelArbiterInput in;
  in.aspects = &aspects;
  std::vector<float> x;
  LabelArbiterFeatures(in, &x);
  EXPECT_FLOAT_EQ(x[86], 0.6f);
  EXPECT_EQ(x[87], 1.0f);
  EXPECT_EQ(x[88], 0.0f);
  EXPECT_EQ(x[89], 1.0f);
  // Without aspects: none of them.
  in.aspects = nullptr;
  LabelArbiterFeatures(in, &x);
  for (int i = 86; i < 90; ++i) EXPECT_EQ(x[static_cast<size_t>(i)], 0.0f) << i;
}

TEST_F(LabelArbiterFeaturesTest, QuestionWithoutOpinion) {
  const std::vector<float> x =
      FeaturesOf(*analyzer_, "Czy ta kurtka jest dostępna w rozmiarze L?");
  ASSERT_EQ(x.size(), static_cast<size_t>(kNumLabelArbiterFeatures));
  EXPECT_EQ(x[41], 1.0f);  // Polish
  EXPECT_EQ(x[31], 1.0f);  // every sentence a question
  EXPECT_EQ(x[38], 0.0f);  // no rating
  EXPECT_EQ(x[12], 0.0f);  // no complaint
  EXPECT_EQ(x[17], 0.0f);  // no contrast
}

TEST_F(LabelArbiterFeaturesTest, LanguageGroups) {
  EXPECT_EQ(FeaturesOf(*analyzer_, "Die Lampe ist wunderschön und sehr hell.")[43], 1.0f);
  EXPECT_EQ(FeaturesOf(*analyzer_, "La lámpara es preciosa y muy luminosa.")[44], 1.0f);
  EXPECT_EQ(FeaturesOf(*analyzer_, "La lampe est magnifique et très lumineuse.")[44], 1.0f);
}

TEST_F(LabelArbiterFeaturesTest, SocialMediaTextIsNotArbitrated) {
  EXPECT_TRUE(FeaturesOf(*analyzer_, "love my new lamp so much", 0, "twitter").empty());
}

TEST(LabelArbiterTest, ShippedFileLoads) {
  auto a = LabelArbiter::Load(test_paths::ModelsDir());
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_NE(*a, nullptr);
  EXPECT_GT((*a)->threshold(), 0.0f);
  EXPECT_LE((*a)->threshold(), 1.0f);
}

TEST(LabelArbiterTest, MissingFileIsNoArbiter) {
  ModelsWithArbiter models("arbiter_missing", "");
  auto a = LabelArbiter::Load(models.dir());
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(*a, nullptr);
}

TEST(LabelArbiterTest, MalformedFilesAreInvalidArgument) {
  const std::string good = ConstantArbiter({0, 0, 0, 1}, 0.5);
  ASSERT_TRUE(LabelArbiter::Parse(good, "x").ok());
  std::string wrong_count = good;
  wrong_count.replace(wrong_count.find("features ") + 9, 2, "12");
  std::string duplicate = good;
  duplicate.replace(duplicate.find("negative"), 8, "positive");
  std::string not_number = good;
  not_number.replace(not_number.rfind(" 0"), 2, " x");
  std::string threshold = good;
  threshold.replace(threshold.find("threshold "), 18, "threshold 1.5");
  for (const std::string& bad :
       {std::string("OPMETA1\n"), wrong_count, duplicate, not_number, threshold,
        good.substr(0, good.rfind("mixed"))}) {
    auto a = LabelArbiter::Parse(bad, "label_arbiter.meta");
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(a.status().message().find("label_arbiter.meta"), std::string::npos);
  }
}

TEST(LabelArbiterTest, AnalyzerRefusesAMalformedFile) {
  ModelsWithArbiter models("arbiter_malformed", "OPARB1\nfeatures 3\n");
  auto a = CreateAnalyzer(models.dir());
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(a.status().message().find(kLabelArbiterFile), std::string::npos);
}

TEST(LabelArbiterTest, DecidesOnlyWhenConfident) {
  const std::vector<float> x(kNumLabelArbiterFeatures, 0.0f);
  const Sentiment composed{0.6f, SentimentLabel::kPositive, 0.8f};
  // P(mixed) = e^2 / (3 + e^2) = 0.71.
  auto sure = LabelArbiter::Parse(ConstantArbiter({0, 0, 0, 2}, 0.7), "a");
  ASSERT_TRUE(sure.ok()) << sure.status();
  const Sentiment s = (*sure)->Decide(x, composed);
  EXPECT_EQ(s.label, SentimentLabel::kMixed);
  EXPECT_NEAR(s.score, 0.0f, 1e-6);  // P(pos) - P(neg)
  EXPECT_NEAR(s.confidence, 0.711f, 1e-3);
  auto unsure = LabelArbiter::Parse(ConstantArbiter({0, 0, 0, 2}, 0.75), "a");
  ASSERT_TRUE(unsure.ok());
  EXPECT_EQ((*unsure)->Decide(x, composed).label, SentimentLabel::kPositive);
  EXPECT_EQ((*unsure)->Decide(x, composed).score, 0.6f);
}

// Eleventh pass: a MIXED label may have a threshold of its own (the
// optional "mixed_threshold" line); the other labels keep the file's.
TEST(LabelArbiterTest, MixedHasItsOwnThreshold) {
  const std::vector<float> x(kNumLabelArbiterFeatures, 0.0f);
  const Sentiment composed{0.6f, SentimentLabel::kPositive, 0.8f};
  // P(mixed) = 0.71, below the file's threshold 0.9, above its MIXED one.
  std::string text = ConstantArbiter({0, 0, 0, 2}, 0.9);
  const std::string line = ClassThresholdLine(LabelArbiterFormat(), kMixedClass, 0.9, 0.6);
  EXPECT_EQ(line, "mixed_threshold 0.60\n");
  EXPECT_EQ(ClassThresholdLine(LabelArbiterFormat(), kMixedClass, 0.9, 0.9), "");
  text.insert(text.find("positive"), line);
  auto a = LabelArbiter::Parse(text, "a");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_FLOAT_EQ((*a)->threshold(), 0.9f);
  EXPECT_FLOAT_EQ((*a)->mixed_threshold(), 0.6f);
  EXPECT_EQ((*a)->Decide(x, composed).label, SentimentLabel::kMixed);
  // Without the line the file's threshold holds for MIXED too.
  auto plain = LabelArbiter::Parse(ConstantArbiter({0, 0, 0, 2}, 0.9), "a");
  ASSERT_TRUE(plain.ok());
  EXPECT_FLOAT_EQ((*plain)->mixed_threshold(), 0.9f);
  EXPECT_EQ((*plain)->Decide(x, composed).label, SentimentLabel::kPositive);
  // A NEGATIVE as sure as that MIXED still needs 0.9.
  auto neg = LabelArbiter::Parse(
      [&] {
        std::string t = ConstantArbiter({0, 2, 0, 0}, 0.9);
        t.insert(t.find("positive"), line);
        return t;
      }(),
      "a");
  ASSERT_TRUE(neg.ok());
  EXPECT_EQ((*neg)->Decide(x, composed).label, SentimentLabel::kPositive);
  // A bad value names the file.
  std::string bad = ConstantArbiter({0, 0, 0, 2}, 0.9);
  bad.insert(bad.find("positive"), "mixed_threshold 7\n");
  auto b = LabelArbiter::Parse(bad, "label_arbiter.meta");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(b.status().message().find("label_arbiter.meta"), std::string::npos);
}

// Twenty-third pass: a language group may have a threshold of its own
// (the optional "group_thresholds" line, groups pl, en, de, es/fr/it/pt by
// features 41-44); a review of no group keeps the file's, and a label's
// own line (mixed_threshold) still wins over its group's.
TEST(LabelArbiterTest, LanguageGroupsHaveTheirOwnThresholds) {
  const Sentiment composed{0.6f, SentimentLabel::kPositive, 0.8f};
  auto in_group = [](size_t g) {
    std::vector<float> x(kNumLabelArbiterFeatures, 0.0f);
    if (g < kNumArbiterGroups) x[kFirstGroupFeature + g] = 1.0f;
    return x;
  };
  EXPECT_EQ(ArbiterGroup(in_group(1)), 1u);
  EXPECT_EQ(ArbiterGroup(in_group(kNumArbiterGroups)), kNumArbiterGroups);
  const std::string line = GroupThresholdsLine({0.9f, 0.7f, 0.9f, 0.9f}, 0.9f);
  EXPECT_EQ(line, "group_thresholds 0.90 0.70 0.90 0.90\n");
  EXPECT_EQ(GroupThresholdsLine({0.9f, 0.9f, 0.9f, 0.9f}, 0.9f), "");
  EXPECT_EQ(GroupThresholdsLine({}, 0.9f), "");
  // P(mixed) = 0.71: above English's threshold only.
  std::string text = ConstantArbiter({0, 0, 0, 2}, 0.9);
  text.insert(text.find("positive"), line);
  auto a = LabelArbiter::Parse(text, "a");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_FLOAT_EQ((*a)->group_threshold(1), 0.7f);
  EXPECT_FLOAT_EQ((*a)->group_threshold(kNumArbiterGroups), 0.9f);
  EXPECT_EQ((*a)->Decide(in_group(1), composed).label, SentimentLabel::kMixed);
  for (size_t g : {size_t{0}, size_t{2}, size_t{3}, kNumArbiterGroups}) {
    EXPECT_EQ((*a)->Decide(in_group(g), composed).label, SentimentLabel::kPositive) << g;
  }
  // MIXED's own line wins over English's.
  std::string own = text;
  own.insert(own.find("positive"), "mixed_threshold 0.80\n");
  auto b = LabelArbiter::Parse(own, "b");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*b)->Decide(in_group(1), composed).label, SentimentLabel::kPositive);
  // Malformed lines name the file.
  for (const std::string& bad_line :
       {std::string("group_thresholds 0.9 0.7 0.9\n"),
        std::string("group_thresholds 0.9 0.7 0.9 1.5\n"),
        std::string("group_thresholds 0.9 0.7 0.9 x\n"), line + line}) {
    std::string bad = ConstantArbiter({0, 0, 0, 2}, 0.9);
    bad.insert(bad.find("positive"), bad_line);
    auto c = LabelArbiter::Parse(bad, "label_arbiter.meta");
    ASSERT_FALSE(c.ok()) << bad_line;
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(c.status().message().find("label_arbiter.meta"), std::string::npos);
    EXPECT_NE(c.status().message().find("group_thresholds"), std::string::npos);
  }
}

// Twelfth pass: "mixed_threshold" is the softmax format's class threshold
// of "mixed" (no longer cut out of the text first): the shipped file's
// thresholds are what its own lines say (the trainer chooses them; since
// the twenty-third pass there may be a line of language groups instead of
// a MIXED one), and the line is refused where the format does not have it
// (after the class lines).
TEST(LabelArbiterTest, MixedThresholdIsTheFormatsClassThreshold) {
  auto shipped = LabelArbiter::Load(test_paths::ModelsDir());
  ASSERT_TRUE(shipped.ok()) << shipped.status();
  ASSERT_NE(*shipped, nullptr);
  std::ifstream file(test_paths::ModelsDir() + "/label_arbiter.meta");
  std::map<std::string, std::vector<float>> lines;  // the lines before the class lines
  for (std::string line; std::getline(file, line) && line.rfind("positive ", 0) != 0;) {
    std::istringstream in(line);
    std::string key;
    in >> key;
    for (float v; in >> v;) lines[key].push_back(v);
  }
  ASSERT_EQ(lines["threshold"].size(), 1u);
  const float threshold = lines["threshold"][0];
  EXPECT_FLOAT_EQ((*shipped)->threshold(), threshold);
  EXPECT_FLOAT_EQ((*shipped)->mixed_threshold(),
                  lines.count("mixed_threshold") ? lines["mixed_threshold"][0] : threshold);
  for (size_t g = 0; g < kNumArbiterGroups; ++g) {
    EXPECT_FLOAT_EQ((*shipped)->group_threshold(g),
                    lines.count("group_thresholds") ? lines["group_thresholds"].at(g) : threshold);
  }
  EXPECT_FLOAT_EQ((*shipped)->group_threshold(kNumArbiterGroups), threshold);
  const std::string after = ConstantArbiter({0, 0, 0, 2}, 0.9) + "mixed_threshold 0.60\n";
  auto a = LabelArbiter::Parse(after, "label_arbiter.meta");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(a.status().message().find("label_arbiter.meta"), std::string::npos);
  // Another label's threshold of its own holds as MIXED's does.
  const std::vector<float> x(kNumLabelArbiterFeatures, 0.0f);
  const Sentiment composed{0.6f, SentimentLabel::kPositive, 0.8f};
  std::string neg = ConstantArbiter({0, 2, 0, 0}, 0.9);  // P(negative) 0.71
  neg.insert(neg.find("positive"), "negative_threshold 0.70\n");
  auto n = LabelArbiter::Parse(neg, "a");
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ((*n)->Decide(x, composed).label, SentimentLabel::kNegative);
  EXPECT_FLOAT_EQ((*n)->mixed_threshold(), 0.9f);
}

// Without the file the analyzer is as before: the label is the composed one
// and the same as with the arbiter turned off.
TEST(LabelArbiterAnalyzerTest, WithoutTheFileTheLabelIsTheComposedOne) {
  ModelsWithArbiter models("arbiter_none", "");
  AnalyzerConfig traced;
  traced.trace_label_arbiter = true;
  auto without = CreateAnalyzerWithConfig(models.dir(), traced);
  ASSERT_TRUE(without.ok()) << without.status();
  AnalyzerConfig off;
  off.use_label_arbiter = false;
  auto shipped_off = CreateAnalyzerWithConfig(test_paths::ModelsDir(), off);
  ASSERT_TRUE(shipped_off.ok()) << shipped_off.status();
  for (const char* text :
       {"Die Kaffeemaschine ist schick, aber der Tank tropft.", "Great lamp, very bright.",
        "Paczka przyszła uszkodzona i nikt nie odpisuje."}) {
    const Analysis a = (*without)->Analyze(text, {});
    EXPECT_EQ(a.sentiment.label, ThreadLabelArbiterTrace().composed.label) << text;
    EXPECT_EQ(a.sentiment.score, ThreadLabelArbiterTrace().composed.score) << text;
    const Analysis b = (*shipped_off)->Analyze(text, {});
    EXPECT_EQ(a.sentiment.label, b.sentiment.label) << text;
    EXPECT_EQ(a.sentiment.score, b.sentiment.score) << text;
  }
}

// Praise and a complaint of weight, each review's rule-composed label one
// side, the arbiter's or the middle rating's MIXED (score near 0): the convention cases of
// category two_sided (nlp/eval/conventions.tsv, rated 3 of 5; the
// arbiter's training keeps them MIXED by construction). (Not "Robe jolie
// ... Les coutures ont lâché au premier lavage": a failure after a span of
// use decides since the eighth pass, NEGATIVE like the tables'
// contrast_neg_after; polarity_rules_test FailureEventsAreComplaints.)
TEST(LabelArbiterAnalyzerTest, TwoSidedReviewsAreMixed) {
  // Before: no arbiter and no middle-rating rule (SentimentParams::
  // middle_mixed, tenth pass: with the review models trained on the spent
  // tables, some of these need the customer's 3 stars to come out MIXED).
  ModelsWithArbiter models("arbiter_old", "");
  AnalyzerConfig plain;
  plain.sentiment.middle_mixed = 0;
  auto before = CreateAnalyzerWithConfig(models.dir(), plain);
  ASSERT_TRUE(before.ok()) << before.status();
  auto after = CreateAnalyzer(test_paths::ModelsDir());
  ASSERT_TRUE(after.ok()) << after.status();
  const std::vector<tools::EvalCase> cases = ConventionCases("two_sided");
  EXPECT_EQ(cases.size(), 9u);
  int one_sided_before = 0;
  for (const tools::EvalCase& c : cases) {
    ASSERT_EQ(c.labels[0], SentimentLabel::kMixed) << c.id;
    AnalyzeOptions o;
    o.rating = c.rating;
    const Analysis old = (*before)->Analyze(c.text, o);
    const Analysis now = (*after)->Analyze(c.text, o);
    one_sided_before += old.sentiment.label != SentimentLabel::kMixed;
    EXPECT_EQ(now.sentiment.label, SentimentLabel::kMixed) << c.text;
    EXPECT_LT(std::abs(now.sentiment.score), 0.5f) << c.text;
  }
  // Most need them (the tenth pass's models read one of the nine, the
  // Italian tent, MIXED by themselves).
  EXPECT_GE(one_sided_before, 7);
}

// Seventeenth pass (models/README.md, "Seventeenth pass"): a review of at
// most SentimentParams::mixed_over_arbiter_words words made MIXED by its
// aspects' clauses stays MIXED over the label arbiter's side. The
// shipped arbiter turns each row POSITIVE without the setting. (Eighteenth
// pass: the refitted arbiter keeps "The shop app keeps crashing, but the
// quality is excellent" MIXED by itself; the convention case about late
// sandals and three other languages replaced it; nineteenth pass: below.)
TEST(LabelArbiterAnalyzerTest, ShortMixedByAspectsStaysMixed) {
  AnalyzerConfig with, off;
  ASSERT_EQ(with.sentiment.mixed_over_arbiter_words, 12.0f);
  off.sentiment.mixed_over_arbiter_words = 0;
  auto w = CreateAnalyzerWithConfig(test_paths::ModelsDir(), with);
  auto o = CreateAnalyzerWithConfig(test_paths::ModelsDir(), off);
  ASSERT_TRUE(w.ok() && o.ok());
  const std::pair<const char*, const char*> kRows[] = {
      // Nineteenth pass: the arbiter refitted over the models retrained with
      // cases18 keeps the late sandals, "Die App stürzt ständig ab, aber die
      // Qualität ist hervorragend.", "Le site plante sans arrêt, mais la
      // qualité est excellente." and "L'app si blocca sempre, ma la qualità
      // è ottima." MIXED by itself; two Italian rows replace them (six other
      // short reviews tried in pl, de, es, fr read MIXED without the
      // setting too).
      // Twenty-second pass: the arbiter with the plain-reading features
      // keeps "L'app si blocca sempre, ma la qualità è eccellente." MIXED
      // by itself; a second site row replaces it.
      {"it", "Il sito si blocca sempre, ma la qualità è eccellente."},
      {"it", "Il sito va in crash di continuo, ma la qualità è eccellente."},
  };
  for (const auto& [lang, text] : kRows) {
    AnalyzeOptions o_lang;
    o_lang.language_hint = lang;
    EXPECT_EQ((*w)->Analyze(text, o_lang).sentiment.label, SentimentLabel::kMixed) << text;
    EXPECT_NE((*o)->Analyze(text, o_lang).sentiment.label, SentimentLabel::kMixed) << text;
  }
  // A one-sided short review is left to the arbiter either way.
  AnalyzeOptions en;
  en.language_hint = "en";
  const char* praise = "The quality is excellent and the app works well.";
  EXPECT_EQ((*w)->Analyze(praise, en).sentiment.label,
            (*o)->Analyze(praise, en).sentiment.label);
  EXPECT_NE((*w)->ModelVersion(), (*o)->ModelVersion());
}

}  // namespace
}  // namespace opinia::nlp
