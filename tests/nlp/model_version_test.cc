// The analyzer's model_version changes whenever what it analyses with does:
// a model, a rule table (polarity.tsv, aspects.tsv, urgency.tsv, ...) or a
// tunable. RescoreReviews re-analyses stored reviews with the server's
// analyzer; the stored version shows which analysis a review carries.
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "nlp/analyzer.h"
#include "nlp/analyzer_config.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

namespace fs = std::filesystem;

std::string VersionOf(const std::string& dir, const AnalyzerConfig& config = {}) {
  auto a = CreateAnalyzerWithConfig(dir, config);
  EXPECT_TRUE(a.ok()) << a.status();
  return a.ok() ? (*a)->ModelVersion() : "";
}

class ModelVersionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / "model_version_models";
    fs::remove_all(dir_);
    fs::copy(test_paths::ModelsDir(), dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Append(const std::string& file, const std::string& line) {
    std::ofstream out(dir_ / file, std::ios::app);
    out << line << "\n";
  }
  fs::path dir_;
};

TEST_F(ModelVersionTest, SameFilesSameVersion) {
  const std::string v = VersionOf(dir_);
  EXPECT_EQ(v.rfind("opinia-nlp-23-", 0), 0u) << v;
  EXPECT_EQ(VersionOf(dir_), v);
  EXPECT_EQ(VersionOf(test_paths::ModelsDir()), v);
}

// Twentieth pass: the Polish-letters shortcut of language ID is on by
// default (2 letters; models/README.md "Twentieth pass: speed") and part of
// the version; 0 turns it off.
TEST_F(ModelVersionTest, PolishLettersSettingIsOnAndVersioned) {
  AnalyzerConfig off;
  ASSERT_EQ(off.lid_polish_letters, 2);
  off.lid_polish_letters = 0;
  EXPECT_NE(VersionOf(dir_, off), VersionOf(dir_));
}

TEST_F(ModelVersionTest, EveryTableChangesTheVersion) {
  for (const char* file : {"polarity.tsv", "aspects.tsv", "urgency.tsv",
                           "lexicon.tsv", "sentiment_models.tsv"}) {
    const std::string before = VersionOf(dir_);
    Append(file, "# edited");
    EXPECT_NE(VersionOf(dir_), before) << file;
  }
}

TEST_F(ModelVersionTest, RuleRowChangesAnalysisAndVersion) {
  const std::string text = "Der Artikel ist quabbelig.";
  auto before = CreateAnalyzer(dir_.string());
  ASSERT_TRUE(before.ok()) << before.status();
  Append("polarity.tsv", "de\t-0.8\tquabbelig");
  auto after = CreateAnalyzer(dir_.string());
  ASSERT_TRUE(after.ok()) << after.status();
  AnalyzeOptions o;
  o.language_hint = "de";
  const Analysis a = (*before)->Analyze(text, o);
  const Analysis b = (*after)->Analyze(text, o);
  EXPECT_NE(a.model_version, b.model_version);
  EXPECT_LT(b.sentiment.score, a.sentiment.score);
  EXPECT_EQ(b.sentiment.label, SentimentLabel::kNegative);
}

// polarity_more.tsv (SentimentParams::more_events, off by default) is read,
// and part of the version, only when the setting is on: off, editing it
// changes nothing; on, it changes the version and the analysis.
TEST_F(ModelVersionTest, MoreEventsTableOnlyWhenOn) {
  AnalyzerConfig on;
  on.sentiment.more_events = true;
  const std::string off_before = VersionOf(dir_);
  const std::string on_before = VersionOf(dir_, on);
  EXPECT_NE(on_before, off_before);
  Append("polarity_more.tsv", "de\t-0.8\tquabbelig");
  EXPECT_EQ(VersionOf(dir_), off_before);
  EXPECT_NE(VersionOf(dir_, on), on_before);
  AnalyzeOptions o;
  o.language_hint = "de";
  auto a_off = CreateAnalyzerWithConfig(dir_.string(), AnalyzerConfig{});
  auto a_on = CreateAnalyzerWithConfig(dir_.string(), on);
  ASSERT_TRUE(a_off.ok() && a_on.ok());
  const std::string text = "Der Artikel ist quabbelig.";
  EXPECT_LT((*a_on)->Analyze(text, o).sentiment.score, (*a_off)->Analyze(text, o).sentiment.score);
}

// A word expansion table beside a model (nlp/word_expansion.h; none
// ships) is part of what the analyzer analyses with; a broken one is an
// error naming the file, not a silently ignored table.
TEST_F(ModelVersionTest, WordExpansionTableChangesTheVersion) {
  const std::string before = VersionOf(dir_);
  {
    std::ofstream out(dir_ / "sentiment_pl.words");
    out << "OPWX1\nquabbelig\t~%dobry\n";
  }
  EXPECT_NE(VersionOf(dir_), before);
  {
    std::ofstream out(dir_ / "sentiment_pl.words");
    out << "OPWX1\nquabbelig\tdobry\n";
  }
  auto broken = CreateAnalyzer(dir_.string());
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(broken.status().message().find("sentiment_pl.words:2"),
            std::string::npos)
      << broken.status();
}

TEST_F(ModelVersionTest, TunablesChangeTheVersion) {
  AnalyzerConfig other;
  other.sentiment.compose_weight += 1;
  EXPECT_NE(VersionOf(dir_, other), VersionOf(dir_));
  AnalyzerConfig by_language;
  by_language.sentiment.compose_weight_by_language["fr"] += 0.25f;
  EXPECT_NE(VersionOf(dir_, by_language), VersionOf(dir_));
}

}  // namespace
}  // namespace opinia::nlp
