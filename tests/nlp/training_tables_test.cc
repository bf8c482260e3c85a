// Which case-table files a review model trains on (opinia-train
// --train_tables, --table_weights, --spent_tables_off) and when a
// cross-fitting fold keeps the full run's model (nlp/tools/training_tables.h).
#include "nlp/tools/training_tables.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace opinia::nlp::tools {
namespace {

using Files = std::vector<std::string>;

const SentimentModelRow kPl{"sentiment_pl", TextDomain::kReview, {"pl"}, 0};
const SentimentModelRow kRomance{
    "sentiment_romance", TextDomain::kReview, {"es", "fr", "it", "pt"}, 20};
const SentimentModelRow kTweets{"sentiment_multi", TextDomain::kTweet, {"en", "de"}, 0};

// The shipped setting's shape: spent tables (cases, cases10) and tables only
// the models read (cases7); the Polish model at weight 1.
TableSources Tables() { return {"d", {"cases", "cases7", "cases10"}, 3, {{"pl", 1}, {"en", 0}}}; }

// A review model gets its languages' files at its weight, in the row's
// language order; pt has no table; a tweet model none.
TEST(ReviewTableFilesTest, EveryLanguageWithTablesAtTheModelsWeight) {
  const TableSources tables{"d", {"cases7"}, 2};
  EXPECT_EQ(ReviewTableFiles(tables, {}, kRomance),
            (Files{"d/cases7_es.tsv", "d/cases7_es.tsv", "d/cases7_fr.tsv", "d/cases7_fr.tsv",
                   "d/cases7_it.tsv", "d/cases7_it.tsv"}));
  EXPECT_TRUE(ReviewTableFiles(tables, {}, kTweets).empty());
  EXPECT_EQ(ReviewTableFiles(Tables(), {}, kPl),
            (Files{"d/cases_pl.tsv", "d/cases7_pl.tsv", "d/cases10_pl.tsv"}));
  const SentimentModelRow en{"sentiment_en", TextDomain::kReview, {"en"}, 20};
  EXPECT_TRUE(ReviewTableFiles(Tables(), {}, en).empty());  // weight 0
}

// --spent_tables_off: a model listed leaves the older spent tables
// (kSpentOffTables: cases) out, not the later ones (cases10); the other
// models keep them all.
TEST(ReviewTableFilesTest, SpentTablesOffDropsTheOlderTablesOfTheModelsListed) {
  EXPECT_EQ(ReviewTableFiles(Tables(), {"pl"}, kPl),
            (Files{"d/cases7_pl.tsv", "d/cases10_pl.tsv"}));
  EXPECT_EQ(ReviewTableFiles(Tables(), {"pl"}, kRomance).size(), 27u);  // 3 tables x 3 x 3
  EXPECT_EQ(ReviewTableFiles(Tables(), {"romance"}, kRomance).size(), 18u);
  EXPECT_EQ(ReviewTableFiles(Tables(), {"romance"}, kPl).size(), 3u);
}

// A fold keeps the full run's model when its files do not change: the
// Polish model without the older tables in a fold that holds out only
// those, a model without tables; it trains again when a held-out table was
// among them (the Polish model and cases10), also when the fold leaves it
// no table at all.
TEST(FoldKeepsTableFilesTest, OnlyWhenTheFoldChangesNoTrainingFile) {
  const std::vector<std::string> held_out = {"cases"};
  EXPECT_TRUE(FoldKeepsTableFiles(Tables(), {"pl"}, kPl, held_out));
  EXPECT_FALSE(FoldKeepsTableFiles(Tables(), {"pl"}, kPl, {"cases10"}));
  EXPECT_FALSE(FoldKeepsTableFiles(Tables(), {}, kPl, held_out));
  EXPECT_FALSE(FoldKeepsTableFiles(Tables(), {"pl"}, kRomance, held_out));
  EXPECT_TRUE(FoldKeepsTableFiles(Tables(), {}, kTweets, held_out));
  const SentimentModelRow en{"sentiment_en", TextDomain::kReview, {"en"}, 20};
  EXPECT_TRUE(FoldKeepsTableFiles(Tables(), {}, en, held_out));  // weight 0
  // A table the model does not train on.
  EXPECT_TRUE(FoldKeepsTableFiles(Tables(), {}, kPl, {"cases4"}));
  const TableSources only_spent{"d", {"cases", "cases10"}, 3};
  EXPECT_FALSE(FoldKeepsTableFiles(only_spent, {}, kRomance, {"cases", "cases10"}));
}

// The translated English rows (TableSources::TranslatedFiles): a model in
// translated_weights gets <translated_dir>/<table>_<lang>.tsv of every
// table at its weight, after its language's own table files; none for
// English (their source), for a model not in the map, at weight 0 or
// without a directory.
TEST(ReviewTableFilesTest, TranslatedRowsFollowEachLanguagesOwnFiles) {
  TableSources tables{"d", {"cases7", "cases10"}, 1};
  tables.translated_dir = "t";
  tables.translated_weights = {{"romance", 2}, {"de", 0}};
  EXPECT_EQ(ReviewTableFiles(tables, {}, kRomance),
            (Files{"d/cases7_es.tsv", "d/cases10_es.tsv", "t/cases7_es.tsv", "t/cases7_es.tsv",
                   "t/cases10_es.tsv", "t/cases10_es.tsv", "d/cases7_fr.tsv", "d/cases10_fr.tsv",
                   "t/cases7_fr.tsv", "t/cases7_fr.tsv", "t/cases10_fr.tsv", "t/cases10_fr.tsv",
                   "d/cases7_it.tsv", "d/cases10_it.tsv", "t/cases7_it.tsv", "t/cases7_it.tsv",
                   "t/cases10_it.tsv", "t/cases10_it.tsv"}));
  EXPECT_EQ(ReviewTableFiles(tables, {}, kPl), (Files{"d/cases7_pl.tsv", "d/cases10_pl.tsv"}));
  const SentimentModelRow de{"sentiment_de", TextDomain::kReview, {"de"}, 0};
  EXPECT_EQ(ReviewTableFiles(tables, {}, de), (Files{"d/cases7_de.tsv", "d/cases10_de.tsv"}));
  EXPECT_TRUE(tables.TranslatedFiles("en", "romance").empty());
  tables.translated_dir.clear();
  EXPECT_EQ(ReviewTableFiles(tables, {}, kRomance).size(), 6u);
}

// A table's translations belong to it: a cross-fitting fold (or a
// leave-one-table-out run) without the table trains on neither its rows nor
// their translations, and --spent_tables_off drops the older tables'
// translations too.
TEST(ReviewTableFilesTest, HoldingATableOutDropsItsTranslations) {
  TableSources tables = Tables();
  tables.translated_dir = "t";
  tables.translated_weights = {{"romance", 1}};
  const Files fold = ReviewTableFiles(tables.Without({"cases10"}), {}, kRomance);
  EXPECT_EQ(fold.size(), 24u);  // 2 tables x 3 languages x (3 + 1)
  for (const std::string& f : fold) EXPECT_EQ(f.find("cases10"), std::string::npos) << f;
  EXPECT_NE(std::find(fold.begin(), fold.end(), "t/cases7_fr.tsv"), fold.end());
  const Files off = ReviewTableFiles(tables, {"romance"}, kRomance);
  EXPECT_EQ(off.size(), 24u);
  EXPECT_EQ(std::find(off.begin(), off.end(), "t/cases_es.tsv"), off.end());
  // Only the translations differ: the fold still retrains the model.
  tables.weights["romance"] = 0;
  EXPECT_FALSE(FoldKeepsTableFiles(tables, {}, kRomance, {"cases10"}));
  tables.translated_weights["romance"] = 0;
  EXPECT_TRUE(FoldKeepsTableFiles(tables, {}, kRomance, {"cases10"}));
}

}  // namespace
}  // namespace opinia::nlp::tools
