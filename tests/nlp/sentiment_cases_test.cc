// Hand-written sentiment cases (negation, contrast, intensifiers, emoji,
// edge cases) for Polish and English, run through the full analyzer with the
// shipped models. Each case names itself in the failure message.
// Known misses kept out of the table (see models/README.md): review-level
// MIXED for English (binary model), "Five stars, would buy again." (no
// lexicon cue, model says negative), narrative Polish sentences that
// CLARIN-Emo mostly labels negative ("Zamówienie złożyłem w poniedziałek.").
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlp/analyzer.h"
#include "tests/nlp/test_util.h"

namespace opinia::nlp {
namespace {

constexpr auto P = SentimentLabel::kPositive;
constexpr auto N = SentimentLabel::kNegative;
constexpr auto U = SentimentLabel::kNeutral;
constexpr auto M = SentimentLabel::kMixed;

struct Case {
  const char* name;
  const char* lang;
  const char* text;
  // Accepted labels (some texts are legitimately one of two).
  std::vector<SentimentLabel> labels;
};

const char* Name(SentimentLabel l) {
  switch (l) {
    case SentimentLabel::kPositive: return "POSITIVE";
    case SentimentLabel::kNegative: return "NEGATIVE";
    case SentimentLabel::kNeutral: return "NEUTRAL";
    case SentimentLabel::kMixed: return "MIXED";
    default: return "UNSPECIFIED";
  }
}

const std::vector<Case>& Cases() {
  static const auto* cases = new std::vector<Case>{
      // ---- Polish: plain polarity.
      {"pl_polecam", "pl", "Polecam ten sklep każdemu.", {P}},
      {"pl_super_produkt", "pl", "Super produkt, działa bez zarzutu.", {P}},
      {"pl_fatalna_obsluga", "pl", "Fatalna obsługa klienta.", {N}},
      {"pl_porazka", "pl", "Totalna porażka, szkoda pieniędzy.", {N}},
      {"pl_rozczarowanie", "pl", "Jestem bardzo rozczarowana tym zakupem.", {N}},
      {"pl_dostawa_szybka", "pl", "Dostawa była szybka, a paczka dobrze zapakowana.", {P}},
      {"pl_zepsuty", "pl", "Telefon przyszedł zepsuty.", {N}},
      {"pl_oszusci", "pl", "To są oszuści, nie wysyłają towaru.", {N}},
      {"pl_zadowolony", "pl", "Jestem bardzo zadowolony z zakupu.", {P}},
      {"pl_tragedia", "pl", "Tragedia, nigdy więcej.", {N}},
      // ---- Polish: negation.
      {"pl_nie_polecam", "pl", "Nie polecam.", {N}},
      {"pl_nie_polecam_sklepu", "pl", "Nie polecam tego sklepu.", {N}},
      {"pl_zdecydowanie_nie_polecam", "pl", "Zdecydowanie nie polecam!", {N}},
      {"pl_nie_jest_dobry", "pl", "Ten produkt nie jest dobry.", {N}},
      {"pl_bez_problemu", "pl", "Wszystko przebiegło bez problemu.", {P}},
      {"pl_zadnych_problemow", "pl", "Żadnych problemów, wszystko działa.", {P}},
      // Praise by denying a problem decides against the model (fifth pass,
      // round 2; the model alone reads these three NEGATIVE).
      {"pl_zero_problemow", "pl", "Zero problemów z montażem, szafka stoi równo.", {P}},
      {"pl_nic_nie_skrzypi", "pl", "Nic nie skrzypi, nic się nie chwieje.", {P}},
      {"pl_brak_zastrzezen", "pl", "Brak zastrzeżeń.", {P}},
      {"pl_zero_problemow_ale", "pl",
       "Zero problemów z montażem, ale po tygodniu drzwiczki odpadły.", {N}},
      {"pl_nie_zawiodlem", "pl", "Nie zawiodłem się, świetna jakość.", {P}},
      {"pl_nigdy_wiecej", "pl", "Nigdy więcej nie kupię w tym sklepie.", {N}},
      {"pl_nie_dziala", "pl", "Nie działa od pierwszego dnia.", {N}},
      {"pl_nie_warto", "pl", "Nie warto tracić czasu.", {N}},
      // ---- Polish: contrast.
      {"pl_ale_negative_after", "pl",
       "Ładne opakowanie, ale produkt się zepsuł po tygodniu.", {N, M}},
      {"pl_ale_positive_after", "pl",
       "Dostawa trochę trwała, ale produkt jest świetny.", {P, M}},
      {"pl_niestety", "pl", "Niestety produkt nie spełnił oczekiwań.", {N}},
      {"pl_niestety_start", "pl", "Niestety, paczka przyszła uszkodzona.", {N}},
      {"pl_jednak", "pl", "Cena dobra, jednak jakość fatalna.", {N, M}},
      {"pl_mixed_two_sentences", "pl",
       "Obsługa była bardzo miła i pomocna. Niestety pokój był brudny i "
       "śmierdzący.", {M, N}},
      // ---- Polish: intensifiers and emphasis.
      {"pl_bardzo_dobry", "pl", "Bardzo dobry kontakt ze sprzedawcą.", {P}},
      {"pl_mega_polecam", "pl", "Mega polecam!!!", {P}},
      {"pl_absolutnie_beznadziejny", "pl", "Absolutnie beznadziejny serwis.", {N}},
      {"pl_rewelacja", "pl", "Rewelacja! Wszystko idealnie.", {P}},
      // ---- Polish: emoji / emoticons.
      {"pl_emoticon_smile", "pl", "Wszystko ok :)", {P}},
      {"pl_emoticon_sad", "pl", "Czekam już trzeci tydzień :(", {N}},
      {"pl_emoji_thumbs", "pl", "Paczka dotarła 👍", {P}},
      {"pl_emoji_angry", "pl", "Znowu opóźnienie 😡😡", {N}},
      {"pl_emoji_heart", "pl", "Kocham ten krem ❤️", {P}},
      // ---- Polish: edge cases.
      {"pl_no_diacritics", "pl", "Nie polecam, obsluga fatalna.", {N}},
      {"pl_uppercase", "pl", "POLECAM GORĄCO!", {P}},
      {"pl_question_complaint", "pl",
       "Dlaczego nikt nie odpowiada na moje maile? Skandal.", {N}},
      {"pl_strata_pieniedzy", "pl", "Strata pieniędzy.", {N}},
      {"pl_lekarz_pozytywny", "pl", "Pani doktor bardzo miła i kompetentna.", {P}},
      {"pl_lekarz_negatywny", "pl", "Lekarz niemiły, nie słucha pacjenta.", {N}},
      // ---- English: plain polarity.
      {"en_love_it", "en", "I love it, works perfectly.", {P}},
      {"en_great_product", "en", "Great product and great value.", {P}},
      {"en_terrible", "en", "Terrible quality, it broke after two days.", {N}},
      {"en_waste", "en", "Complete waste of money.", {N}},
      {"en_disappointed", "en", "I am very disappointed with this purchase.", {N}},
      {"en_excellent_service", "en", "Excellent customer service.", {P}},
      {"en_worst", "en", "The worst purchase I have ever made.", {N}},
      {"en_highly_recommend", "en", "Highly recommend this seller!", {P}},
      {"en_happy", "en", "Very happy with the quality.", {P}},
      // ---- English: negation.
      {"en_no_problems", "en", "No problems at all, everything works.", {P}},
      {"en_not_good", "en", "This is not good.", {N}},
      {"en_not_recommend", "en", "I would not recommend this product.", {N}},
      {"en_dont_buy", "en", "Don't buy this, it doesn't work.", {N}},
      {"en_never_again", "en", "Never again will I order from them.", {N}},
      {"en_not_bad", "en", "Not bad at all, I'm pleased.", {P}},
      {"en_no_issues", "en", "Arrived on time with no issues.", {P}},
      {"en_didnt_work", "en", "It didn't work out of the box.", {N}},
      {"en_cannot_recommend", "en", "I cannot recommend it enough, fantastic!", {P, M}},
      {"en_not_worth", "en", "Not worth the price.", {N}},
      // ---- English: contrast.
      {"en_but_negative_after", "en",
       "The design is nice, but it stopped working after a week.", {N, M}},
      {"en_but_positive_after", "en",
       "Shipping was slow, but the product is excellent.", {P, M}},
      {"en_however", "en",
       "Looks good. However, the battery is awful and dies quickly.", {N, M}},
      {"en_unfortunately", "en", "Unfortunately it arrived damaged.", {N}},
      // A stuck parcel told in plain words: NEUTRAL with the English review
      // model at C 8 and table weight 1, NEGATIVE since the fifteenth pass
      // (C 32, weight 3; models/README.md, "Fifteenth pass: English").
      {"en_tracking_stuck", "en", "The tracking has said out for delivery since Monday.", {N}},
      // ---- English: intensifiers and emphasis.
      {"en_extremely_good", "en", "Extremely good value!", {P}},
      {"en_really_bad", "en", "Really bad experience.", {N}},
      {"en_absolutely_love", "en", "Absolutely love these shoes!!!", {P}},
      {"en_totally_useless", "en", "Totally useless.", {N}},
      // ---- English: emoji / emoticons.
      {"en_emoticon_smile", "en", "Arrived today :)", {P}},
      {"en_emoticon_sad", "en", "Still waiting for my refund :(", {N}},
      {"en_emoji_thumbs_up", "en", "Works as described 👍", {P}},
      {"en_emoji_angry", "en", "Charged twice 😡", {N}},
      {"en_emoji_heart_eyes", "en", "My kids love it 😍", {P}},
      // ---- English: edge cases.
      {"en_neutral_fact", "en", "I ordered it on Monday.", {U}},
      {"en_all_caps", "en", "DO NOT BUY THIS!", {N}},
      {"en_question", "en", "Why is nobody answering my emails? Awful.", {N}},
      {"en_return", "en", "I had to return it, it was broken.", {N}},
      {"en_short_ok", "en", "Good.", {P}},
      {"en_broken_ignored", "en",
       "The package arrived broken and support ignored me.", {N}},
      {"en_fantastic_value", "en", "Fantastic quality for the price.", {P}},
      {"en_not_happy", "en", "Not happy with it.", {N}},
      {"en_no_complaints", "en", "No complaints, does the job.", {P}},
      {"en_rating_not_text", "en", "Meh.", {N, U}},
  };
  return *cases;
}

class SentimentCasesTest : public test_util::AnalyzerSuiteTest {};

TEST_F(SentimentCasesTest, AtLeastFortyPerLanguage) {
  test_util::ExpectCasesPerLanguage(Cases(), &Case::lang, 40, {"pl", "en"});
}

TEST_F(SentimentCasesTest, Table) {
  ASSERT_NE(model_, nullptr);
  int failed = 0;
  for (const Case& c : Cases()) {
    AnalyzeOptions o;
    o.language_hint = c.lang;
    Analysis a = model_->Analyze(c.text, o);
    bool ok = false;
    for (SentimentLabel l : c.labels) ok |= a.sentiment.label == l;
    failed += !ok;
    EXPECT_TRUE(ok) << "case " << c.name << ": \"" << c.text << "\" got "
                    << Name(a.sentiment.label) << " score " << a.sentiment.score
                    << " conf " << a.sentiment.confidence << " lang "
                    << a.language << ", want " << Name(c.labels[0]);
    EXPECT_GE(a.sentiment.score, -1.0f) << c.name;
    EXPECT_LE(a.sentiment.score, 1.0f) << c.name;
  }
  std::printf("%d of %zu cases failed\n", failed, Cases().size());
}

}  // namespace
}  // namespace opinia::nlp
