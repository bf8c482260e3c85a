// LanguageIdentifier (nlp/language_id.h): the letters speed setting
// (polish_letters) — which texts PolishByLetters takes, and that Identify
// without the setting, or with a method other than kCombined, does not use it.
#include "nlp/language_id.h"

#include <string>

#include "gtest/gtest.h"
#include "nlp/text.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

TEST(LanguageIdTest, PolishByLetters) {
  struct Case {
    const char* text;
    int min_letters;
    bool want;
  };
  const Case cases[] = {
      {"Przesyłka dotarła szybko, polecam", 2, true},   // ł ł
      {"Przesyłka dotarła szybko, polecam", 3, false},  // two only
      {"ŻÓŁW ŚPI", 2, true},                            // upper case: norms are folded
      {"Jakość obsługi żadna", 3, true},                // ś ł ż
      {"Zamówienie OK", 1, false},                      // ó alone counts nothing
      {"Zamówienie dotarło", 1, true},                  // ł
      {"Dobra cena, szybka wysylka", 1, false},         // no diacritics
      {"Dostawa była ok, ale čekanje", 1, false},       // č: not Polish's
      {"Świetny sprzęt, 😀 gratis", 2, true},           // emoji is no word
      {"Ćao, kako si? Šta radiš", 1, false},            // Croatian
      {"Das Paket kam schnell, schöne Ware", 1, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(LanguageIdentifier::PolishByLetters(Tokenize(c.text), c.min_letters), c.want)
        << c.text << " " << c.min_letters;
  }
}

TEST(LanguageIdTest, LettersSettingOnlyWhenAsked) {
  auto lid = LanguageIdentifier::Create(test_paths::ModelsDir());
  ASSERT_TRUE(lid.ok()) << lid.status();
  const std::string text = "Przesyłka dotarła bardzo szybko, wszystko zgodne z opisem, polecam.";
  const TokenizedText t = Tokenize(text);
  const LanguageGuess models = (*lid)->Identify(text, t, "");
  EXPECT_EQ(models.language, "pl");
  EXPECT_NE(models.confidence, LanguageIdentifier::kLettersConfidence);
  const LanguageGuess letters =
      (*lid)->Identify(text, t, "", LanguageIdentifier::Method::kCombined, 2);
  EXPECT_EQ(letters.language, "pl");
  EXPECT_EQ(letters.confidence, LanguageIdentifier::kLettersConfidence);
  // Another method, or too few letters of its own: the models decide.
  const LanguageGuess fasttext =
      (*lid)->Identify(text, t, "", LanguageIdentifier::Method::kFastText, 2);
  EXPECT_EQ(fasttext.confidence, (*lid)->Identify(text, t, "",
                                                  LanguageIdentifier::Method::kFastText)
                                     .confidence);
  const std::string few = "Łódź ok";  // under 12 bytes of words: too short
  const TokenizedText ft = Tokenize(few);
  EXPECT_EQ((*lid)->Identify(few, ft, "", LanguageIdentifier::Method::kCombined, 1).confidence,
            (*lid)->Identify(few, ft, "").confidence);
}

}  // namespace
}  // namespace opinia::nlp
