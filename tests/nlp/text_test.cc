#include "nlp/text.h"

#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace opinia::nlp {
namespace {

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
  }
}

}  // namespace
}  // namespace opinia::nlp
