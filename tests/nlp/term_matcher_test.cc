#include "nlp/term_matcher.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "nlp/text.h"

namespace opinia::nlp {
namespace {

struct Entry {
  const char* language;
  const char* phrase;
  int label;
};

std::unique_ptr<TermMatcher> Build(const std::vector<Entry>& entries) {
  TermMatcher::Builder b;
  for (const Entry& e : entries) {
    EXPECT_TRUE(b.Add(e.language, e.phrase, e.label).ok()) << e.phrase;
  }
  return std::move(b).Build();
}

// "label:matched text" for every match, in order.
std::string Matches(const TermMatcher& m, std::string_view text,
                    std::string_view language) {
  const TokenizedText t = Tokenize(text);
  std::vector<std::string> out;
  m.Scan(t, 0, static_cast<int>(t.tokens.size()), m.LanguageMask(language),
         [&](const TermMatcher::Match& x) {
           const int b = t.tokens[x.first_token].span.begin;
           const int e = t.tokens[x.end_token - 1].span.end;
           out.push_back(std::to_string(x.label) + ":" +
                         std::string(text.substr(b, e - b)));
         });
  return absl::StrJoin(out, " ");
}

struct MatchCase {
  const char* name;
  const char* language;
  const char* text;
  const char* want;
};

template <size_t N>
void ExpectMatches(const TermMatcher& m, const MatchCase (&cases)[N]) {
  for (const auto& c : cases) {
    EXPECT_EQ(Matches(m, c.text, c.language), c.want) << "case " << c.name;
  }
}

TEST(TermMatcherTest, Modes) {
  auto m = Build({{"pl", "dostaw*", 1},
                  {"de", "*lieferung", 2},
                  {"pl", "=sąd", 3},
                  {"pl", "cena", 4}});
  const MatchCase cases[] = {
      {"prefix_inflection", "pl", "Dostawę, dostawie i DOSTAWY",
       "1:Dostawę 1:dostawie 1:DOSTAWY"},
      {"prefix_equals_stem", "pl", "dostaw brak", "1:dostaw"},
      {"prefix_not_infix", "pl", "niedostawa", ""},
      {"suffix_compound", "de", "Expresslieferung und Lieferung",
       "2:Expresslieferung 2:Lieferung"},
      {"norm_needs_diacritics", "pl", "sąd, sad", "3:sąd"},
      {"exact_not_prefix", "pl", "cenach cena", "4:cena"},
      {"diacritics_folded", "pl", "dostawe", "1:dostawe"},
      {"other_language_ignored", "pl", "Lieferung", ""},
      {"unknown_language_tries_all", "und", "Lieferung dostawa",
       "2:Lieferung 1:dostawa"},
      {"region_subtag", "DE-ch", "Lieferung", "2:Lieferung"},
  };
  ExpectMatches(*m, cases);
}

TEST(TermMatcherTest, LongestPhraseWinsAndStopsMask) {
  auto m = Build({{"pl", "obslug*", 1},
                  {"pl", "w obsludze", 2},
                  {"pl", "w obsludze klient*", 1},
                  {"pl", "za pomoca", TermMatcher::kStop},
                  {"pl", "pomoc*", 1},
                  {"en", "user-friendly", 2},
                  {"en", "friendly", 1}});
  const MatchCase cases[] = {
      {"single_word", "pl", "Obsługa super", "1:Obsługa"},
      {"two_words_beat_one", "pl", "Prosty w obsłudze", "2:w obsłudze"},
      {"three_words_beat_two", "pl", "w obsłudze klienta",
       "1:w obsłudze klienta"},
      {"stop_masks", "pl", "za pomocą kleju, pomocny sprzedawca", "1:pomocny"},
      {"phrase_does_not_cross_punctuation", "pl", "w, obsługa", "1:obsługa"},
      {"hyphenated_word_is_a_phrase", "en", "very user-friendly and friendly",
       "2:user-friendly 1:friendly"},
  };
  ExpectMatches(*m, cases);
}

TEST(TermMatcherTest, ElidedArticlesAreSkippedInFrenchAndItalian) {
  auto m = Build({{"fr", "emballage*", 1},
                  {"fr", "service client*", 2},
                  {"fr", "=échange", 3},
                  {"it", "assistenz*", 4},
                  {"it", "imballo", 5},
                  {"en", "order", 6}});
  const MatchCase cases[] = {
      {"fr_l", "fr", "L'emballage", "1:L'emballage"},
      {"fr_typographic", "fr", "l’emballage abîmé", "1:l’emballage"},
      {"fr_d_prefix_inflection", "fr", "pas d'emballages", "1:d'emballages"},
      {"fr_jusqu", "fr", "jusqu'emballage", "1:jusqu'emballage"},
      {"fr_second_word", "fr", "service d'client", "2:service d'client"},
      {"fr_norm_needs_diacritics", "fr", "l'échange, l'echange",
       "3:l'échange"},
      {"it_dell", "it", "dell'assistenza", "4:dell'assistenza"},
      {"it_quell_typographic", "it", "quell’imballo", "5:quell’imballo"},
      {"it_exact_not_prefix", "it", "nell'imballaggio", ""},
      {"not_an_article", "fr", "aujourd'emballage", ""},
      {"article_alone", "fr", "l' emballage", "1:emballage"},
      {"no_apostrophe", "fr", "lemballage", ""},
      {"other_language_article_not_skipped", "en", "l'order", ""},
      {"french_article_not_italian", "it", "qu'imballo", ""},
      {"unknown_language_skips", "und", "l'emballage", "1:l'emballage"},
  };
  ExpectMatches(*m, cases);
}

TEST(TermMatcherTest, OneWordCandidatesRankByExactnessThenLength) {
  // A one-word phrase's score comes from Phrase::first_score, not from its
  // word (a word too long for it is read as before).
  const std::string long_word(33000, 'a');
  auto m = Build({{"pl", "dost*", 1},
                  {"pl", "dostaw*", 2},
                  {"pl", "dostawa", 3},
                  {"pl", "*awa", 4},
                  {"pl", "*stawa", 5},
                  {"pl", "a*", 6},
                  {"pl", long_word.c_str(), 7},
                  {"pl", "bb*", 8},
                  {"pl", ("*" + std::string(32990, 'b')).c_str(), 9}});
  const MatchCase cases[] = {
      {"exact_over_prefix", "pl", "dostawa", "3:dostawa"},
      {"longer_prefix", "pl", "dostawy", "2:dostawy"},
      {"shorter_prefix_alone", "pl", "dostarczyć", "1:dostarczyć"},
      {"longer_suffix", "pl", "wystawa", "5:wystawa"},
  };
  ExpectMatches(*m, cases);
  EXPECT_EQ(Matches(*m, long_word, "pl"), "7:" + long_word);
  const std::string bs(32995, 'b');
  EXPECT_EQ(Matches(*m, bs, "pl"), "9:" + bs);
}

TEST(TermMatcherTest, PhraseStopsAtRangeEnd) {
  auto m = Build({{"en", "money back", 1}, {"en", "money", 2}});
  const TokenizedText t = Tokenize("money back");
  std::vector<int> labels;
  m->Scan(t, 0, 1, m->LanguageMask("en"),
          [&](const TermMatcher::Match& x) { labels.push_back(x.label); });
  EXPECT_EQ(labels, std::vector<int>{2});
}

// Longest() skips a candidate whose second word's first byte (last byte
// for a suffix word; the norm form's for a "=" word) does not match the next
// token, outside the eliding languages: every mode of second word, a match on
// that byte that fails later, a phrase cut by the range's end, and French,
// where the next token's bare form may match instead.
TEST(TermMatcherTest, SecondWordByteTestOfEveryMode) {
  auto m = Build({{"pl", "obsluga klienta", 1},
                  {"pl", "czas dostaw*", 2},
                  {"de", "nach *lieferung", 3},
                  {"pl", "bez =sądu", 4},
                  {"pl", "obsluga", 5},
                  {"fr", "service client*", 6},
                  {"fr", "sans =échange", 7}});
  const MatchCase cases[] = {
      {"exact_second", "pl", "obsługa klienta", "1:obsługa klienta"},
      {"exact_second_same_first_byte", "pl", "obsługa klientów", "5:obsługa"},
      {"exact_second_other_byte", "pl", "obsługa sklepu", "5:obsługa"},
      {"prefix_second", "pl", "czas dostawy", "2:czas dostawy"},
      {"prefix_second_other_byte", "pl", "czas oczekiwania", ""},
      {"prefix_second_same_first_byte", "pl", "czas długi", ""},
      {"suffix_second", "de", "nach Expresslieferung", "3:nach Expresslieferung"},
      {"suffix_second_same_last_byte", "de", "nach Hause", ""},
      {"norm_second", "pl", "bez sądu", "4:bez sądu"},
      {"norm_second_folded", "pl", "bez sadu", ""},
      {"norm_second_other_byte", "pl", "bez kłopotu", ""},
      {"fr_bare_second", "fr", "service l'client", "6:service l'client"},
      {"fr_norm_bare_second", "fr", "sans l'échange", "7:sans l'échange"},
      {"fr_other", "fr", "service après", ""},
  };
  ExpectMatches(*m, cases);
  const TokenizedText t = Tokenize("obsługa klienta");
  std::vector<int> labels;
  m->Scan(t, 0, 1, m->LanguageMask("pl"),
          [&](const TermMatcher::Match& x) { labels.push_back(x.label); });
  EXPECT_EQ(labels, std::vector<int>{5});
}

TEST(TermMatcherTest, MalformedPhrasesAreInvalidArgument) {
  TermMatcher::Builder b;
  EXPECT_EQ(b.Add("pl", "ce*na", 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(b.Add("pl", "   ", 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(b.Add("pl", "...", 1).ok(), true);  // punctuation is a token
}

// A text of one language walks that language's own index (nlp/term_matcher.h
// TermMatcher::Index); it must find exactly what the walk of the index of
// every language finds with the same language mask, ties included. Random
// phrases of three languages and "*" over a small alphabet (so that phrases
// share prefixes, suffixes and first words, and tie), in every mode, and
// random texts.
TEST(TermMatcherTest, LanguageIndexFindsWhatTheFullIndexFinds) {
  std::mt19937 rng(17);
  const char* kLanguages[] = {"pl", "en", "fr", "*"};
  const char* kSyllables[] = {"ka", "ko", "ta", "l'", "ma", "ak", "ok"};
  auto word = [&](int max_syllables) {
    std::string w;
    const int n = 1 + static_cast<int>(rng() % max_syllables);
    for (int k = 0; k < n; ++k) w += kSyllables[rng() % 7];
    return w;
  };
  for (int round = 0; round < 20; ++round) {
    TermMatcher::Builder b;
    for (int p = 0; p < 60; ++p) {
      std::string phrase;
      const int words = 1 + static_cast<int>(rng() % 3);
      for (int k = 0; k < words; ++k) {
        std::string w = word(3);
        switch (rng() % 5) {
          case 0: w += "*"; break;
          case 1: w = "*" + w; break;
          case 2: w = "=" + w; break;
          default: break;
        }
        if (w == "=l'" || w == "*l'" || w == "l'*") w = "ka";  // no bare apostrophe
        phrase += (k ? " " : "") + w;
      }
      const int label = rng() % 6 == 0 ? TermMatcher::kStop : static_cast<int>(rng() % 9);
      ASSERT_TRUE(b.Add(kLanguages[rng() % 4], phrase, label).ok()) << phrase;
    }
    auto m = std::move(b).Build();
    for (int text = 0; text < 30; ++text) {
      std::string s;
      for (int k = 0; k < 12; ++k) s += (k ? " " : "") + word(4);
      const TokenizedText t = Tokenize(s);
      const int n = static_cast<int>(t.tokens.size());
      for (const char* language : {"pl", "en", "fr", "de", "und"}) {
        const uint32_t mask = m->LanguageMask(language);
        std::vector<std::string> own, all;
        auto add = [](std::vector<std::string>* out) {
          return [out](const TermMatcher::Match& x) {
            out->push_back(absl::StrCat(x.first_token, "-", x.end_token, ":", x.label));
          };
        };
        m->Scan(t, 0, n, mask, add(&own));
        m->ScanAllLanguagesIndexForTesting(t, 0, n, mask, add(&all));
        EXPECT_EQ(absl::StrJoin(own, " "), absl::StrJoin(all, " "))
            << "round " << round << " language " << language << " text " << s;
      }
    }
  }
}

}  // namespace
}  // namespace opinia::nlp
