// Short MIXED in either order (nineteenth pass of issue 17, models/README.md
// "Nineteenth pass: short MIXED in either order"): the eval tables'
// convention (nlp/eval/README.md, "Conventions decided for this table")
// reads two different aspects with opposite signs, stated plainly, no side
// played down and no verdict, as MIXED in either order; the same aspect on
// both sides, a played-down side or a verdict is not MIXED. Every text was
// written for this test, apart from the shop corpus and the evaluation
// tables; each setting is checked on and off, so that a row fails when its
// setting stops mattering.
#include <fstream>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "nlp/analyzer.h"
#include "nlp/analyzer_config.h"
#include "nlp/label_arbiter.h"
#include "tests/nlp/conventions.h"
#include "tests/nlp/models_copy.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

struct Row {
  const char* lang;
  const char* text;
};

SentimentLabel LabelOf(const Analyzer& analyzer, const Row& row) {
  AnalyzeOptions o;
  o.language_hint = row.lang;
  return analyzer.Analyze(row.text, o).sentiment.label;
}

std::unique_ptr<Analyzer> Make(const AnalyzerConfig& config) {
  auto a = CreateAnalyzerWithConfig(test_paths::ModelsDir(), config);
  EXPECT_TRUE(a.ok()) << a.status();
  return a.ok() ? *std::move(a) : nullptr;
}

// SentimentParams::mixed_sides_unweighted: the complaint told first, then
// "but" and praise of another aspect, in one sentence, is MIXED; without
// the setting the halved complaint made the sides "not comparable" and the
// review POSITIVE.
TEST(AnalyzerMixedTest, ComplaintFirstIsMixedLikePraiseFirst) {
  AnalyzerConfig with, off;
  ASSERT_EQ(with.sentiment.mixed_sides_unweighted, 3.0f);
  off.sentiment.mixed_sides_unweighted = 0;
  auto w = Make(with);
  auto o = Make(off);
  ASSERT_TRUE(w && o);
  const Row kRows[] = {
      {"en", "Customer service never answered, but the kettle works perfectly."},
      {"en", "The courier never showed up on time, but the shoes fit perfectly."},
      {"en", "The parcel arrived late, but the blanket is wonderfully soft."},
      {"pl", "Aplikacja ciągle się zawiesza, ale jakość jest świetna."},
      {"es", "El mensajero llegó dos días tarde, pero los zapatos son fantásticos."},
      {"fr", "Le livreur avait deux jours de retard, mais les chaussures sont fantastiques."},
      {"fr", "La livraison a été lente, mais le produit est vraiment impeccable."},
  };
  for (const Row& r : kRows) {
    EXPECT_EQ(LabelOf(*w, r), SentimentLabel::kMixed) << r.text;
    EXPECT_NE(LabelOf(*o, r), SentimentLabel::kMixed) << r.text;
  }
  EXPECT_NE(w->ModelVersion(), o->ModelVersion());
}

// The other order was MIXED before and stays so; so do complaint-first
// reviews whose weighted sides were already comparable.
TEST(AnalyzerMixedTest, PraiseFirstStaysMixed) {
  auto w = Make(AnalyzerConfig());
  ASSERT_TRUE(w);
  const Row kRows[] = {
      {"en", "The kettle works perfectly, but customer service never answered."},
      {"pl", "Jakość jest świetna, ale aplikacja ciągle się zawiesza."},
      {"de", "Der Wasserkocher funktioniert perfekt, aber der Kundenservice hat nie geantwortet."},
      {"es", "El hervidor funciona perfectamente, pero atención al cliente nunca respondió."},
      {"fr", "La bouilloire fonctionne parfaitement, mais le service client n'a jamais répondu."},
      {"it", "Il bollitore funziona perfettamente, ma il servizio clienti non ha mai risposto."},
      {"de", "Die App stürzt ständig ab, aber die Qualität ist hervorragend."},
      {"it", "L'app si blocca di continuo, ma la qualità è ottima."},
  };
  for (const Row& r : kRows) EXPECT_EQ(LabelOf(*w, r), SentimentLabel::kMixed) << r.text;
}

// The calm counterparts, with the setting: the same thing on both sides
// (the later clause decides), a played-down complaint ("a bit", "trochę",
// "etwas", "un poco", "un peu", "un po'") or a verdict is POSITIVE, not
// MIXED. Since the twenty-fourth pass they are convention cases
// (nlp/eval/conventions.tsv, category calm_counterpart), kept by the label
// arbiter's training by construction: its best anchor level's MIXED
// threshold of 0.60 had turned the last one MIXED (models/README.md,
// "Twenty-fourth pass"). Praise that speaks of the wait ("worth every day
// of waiting") is a verdict on the wait: MIXED without the setting.
TEST(AnalyzerMixedTest, CalmCounterpartsAreNotMixed) {
  AnalyzerConfig off;
  off.sentiment.mixed_sides_unweighted = 0;
  auto o = Make(off);
  ASSERT_TRUE(o);
  ExpectConventionLabels("calm_counterpart", 14);  // all POSITIVE, the wait among them
  const Row wait{"en", "Delivery took ages, but the jacket is worth every day of waiting."};
  EXPECT_EQ(LabelOf(*o, wait), SentimentLabel::kMixed);
}

// SentimentParams::mixed_skips_sarcasm: sarcasm is a complaint, its
// surface praise no side of a MIXED.
TEST(AnalyzerMixedTest, SarcasmIsNoSideOfMixed) {
  AnalyzerConfig off;
  ASSERT_EQ(off.sentiment.mixed_skips_sarcasm, 1.0f);
  off.sentiment.mixed_skips_sarcasm = 0;
  auto w = Make(AnalyzerConfig());
  auto o = Make(off);
  ASSERT_TRUE(w && o);
  const Row r{"en", "Oh great, the ‘bonus’ strap showed up as a charge on my card. So thoughtful."};
  EXPECT_EQ(LabelOf(*w, r), SentimentLabel::kNegative);
  EXPECT_EQ(LabelOf(*o, r), SentimentLabel::kMixed);
  EXPECT_NE(w->ModelVersion(), o->ModelVersion());
}

// SentimentParams::mixed_over_arbiter_aspects: the short MIXED of the
// lexicon's aspects stays over the label arbiter only when the aspects as
// the clause model read them take both sides too. Read with an arbiter that
// says NEGATIVE of every review (so that the row does not hang on the
// fitted arbiter's leaning): here the clause model's aspects hold one
// complaint about the price, and the arbiter's NEGATIVE stands; without
// the setting the override keeps the MIXED. (The row follows the
// scare-quote sarcasm pattern of the first table's pl-sarc-12, in my own
// words.)
TEST(AnalyzerMixedTest, OverArbiterNeedsBothSidesInTheAspects) {
  ModelsCopy models("analyzer_mixed_arbiter",
                    [](const std::string& file) { return file == kLabelArbiterFile; });
  {
    std::ofstream out(models.path() / kLabelArbiterFile);
    out << "OPARB1\nfeatures " << kNumLabelArbiterFeatures << "\nthreshold 0.5\n";
    const std::pair<const char*, int> kBias[] = {
        {"positive", 0}, {"negative", 10}, {"neutral", 0}, {"mixed", 0}};
    for (const auto& [name, bias] : kBias) {
      out << name << " " << bias;
      for (int i = 0; i < kNumLabelArbiterFeatures; ++i) out << " 0";
      out << "\n";
    }
  }
  AnalyzerConfig off;
  ASSERT_EQ(off.sentiment.mixed_over_arbiter_aspects, 1.0f);
  off.sentiment.mixed_over_arbiter_aspects = 0;
  auto w = CreateAnalyzerWithConfig(models.dir(), AnalyzerConfig());
  auto o = CreateAnalyzerWithConfig(models.dir(), off);
  ASSERT_TRUE(w.ok() && o.ok());
  const Row r{"pl", "Cudowna „darmowa wysyłka” – przy kasie doliczyli 15 zł."};
  EXPECT_EQ(LabelOf(**w, r), SentimentLabel::kNegative);
  EXPECT_EQ(LabelOf(**o, r), SentimentLabel::kMixed);
  // A review whose clause-model aspects take both sides keeps its MIXED
  // over the arbiter either way.
  const Row both{"en", "The app keeps crashing, but the quality is great."};
  EXPECT_EQ(LabelOf(**w, both), SentimentLabel::kMixed);
  EXPECT_EQ(LabelOf(**o, both), SentimentLabel::kMixed);
  EXPECT_NE((*w)->ModelVersion(), (*o)->ModelVersion());
}

// SentimentParams::reply_failures (on since the nineteenth pass; no row of
// the spent tables moves): "never answered" in pl, de, es, fr, it is the
// complaint side of a MIXED, as the English one was already.
TEST(AnalyzerMixedTest, NeverAnsweredInEveryLanguage) {
  AnalyzerConfig on, off;
  ASSERT_TRUE(on.sentiment.reply_failures);
  off.sentiment.reply_failures = false;
  auto w = Make(on);
  auto o = Make(off);
  ASSERT_TRUE(w && o);
  const Row kRows[] = {
      {"pl", "Obsługa klienta nigdy nie odpowiedziała, ale czajnik działa idealnie."},
      // Twentieth pass (retrained with cases19): the models read the praise-first
      // Polish kettle MIXED without the setting too. Lost: "Czajnik działa
      // idealnie, ale obsługa klienta nigdy nie odpowiedziała."
      {"de", "Der Kundenservice hat nie geantwortet, aber der Wasserkocher funktioniert perfekt."},
      // Twenty-third pass (retrained with cases21 and cases22): the models read
      // the Spanish kettle MIXED without the setting too. Lost: "El servicio de
      // atención al cliente nunca respondió, pero el hervidor funciona
      // perfectamente."
      {"es", "El vendedor nunca contestó a mis mensajes, pero la lámpara funciona perfectamente."},
      {"fr", "Le service client n'a jamais répondu, mais la bouilloire fonctionne parfaitement."},
      {"it", "Il servizio clienti non ha mai risposto, ma il bollitore funziona perfettamente."},
  };
  for (const Row& r : kRows) {
    EXPECT_EQ(LabelOf(*w, r), SentimentLabel::kMixed) << r.text;
    EXPECT_NE(LabelOf(*o, r), SentimentLabel::kMixed) << r.text;
  }
  EXPECT_NE(w->ModelVersion(), o->ModelVersion());
}

// SentimentParams::mixed_own_language_words (off by default: out of fold
// -1, models/README.md): with it, "la" (a Spanish pronoun in the list) and
// "il" (a French one) no longer read as the praise speaking of the author
// in French and Italian reviews, whose articles they are.
TEST(AnalyzerMixedTest, OwnLanguageWordsReadArticlesAsArticles) {
  AnalyzerConfig on;
  ASSERT_EQ(on.sentiment.mixed_own_language_words, 0.0f);
  on.sentiment.mixed_own_language_words = 1;
  auto w = Make(on);
  auto o = Make(AnalyzerConfig());
  ASSERT_TRUE(w && o);
  const Row kRows[] = {
      {"fr", "Le colis est arrivé en retard, mais la couverture est merveilleusement douce."},
      {"it", "La consegna è arrivata in ritardo, ma la coperta è morbidissima."},
  };
  for (const Row& r : kRows) {
    EXPECT_EQ(LabelOf(*w, r), SentimentLabel::kMixed) << r.text;
    EXPECT_NE(LabelOf(*o, r), SentimentLabel::kMixed) << r.text;
  }
  EXPECT_NE(w->ModelVersion(), o->ModelVersion());
}

}  // namespace
}  // namespace opinia::nlp
