// The hand-written e-commerce case table (nlp/eval/cases_<lang>.tsv, format
// in nlp/eval/README.md) and how opinia-eval --cases scores the analyzer on
// it: overall label, aspect detection and polarity, urgency.
#ifndef OPINIA_NLP_TOOLS_EVAL_CASES_H_
#define OPINIA_NLP_TOOLS_EVAL_CASES_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlp/analysis.h"
#include "nlp/sentiment.h"

namespace opinia::nlp::tools {

enum class Polarity { kPos, kNeg, kNeu };

struct ExpectedAspect {
  Aspect aspect = Aspect::kUnspecified;
  Polarity polarity = Polarity::kNeu;
};

struct EvalCase {
  std::string id;
  std::string category;
  int rating = 0;  // 0 = none
  std::string text;
  std::vector<SentimentLabel> labels;  // any of them is right
  std::vector<ExpectedAspect> aspects;
  bool urgent = false;
  std::vector<std::string> reasons;
};

// The cases of one file's contents (`file` is named in errors); also reads
// the shop corpus (nlp/corpus/README.md: the same columns, `situation` in
// place of `category`). Returns
// INVALID_ARGUMENT with file:line for a wrong header, a line without 8
// fields, or an unknown label, aspect, polarity, urgent value or rating.
absl::StatusOr<std::vector<EvalCase>> ParseCases(absl::string_view text,
                                                 absl::string_view file);

// Which half of the table a case belongs to. Fixed once: the split is
// FNV-1a 64 (nlp/fnv1a.h) of the case id, even = dev, odd = test, so
// adding or editing a case never moves another. kCorpusDev: the shop
// corpus's dev part (IsShopDev() in nlp/tools/tsv.h), which no model trains on.
enum class Split { kDev, kTest, kAll, kCorpusDev };
bool InSplit(absl::string_view id, Split split);

// An aspect's score counts as POS above kPolarityThreshold, NEG below
// -kPolarityThreshold, NEU in between (aspect scores are means of sentence
// scores P(positive) - P(negative), in [-1, 1]).
inline constexpr float kPolarityThreshold = 0.05f;
Polarity PolarityOf(float score);

// What the analyzer got right on one case. An expected aspect is found when
// the analysis has it, right when also its polarity (PolarityOf) matches.
// Urgent means priority P1 or P2; a reason is found when the analysis
// lists it, whatever the priority.
struct CaseScore {
  bool label_right = false;
  int aspects = 0, aspects_found = 0, aspects_right = 0;
  // Aspects the analysis reports and the case does not expect (precision).
  int predicted_aspects = 0, extra_aspects = 0;
  bool predicted_urgent = false;
  int reasons = 0, reasons_found = 0;
};
CaseScore ScoreCase(const EvalCase& c, const Analysis& a);

// Sums of CaseScores.
struct Tally {
  int cases = 0, labels_right = 0;
  int aspects = 0, aspects_found = 0, aspects_right = 0;
  int predicted_aspects = 0, extra_aspects = 0;
  int not_urgent = 0, false_alarms = 0;
  int urgent = 0, misses = 0;
  int reasons = 0, reasons_found = 0;
  void Add(const EvalCase& c, const CaseScore& s);
  void Merge(const Tally& o);
};

// True for the categories of the "negation/contrast cases" total.
bool IsNegationOrContrast(absl::string_view category);

// The report of one language: a row per category, then the totals.
std::string FormatLanguageReport(const std::string& lang,
                                 const std::map<std::string, Tally>& by_category);

// "POSITIVE", "NEGATIVE", "NEUTRAL", "MIXED" (as in the case files).
const char* CaseLabelName(SentimentLabel l);
const char* AspectName(Aspect a);

// The case tables already spent on tuning (their dev and test halves both
// read by the arbiter trainers; the lead's fresh table is never read), and
// the six tuning languages. The review and clause models train on these
// too, cross-fitted (opinia-train --crossfit): the arbiters read each with
// the fold models that never saw it. cases7-9 are not here: models trained
// on them before cross-fitting existed, the arbiters never read them.
// cases10 joined in the eleventh pass, cases11 in the twelfth, cases12 in
// the thirteenth, cases13 in the fourteenth, cases14 in the fifteenth,
// cases15 in the sixteenth, cases16 in the seventeenth, cases17 in the
// eighteenth, cases18 after the eighteenth's test half (for the
// nineteenth), cases19 after the nineteenth's (for the twentieth), cases20
// after the twentieth's (for the twenty-first), cases21 after the
// twenty-first's (for the twenty-second), cases22 after the
// twenty-second's (for the twenty-third), cases23 after the
// twenty-third's (for the twenty-fourth), cases24 after the
// twenty-fourth's (for the twenty-fifth), cases25 after the
// twenty-fifth's (for the twenty-sixth).
inline constexpr const char* kSpentTables[] = {"cases", "cases3", "cases4", "cases5", "cases6",
                                               "cases10", "cases11", "cases12", "cases13",
                                               "cases14", "cases15", "cases16", "cases17",
                                               "cases18", "cases19", "cases20", "cases21",
                                               "cases22", "cases23", "cases24",
                                               "cases25"};
// The spent tables a review model listed in opinia-train
// --spent_tables_off (the Polish one) leaves out. First the five the
// arbiters read unseen before cross-fitting existed (the first to sixth
// passes' tables): trained on them the Polish review model cost
// pl_clarin_emo.dev 4 sentences (eleventh pass); on cases10 and cases11 it
// costs CLARIN-Emo nothing out of fold (5-fold, 3,905 -> 3,905 of 5,623)
// and reads the fresh table's Polish dev half better (models/README.md,
// "Twelfth pass"); cases12 costs it 7 sentences (3,905 -> 3,898;
// "Thirteenth pass"). cases21 and cases22 since the twenty-third pass:
// trained on both the Polish review model reads pl_clarin_emo.dev 0.7409
// -> 0.7330 (on one of them 0.7330 / 0.7346) and the fresh cases23 dev
// half's Polish labels no better (94 of 108 either way; "Twenty-third
// pass"); cases23 since the twenty-fourth (0.7409 -> 0.7378, the cases24
// dev half's Polish labels 91 of 114 either way; "Twenty-fourth pass").
inline constexpr const char* kSpentOffTables[] = {"cases",   "cases3",  "cases4", "cases5",
                                                  "cases6",  "cases21", "cases22",
                                                  "cases23"};
inline constexpr const char* kTuningLanguages[] = {"pl", "en", "de", "es", "fr", "it"};

// Which models read a spent table for the arbiter trainers: the models
// directory of the cross-fitting fold that did not train on the table
// (opinia-train --crossfit; models/README.md, "Eleventh pass: cross-fitted
// arbiters"). A table not listed, and every other source, is read by the
// models the arbiter is fitted for.
using TableReaders = std::map<std::string, std::string>;

// The models directory that reads `table`: its fold's in `readers`, else
// `own` (every other source's).
inline const std::string& ModelsReading(const TableReaders& readers, const std::string& table,
                                        const std::string& own) {
  auto it = readers.find(table);
  return it == readers.end() ? own : it->second;
}

// The cross-fitting groups of opinia-train --crossfit=K: the i-th table of
// kSpentTables in group i % k, when `trained` (the models' training
// tables) lists it; k groups, some maybe empty (no fold needed).
std::vector<std::vector<std::string>> CrossFitGroups(const std::vector<std::string>& trained,
                                                     int k);

// Reads the cases of `path`: false when it cannot be opened or is
// malformed (the error printed to stderr).
bool ReadCaseFile(const std::string& path, std::vector<EvalCase>* out);

// The fold (0..4) of a corpus dev case with id `id`, as both arbiter
// trainers split the corpus.
int CorpusDevFold(const std::string& id);

// The analysis settings the arbiters' trainers read their rows with
// (opinia-train --late_praise=F, --aspects_late_part: an experiment's
// refit of the arbiters over a setting that is not yet the default);
// SentimentParams() unless set.
SentimentParams& TrainingReadParams();

// Parses opinia-eval's and opinia-train's --compose_weights=LANG:W,...
// value ("-": none) into `by` (SentimentParams::compose_weight_by_language,
// cleared first): false when an item is not LANG:W with W a number.
bool ParseComposeWeights(absl::string_view list,
                         std::map<std::string, float, std::less<>>* by);

// Parses a --deciding_clause_off=LANG,... value ("-": none) into `langs`
// (SentimentParams::deciding_clause_off, cleared first): false when an item
// is not a language subtag (2-3 lower-case letters).
bool ParseLanguageSet(absl::string_view list, std::set<std::string, std::less<>>* langs);

}  // namespace opinia::nlp::tools

#endif  // OPINIA_NLP_TOOLS_EVAL_CASES_H_
