#include "nlp/text.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlp/tools/tsv.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

using ::opinia::nlp::test_paths::DataDir;

std::vector<std::string> Norms(const TokenizedText& t) {
  std::vector<std::string> out;
  for (const Token& tok : t.tokens) out.push_back(tok.norm);
  return out;
}

std::vector<std::string> Plains(const TokenizedText& t) {
  std::vector<std::string> out;
  for (const Token& tok : t.tokens) out.push_back(tok.plain);
  return out;
}

// Every span must lie inside the text, tokens in order, sentences covering
// their tokens.
void ExpectConsistent(std::string_view text, const TokenizedText& t) {
  int32_t prev = 0;
  for (const Token& tok : t.tokens) {
    EXPECT_LE(prev, tok.span.begin);
    EXPECT_LT(tok.span.begin, tok.span.end);
    EXPECT_LE(tok.span.end, static_cast<int32_t>(text.size()));
    prev = tok.span.end;
  }
  int next_token = 0;
  for (const Sentence& s : t.sentences) {
    EXPECT_EQ(s.first_token, next_token);
    EXPECT_LT(s.first_token, s.end_token);
    EXPECT_LE(s.span.begin, t.tokens[s.first_token].span.begin);
    EXPECT_GE(s.span.end, t.tokens[s.end_token - 1].span.end);
    next_token = s.end_token;
  }
  EXPECT_EQ(next_token, static_cast<int>(t.tokens.size()));
}

struct NormCase {
  std::string name;
  std::string text;
  std::vector<std::string> norms;
  std::vector<std::string> plains;  // empty = not checked
};

TEST(TokenizeTest, NormAndPlainTable) {
  const std::vector<NormCase> cases = {
      {"polish_case_fold", "Dostawę ZAŻÓŁĆ", {"dostawę", "zażółć"},
       {"dostawe", "zazolc"}},
      {"l_stroke_folds", "Łódź łąka", {"łódź", "łąka"}, {"lodz", "laka"}},
      {"german_sharp_s", "Straße Größe", {"strasse", "grösse"},
       {"strasse", "grosse"}},
      {"nfkc_fullwidth", "ＡＢＣ ﬁne", {"abc", "fine"}, {"abc", "fine"}},
      {"combining_marks", "cafe\xCC\x81", {"café"}, {"cafe"}},
      {"number", "kosztuje 120 zł", {"kosztuje", "120", "zł"},
       {"kosztuje", "120", "zl"}},
      {"punctuation_kept", "Super!!!", {"super", "!", "!", "!"}, {}},
      {"emoticon_smile", "polecam :)", {"polecam", ":)"}, {}},
      {"emoticon_glued_nose", "polecam:-)))", {"polecam", ":)"}, {}},
      {"emoticon_sad_repeated", "porażka :(((", {"porażka", ":("}, {}},
      {"emoticon_xd", "xD świetne", {"xd", "świetne"}, {}},
      {"emoticon_heart", "<3 love", {"<3", "love"}, {}},
      {"time_not_emoticon", "o 10:30", {"o", "10", ":", "30"}, {}},
      {"emoji_kept", "super 👍🏽 ❤️", {"super", "👍", "❤"}, {}},
      {"emoji_zwj_one_token", "👨‍👩‍👧 ok", {"👨‍👩‍👧", "ok"}, {}},
      {"cyrillic", "Привет Мир", {"привет", "мир"}, {"привет", "мир"}},
      {"apostrophe_word", "don't", {"don't"}, {}},
  };
  for (const NormCase& c : cases) {
    SCOPED_TRACE(c.name);
    TokenizedText t = Tokenize(c.text);
    EXPECT_EQ(Norms(t), c.norms) << c.name;
    if (!c.plains.empty()) {
      EXPECT_EQ(Plains(t), c.plains) << c.name;
    }
    ExpectConsistent(c.text, t);
  }
}

TEST(TokenizeTest, KindsOfTokens) {
  TokenizedText t = Tokenize("Mam 2 koty :) 😀 !");
  ASSERT_EQ(t.tokens.size(), 6u);
  EXPECT_EQ(t.tokens[0].kind, TokenKind::kWord);
  EXPECT_EQ(t.tokens[1].kind, TokenKind::kNumber);
  EXPECT_EQ(t.tokens[3].kind, TokenKind::kEmoticon);
  EXPECT_EQ(t.tokens[4].kind, TokenKind::kEmoji);
  EXPECT_EQ(t.tokens[5].kind, TokenKind::kPunct);
}

TEST(TokenizeTest, ByteOffsetsMultiByte) {
  const std::string text = "Żółw 😀 kot";
  TokenizedText t = Tokenize(text);
  ASSERT_EQ(t.tokens.size(), 3u);
  EXPECT_EQ(text.substr(t.tokens[0].span.begin,
                        t.tokens[0].span.end - t.tokens[0].span.begin),
            "Żółw");
  EXPECT_EQ(text.substr(t.tokens[1].span.begin,
                        t.tokens[1].span.end - t.tokens[1].span.begin),
            "😀");
  EXPECT_EQ(t.tokens[2].span, (Span{static_cast<int32_t>(text.size()) - 3,
                                    static_cast<int32_t>(text.size())}));
}

TEST(TokenizeTest, InvalidBytesAreSeparators) {
  const std::string text = "ab\xFF\xFE" "cd \xC3 \xE2\x82 ef\xED\xA0\x80gh";
  TokenizedText t = Tokenize(text);
  EXPECT_THAT(Norms(t), ::testing::ElementsAre("ab", "cd", "ef", "gh"));
  EXPECT_EQ(t.tokens[1].span, (Span{4, 6}));
  ExpectConsistent(text, t);
  for (const Token& tok : t.tokens) {
    EXPECT_TRUE(IsValidUtf8(tok.norm));
    EXPECT_TRUE(IsValidUtf8(text.substr(tok.span.begin,
                                        tok.span.end - tok.span.begin)));
  }
}

TEST(TokenizeTest, SentencesTrimmedAndCovering) {
  const std::string text = "  Dostawa szybka.  Produkt słaby!\nNie polecam  ";
  TokenizedText t = Tokenize(text);
  ASSERT_EQ(t.sentences.size(), 3u);
  auto str = [&](const Sentence& s) {
    return text.substr(s.span.begin, s.span.end - s.span.begin);
  };
  EXPECT_EQ(str(t.sentences[0]), "Dostawa szybka.");
  EXPECT_EQ(str(t.sentences[1]), "Produkt słaby!");
  EXPECT_EQ(str(t.sentences[2]), "Nie polecam");
  ExpectConsistent(text, t);
}

TEST(TokenizeTest, EmptyAndWhitespace) {
  EXPECT_TRUE(Tokenize("").tokens.empty());
  EXPECT_TRUE(Tokenize("").sentences.empty());
  EXPECT_TRUE(Tokenize("  \n\t ").tokens.empty());
  EXPECT_TRUE(Tokenize("  \n\t ").sentences.empty());
}

TEST(ModelInputTest, DropsPunctuationExceptBangAndQuestion) {
  TokenizedText t = Tokenize("Nie, polecam! Dlaczego? :) 👍");
  EXPECT_EQ(ModelInput(t, 0, static_cast<int>(t.tokens.size())),
            "nie polecam ! dlaczego ? :) 👍");
  EXPECT_EQ(ModelInput(t, 0, 0), "");
  EXPECT_EQ(ModelInput(t, -5, 100), ModelInput(t, 0, t.tokens.size()));
}

TEST(IsValidUtf8Test, Table) {
  struct Case {
    const char* name;
    std::string text;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"ascii", "abc", true},
      {"polish", "zażółć", true},
      {"emoji", "😀", true},
      {"lone_continuation", "\x80", false},
      {"truncated", "\xC5", false},
      {"overlong", "\xC0\xAF", false},
      {"overlong3", "\xE0\x80\xAF", false},
      {"surrogate", "\xED\xA0\x80", false},
      {"above_max", "\xF4\x90\x80\x80", false},
      {"empty", "", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsValidUtf8(c.text), c.valid) << c.name;
    // Tokenize() tells the same of the bytes it read; another text (equal
    // bytes elsewhere, a prefix) is checked afresh.
    const std::string padded = "ok " + c.text + " ok";
    const TokenizedText t = Tokenize(padded);
    EXPECT_EQ(IsValidUtf8Text(padded, t), c.valid) << c.name;
    const std::string copy = padded;
    EXPECT_EQ(IsValidUtf8Text(copy, t), c.valid) << c.name;
    EXPECT_TRUE(IsValidUtf8Text(std::string_view(padded).substr(0, 2), t)) << c.name;
    EXPECT_EQ(IsValidUtf8Text(c.text, TokenizedText()), c.valid) << c.name;
  }
  const TokenizedText valid = Tokenize("abc");
  EXPECT_FALSE(IsValidUtf8Text("\x80", valid));
}

// Texts that look like one sentence skip ICU's sentence iterator
// (IsOneSentence in text.cc): on both sides of that shortcut, the sentences
// must be exactly ICU's (ASCII texts: UTF-16 index == byte offset).
TEST(TokenizeTest, SentencesMatchIcuAroundTheOneSentenceShortcut) {
  const std::vector<std::string> texts = {
      "Polecam.", "Polecam", "Polecam!!!", "Great product?!", "Great! ",
      "Great! \"", "Great!\" ", "Great!) ok", "He said \"great.\"",
      "Hello. World.", "e.g. this one", "It costs 3.50 now.", "Wait... what",
      "Nie polecam ;)", "Bad:(", "one\ntwo", "one\rtwo.", "tab\tend.  ",
      "Great! !", "Great. )", "ok.'", "ok.']  ", "Mr. Smith is here.",
      "end .", "?", "...", "! hello"};
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
  ASSERT_TRUE(U_SUCCESS(status));
  for (const std::string& text : texts) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
    bi->setText(u);
    std::vector<std::string> want;
    for (int32_t b = bi->first(), e = bi->next(); e != icu::BreakIterator::DONE;
         b = e, e = bi->next()) {
      std::string seg = text.substr(b, e - b);
      const size_t first = seg.find_first_not_of(" \t\r\n");
      if (first == std::string::npos) continue;
      seg = seg.substr(first, seg.find_last_not_of(" \t\r\n") - first + 1);
      want.push_back(seg);
    }
    TokenizedText t = Tokenize(text);
    std::vector<std::string> got;
    for (const Sentence& s : t.sentences) {
      got.push_back(text.substr(s.span.begin, s.span.end - s.span.begin));
    }
    EXPECT_EQ(got, want) << "[" << text << "]";
  }
}

// The same over every dev/test text of the labelled data, when present.
TEST(TokenizeTest, SentencesMatchIcuOnData) {
  const std::string dir = DataDir();
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
  ASSERT_TRUE(U_SUCCESS(status));
  int compared = 0;
  for (const char* f : {"pl_clarin_emo.dev.tsv", "pl_clarin_emo.test.tsv",
                        "en_amazon_reviews.dev.tsv", "multi_tweets.dev.tsv",
                        "en_uci_sentences.test.tsv", "pl_clarin_emo.train.tsv",
                        "pl_polemo2_medicine.train.tsv", "en_amazon_reviews.train.tsv",
                        "multi_tweets.train.tsv", "en_uci_sentences.train.tsv"}) {
    auto examples = tools::ReadTsv(dir + "/sentiment/" + f);
    if (!examples.ok()) continue;  // data not present
    for (const tools::Example& example : *examples) {
      const std::string& text = example.text;
      if (!IsValidUtf8(text)) continue;
      // ICU boundaries as byte offsets.
      icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
      std::vector<int32_t> byte_at;
      for (int32_t i = 0, b = 0; i < u.length(); ++i) {
        byte_at.push_back(b);
        const UChar c = u.charAt(i);
        if (U16_IS_LEAD(c)) continue;  // the trail unit advances
        const UChar32 cp = U16_IS_TRAIL(c) ? u.char32At(i - 1) : c;
        b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      }
      byte_at.push_back(static_cast<int32_t>(text.size()));
      bi->setText(u);
      // Each token belongs to the ICU sentence holding its first byte (a
      // word may run across a boundary: "word.word" in Arabic).
      TokenizedText t = Tokenize(text);
      std::vector<std::pair<int, int>> want;  // token ranges
      size_t ti = 0;
      for (int32_t e = bi->next(); e != icu::BreakIterator::DONE; e = bi->next()) {
        const size_t first = ti;
        while (ti < t.tokens.size() && t.tokens[ti].span.begin < byte_at[e]) ++ti;
        if (ti > first) want.emplace_back(first, ti);
      }
      std::vector<std::pair<int, int>> got;
      for (const Sentence& s : t.sentences) {
        got.emplace_back(s.first_token, s.end_token);
      }
      ASSERT_EQ(got, want) << text;
      ++compared;
    }
  }
  if (compared == 0) GTEST_SKIP() << "no data under " << dir;
}


void ExpectSameTokens(const std::string& text) {
  const TokenizedText fast = Tokenize(text);
  const TokenizedText icu = TokenizeWithIcuWords(text);
  ASSERT_EQ(fast.tokens.size(), icu.tokens.size()) << "[" << text << "]";
  for (size_t i = 0; i < fast.tokens.size(); ++i) {
    const Token& a = fast.tokens[i];
    const Token& b = icu.tokens[i];
    ASSERT_TRUE(a.span.begin == b.span.begin && a.span.end == b.span.end &&
                a.norm == b.norm && a.plain == b.plain && a.kind == b.kind)
        << "[" << text << "] token " << i << ": [" << a.norm << "] "
        << a.span.begin << "-" << a.span.end << " kind "
        << static_cast<int>(a.kind) << " vs [" << b.norm << "] "
        << b.span.begin << "-" << b.span.end << " kind "
        << static_cast<int>(b.kind);
  }
  ASSERT_EQ(fast.sentences.size(), icu.sentences.size()) << "[" << text << "]";
  for (size_t i = 0; i < fast.sentences.size(); ++i) {
    const Sentence& a = fast.sentences[i];
    const Sentence& b = icu.sentences[i];
    ASSERT_TRUE(a.first_token == b.first_token && a.end_token == b.end_token &&
                a.span.begin == b.span.begin && a.span.end == b.span.end)
        << "[" << text << "] sentence " << i << ": tokens " << a.first_token << "-"
        << a.end_token << " vs " << b.first_token << "-" << b.end_token;
  }
}

// A symbol or punctuation token of one character below U+0180 takes its
// norm from a table (MakeSymbolToken): exactly ICU's NFKC_Casefold of the
// character, and the emoji test's answer (© and ® are emoji).
TEST(TokenizeTest, OneCharacterSymbolsAreIcusNormalForm) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  ASSERT_TRUE(U_SUCCESS(status));
  int checked = 0;
  for (UChar32 c = 1; c < 0x180; ++c) {
    if (u_isUWhiteSpace(c) || u_iscntrl(c) || u_isalnum(c)) continue;
    std::string one;
    icu::UnicodeString(c).toUTF8String(one);
    const std::string text = "a " + one + " b";
    const TokenizedText t = Tokenize(text);
    std::vector<const Token*> mid;
    for (const Token& tok : t.tokens) {
      if (tok.span.begin == 2) mid.push_back(&tok);
    }
    const bool emoji = u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) ||
                       u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR);
    status = U_ZERO_ERROR;
    std::string want;
    nfkc_cf->normalize(icu::UnicodeString(c), status).toUTF8String(want);
    ASSERT_TRUE(U_SUCCESS(status));
    if (!emoji && want.empty()) {
      EXPECT_TRUE(mid.empty()) << std::hex << c;
      continue;
    }
    ASSERT_EQ(mid.size(), 1u) << std::hex << c;
    if (mid[0]->kind == TokenKind::kWord || mid[0]->kind == TokenKind::kNumber) continue;
    ++checked;
    EXPECT_EQ(mid[0]->kind, emoji ? TokenKind::kEmoji : TokenKind::kPunct) << std::hex << c;
    if (!emoji) {
      EXPECT_EQ(mid[0]->norm, want) << std::hex << c;
      EXPECT_EQ(mid[0]->plain, want) << std::hex << c;
    }
  }
  EXPECT_GE(checked, 50);
}

// Words of letters below U+0180 are normalised through per-character
// tables (NormalizeWord; short ones on the stack): their norm is exactly
// ICU's NFKC_Casefold of the word, for random words of 1 to 40 letters.
TEST(TokenizeTest, LatinWordsNormLikeIcu) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  ASSERT_TRUE(U_SUCCESS(status));
  std::vector<UChar32> letters;
  for (UChar32 c = 0x41; c < 0x180; ++c) {
    if (u_isalpha(c)) letters.push_back(c);
  }
  std::mt19937 rng(2026120720);
  for (int n = 0; n < 5000; ++n) {
    icu::UnicodeString word;
    const int len = 1 + static_cast<int>(rng() % 40);
    for (int k = 0; k < len; ++k) word.append(letters[rng() % letters.size()]);
    std::string text;
    word.toUTF8String(text);
    const TokenizedText t = Tokenize(text);
    status = U_ZERO_ERROR;
    std::string want;
    nfkc_cf->normalize(word, status).toUTF8String(want);
    ASSERT_TRUE(U_SUCCESS(status));
    ASSERT_EQ(t.tokens.size(), 1u) << text;
    EXPECT_EQ(t.tokens[0].norm, want) << text;
  }
}

// Our sentence splitter (FastSentenceBounds) against ICU's sentence
// iterator: random strings over every sentence-break class it models
// (terminators, closing punctuation, spaces, CR, LF, NEL, upper and lower
// case, digits, SContinue, others), short words so that terminators meet
// every neighbour.
TEST(TokenizeTest, OwnSentenceSplitterMatchesIcuOnRandomText) {
  const std::vector<std::string> alphabet = {
      "a", "b", "Z", "D", "ó", "ł", "Ż", "É", "ß", "ª", "1", "0", ".", ".", ".", "!", "?",
      ",", ";", ":", "-", "'", "\"", "(", ")", "[", "]", "{", "}", "«", "»", " ", " ", "  ",
      "\t", "\n", "\r", "\r\n", "\xC2\x85", "\xC2\xA0", "\x0B", "\x0C", "@", "#", "/",
      "%", "&", "*", "+", "=", "<", ">", "^", "~", "|", "\\", "`", "×", "÷", "§", "¿", "¡",
      "Ā", "ĸ", "ŉ", "ſ"};
  std::mt19937 rng(20261207);
  for (int n = 0; n < 60000; ++n) {
    std::string text;
    const int len = 1 + static_cast<int>(rng() % 20);
    for (int k = 0; k < len; ++k) text += alphabet[rng() % alphabet.size()];
    ExpectSameTokens(text);
    if (HasFatalFailure()) return;
  }
}

// Our word segmenter for Latin text against ICU's word iterator: random
// strings over letters, digits and every ASCII separator it models.
TEST(TokenizeTest, OwnWordSegmenterMatchesIcuOnRandomText) {
  const std::vector<std::string> alphabet = {
      "a", "Z", "x", "D", "ó", "ł", "Ż", "é", "ß", "1", "0", "9", ".", ",",
      ";", ":", "'", "\"", " ", "  ", "\t", "\n", "\r", "-", "@", "#", "!",
      "?", "(", ")", "/", "%", "$", "&", "*", "+", "=", "<", ">", "^", "[",
      "]", "~", "|", "\\", "`", "{", "}", "×", "÷"};
  std::mt19937 rng(20261123);
  for (int n = 0; n < 30000; ++n) {
    std::string text;
    const int len = 1 + static_cast<int>(rng() % 24);
    for (int k = 0; k < len; ++k) text += alphabet[rng() % alphabet.size()];
    ExpectSameTokens(text);
    if (HasFatalFailure()) return;
  }
}

TEST(TokenizeTest, OwnWordSegmenterMatchesIcuOnData) {
  const std::string dir = DataDir();
  int compared = 0;
  for (const char* f : {"pl_clarin_emo.train.tsv", "pl_clarin_emo.dev.tsv",
                        "pl_clarin_emo.test.tsv", "en_amazon_reviews.dev.tsv",
                        "en_amazon_reviews.test.tsv", "multi_tweets.dev.tsv",
                        "en_uci_sentences.test.tsv"}) {
    auto examples = tools::ReadTsv(dir + "/sentiment/" + f);
    if (!examples.ok()) continue;  // data not present
    for (const tools::Example& example : *examples) {
      ExpectSameTokens(example.text);
      if (HasFatalFailure()) return;
      ++compared;
    }
  }
  if (compared == 0) GTEST_SKIP() << "no data under " << dir;
}


}  // namespace
}  // namespace opinia::nlp
