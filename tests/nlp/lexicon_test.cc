// Lexicon (nlp/lexicon.h): a lookup through a language's View (with its key
// filter) finds exactly what the plain per-language lookup finds: every entry
// of the shipped lexicon, the "*" entries from every language, and nothing
// for words it does not hold.
#include "nlp/lexicon.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlp/text.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

using ::opinia::nlp::test_paths::ModelsDir;

TEST(LexiconTest, ViewFindsWhatThePlainLookupFinds) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("lexicon_test_" + std::to_string(getpid()) + ".tsv"))
          .string();
  {
    std::ofstream out(path);
    out << "pl\tdobry\t0.8\npl\tzły\t-0.8\npl\tx\t0.1\npl\t~rozcz\t-0.5\n"
           "en\tgood\t0.7\nen\tbad\t-0.7\n*\t:)\t0.6\n*\tgood\t0.1\n";
  }
  auto lex = Lexicon::Load(path);
  std::remove(path.c_str());
  ASSERT_TRUE(lex.ok()) << lex.status();
  const Lexicon::View pl = (*lex)->ForLanguage("pl");
  const Lexicon::View en = (*lex)->ForLanguage("en");
  EXPECT_EQ(Lexicon::Valence(pl, "dobry"), std::optional<float>(0.8f));
  EXPECT_EQ(Lexicon::Valence(pl, "x"), std::optional<float>(0.1f));
  EXPECT_EQ(Lexicon::Valence(pl, ":)"), std::optional<float>(0.6f));
  EXPECT_EQ(Lexicon::Valence(pl, "good"), std::optional<float>(0.1f));  // "*"
  EXPECT_EQ(Lexicon::Valence(en, "good"), std::optional<float>(0.7f));  // own entry wins
  EXPECT_EQ(Lexicon::Valence(pl, "bad"), std::nullopt);
  EXPECT_EQ(Lexicon::Valence(pl, ""), std::nullopt);
  EXPECT_EQ(Lexicon::Valence(pl, "dobra"), std::nullopt);
  EXPECT_EQ(Lexicon::WordValence(pl, "rozczarowany", "rozczarowany"),
            std::optional<float>(-0.5f));
  // A language without entries reads the "*" ones.
  const Lexicon::View de = (*lex)->ForLanguage("de");
  EXPECT_EQ(Lexicon::Valence(de, ":)"), std::optional<float>(0.6f));
  EXPECT_EQ(Lexicon::Valence(de, "gut"), std::nullopt);
}

// Lexicon::WordValences answers WordValence() of each token, from its memo
// for the view, text and range it was reset to (asked twice, in any order),
// by a lookup for any other; values equal to its markers are not kept.
TEST(LexiconTest, WordValencesAnswerWhatWordValenceAnswers) {
  auto lex = Lexicon::Load(ModelsDir() + "/lexicon.tsv");
  ASSERT_TRUE(lex.ok()) << lex.status();
  const Lexicon::View pl = (*lex)->ForLanguage("pl");
  const Lexicon::View en = (*lex)->ForLanguage("en");
  const TokenizedText t = Tokenize(
      "Rozczarowany, bardzo zły produkt :) ale dostawa szybka i super obsługa, polecam! "
      "Not good, great.");
  const TokenizedText other = Tokenize("Świetny produkt, polecam, zły kolor");
  const int n = static_cast<int>(t.tokens.size());
  auto want = [&](const Lexicon::View& v, const TokenizedText& x, int i) {
    return Lexicon::WordValence(v, x.tokens[i].norm, x.tokens[i].plain);
  };
  Lexicon::WordValences memo;
  memo.Reset(pl, t, 2, n - 3);
  int found = 0;
  for (int round = 0; round < 2; ++round) {
    for (int i = n - 1; i >= 0; --i) {
      EXPECT_EQ(memo.Of(pl, t, i), want(pl, t, i)) << i << " " << t.tokens[i].norm;
      EXPECT_EQ(memo.Of(en, t, i), want(en, t, i)) << i << " " << t.tokens[i].norm;
      found += want(pl, t, i).has_value();
    }
    for (int i = 0; i < static_cast<int>(other.tokens.size()); ++i) {
      EXPECT_EQ(memo.Of(pl, other, i), want(pl, other, i)) << other.tokens[i].norm;
    }
  }
  EXPECT_GT(found, 6);
  Lexicon marks;
  marks.Add("pl", "dwa", 2.0f);
  marks.Add("pl", "trzy", 3.0f);
  marks.Add("pl", "jeden", 1.0f);
  const TokenizedText m = Tokenize("dwa trzy jeden zero");
  const Lexicon::View mv = marks.ForLanguage("pl");
  memo.Reset(mv, m, 0, 4);
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(memo.Of(mv, m, 0), std::optional<float>(2.0f));
    EXPECT_EQ(memo.Of(mv, m, 1), std::optional<float>(3.0f));
    EXPECT_EQ(memo.Of(mv, m, 2), std::optional<float>(1.0f));
    EXPECT_EQ(memo.Of(mv, m, 3), std::nullopt);
  }
}

TEST(LexiconTest, ShippedLexiconEveryEntryThroughItsView) {
  const std::string path = ModelsDir() + "/lexicon.tsv";
  auto lex = Lexicon::Load(path);
  ASSERT_TRUE(lex.ok()) << lex.status();
  std::ifstream in(path);
  std::string line;
  std::vector<std::string> langs;
  std::vector<std::pair<std::string, std::string>> entries;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> f = absl::StrSplit(line, '\t');
    ASSERT_EQ(f.size(), 3u) << line;
    entries.emplace_back(f[0], f[1]);
    if (langs.empty() || langs.back() != f[0]) langs.push_back(f[0]);
  }
  ASSERT_GT(entries.size(), 1000u);
  int checked = 0;
  for (const auto& [lang, word] : entries) {
    const std::optional<float> want = (*lex)->Valence(lang, word);
    ASSERT_TRUE(want.has_value()) << lang << " " << word;
    EXPECT_EQ(Lexicon::Valence((*lex)->ForLanguage(lang), word), want) << lang << " " << word;
    ++checked;
  }
  // Every entry from every language's view (the "*" entries and misses
  // included), on a sample of the words, against the plain lookup.
  std::sort(langs.begin(), langs.end());
  langs.erase(std::unique(langs.begin(), langs.end()), langs.end());
  for (const std::string& lang : langs) {
    const Lexicon::View view = (*lex)->ForLanguage(lang);
    for (size_t i = 0; i < entries.size(); i += 7) {
      const std::string& word = entries[i].second;
      EXPECT_EQ(Lexicon::Valence(view, word), (*lex)->Valence(lang, word)) << lang << " " << word;
      const std::string other = word + "q";
      EXPECT_EQ(Lexicon::Valence(view, other), (*lex)->Valence(lang, other)) << lang << " " << other;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(entries.size()));
}

}  // namespace
}  // namespace opinia::nlp
