// opinia-eval --cases (nlp/tools/eval_cases.h): parsing the case table,
// the dev/test split and the scoring, on a tiny table of made-up cases.
#include "nlp/tools/eval_cases.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "nlp/fnv1a.h"
#include "nlp/tools/tsv.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp::tools {
namespace {

const std::string kHeader = "id\tcategory\trating\ttext\tlabel\taspects\turgent\treasons\n";

TEST(EvalCasesTest, ParsesTable) {
  auto cases = ParseCases(
      kHeader +
          "xx-a-01\tnegated_negative\t5\tNo problems.\tPOSITIVE\t\tno\t\n"
          "xx-a-02\tmixed\t\tFast, but broken.\tNEGATIVE|MIXED\t"
          "DELIVERY:POS;PRODUCT_QUALITY:NEG\tyes\tHEALTH_SAFETY;FRAUD_CLAIM\n",
      "t.tsv");
  ASSERT_TRUE(cases.ok()) << cases.status();
  ASSERT_EQ(cases->size(), 2u);
  const EvalCase& a = (*cases)[0];
  EXPECT_EQ(a.id, "xx-a-01");
  EXPECT_EQ(a.rating, 5);
  EXPECT_EQ(a.labels, std::vector<SentimentLabel>{SentimentLabel::kPositive});
  EXPECT_TRUE(a.aspects.empty());
  EXPECT_FALSE(a.urgent);
  const EvalCase& b = (*cases)[1];
  EXPECT_EQ(b.rating, 0);
  EXPECT_EQ(b.labels, (std::vector<SentimentLabel>{SentimentLabel::kNegative,
                                                   SentimentLabel::kMixed}));
  ASSERT_EQ(b.aspects.size(), 2u);
  EXPECT_EQ(b.aspects[1].aspect, Aspect::kProductQuality);
  EXPECT_EQ(b.aspects[1].polarity, Polarity::kNeg);
  EXPECT_TRUE(b.urgent);
  EXPECT_EQ(b.reasons, (std::vector<std::string>{"HEALTH_SAFETY", "FRAUD_CLAIM"}));
}

TEST(EvalCasesTest, MalformedLinesNameFileAndLine) {
  const std::string ok = "xx-a-01\tidiom\t\tTop.\tPOSITIVE\t\tno\t\n";
  struct Case {
    std::string text;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"id\tcategory\n" + ok, "t.tsv:1: want the header"},
      {kHeader + ok + "xx-a-02\tidiom\t\tTop.\tPOSITIVE\tno\t\n", "t.tsv:3: want 8"},
      {kHeader + "xx-a-02\tidiom\t\tTop.\tGOOD\t\tno\t\n", "t.tsv:2: unknown label 'GOOD'"},
      {kHeader + "xx-a-02\tidiom\t6\tTop.\tPOSITIVE\t\tno\t\n", "t.tsv:2: rating '6'"},
      {kHeader + "xx-a-02\tidiom\t\tTop.\tPOSITIVE\tPRICE:GOOD\tno\t\n",
       "t.tsv:2: want ASPECT:POS|NEG|NEU, got 'PRICE:GOOD'"},
      {kHeader + "xx-a-02\tidiom\t\tTop.\tPOSITIVE\tSHIPPING:POS\tno\t\n",
       "t.tsv:2: want ASPECT"},
      {kHeader + ok + "xx-a-02\tidiom\t\tTop.\tPOSITIVE\t\tmaybe\t\n",
       "t.tsv:3: urgent is 'maybe'"},
      {kHeader, "t.tsv: no cases"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseCases(c.text, "t.tsv");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(c.error), std::string::npos)
        << c.text << " -> " << parsed.status();
  }
}

// The shipped tables (nlp/eval/cases_*.tsv, cases3_* ... cases26_*, plain27_*) parse,
// every id starts with its file's language and no id is
// in two files (the split is by id, so a repeated id would sit in one half
// twice). Parsing only: nothing here analyses a case.
TEST(EvalCasesTest, ShippedTablesParseWithUniqueIds) {
  const std::string dir = test_paths::ModelsDir() + "/../nlp/eval/";
  std::set<std::string> ids;
  int files = 0;
  for (const std::string table :
       {"cases", "cases3", "cases4", "cases5", "cases6", "cases7", "cases8", "cases9", "cases10", "cases11", "cases12", "cases13", "cases14", "cases15", "cases16", "cases17", "cases18", "cases19", "cases20", "cases21", "cases22", "cases23", "cases24", "cases25", "cases26", "plain27"}) {
    for (const std::string lang : {"pl", "en", "de", "es", "fr", "it"}) {
      const std::string path = dir + table + "_" + lang + ".tsv";
      std::ifstream in(path, std::ios::binary);
      if (!in) continue;
      ++files;
      std::stringstream text;
      text << in.rdbuf();
      auto cases = ParseCases(text.str(), path);
      ASSERT_TRUE(cases.ok()) << cases.status();
      for (const EvalCase& c : *cases) {
        EXPECT_TRUE(absl::StartsWith(c.id, lang + "-")) << path << ": " << c.id;
        EXPECT_TRUE(ids.insert(c.id).second) << "repeated id " << c.id;
      }
    }
  }
  // 6 languages each, but the third table has pl, en, de, es only
  EXPECT_EQ(files, 154);
}

TEST(EvalCasesTest, SplitIsFnv1a64Parity) {
  // Reference values of 64-bit FNV-1a.
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ULL);
  // Even: dev; odd: test.
  EXPECT_EQ(Fnv1a64("b"), 0xaf63df4c8601f1a5ULL);
  EXPECT_TRUE(InSplit("a", Split::kDev));
  EXPECT_FALSE(InSplit("a", Split::kTest));
  EXPECT_TRUE(InSplit("b", Split::kTest));
  EXPECT_FALSE(InSplit("b", Split::kDev));
  EXPECT_TRUE(InSplit("a", Split::kAll));
  EXPECT_TRUE(InSplit("b", Split::kAll));
}

TEST(EvalCasesTest, ScoresLabelAspectsAndUrgency) {
  EvalCase c;
  c.labels = {SentimentLabel::kNegative, SentimentLabel::kMixed};
  c.aspects = {{Aspect::kDelivery, Polarity::kPos},
               {Aspect::kProductQuality, Polarity::kNeg},
               {Aspect::kPrice, Polarity::kNeu},
               {Aspect::kReturns, Polarity::kNeg}};
  c.urgent = true;
  c.reasons = {"HEALTH_SAFETY", "FRAUD_CLAIM"};
  Analysis a;
  a.sentiment.label = SentimentLabel::kMixed;
  a.aspects = {{Aspect::kDelivery, {0.06f, SentimentLabel::kPositive, 1}, {}},
               {Aspect::kProductQuality, {-0.05f, SentimentLabel::kNeutral, 1}, {}},
               {Aspect::kPrice, {0.05f, SentimentLabel::kNeutral, 1}, {}}};
  a.urgency.priority = Priority::kP2;
  a.urgency.reasons = {"HEALTH_SAFETY", "STRONG_NEGATIVE"};
  const CaseScore s = ScoreCase(c, a);
  EXPECT_TRUE(s.label_right);
  EXPECT_EQ(s.aspects, 4);
  EXPECT_EQ(s.aspects_found, 3);  // RETURNS missing
  EXPECT_EQ(s.aspects_right, 2);  // -0.05 is NEU, not NEG; 0.05 is NEU
  EXPECT_TRUE(s.predicted_urgent);
  EXPECT_EQ(s.reasons, 2);
  EXPECT_EQ(s.reasons_found, 1);

  a.sentiment.label = SentimentLabel::kPositive;
  a.urgency.priority = Priority::kP3;
  const CaseScore t = ScoreCase(c, a);
  EXPECT_FALSE(t.label_right);
  EXPECT_FALSE(t.predicted_urgent);

  Tally tally;
  tally.Add(c, t);  // urgent, not predicted: a miss
  c.urgent = false;
  tally.Add(c, s);  // not urgent, predicted: a false alarm
  EXPECT_EQ(tally.cases, 2);
  EXPECT_EQ(tally.labels_right, 1);
  EXPECT_EQ(tally.urgent, 1);
  EXPECT_EQ(tally.misses, 1);
  EXPECT_EQ(tally.not_urgent, 1);
  EXPECT_EQ(tally.false_alarms, 1);
  EXPECT_TRUE(IsNegationOrContrast("contrast_pos_after"));
  EXPECT_TRUE(IsNegationOrContrast("expectation_relief"));
  EXPECT_FALSE(IsNegationOrContrast("sarcasm"));
}

// The shop corpus (nlp/corpus): opinia-train reads it through ReadTsv()
// (language from the id, label lower-cased, ":train" / ":dev" parts) and
// opinia-eval through ParseCases() (--split=corpus_dev).
TEST(ShopCorpusTest, ReadTsvGivesPartsOfTheSplit) {
  const std::string path = ::testing::TempDir() + "/shop_xx.tsv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "id\tsituation\trating\ttext\tlabel\taspects\turgent\treasons\n";
    for (int i = 1; i <= 40; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "de-a-%04d", i);
      out << id << "\tplain_pos\t" << (i % 2 ? "5" : "") << "\tText " << i
          << "\tPOSITIVE\t\tno\t\n";
    }
  }
  auto all = ReadTsv(path);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 40u);
  EXPECT_EQ((*all)[0].lang, "de");
  EXPECT_EQ((*all)[0].label, "positive");
  EXPECT_EQ((*all)[0].stars, 5);
  EXPECT_EQ((*all)[1].stars, 0);
  EXPECT_EQ((*all)[0].text, "Text 1");
  auto train = ReadTsv(path + ":train");
  auto dev = ReadTsv(path + ":dev");
  ASSERT_TRUE(train.ok() && dev.ok());
  EXPECT_EQ(train->size() + dev->size(), 40u);
  EXPECT_GT(dev->size(), 0u);
  for (const Example& e : *train) EXPECT_FALSE(IsShopDev(e.id)) << e.id;
  for (const Example& e : *dev) {
    EXPECT_TRUE(IsShopDev(e.id)) << e.id;
    EXPECT_EQ(Fnv1a64(e.id) % 5, 0u);
    EXPECT_TRUE(InSplit(e.id, Split::kCorpusDev));
  }
  // "@ab": only those writers' parts (the letter after the language).
  {
    std::ofstream out(path, std::ios::app | std::ios::binary);
    out << "de-b-0001\tplain_neg\t\tText b\tNEGATIVE\t\tno\t\n";
  }
  auto only_a = ReadTsv(path + "@a");
  auto only_b = ReadTsv(path + ":train@b");
  auto both = ReadTsv(path + "@ab");
  ASSERT_TRUE(only_a.ok() && only_b.ok() && both.ok());
  EXPECT_EQ(only_a->size(), 40u);
  EXPECT_EQ(both->size(), 41u);
  EXPECT_EQ(only_b->size(), IsShopDev("de-b-0001") ? 0u : 1u);
  // An id with no writer's letter ("de-") is read, but in no writer's part.
  {
    std::ofstream out(path, std::ios::app | std::ios::binary);
    out << "de-\tplain_neg\t\tText x\tNEGATIVE\t\tno\t\n";
  }
  auto short_id = ReadTsv(path);
  auto short_parts = ReadTsv(path + "@ab");
  ASSERT_TRUE(short_id.ok() && short_parts.ok());
  EXPECT_EQ(short_id->size(), 42u);
  EXPECT_EQ(short_id->back().id, "de-");
  EXPECT_EQ(short_parts->size(), 41u);
  // The ../shared/data format has no split to pick from.
  const std::string plain = ::testing::TempDir() + "/plain.tsv";
  std::ofstream(plain) << "lang\tlabel\tstars\ttext\nde\tpositive\t\tGut.\n";
  EXPECT_EQ(ReadTsv(plain + ":dev").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadTsv(plain + "@a").status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(ReadTsv(plain).ok());
  EXPECT_EQ(ReadTsv(plain)->at(0).id, "");
}

// A case table (nlp/eval) as training rows (opinia-train --train_tables):
// read like a corpus file, the first of several right labels, no split;
// TableSources lists each table's file of a language `weight` times.
TEST(CaseTableTest, ReadTsvGivesTrainingRowsOfACaseTable) {
  const std::string path = ::testing::TempDir() + "/t7_en.tsv";
  std::ofstream(path, std::ios::binary)
      << "id\tcategory\trating\ttext\tlabel\taspects\turgent\treasons\n"
      << "en-mixed7-01\tmixed\t4\tFast, but loud.\tMIXED|NEGATIVE\tDELIVERY:POS\tno\t\n"
      << "en-plain7-02\tplain\t\tAll good.\tPOSITIVE\t\tno\t\n";
  auto rows = ReadTsv(path);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].lang, "en");
  EXPECT_EQ((*rows)[0].label, "mixed");
  EXPECT_EQ((*rows)[0].stars, 4);
  EXPECT_EQ((*rows)[0].aspects, "DELIVERY:POS");
  EXPECT_EQ((*rows)[1].label, "positive");
  EXPECT_EQ(ReadTsv(path + ":train").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadTsv(path + "@a").status().code(), absl::StatusCode::kInvalidArgument);
  const TableSources tables{"d", {"t7", "t8"}, 2};
  EXPECT_EQ(tables.Files("en"),
            (std::vector<std::string>{"d/t7_en.tsv", "d/t7_en.tsv", "d/t8_en.tsv", "d/t8_en.tsv"}));
  EXPECT_TRUE(TableSources{}.Files("en").empty());
}

// A table whose files are there but not in a language (cases3 has no fr,
// it) gives no file of that language, so every spent table can train the
// models (opinia-train --crossfit); a table with no file at all is still
// listed, for its reader to report NOT_FOUND.
TEST(CaseTableTest, ATableWithoutALanguageGivesNoFileOfIt) {
  const std::string dir = ::testing::TempDir() + "/tables_lang";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/t3_en.tsv") << "id\tcategory\trating\ttext\tlabel\taspects\turgent\treasons\n";
  const TableSources tables{dir, {"t3", "t9"}, 2};
  EXPECT_EQ(tables.Files("en"), (std::vector<std::string>{dir + "/t3_en.tsv", dir + "/t3_en.tsv",
                                                          dir + "/t9_en.tsv", dir + "/t9_en.tsv"}));
  EXPECT_EQ(tables.Files("fr"), (std::vector<std::string>{dir + "/t9_fr.tsv", dir + "/t9_fr.tsv"}));
}

// The cross-fitting groups (opinia-train --crossfit=K): the i-th spent
// table in group i % K, only the tables the models train on.
TEST(CrossFitTest, GroupsTheTrainedSpentTablesByPosition) {
  using Groups = std::vector<std::vector<std::string>>;
  const std::vector<std::string> all = {"cases",  "cases3", "cases4", "cases5",
                                        "cases6", "cases7", "cases8", "cases9"};
  EXPECT_EQ(CrossFitGroups(all, 3),
            (Groups{{"cases", "cases5"}, {"cases3", "cases6"}, {"cases4"}}));
  EXPECT_EQ(CrossFitGroups(all, 2), (Groups{{"cases", "cases4", "cases6"}, {"cases3", "cases5"}}));
  EXPECT_EQ(CrossFitGroups({"cases7", "cases4"}, 2), (Groups{{"cases4"}, {}}));
  EXPECT_EQ(CrossFitGroups({"cases7", "cases8"}, 3), (Groups{{}, {}, {}}));
}

// A per-model weight (--table_weights) overrides `weight` for that model
// only; 0 leaves the tables out of it (models/README.md, "Eleventh pass:
// training data").
TEST(CaseTableTest, APerModelWeightOverridesTheTableWeight) {
  const TableSources tables{"d", {"t7"}, 3, {{"en", 1}, {"clause_de", 0}}};
  EXPECT_EQ(tables.WeightOf("pl"), 3);
  EXPECT_EQ(tables.WeightOf("en"), 1);
  EXPECT_EQ(tables.Files("en", "en"), (std::vector<std::string>{"d/t7_en.tsv"}));
  EXPECT_EQ(tables.Files("en", "clause_en").size(), 3u);
  EXPECT_EQ(tables.Files("en").size(), 3u);
  EXPECT_TRUE(tables.Files("de", "clause_de").empty());
}

// Without() drops the named tables and keeps the rest in order, with the
// weights: what --spent_tables_off (the Polish review model without the
// older tables) and each cross-fitting fold train on.
TEST(CaseTableTest, WithoutDropsTheNamedTablesOnly) {
  const TableSources tables{"d", {"cases", "cases7", "cases4", "cases10"}, 3, {{"pl", 1}}};
  const TableSources kept = tables.Without({"cases", "cases3", "cases4"});
  EXPECT_EQ(kept.tables, (std::vector<std::string>{"cases7", "cases10"}));
  EXPECT_EQ(kept.Files("pl", "pl"), (std::vector<std::string>{"d/cases7_pl.tsv", "d/cases10_pl.tsv"}));
  EXPECT_EQ(kept.Files("de").size(), 6u);
  EXPECT_EQ(tables.Without({}).tables, tables.tables);
}

// The committed corpus parses as a case table, every id starts with its
// file's language, no id or text (per language) repeats, no text is one of
// the evaluation tables' (a training text must never be a case), and each
// file's dev part is about a fifth.
TEST(ShopCorpusTest, CommittedCorpusParsesWithUniqueIdsAndTexts) {
  const std::string dir = test_paths::ModelsDir() + "/../nlp/corpus/";
  std::set<std::string> table_texts;
  for (const std::string table : {"cases", "cases3", "cases4", "cases5", "cases6", "cases7", "cases8", "cases9", "cases10", "cases11", "cases12", "cases13", "cases14", "cases15", "cases16", "cases17", "cases18", "cases19", "cases20", "cases21", "cases22", "cases23", "cases24", "cases25", "cases26", "plain27"}) {
    for (const std::string lang : {"pl", "en", "de", "es", "fr", "it"}) {
      std::ifstream in(test_paths::ModelsDir() + "/../nlp/eval/" + table + "_" + lang + ".tsv",
                       std::ios::binary);
      if (!in) continue;
      std::stringstream text;
      text << in.rdbuf();
      auto cases = ParseCases(text.str(), table);
      ASSERT_TRUE(cases.ok()) << cases.status();
      for (const EvalCase& c : *cases) table_texts.insert(c.text);
    }
  }
  ASSERT_GT(table_texts.size(), 3000u);
  std::set<std::string> ids;
  int files = 0;
  for (const std::string lang : {"pl", "en", "de", "es", "fr", "it"}) {
    const std::string path = dir + "shop_" + lang + ".tsv";
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << path;
    ++files;
    std::stringstream text;
    text << in.rdbuf();
    auto cases = ParseCases(text.str(), path);
    ASSERT_TRUE(cases.ok()) << cases.status();
    ASSERT_GE(cases->size(), 100u) << path;
    std::set<std::string> texts;
    size_t dev = 0;
    for (const EvalCase& c : *cases) {
      EXPECT_TRUE(absl::StartsWith(c.id, lang + "-")) << path << ": " << c.id;
      EXPECT_TRUE(ids.insert(c.id).second) << "repeated id " << c.id;
      EXPECT_TRUE(texts.insert(c.text).second) << "repeated text " << c.text;
      EXPECT_EQ(table_texts.count(c.text), 0u) << "an evaluation case: " << c.text;
      EXPECT_EQ(c.labels.size(), 1u) << c.id;
      dev += InSplit(c.id, Split::kCorpusDev);
    }
    EXPECT_GT(dev * 100, cases->size() * 14) << path;
    EXPECT_LT(dev * 100, cases->size() * 26) << path;
  }
  EXPECT_EQ(files, 6);
}

// The --compose_weights value of opinia-eval and opinia-train.
TEST(ParseComposeWeightsTest, ReadsLanguageWeightsAndRejectsMalformedItems) {
  std::map<std::string, float, std::less<>> by = {{"pl", 9.0f}};
  ASSERT_TRUE(ParseComposeWeights("en:1,de:0.5,fr:0", &by));
  EXPECT_EQ(by, (std::map<std::string, float, std::less<>>{
                    {"en", 1.0f}, {"de", 0.5f}, {"fr", 0.0f}}));
  ASSERT_TRUE(ParseComposeWeights("-", &by));
  EXPECT_TRUE(by.empty());
  EXPECT_FALSE(ParseComposeWeights("de", &by));
  EXPECT_FALSE(ParseComposeWeights("de:heavy", &by));
  EXPECT_FALSE(ParseComposeWeights(":1", &by));
}

// The --deciding_clause_off value of opinia-eval and opinia-train.
TEST(ParseLanguageSetTest, ReadsSubtagsAndRejectsOthers) {
  std::set<std::string, std::less<>> langs = {"pl"};
  ASSERT_TRUE(ParseLanguageSet("en,es", &langs));
  EXPECT_EQ(langs, (std::set<std::string, std::less<>>{"en", "es"}));
  ASSERT_TRUE(ParseLanguageSet("-", &langs));
  EXPECT_TRUE(langs.empty());
  EXPECT_FALSE(ParseLanguageSet("EN", &langs));
  EXPECT_FALSE(ParseLanguageSet("en-GB", &langs));
  EXPECT_FALSE(ParseLanguageSet("e", &langs));
}

}  // namespace
}  // namespace opinia::nlp::tools
