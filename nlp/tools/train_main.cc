// opinia-train: rebuilds the sentiment models in models/ from ../shared/data,
// and the model table models/sentiment_models.tsv (nlp/sentiment_models.h)
// that tells the analyzer which model serves which language: a language is
// trained by adding a row to Specs() below.
//
//   opinia-train --data=/work/shared/data --out=models [--translated=DIR]
//                [--corpus=nlp/corpus]
//                [--only=lexicon,pl,en,multi,romance,de,clause,router,aspect_detect,
//                        label_arbiter,aspect_signs]
//                [--clause_dir=build/clause_data] [--router_dir=build/router_data]
//                [--cases=nlp/eval] [--aspect_signs_report]
//                [--aspect_add=P] [--aspect_drop=P] [--aspect_min_df=N]
//                [--dump_dir=DIR] [--c=C] [--sentiment_c=MODEL=C,...]
//                [--chars=MIN,MAX] [--char_weight=W]
//                [--no_meta] [--meta=pl,en,multi] [--meta_files=N] [--meta_columns=C,...]
//                [--words=pl,multi --words_dir=DIR [--words_weight=W] [--words_max_df=N]]
//                [--no_aux] [--shared_weight=S] [--serve_shared]
//   opinia-train --print_training_tables | --print_crossfit_groups
//
// Experiments only (models/README.md, "Tried on 2026-12-05"; the shipped
// models use none of them): --words adds word expansion features (the
// thesaurus group or lemma of each word, nlp/word_expansion.h) from the
// source table DIR/sentiment_<model>.tsv (scripts/word_expansions.py) and
// writes sentiment_<model>.words beside the model; --no_aux drops the
// auxiliary domain; --shared_weight scales the shared copy of the domain
// adaptation and --serve_shared serves the shared weights alone.
//
// For each model with a meta model (ModelSpec::meta; --meta=LIST overrides,
// --no_meta: none), also writes sentiment_<lang>.meta (nlp/sentiment_meta.h):
// 5-fold out-of-fold predictions of the model over its training set (fold
// models trained exactly as the served one), the lexicon features of each
// text (lexicon.tsv of --out, so the lexicon is compiled first), and a
// multinomial logistic regression on them.
//
// --translated (default build/translated) is where
// scripts/translate_reviews.sh wrote the machine-translated training files
// of sentiment_romance (ModelSpec::translated). --corpus (default
// nlp/corpus, run from the source tree) is where the hand-written shop
// corpus is (nlp/corpus/README.md): training files named shop_*.
// --clause_dir is where the clause models' training files are written from
// it (TrainClauseModels()). aspect_detect: the aspect detector
// (TrainAspectDetector()); --aspect_add / --aspect_drop set every aspect's
// thresholds and --aspect_min_df its vocabulary (experiments,
// scripts/aspect_detect_tune.sh). Then the label arbiter (label_arbiter.meta,
// nlp/tools/label_arbiter_train.h), fitted on what the analyzer of --out
// computes over the tuning sources (the corpus dev part, the spent case
// tables of --cases and the ../shared/data dev splits), and last the
// aspect-sign arbiter (aspect_signs.meta, nlp/tools/aspect_signs_train.h),
// which reads the arbitrated label. With --crossfit=K both read a spent
// table the models trained on with fold models trained without it
// (TrainCrossFitFolds()).
//
// Every training text goes through Tokenize() + ReviewInput() +
// LinearFeatures(), exactly as at serving time. LIBLINEAR's logistic
// regression is deterministic, so the same data gives byte-identical models.
// Hyper-parameters were chosen on the dev splits only (see models/README.md);
// --c, --chars and --char_weight override them for experiments.
// --sentiment_c=MODEL=C,... sets one review or tweet model's C (MODEL as in
// --table_weights: "en" for sentiment_en), leaving the others and the
// clause models at theirs: scripts/amazon_cv.sh sweeps the English model's
// C with it.
#include <linear.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlp/aspect_detect.h"
#include "nlp/aspects.h"
#include "nlp/clause_model.h"
#include "nlp/label_arbiter.h"
#include "nlp/lexicon.h"
#include "nlp/linear_model.h"
#include "nlp/sentiment_features.h"
#include "nlp/sentiment_meta.h"
#include "nlp/tools/label_arbiter_train.h"
#include "nlp/sentiment_models.h"
#include "nlp/text.h"
#include "nlp/tools/aspect_signs_train.h"
#include "nlp/tools/clause_data.h"
#include "nlp/tools/eval_cases.h"
#include "nlp/tools/lexicon_compile.h"
#include "nlp/tools/multinomial.h"
#include "nlp/tools/router_data.h"
#include "nlp/tools/training_tables.h"
#include "nlp/tools/tsv.h"
#include "nlp/word_expansion.h"

namespace opinia::nlp::tools {
namespace {

struct ModelSpec {
  // What the model serves (its row of sentiment_models.tsv); the files are
  // <serving.name>.lin and .meta. Every language of `files` must be listed.
  SentimentModelRow serving;
  std::vector<std::string> files;  // under <data>/sentiment/
  double c;                        // LIBLINEAR's C (inverse regularisation)
  // Auxiliary-domain training files (may be empty), used by "frustratingly
  // easy" domain adaptation (Daume III, ACL 2007): every feature gets a
  // shared copy and a copy for its text's domain (main or auxiliary); the
  // model served is the shared + main copies' weights, so the auxiliary data
  // shapes the shared weights without overriding what the main domain says.
  std::vector<std::string> aux_files = {};
  // Character n-grams of the words (LinearFeatures()), and the factor on
  // their TF-IDF values (folded into their stored idf, so serving needs
  // nothing else): {0, 0} for none.
  CharGrams chars = {};
  double char_weight = 1.0;
  // The meta model (nlp/sentiment_meta.h): lexicon features used, its C,
  // how many of `files` (from the first) make its training set (-1: all),
  // and whether the out-of-fold predictions use contiguous folds.
  // meta = false: no meta model file (the analyzer then serves the base
  // model's probabilities).
  std::vector<int> meta_columns = {};
  double meta_c = 1.0;
  int meta_files = -1;
  bool contiguous_folds = false;
  bool meta = true;
  // Word expansions (nlp/word_expansion.h): the source table
  // <words_dir>/<serving.name>.tsv (scripts/word_expansions.py) is read, its
  // tokens weighted by `words_weight` (folded into their idf, as for the
  // character n-grams), and <serving.name>.words written with the forms
  // and tokens the model knows. 0: none.
  double words_weight = 0;
  int words_max_df = 0;  // > 0: only forms in fewer training texts expand
  // Domain adaptation experiments: the shared copy's scale, and serving
  // the shared weights alone.
  double shared_weight = 1.0;
  bool serve_shared = false;
  // `files` are machine translations under <translated>/sentiment/
  // (scripts/translate_reviews.sh; not committed), not under <data>.
  bool translated = false;
  // A feature enters the model when at least this many training texts
  // have it (and kMinDocFreq).
  int min_df = 0;
};

// Reviews in Spanish, French, Italian and Portuguese: the English review
// data machine-translated by scripts/translate_reviews.sh (Apertium, at
// training time only), and the Spanish, French and Italian parts of the
// shop corpus (nlp/corpus), whose NEUTRAL and MIXED rows give the model
// those classes (before the sixth pass a two-class model took its NEUTRAL
// from the tweet model, a mechanism removed with it; with the corpus:
// nlp/eval es/fr/it labels up 2-15 points on every table, translated
// Amazon dev -0.9 to +0.5, models/README.md "Sixth pass"). Their tweets,
// and every text from a social platform, stay with sentiment_multi (the
// tweet row lists them too). Chosen on dev (models/README.md,
// "Fifth pass"): one model for the four languages (one per language: a
// wash on dev, 317 / 204 against 316 / 201 case labels with and without
// the rules, Amazon dev -0 to -1.7 points); length_k 20 as for
// English (0: nlp/eval es/fr/it 304 against 317 of 369 labels); features
// in >= 4 texts (3.1 MB; >= 2: 8.4 MB, same dev numbers; >= 8: models
// alone lower); no meta model; the es/fr/it/pt tweets as an auxiliary
// domain or as training data did not help (multi_tweets.dev 0.566-0.575
// either way).
ModelSpec RomanceSpec() {
  ModelSpec s{{"sentiment_romance", TextDomain::kReview, {"es", "fr", "it", "pt"}, 20.0f},
              {},
              8.0};
  for (const char* lang : {"es", "fr", "it", "pt"}) {
    for (const char* set : {"amazon_reviews.train.tsv", "uci_sentences.train.tsv"}) {
      s.files.push_back(absl::StrCat(lang, "_", set));
    }
  }
  for (const char* lang : {"es", "fr", "it"}) {  // no Portuguese corpus
    s.files.push_back(absl::StrCat("shop_", lang, ".tsv:train@abc"));
  }
  s.translated = true;
  s.meta = false;
  s.min_df = 4;
  return s;
}

// German reviews: the training part of the hand-written shop corpus
// (nlp/corpus/README.md), the only German review data the project has.
// German tweets, and every text from a social platform, stay with
// sentiment_multi. Chosen on dev: see models/README.md, "Sixth pass".
ModelSpec GermanSpec() {
  ModelSpec s{{"sentiment_de", TextDomain::kReview, {"de"}, 0.0f}, {"shop_de.tsv:train@abcde"}, 16.0};
  s.meta = false;
  return s;
}

std::vector<ModelSpec> Specs() {
  return std::vector<ModelSpec>{
      // PolEmo 2.0 medicine (doctors' reviews) as plain extra training data
      // lowered dev accuracy (fastText 0.57-0.63 vs 0.66, logistic
      // regression 0.645 vs 0.697); as an auxiliary domain it raises it
      // (0.720 vs 0.697 model alone; +2.3 points in 5-fold CV on the
      // CLARIN-Emo training set, every fold up). See models/README.md.
      // Meta models (nlp/sentiment_meta.h): lexicon features of words and
      // stems; pl_clarin_emo.train is in review order, so its folds are
      // contiguous (a review's sentences stay in one fold). The shop corpus
      // (nlp/corpus) as more main-domain data, the meta model trained on
      // CLARIN-Emo's out-of-fold predictions only (meta_files 1): nlp/eval
      // labels +4.5 to +10 points, pl_clarin_emo.dev -0.5 (as auxiliary
      // domain: +1.7 / -0.6; with the meta model on both: -1.7 on
      // pl_clarin_emo.dev). Only the first six writers' parts (a-f): the
      // last round's parts g, h, weighted to hard cases, cost
      // pl_clarin_emo.dev another 0.9 points for +2 / +4 cases on
      // cases6 dev / cases5. models/README.md, "Sixth pass".
      {{"sentiment_pl", TextDomain::kReview, {"pl"}, 0.0f},
       {"pl_clarin_emo.train.tsv", "shop_pl.tsv:train@abcdef"}, 8.0,
       {"pl_polemo2_medicine.train.tsv"}, {}, 1.0,
       {0, 1, 2, 3, 4, 5, 6, 7, 10}, 1.0, 1, true},
      // No meta model for English (--meta=en trains one: on the Amazon
      // reviews' out-of-fold predictions, the UCI sentences staying training
      // data of every fold model; words only): en_amazon_reviews.dev
      // 0.872-0.903 against 0.894 over the fusion settings tried, and every
      // setting above 0.894 failed 1-3 hand-written English cases.
      // length_k 20: trained mostly on long reviews, the model needs the
      // lexicon on one short sentence ("Not bad at all, I'm pleased."; with
      // 0 two hand-written cases fail, with 15..30 none; dev 0.90 -> 0.89).
      // The Polish and tweet models, trained on sentences and tweets, do not
      // (dev flat or lower for 1..3). The shop corpus (nlp/corpus) joins the
      // training data with its NEUTRAL and MIXED rows, so the model has
      // those classes (only its polar rows, or as an auxiliary domain:
      // smaller gains on nlp/eval, en_amazon_reviews.dev -0.8). Only the
      // first four writers' parts (a-d): the last round's e, f cost
      // en_amazon_reviews.dev 0.6 points for +2 / +6 cases on cases6 dev /
      // cases5. C 32 (was 8) since the fifteenth pass, with the tables at
      // weight 2 (kTableWeightsFlag): less regularised, the model keeps
      // more of the shop tables' wording (models/README.md, "Fifteenth
      // pass: English"); kept by the sixteenth pass's Amazon 5-fold check
      // (scripts/amazon_cv.sh, --sentiment_c=en=C; "Sixteenth pass: the
      // English floor").
      {{"sentiment_en", TextDomain::kReview, {"en"}, 20.0f},
       {"en_amazon_reviews.train.tsv", "en_uci_sentences.train.tsv", "shop_en.tsv:train@abcd"}, 32.0,
       {}, {}, 1.0, {0, 1, 2, 3, 10}, 1.0, 1, false, false},
      // Character 3-6-grams at half weight: multi_tweets.dev macro-F1
      // 0.564 -> 0.576 in the analyzer, and up in every fold of a 5-fold CV
      // on the training set (+0.2 ... +1.9, mean +0.95). Sizes 2-5, 3-5,
      // weights 0.3-1 and C 2-8 all gave 0.567-0.576 on dev. Not for pl or en:
      // lower there (models/README.md). Also the model of every language no
      // other row lists ("*"; shared emoji, names, loan words, stems).
      {{"sentiment_multi",
        TextDomain::kTweet,
        {"ar", "de", "en", "es", "fr", "hi", "it", "pt", kAnyLanguage},
        0.0f},
       {"multi_tweets.train.tsv"}, 4.0, {}, {3, 6}, 0.5,
       {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 1.0, -1, false},
      RomanceSpec(),
      GermanSpec(),
  };
}

// The case tables the review and clause models train on
// (--train_tables=T,...; "-": none; the default: every spent table,
// cases..cases10, since the eleventh pass), each row
// counted kTableWeight times (--table_weight), per model overridable
// (--table_weights). Chosen leave-one-table-out (train on two, measure the
// third; models/README.md, "Tenth pass: the spent tables as training
// data"): labels of the held-out tables 2,099 -> 2,162 / 2,171 / 2,175 /
// 2,176 of 2,918 with weight 1 / 2 / 3 / 4 ("A|B" rows skipped), 2,182
// with weight 3 and their first label. The eleventh pass measured cases10
// too (train on three of cases7..cases10, measure the fourth: labels 2,667
// without tables, 2,782 as here, 2,817 with the English review model in;
// models/README.md, "Eleventh pass: training data"). A table of
// kSpentTables only with --crossfit: the arbiters are fitted on those out
// of fold (TrainCrossFitFolds()). The default since the eleventh pass
// (models/README.md, "Eleventh pass"): every spent table, cross-fitted in
// kCrossFitFolds groups, the Polish review model without the older tables
// (kSpentTablesOff) and at weight 1 (kTableWeightsFlag): on the fresh
// table cases11's dev half labels 322 -> 341 of 440 over cases7..cases9
// alone (324 / 332 with the Romance model at weight 0 / 1). The twelfth
// pass added cases11 (models/README.md, "Twelfth pass"): on the fresh
// table cases12's dev half 308 -> 315 of 436 alone, 329 with the English
// review model on the tables and the Polish one on cases10 and cases11.
// The thirteenth pass added cases12 (models/README.md, "Thirteenth pass"):
// on the fresh table cases13's dev half 322 -> 332 of 437 alone. The
// fourteenth pass added cases13 ("Fourteenth pass"), the fifteenth
// cases14 ("Fifteenth pass"), the sixteenth cases15 ("Sixteenth pass"),
// the seventeenth cases16 ("Seventeenth pass"), the eighteenth cases17
// ("Eighteenth pass"); cases18 after the eighteenth pass's test half, for
// the nineteenth; cases19 after the nineteenth's, for the twentieth; cases20
// after the twentieth's, for the twenty-first; cases21 after the
// twenty-first's, for the twenty-second; cases22 after the
// twenty-second's, for the twenty-third; cases23 after the twenty-third's,
// for the twenty-fourth (whose retrain with it was withdrawn after its test
// half: the English test split fell below its floor; models/README.md,
// "Twenty-fourth pass"); cases24 after the twenty-fourth's test half, for
// the twenty-fifth (whose retrain with both was withdrawn after its test
// half for the same floor, though the English review model reads the
// Amazon reviews out of fold the same with them or without, 4,622 of 5,309
// either way; "Twenty-fifth pass"); cases25 after the twenty-fifth's test
// half (the shipped models are trained on none of the three).
constexpr char kTrainingTablesFlag[] =
    "cases,cases3,cases4,cases5,cases6,cases7,cases8,cases9,cases10,cases11,cases12,cases13,cases14,cases15,cases16,cases17,cases18,cases19,cases20,cases21,cases22,cases23,cases24,cases25";
constexpr int kTableWeight = 3;
// Per-model weights over kTableWeight (--table_weights=MODEL=N,...; keys:
// TableSources::weights; "-": none). The English review model at weight 1
// since the twelfth pass (it left the tables out before: the refitted label
// arbiter read the convention "Although the app is easy to use, the lamp
// itself is a letdown." POSITIVE, as the review model alone does with or
// without the tables; the model no longer reads a conceded opening clause,
// SentimentParams::model_skips_conceded). Leave-one-table-out over
// cases7..cases11 English: labels 801 / 863 / 874 / 878 of 1,135 at weight
// 0 / 1 / 2 / 3, en_amazon_reviews.dev 0.8983 / 0.8998 / 0.8920 / 0.8936
// (models/README.md, "Twelfth pass: English learns from the tables").
// C 32 since the fifteenth pass. Helper E's sweep on the tables up to
// cases13 chose weight 3 with it: out of fold over the spent
// tables' English (the arbiters' three cross-fit groups, cases7..cases9
// left out one at a time) labels 2,006 -> 2,053 of 2,489,
// en_amazon_reviews.dev 0.8998 -> 0.9030 (at C 8: weight 2 / 3 / 4 gave
// 2,030 / 2,040 / 2,049 but 0.8920 / 0.8920 / 0.8936; weight 4 with C 32,
// 2,067, reads the convention "Delivery was three days late, but the
// sandals are fantastic." POSITIVE and no label arbiter could be refitted;
// models/README.md, "Fifteenth pass: English"). Shipped at weight 2, the
// lead's choice when retraining with cases14 (models/README.md,
// "Fifteenth pass"): at
// weight 3 en_amazon_reviews.dev fell 0.8998 -> 0.8967 with cases14 in the
// tables; weight 2 / 1 read it 0.8998 / 0.9014 and the cases15 dev half
// 343 / 340 labels against weight 3's 344 (A's arbiters). Kept by the
// sixteenth pass's 5-fold check over the Amazon train + dev reviews
// (scripts/amazon_cv.sh; models/README.md, "Sixteenth pass: the English
// floor"; cases15 in the tables): C 32 / weight 2 reads 4,647 of 5,309
// Amazon reviews and 2,377 of 2,913 spent-table English labels out of
// fold; weight 1 trades +12 reviews for -14 labels, weight 3 -10 for +11;
// C 64 / weight 1 +11 / -9 (the alternative if the Amazon floor weighs
// more); C 64 / weight 2-3 (+1 / +6..+16) reads the convention
// en_unnamed_after POSITIVE with the shipped arbiter; C 8-16 lose both.
// The Polish review model at
// weight 1: the tables cost CLARIN-Emo out of fold (5-fold over its train
// and dev part: -0.16 points at weight 1, -0.36 at 3; "Eleventh pass:
// training data").
constexpr char kTableWeightsFlag[] = "en=2,pl=1";
// The English rows of the training tables machine-translated into Spanish,
// French and Italian (scripts/translate_tables.sh, under
// <--translated>/tables) as training data, per model
// (--translated_table_weights=MODEL=N,...; "-": none; TableSources::
// translated_weights; key "romance", or "clause_<lang>" for a clause
// model; by default no clause model reads them). The Romance review model
// at weight 1 since the thirteenth pass: leave-one-table-out over cases7..cases11,
// es/fr/it labels 945 / 962 / 965 / 964 of 1,232 at weight 0 / 1 / 2 / 3
// (models alone 883 / 917 / 916 / 918), the unseen cases12 161 -> 171 of
// 229, translated Amazon dev es/fr/it 0.8779/0.8638/0.8576 at 0, highest
// at 1 (0.8826/0.8764/0.8685; models/README.md, "Thirteenth pass: Romance
// languages from translated tables").
constexpr char kTranslatedTableWeightsFlag[] = "romance=1";
// --crossfit=K's default (0: off, allowed only without a spent table in
// --train_tables) and --spent_tables_off's (the models listed leave
// kSpentOffTables out): trained on the older tables too the Polish review
// model cost pl_clarin_emo.dev 4 sentences ("Eleventh pass: cross-fitted
// arbiters"); on cases10 and cases11 nothing out of fold ("Twelfth pass"),
// on cases12 7 of 5,623 CLARIN-Emo sentences ("Thirteenth pass: Polish
// domain adaptation"); cases21 and cases22 joined kSpentOffTables in the
// twenty-third pass (pl_clarin_emo.dev 0.7409 -> 0.7330 trained on them),
// cases23 in the twenty-fourth (0.7409 -> 0.7378, the fresh cases24 dev
// half's Polish labels the same either way).
constexpr int kCrossFitFolds = 3;
constexpr char kSpentTablesOff[] = "pl";

// A feature must occur in this many training texts to enter the model: the
// rest (mostly one-off bigrams) cannot generalise and would triple the size
// (same dev accuracy with 1 or 2).
constexpr int kMinDocFreq = 2;

std::string Line(const Example& e) {
  TokenizedText t = Tokenize(e.text);
  return "__label__" + e.label + " " + ReviewInput(t);
}

void Quiet(const char*) {}

template <typename T>
void WritePod(std::ostream& out, T v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof(T));
}

// The texts of one model's training files, each through Tokenize() +
// ReviewInput() + LinearFeatures() as at serving time.
struct Corpus {
  std::vector<std::vector<std::pair<uint64_t, int>>> docs;  // (feature, count)
  std::vector<std::string> labels;
  std::vector<bool> aux;           // from an auxiliary-domain file
  std::vector<bool> meta;          // a row of the meta model's training set
  std::vector<std::string> inputs;  // ReviewInput()
  std::vector<std::string> langs;   // the file's language column
  std::vector<std::string> aspects;  // the shop corpus's aspects column
  absl::flat_hash_set<uint64_t> is_char;  // features that are n-grams
  absl::flat_hash_set<uint64_t> is_expansion;  // word expansion tokens
  // The source table (spec.words_weight > 0): lines as read, and parsed.
  std::vector<std::pair<std::string, std::vector<std::string>>> word_lines;
  std::unique_ptr<WordExpansion> words;
  std::vector<std::string> names;  // sorted label names
};

// Reads the source word expansion table (see ModelSpec::words_weight).
// With max_df > 0, only the forms that fewer than max_df training texts
// (of `files`) use are expanded: frequent words keep their own features.
bool ReadWords(const std::string& path, int max_df,
               const std::vector<std::string>& files, Corpus* c) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot open " << path << "\n";
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::flat_hash_map<std::string, int> df;
  if (max_df > 0) {
    for (const std::string& f : files) {
      auto examples = ReadTsv(f);
      if (!examples.ok()) {
        std::cerr << examples.status() << "\n";
        return false;
      }
      for (const Example& e : *examples) {
        absl::flat_hash_set<std::string> seen;
        for (const Token& t : Tokenize(e.text).tokens) {
          if (t.kind == TokenKind::kWord && seen.insert(t.norm).second) ++df[t.norm];
        }
      }
    }
  }
  std::string kept = std::string(WordExpansion::kMagic) + "\n";
  bool header = true;
  for (absl::string_view line : absl::StrSplit(text.str(), '\n', absl::SkipEmpty())) {
    if (header) {
      header = false;
      continue;
    }
    const size_t tab = line.find('\t');
    std::string form(line.substr(0, tab));
    if (max_df > 0) {
      auto it = df.find(form);
      if (it != df.end() && it->second >= max_df) continue;
    }
    kept.append(line.data(), line.size());
    kept += '\n';
    c->word_lines.emplace_back(
        std::move(form), absl::StrSplit(line.substr(tab + 1), ' ', absl::SkipEmpty()));
  }
  auto words = WordExpansion::Parse(kept, path);
  if (!words.ok()) {
    std::cerr << words.status() << "\n";
    return false;
  }
  c->words = *std::move(words);
  return true;
}

// Where opinia-train reads training files: ../shared/data, the machine
// translations of scripts/translate_reviews.sh, and the shop corpus
// (nlp/corpus: files named shop_*, with a ":train" or ":dev" part).
struct DataDirs {
  std::string data;
  std::string translated;
  std::string corpus;
  std::string clauses;  // WriteClauseData()'s output (TrainClauseModels)
  std::string router = {};  // WriteRouterData()'s output (TrainRouter)
  // Case tables as main-domain training data of the review and clause
  // models (AddTableFiles()).
  TableSources tables = {};
  std::vector<std::string> spent_off = {};  // AddTableFiles()
  std::string Path(const ModelSpec& spec, const std::string& file, bool aux) const {
    if (absl::StrContains(file, '/')) return file;  // a path (TableSources::Files)
    if (absl::StartsWith(file, "shop_")) return corpus + "/" + file;
    if (absl::StartsWith(file, "clause_")) return clauses + "/" + file;
    if (absl::StartsWith(file, "router_")) return router + "/" + file;
    return (spec.translated && !aux ? translated : data) + "/sentiment/" + file;
  }
};

// The case tables of `tables` join a review model's files as main-domain
// data, after the others (so meta_files still counts the first files
// only): ReviewTableFiles() (nlp/tools/training_tables.h), `spent_off`
// from --spent_tables_off.
void AddTableFiles(const TableSources& tables, const std::vector<std::string>& spent_off,
                   ModelSpec* spec) {
  for (std::string& f : ReviewTableFiles(tables, spent_off, spec->serving)) {
    spec->files.push_back(std::move(f));
  }
}

bool ReadCorpus(const DataDirs& dirs, const ModelSpec& spec,
                const std::string& words_dir, Corpus* c) {
  if (spec.words_weight > 0) {
    std::vector<std::string> paths;
    for (const std::string& f : spec.files) paths.push_back(dirs.Path(spec, f, false));
    for (const std::string& f : spec.aux_files) paths.push_back(dirs.Path(spec, f, true));
    if (!ReadWords(words_dir + "/" + spec.serving.name + ".tsv", spec.words_max_df,
                   paths, c)) {
      return false;
    }
  }
  std::vector<uint64_t> feats, char_feats, expansion_feats;
  std::vector<std::pair<std::string, bool>> files;
  for (const std::string& f : spec.files) files.emplace_back(f, false);
  for (const std::string& f : spec.aux_files) files.emplace_back(f, true);
  for (size_t fi = 0; fi < files.size(); ++fi) {
    const auto& [f, is_aux] = files[fi];
    auto examples = ReadTsv(dirs.Path(spec, f, is_aux));
    if (!examples.ok()) {
      std::cerr << examples.status() << "\n";
      return false;
    }
    const bool meta = !is_aux && (spec.meta_files < 0 ||
                                  static_cast<int>(fi) < spec.meta_files);
    for (const Example& e : *examples) {
      const auto& served = spec.serving.languages;
      if (std::find(served.begin(), served.end(), e.lang) == served.end()) {
        std::cerr << f << ": language " << e.lang << " is not in the "
                  << spec.serving.name << " row's languages\n";
        return false;
      }
      feats.clear();
      char_feats.clear();
      expansion_feats.clear();
      std::string input = ReviewInput(Tokenize(e.text), c->words.get());
      LinearFeatures(input, &feats, spec.chars, &char_feats, &expansion_feats);
      c->is_char.insert(char_feats.begin(), char_feats.end());
      c->is_expansion.insert(expansion_feats.begin(), expansion_feats.end());
      feats.insert(feats.end(), char_feats.begin(), char_feats.end());
      feats.insert(feats.end(), expansion_feats.begin(), expansion_feats.end());
      std::sort(feats.begin(), feats.end());
      std::vector<std::pair<uint64_t, int>> doc;
      for (uint64_t h : feats) {
        if (!doc.empty() && doc.back().first == h) {
          ++doc.back().second;
        } else {
          doc.emplace_back(h, 1);
        }
      }
      c->docs.push_back(std::move(doc));
      c->labels.push_back(e.label);
      c->aux.push_back(is_aux);
      c->meta.push_back(meta);
      c->inputs.push_back(std::move(input));
      c->langs.push_back(e.lang);
      c->aspects.push_back(e.aspects);
    }
  }
  c->names = c->labels;
  std::sort(c->names.begin(), c->names.end());
  c->names.erase(std::unique(c->names.begin(), c->names.end()), c->names.end());
  return true;
}

// A trained linear model as served (weights of the main domain).
struct Fitted {
  std::vector<uint64_t> vocab;  // sorted
  std::vector<double> idf;
  absl::flat_hash_map<uint64_t, int> index;  // feature -> vocab position
  int k = 0;
  std::vector<int> ids;        // label of each class: index into names + 1
  std::vector<double> bias;    // k
  std::vector<double> w;       // vocab.size() x k
};

// Trains on `rows` of `c`. LIBLINEAR's L2-regularised logistic regression
// (primal Newton) is deterministic: same data, same weights.
bool Fit(const Corpus& c, const ModelSpec& spec, const std::vector<int>& rows,
         Fitted* fit) {
  const bool adapt = !spec.aux_files.empty();
  const double shared_weight = adapt ? spec.shared_weight : 1.0;
  absl::flat_hash_map<uint64_t, int> df;
  for (int d : rows) {
    for (const auto& [h, n] : c.docs[static_cast<size_t>(d)]) ++df[h];
  }
  fit->vocab.clear();
  for (const auto& [h, n] : df) {
    if (n >= std::max(kMinDocFreq, spec.min_df)) fit->vocab.push_back(h);
  }
  std::sort(fit->vocab.begin(), fit->vocab.end());  // deterministic indices
  fit->index.clear();
  fit->idf.assign(fit->vocab.size(), 0);
  const double n_docs = static_cast<double>(rows.size());
  for (size_t i = 0; i < fit->vocab.size(); ++i) {
    fit->index[fit->vocab[i]] = static_cast<int>(i);
    fit->idf[i] = std::log((n_docs + 1) / (df[fit->vocab[i]] + 1)) + 1;
    // A hash that is both a word feature and a gram (never seen: 64 bits)
    // would be weighted as a gram.
    if (c.is_char.contains(fit->vocab[i])) fit->idf[i] *= spec.char_weight;
    if (c.is_expansion.contains(fit->vocab[i])) fit->idf[i] *= spec.words_weight;
  }
  const int n = static_cast<int>(fit->vocab.size());
  // With domain adaptation, feature i has LIBLINEAR indices i (shared),
  // n + i (main domain) and 2n + i (auxiliary domain).
  const int copies = adapt ? 3 : 1;
  std::vector<std::vector<feature_node>> xs(rows.size());
  std::vector<feature_node*> x(rows.size());
  std::vector<double> y(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    const size_t d = static_cast<size_t>(rows[r]);
    auto& row = xs[r];
    double norm2 = 0;
    for (const auto& [h, cnt] : c.docs[d]) {
      auto it = fit->index.find(h);
      if (it == fit->index.end()) continue;
      const int i = it->second + 1;  // LIBLINEAR counts from 1
      const double v = (1 + std::log(static_cast<double>(cnt))) * fit->idf[it->second];
      row.push_back({i, v * shared_weight});
      norm2 += v * v * shared_weight * shared_weight;
      if (adapt) {
        row.push_back({i + (c.aux[d] ? 2 * n : n), v});
        norm2 += v * v;
      }
    }
    std::sort(row.begin(), row.end(),
              [](const feature_node& a, const feature_node& b) { return a.index < b.index; });
    const double inv = norm2 > 0 ? 1 / std::sqrt(norm2) : 0;
    for (auto& node : row) node.value *= inv;
    row.push_back({copies * n + 1, 1.0});  // bias
    row.push_back({-1, 0.0});
    x[r] = row.data();
    y[r] = static_cast<double>(
        std::lower_bound(c.names.begin(), c.names.end(), c.labels[d]) - c.names.begin() + 1);
  }
  problem prob{};
  prob.l = static_cast<int>(rows.size());
  prob.n = copies * n + 1;
  prob.y = y.data();
  prob.x = x.data();
  prob.bias = 1.0;
  parameter param{};
  param.solver_type = L2R_LR;
  param.eps = 0.01;
  param.C = spec.c;
  param.p = 0.1;
  set_print_string_function(&Quiet);
  if (const char* err = check_parameter(&prob, &param)) {
    std::cerr << err << "\n";
    return false;
  }
  model* m = train(&prob, &param);
  fit->k = get_nr_class(m);
  fit->ids.assign(static_cast<size_t>(fit->k), 0);
  get_labels(m, fit->ids.data());
  fit->bias.assign(static_cast<size_t>(fit->k), 0);
  // The bias is the weight of feature n+1 (value 1).
  for (int k = 0; k < fit->k; ++k) fit->bias[static_cast<size_t>(k)] = get_decfun_bias(m, k);
  // With domain adaptation a main-domain text's vector is (x, x, 0) /
  // (sqrt(2) |x|), so its decision value is x . (w_shared + w_main) /
  // (sqrt(2) |x|): the served weights are (w_shared + w_main) / sqrt(2)
  // over the usual normalisation.
  // (Shared copy scaled by s: (s w_shared + w_main) / sqrt(s^2 + 1); served
  // as the shared part alone, for texts of neither domain: w_shared.)
  const double s = shared_weight;
  const double scale = adapt && !spec.serve_shared ? 1 / std::sqrt(s * s + 1) : 1.0;
  fit->w.assign(static_cast<size_t>(n) * static_cast<size_t>(fit->k), 0);
  for (int i = 1; i <= n; ++i) {
    for (int k = 0; k < fit->k; ++k) {
      double w = get_decfun_coef(m, i, k);
      if (adapt && !spec.serve_shared) w = s * w + get_decfun_coef(m, n + i, k);
      fit->w[static_cast<size_t>(i - 1) * static_cast<size_t>(fit->k) + static_cast<size_t>(k)] =
          w * scale;
    }
  }
  free_and_destroy_model(&m);
  return true;
}

double Half(double v) { return HalfToFloat(FloatToHalf(static_cast<float>(v))); }

// Probabilities (label order of names) of document `d` by `fit`, as the
// served (binary16) model computes them.
void PredictFitted(const Fitted& fit, const std::vector<std::pair<uint64_t, int>>& doc,
                   size_t n_names, std::vector<float>* probs) {
  std::vector<double> dec(static_cast<size_t>(fit.k));
  for (int k = 0; k < fit.k; ++k) dec[static_cast<size_t>(k)] = static_cast<float>(fit.bias[static_cast<size_t>(k)]);
  double norm2 = 0;
  std::vector<std::pair<int, double>> xs;
  for (const auto& [h, cnt] : doc) {
    auto it = fit.index.find(h);
    if (it == fit.index.end()) continue;
    const double v = (1 + std::log(static_cast<double>(cnt))) * Half(fit.idf[static_cast<size_t>(it->second)]);
    xs.emplace_back(it->second, v);
    norm2 += v * v;
  }
  const double inv = norm2 > 0 ? 1 / std::sqrt(norm2) : 0;
  for (const auto& [i, v] : xs) {
    for (int k = 0; k < fit.k; ++k) {
      dec[static_cast<size_t>(k)] +=
          v * inv * Half(fit.w[static_cast<size_t>(i) * static_cast<size_t>(fit.k) + static_cast<size_t>(k)]);
    }
  }
  probs->assign(n_names, 0.0f);
  double sum = 0;
  for (int k = 0; k < fit.k; ++k) sum += 1 / (1 + std::exp(-dec[static_cast<size_t>(k)]));
  for (int k = 0; k < fit.k; ++k) {
    (*probs)[static_cast<size_t>(fit.ids[static_cast<size_t>(k)] - 1)] =
        static_cast<float>(1 / (1 + std::exp(-dec[static_cast<size_t>(k)])) / sum);
  }
}

bool WriteLinear(const Corpus& c, const ModelSpec& spec, const Fitted& fit,
                 const std::string& out_path) {
  std::ofstream out(out_path, std::ios::binary);
  // Quantized: idf and weights as binary16 (nlp/linear_model.h, OPLM3).
  out.write("OPLM3\n", 6);
  WritePod<uint32_t>(out, spec.chars.enabled() ? spec.chars.min : 0);
  WritePod<uint32_t>(out, spec.chars.enabled() ? spec.chars.max : 0);
  bool representable = true;
  auto half = [&](double v) {
    if (!(std::fabs(v) < 65504.0)) representable = false;
    return FloatToHalf(static_cast<float>(v));
  };
  const int k = fit.k;
  WritePod<uint32_t>(out, static_cast<uint32_t>(k));
  for (int id : fit.ids) {
    const std::string& name = c.names[static_cast<size_t>(id - 1)];
    WritePod<uint32_t>(out, static_cast<uint32_t>(name.size()));
    out.write(name.data(), static_cast<std::streamsize>(name.size()));
  }
  for (int i = 0; i < k; ++i) {
    WritePod<float>(out, static_cast<float>(fit.bias[static_cast<size_t>(i)]));
  }
  // Every vocabulary feature is written, also one whose weights are 0: it
  // still counts in the text's norm.
  const size_t n = fit.vocab.size();
  WritePod<uint64_t>(out, static_cast<uint64_t>(n));
  for (size_t i = 0; i < n; ++i) {
    WritePod<uint64_t>(out, fit.vocab[i]);
    WritePod<uint16_t>(out, half(fit.idf[i]));
    for (int j = 0; j < k; ++j) {
      WritePod<uint16_t>(out, half(fit.w[i * static_cast<size_t>(k) + static_cast<size_t>(j)]));
    }
  }
  if (!representable) {
    std::cerr << out_path << ": a weight or idf is beyond binary16's range\n";
    return false;
  }
  std::cerr << out_path << ": " << k << " classes, " << n << " features, "
            << c.docs.size() << " texts, C " << spec.c << "\n";
  return static_cast<bool>(out);
}

// The runtime word expansion table: the source's forms and tokens that the
// model knows (a token it does not know adds nothing: expansion tokens are
// unigrams). Without a source table, removes a stale file.
bool WriteWords(const Corpus& c, const Fitted& fit, const std::string& out_path) {
  if (c.words == nullptr) {
    std::remove(out_path.c_str());
    return true;
  }
  std::ofstream out(out_path, std::ios::binary);
  out << WordExpansion::kMagic << "\n";
  std::vector<uint64_t> feats;
  size_t forms = 0, tokens = 0;
  for (const auto& [form, line_tokens] : c.word_lines) {
    std::string kept;
    for (const std::string& token : line_tokens) {
      feats.clear();
      LinearFeatures(token, &feats);
      if (!fit.index.contains(feats[0])) continue;
      kept += kept.empty() ? "" : " ";
      kept += token;
      ++tokens;
    }
    if (kept.empty()) continue;
    out << form << "\t" << kept << "\n";
    ++forms;
  }
  std::cerr << out_path << ": " << forms << " forms, " << tokens << " tokens\n";
  return static_cast<bool>(out);
}

// Out-of-fold probabilities (label order of c.names) of the meta rows:
// 5 folds, contiguous blocks (spec.contiguous_folds: texts in document
// order, a review's sentences stay together) or every 5th meta row. The
// fold models are trained as the served one (all other rows, auxiliary
// data included, except auxiliary texts identical to a held-out text).
bool OutOfFold(const Corpus& c, const ModelSpec& spec, std::vector<int>* meta_rows,
               std::vector<std::vector<float>>* oof) {
  constexpr int kFolds = 5;
  meta_rows->clear();
  for (size_t d = 0; d < c.docs.size(); ++d) {
    if (c.meta[d]) meta_rows->push_back(static_cast<int>(d));
  }
  const size_t m = meta_rows->size();
  std::vector<int> fold(c.docs.size(), -1);
  for (size_t j = 0; j < m; ++j) {
    fold[static_cast<size_t>((*meta_rows)[j])] =
        spec.contiguous_folds ? static_cast<int>(j * kFolds / m) : static_cast<int>(j % kFolds);
  }
  // Auxiliary texts equal to a main text: left out while that one is held out.
  absl::flat_hash_map<std::string_view, std::vector<int>> main_by_input;
  for (int d : *meta_rows) main_by_input[c.inputs[static_cast<size_t>(d)]].push_back(fold[static_cast<size_t>(d)]);
  oof->assign(c.docs.size(), {});
  for (int f = 0; f < kFolds; ++f) {
    std::vector<int> rows;
    for (size_t d = 0; d < c.docs.size(); ++d) {
      if (fold[d] == f) continue;
      if (c.aux[d]) {
        auto it = main_by_input.find(c.inputs[d]);
        if (it != main_by_input.end() &&
            std::find(it->second.begin(), it->second.end(), f) != it->second.end()) {
          continue;
        }
      }
      rows.push_back(static_cast<int>(d));
    }
    Fitted fit;
    if (!Fit(c, spec, rows, &fit)) return false;
    for (int d : *meta_rows) {
      if (fold[static_cast<size_t>(d)] != f) continue;
      PredictFitted(fit, c.docs[static_cast<size_t>(d)], c.names.size(),
                    &(*oof)[static_cast<size_t>(d)]);
    }
  }
  return true;
}

// Fits the meta model (nlp/sentiment_meta.h) on the out-of-fold
// predictions and writes it. Features standardised (mean, standard
// deviation over the rows), multinomial logistic regression
// (FitMultinomial, C = spec.meta_c), the standardisation folded into the
// written weights.
bool TrainMeta(const Corpus& c, const ModelSpec& spec, const Fitted& final_fit,
               const std::string& lexicon_path, const std::string& out_path) {
  auto lexicon = Lexicon::Load(lexicon_path);
  if (!lexicon.ok()) {
    std::cerr << lexicon.status() << "\n";
    return false;
  }
  std::vector<int> rows;
  std::vector<std::vector<float>> oof;
  if (!OutOfFold(c, spec, &rows, &oof)) return false;
  const int k = final_fit.k;
  const Lexicon::View any = (*lexicon)->ForLanguage("*");
  std::vector<std::vector<double>> feats(rows.size());
  std::vector<double> y(rows.size());
  std::vector<float> probs(static_cast<size_t>(k));
  int base_correct = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    const size_t d = static_cast<size_t>(rows[r]);
    // In the final model's label order.
    int label = -1, best = 0;
    for (int j = 0; j < k; ++j) {
      const size_t name = static_cast<size_t>(final_fit.ids[static_cast<size_t>(j)] - 1);
      probs[static_cast<size_t>(j)] = oof[d][name];
      if (c.names[name] == c.labels[d]) label = j;
      if (probs[static_cast<size_t>(j)] > probs[static_cast<size_t>(best)]) best = j;
    }
    base_correct += best == label;
    LexiconCounts counts;
    CountLexicon(c.inputs[d], (*lexicon)->ForLanguage(c.langs[d]), any, &counts);
    MetaModel::Inputs(probs.data(), k, counts, spec.meta_columns, &feats[r]);
    y[r] = label + 1;
  }
  const size_t nf = feats.empty() ? 0 : feats[0].size();
  std::vector<const std::vector<double>*> x(rows.size());
  std::vector<int> yi(rows.size());
  std::vector<int> seen(static_cast<size_t>(k), 0);
  for (size_t r = 0; r < rows.size(); ++r) {
    x[r] = &feats[r];
    yi[r] = static_cast<int>(y[r]) - 1;
    seen[static_cast<size_t>(yi[r])] = 1;
  }
  if (std::find(seen.begin(), seen.end(), 0) != seen.end()) {
    std::cerr << out_path << ": a label has no out-of-fold row\n";
    return false;
  }
  std::vector<std::vector<double>> W;  // on the raw features, the bias last
  FitStandardised(x, yi, k, spec.meta_c, 1e-12, &W);
  std::string text = "OPMETA1\nlabels " + std::to_string(k);
  for (int id : final_fit.ids) text += " " + c.names[static_cast<size_t>(id - 1)];
  text += "\nlexicon " + std::to_string(spec.meta_columns.size());
  for (int col : spec.meta_columns) text += " " + std::to_string(col);
  text += "\n";
  int meta_correct = 0;
  for (int j = 0; j < k; ++j) {
    const std::vector<double>& w = W[static_cast<size_t>(j)];
    const double b = w[nf];
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.9g", b);
    text += buf;
    for (size_t i = 0; i < nf; ++i) {
      std::snprintf(buf, sizeof(buf), " %.9g", w[i]);
      text += buf;
    }
    text += "\n";
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    int best = 0;
    double bd = -1e300;
    for (int j = 0; j < k; ++j) {
      double d = W[static_cast<size_t>(j)][nf];
      for (size_t i = 0; i < nf; ++i) d += W[static_cast<size_t>(j)][i] * feats[r][i];
      if (d > bd) bd = d, best = j;
    }
    meta_correct += best + 1 == static_cast<int>(y[r]);
  }
  std::ofstream out(out_path, std::ios::binary);
  out << text;
  std::fprintf(stderr, "%s: %zu out-of-fold rows, accuracy base %.4f, meta (in-sample) %.4f\n",
               out_path.c_str(), rows.size(),
               static_cast<double>(base_correct) / static_cast<double>(rows.size()),
               static_cast<double>(meta_correct) / static_cast<double>(rows.size()));
  return static_cast<bool>(out);
}

bool TrainLinear(const DataDirs& dirs, const std::string& words_dir,
                 const ModelSpec& spec, const std::string& out_dir, bool meta) {
  Corpus c;
  if (!ReadCorpus(dirs, spec, words_dir, &c)) return false;
  std::vector<int> all(c.docs.size());
  for (size_t d = 0; d < all.size(); ++d) all[d] = static_cast<int>(d);
  Fitted fit;
  if (!Fit(c, spec, all, &fit)) return false;
  const std::string path = out_dir + "/" + spec.serving.name;
  if (!WriteLinear(c, spec, fit, path + ".lin")) return false;
  if (!WriteWords(c, fit, path + ".words")) return false;
  if (!meta) return true;
  return TrainMeta(c, spec, fit, out_dir + "/lexicon.tsv", path + ".meta");
}

// The clause models (models/README.md, "Clause model (sixth pass)"):
// clause_<lang>.lin, one per language of the shop corpus, trained on the
// clauses of its training part that name one gold aspect
// (nlp/tools/clause_data.h), written to `dirs.clauses` first. Chosen on
// dev (models/README.md, "Clause model (sixth pass)"): the other
// languages' clauses and the language's whole training rows (those
// labelled POSITIVE, NEGATIVE or NEUTRAL) as auxiliary domains, C 8
// (0.5-8 tried). Not rows of sentiment_models.tsv: the analyzer loads
// them beside the review models (nlp/clause_model.h).
// The languages are the analyzer's (ClauseModels::kLanguages).
constexpr auto& kClauseLanguages = ClauseModels::kLanguages;

std::vector<ModelSpec> ClauseSpecs() {
  std::vector<ModelSpec> specs;
  for (const std::string_view l : kClauseLanguages) {
    const std::string lang(l);
    ModelSpec s{{absl::StrCat("clause_", lang),
                 TextDomain::kReview,
                 {kClauseLanguages, kClauseLanguages + std::size(kClauseLanguages)},
                 0.0f},
                {absl::StrCat("clause_", lang, ".tsv")},
                8.0};
    for (const std::string_view other : kClauseLanguages) {
      if (other != lang) {
        s.aux_files.push_back(absl::StrCat("clause_", std::string(other), ".tsv"));
      }
    }
    s.aux_files.push_back(absl::StrCat("clause_rows_", lang, ".tsv"));
    s.meta = false;
    specs.push_back(std::move(s));
  }
  return specs;
}

bool TrainClauseModels(const DataDirs& dirs, const std::string& out_dir, double c_override) {
  const std::vector<std::string> languages(std::begin(kClauseLanguages),
                                           std::end(kClauseLanguages));
  std::error_code ec;
  std::filesystem::create_directories(dirs.clauses, ec);
  auto counts = WriteClauseData(dirs.corpus, out_dir, dirs.clauses, languages, dirs.tables);
  if (!counts.ok()) {
    std::cerr << counts.status() << "\n";
    return false;
  }
  for (const auto& [lang, n] : *counts) {
    std::cerr << "clause data " << lang << ": " << n.rows << " training rows, "
              << n.named + n.single_clause << " clauses (" << n.named
              << " naming one gold aspect, " << n.single_clause << " one-clause rows)\n";
  }
  for (ModelSpec spec : ClauseSpecs()) {
    if (c_override > 0) spec.c = c_override;
    std::cerr << "training " << spec.serving.name << "\n";
    if (!TrainLinear(dirs, "", spec, out_dir, false)) return false;
  }
  return true;
}

// The post/review router (nlp/tweet_router.h; models/README.md, "Tweet
// router (seventh pass)"): router.lin, one two-class model for every
// language, trained on the posts and reviews WriteRouterData() writes to
// `dirs.router` (train splits only; the translated reviews of
// `dirs.translated` too). Chosen on dev: words and word pairs without
// character n-grams (with 3-5-grams: 2.4-6 MB and more shop texts read as
// posts at the same tweet gain), C 8, features in >= 6 texts (1.4 MB).
ModelSpec RouterSpec() {
  ModelSpec s{{"router",
               TextDomain::kReview,
               {"ar", "de", "en", "es", "fr", "hi", "it", "pl", "pt"},
               0.0f},
              {"router_posts.tsv", "router_reviews.tsv"},
              8.0};
  s.min_df = 6;
  s.meta = false;
  return s;
}

bool TrainRouter(const DataDirs& dirs, const std::string& out_dir, const ModelSpec& spec,
                 const RouterDataOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dirs.router, ec);
  auto counts = WriteRouterData(dirs.data, dirs.corpus, dirs.router, options);
  if (!counts.ok()) {
    std::cerr << counts.status() << "\n";
    return false;
  }
  std::cerr << "router data:";
  for (const auto& [key, n] : *counts) std::cerr << " " << key << " " << n << ";";
  std::cerr << "\ntraining " << spec.serving.name << "\n";
  return TrainLinear(dirs, "", spec, out_dir, false);
}

// The aspect detector (nlp/aspect_detect.h; models/README.md, "Aspect
// detection (seventh pass)"): for each aspect a binary logistic regression
// over every language's training rows of the shop corpus (does the review
// talk about the aspect? its aspects column), one vocabulary for all,
// written as one file with each aspect's thresholds. Chosen on dev (the
// corpus dev part and the spent case tables, out-of-fold by table;
// models/README.md, "Aspect detection (seventh pass)"): C 4 (1-16 tried),
// min_df 3 (2, 5), and the thresholds below, which
// scripts/aspect_detect_tune.sh prints (an add is worth it when it brings
// more right aspects than half the unexpected ones, a drop when it
// removes four unexpected aspects per real mention lost: eleventh pass,
// over the spent tables cases..cases10, "Eleventh pass: aspect polarity";
// was eight). `add` / `drop`
// >= 0 override every aspect's (experiments).
struct AspectDetectChoice {
  Aspect aspect;
  AspectDetector::Thresholds thresholds;
};
constexpr double kAspectDetectC = 4.0;
constexpr int kAspectDetectMinDf = 3;
constexpr AspectDetectChoice kAspectDetectChoices[] = {
    {Aspect::kProductQuality, {0.7f, 0.3f}}, {Aspect::kPrice, {0.4f, 0.05f}},
    {Aspect::kDelivery, {0.5f, 0.2f}},       {Aspect::kReturns, {0.3f, 0.1f}},
    {Aspect::kPayment, {0.5f, 0.1f}},        {Aspect::kCustomerService, {0.5f, 0.1f}},
    {Aspect::kUsability, {0.4f, 0.1f}},      {Aspect::kPackaging, {0.25f, 0.1f}},
};

bool TrainAspectDetector(const DataDirs& dirs, const std::string& out_dir, double c_override,
                         int min_df, float add, float drop) {
  ModelSpec spec{{"aspect_detect",
                  TextDomain::kReview,
                  {kClauseLanguages, kClauseLanguages + std::size(kClauseLanguages)},
                  0.0f},
                 {},
                 c_override > 0 ? c_override : kAspectDetectC};
  for (const std::string_view l : kClauseLanguages) {
    spec.files.push_back(absl::StrCat("shop_", std::string(l), ".tsv:train"));
  }
  spec.meta = false;
  spec.min_df = min_df > 0 ? min_df : kAspectDetectMinDf;
  Corpus c;
  if (!ReadCorpus(dirs, spec, "", &c)) return false;
  // The features as the analyzer computes them (AspectDetector::Features).
  std::vector<uint64_t> features;
  for (size_t d = 0; d < c.docs.size(); ++d) {
    AspectDetector::Features(c.inputs[d], &features);
    std::sort(features.begin(), features.end());
    c.docs[d].clear();
    for (uint64_t h : features) {
      if (!c.docs[d].empty() && c.docs[d].back().first == h) {
        ++c.docs[d].back().second;
      } else {
        c.docs[d].emplace_back(h, 1);
      }
    }
  }
  std::vector<int> all(c.docs.size());
  for (size_t d = 0; d < all.size(); ++d) all[d] = static_cast<int>(d);
  const size_t k = std::size(kAspectDetectChoices);
  Fitted first;
  std::vector<double> bias(k), w;
  for (size_t j = 0; j < k; ++j) {
    const std::string name(nlp::AspectName(kAspectDetectChoices[j].aspect));
    int positives = 0;
    for (size_t d = 0; d < c.docs.size(); ++d) {
      bool has = false;
      for (absl::string_view item : absl::StrSplit(c.aspects[d], ';', absl::SkipEmpty())) {
        has |= item.substr(0, item.find(':')) == name;
      }
      c.labels[d] = has ? "yes" : "no";
      positives += has;
    }
    c.names = {"no", "yes"};
    Fitted fit;
    if (!Fit(c, spec, all, &fit)) return false;
    if (j == 0) {
      first = fit;
      w.assign(first.vocab.size() * k, 0);
    }
    if (fit.vocab != first.vocab || fit.k != 2) {
      std::cerr << "aspect detector: " << name << ": another vocabulary or one class\n";
      return false;
    }
    const size_t yes = c.names[static_cast<size_t>(fit.ids[0] - 1)] == "yes" ? 0 : 1;
    bias[j] = fit.bias[yes];
    for (size_t i = 0; i < fit.vocab.size(); ++i) w[i * k + j] = fit.w[i * 2 + yes];
    std::cerr << "aspect detector " << name << ": " << positives << " of " << c.docs.size()
              << " rows\n";
  }
  const std::string path = out_dir + "/" + AspectDetector::kFile;
  std::ofstream out(path, std::ios::binary);
  out.write(AspectDetector::kMagic, static_cast<std::streamsize>(std::strlen(AspectDetector::kMagic)));
  WritePod<uint32_t>(out, static_cast<uint32_t>(k));
  for (size_t j = 0; j < k; ++j) {
    const AspectDetectChoice& choice = kAspectDetectChoices[j];
    const std::string_view name = nlp::AspectName(choice.aspect);
    WritePod<uint32_t>(out, static_cast<uint32_t>(name.size()));
    out.write(name.data(), static_cast<std::streamsize>(name.size()));
    WritePod<float>(out, static_cast<float>(bias[j]));
    WritePod<float>(out, add >= 0 ? add : choice.thresholds.add);
    WritePod<float>(out, drop >= 0 ? drop : choice.thresholds.drop);
  }
  WritePod<uint64_t>(out, static_cast<uint64_t>(first.vocab.size()));
  bool representable = true;
  auto half = [&](double v) {
    if (!(std::fabs(v) < 65504.0)) representable = false;
    return FloatToHalf(static_cast<float>(v));
  };
  for (size_t i = 0; i < first.vocab.size(); ++i) {
    WritePod<uint64_t>(out, first.vocab[i]);
    WritePod<uint16_t>(out, half(first.idf[i]));
    for (size_t j = 0; j < k; ++j) WritePod<uint16_t>(out, half(w[i * k + j]));
  }
  if (!representable) {
    std::cerr << path << ": a weight or idf is beyond binary16's range\n";
    return false;
  }
  std::cerr << path << ": " << k << " aspects, " << first.vocab.size() << " features, "
            << c.docs.size() << " texts\n";
  return static_cast<bool>(out);
}

bool WriteModelTable(const std::string& out_dir) {
  std::vector<SentimentModelRow> rows;
  for (const ModelSpec& spec : Specs()) rows.push_back(spec.serving);
  const std::string path = out_dir + "/" + kSentimentModelsFile;
  std::ofstream out(path, std::ios::binary);
  out << FormatSentimentModels(rows);
  if (!out) std::cerr << "cannot write " << path << "\n";
  return static_cast<bool>(out);
}

// Cross-fitting (--crossfit=K; models/README.md, "Eleventh pass:
// cross-fitted arbiters"): the arbiters are fitted on what the analyzer
// reads on the spent tables (kSpentTables), so a model that trained on
// one of those tables must not read it for them. The spent tables the
// models of `out` trained on are put into K groups (CrossFitGroups(): the
// i-th of kSpentTables into group i % K); for each group, the models that
// train on tables (the review models AddTableFiles() gives files, the
// clause models) are trained again without the group's tables into
// `root`/fold<g> (a copy of `out` otherwise), and the group's tables are
// read by those (`readers`). A review model whose training files the fold
// does not change (FoldKeepsTableFiles(): no table, or none of the group's,
// as the Polish review model, which leaves the older tables out, in a fold
// that holds out only those) is not trained again: the fold keeps the copy
// of `out`'s. `specs`: every review model's
// spec with the run's overrides, without table files. Deterministic, as
// every model.
bool TrainCrossFitFolds(const DataDirs& dirs, const std::vector<ModelSpec>& specs,
                        const std::string& words_dir, bool meta, double c_override,
                        const std::string& out, int k, const std::string& root,
                        bool reuse, TableReaders* readers) {
  namespace fs = std::filesystem;
  const std::vector<std::vector<std::string>> groups = CrossFitGroups(dirs.tables.tables, k);
  for (int g = 0; g < k; ++g) {
    const std::vector<std::string>& held_out = groups[static_cast<size_t>(g)];
    if (held_out.empty()) continue;  // the models of `out` never saw them
    const std::string fold = absl::StrCat(root, "/fold", g);
    if (reuse) {  // --crossfit_reuse: the folds of an earlier run, as they are
      if (!fs::is_directory(fold)) {
        std::cerr << "crossfit: --crossfit_reuse: no " << fold << "\n";
        return false;
      }
      std::cerr << "crossfit: fold " << g + 1 << " of " << k << ", without "
                << absl::StrJoin(held_out, ",") << ": reusing " << fold << "\n";
      for (const std::string& t : held_out) (*readers)[t] = fold;
      continue;
    }
    std::cerr << "crossfit: fold " << g + 1 << " of " << k << ", without "
              << absl::StrJoin(held_out, ",") << ": " << fold << "\n";
    std::error_code ec;
    fs::create_directories(fold, ec);
    for (const auto& entry : fs::directory_iterator(out, ec)) {
      if (!entry.is_regular_file()) continue;
      fs::copy_file(entry.path(), fs::path(fold) / entry.path().filename(),
                    fs::copy_options::overwrite_existing, ec);
      if (ec) {
        std::cerr << "crossfit: cannot copy " << entry.path() << " to " << fold << ": "
                  << ec.message() << "\n";
        return false;
      }
    }
    DataDirs fold_dirs = dirs;
    fold_dirs.clauses = fold + "/clause_data";
    fold_dirs.tables = dirs.tables.Without(held_out);
    for (ModelSpec spec : specs) {
      if (FoldKeepsTableFiles(dirs.tables, dirs.spent_off, spec.serving, held_out)) {
        // The same training files: the model of `out` (copied above).
        if (!ReviewTableFiles(dirs.tables, dirs.spent_off, spec.serving).empty()) {
          std::cerr << "crossfit: fold " << g + 1 << ": " << spec.serving.name
                    << " trains on the same files as in " << out << ": copied\n";
        }
        continue;
      }
      AddTableFiles(fold_dirs.tables, fold_dirs.spent_off, &spec);
      std::cerr << "crossfit: fold " << g + 1 << ": training " << spec.serving.name << "\n";
      if (!TrainLinear(fold_dirs, words_dir, spec, fold, spec.meta && meta)) return false;
    }
    std::cerr << "crossfit: fold " << g + 1 << ": training the clause models\n";
    if (!TrainClauseModels(fold_dirs, fold, c_override)) return false;
    for (const std::string& t : held_out) (*readers)[t] = fold;
  }
  return true;
}

// Copies the label arbiter of `out` into every fold directory of
// `readers` (the aspect-sign arbiter reads the arbitrated label).
bool CopyLabelArbiter(const std::string& out, const TableReaders& readers) {
  const std::filesystem::path from = std::filesystem::path(out) / kLabelArbiterFile;
  for (const auto& [table, fold] : readers) {
    std::error_code ec;
    std::filesystem::copy_file(from, std::filesystem::path(fold) / kLabelArbiterFile,
                               std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) {
      std::cerr << "crossfit: cannot copy " << from << " to " << fold << ": " << ec.message()
                << "\n";
      return false;
    }
  }
  return true;
}

// --table_weights / --translated_table_weights: "MODEL=N,..." into
// `weights` ("-": none); false (the error printed) on a bad entry.
bool ParseModelWeights(const char* flag, const std::string& value,
                       std::map<std::string, int>* weights) {
  if (value == "-") return true;
  for (absl::string_view kv : absl::StrSplit(value, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> p = absl::StrSplit(kv, '=');
    int n = 0;
    if (p.first.empty() || !absl::SimpleAtoi(p.second, &n) || n < 0) {
      std::cerr << flag << ": bad entry " << kv << " (MODEL=N)\n";
      return false;
    }
    (*weights)[p.first] = n;
  }
  return true;
}

}  // namespace
}  // namespace opinia::nlp::tools

int main(int argc, char** argv) {
  using namespace opinia::nlp::tools;  // NOLINT
  std::string data = "/work/shared/data", out = "models", only, dump_dir;
  std::string translated = "build/translated";
  std::string corpus = "nlp/corpus";
  std::string clause_dir = "build/clause_data";
  std::string router_dir = "build/router_data";
  opinia::nlp::tools::RouterDataOptions router_options;
  int router_min_df = -1;
  // The spent case tables the aspect-sign arbiter is fitted on
  // (nlp/tools/aspect_signs_train.h); --aspect_signs_report: print its
  // out-of-fold numbers, write nothing.
  std::string cases_dir = "nlp/eval";
  // --train_tables=T,... (none: "-") and --table_weight=N: the case tables
  // the review and clause models train on (AddTableFiles()).
  std::string train_tables = kTrainingTablesFlag;
  int table_weight = kTableWeight;
  // --crossfit=K (0: off) and --crossfit_dir=DIR: the arbiters read a spent
  // table the models train on with models trained without it
  // (TrainCrossFitFolds()); needed for a table of kSpentTables in
  // --train_tables.
  int crossfit = kCrossFitFolds;
  std::string crossfit_dir = "build/crossfit";
  // --crossfit_reuse: the fold models already in --crossfit_dir (trained
  // by an earlier run with the same models and tables) read the spent
  // tables, none is trained again: for refitting only the arbiters after
  // a change of analysis code (the caller vouches that the folds match).
  bool crossfit_reuse = false;
  // --arbiter_anchors=N,...: the label arbiter's anchor levels, tried in
  // order (the convention rows in every fit N times); --arbiter_cs=C,...:
  // its regularisation constants (TrainLabelArbiter);
  // --arbiter_group_thresholds=0: one threshold for every language group
  // (as before the twenty-third pass); --arbiter_anchor_level=best (the
  // default since the twenty-fifth pass): the anchor level with the most
  // rows right out of fold, not the first that keeps the conventions
  // (=first, the rule before; models/README.md, "Twenty-fourth pass",
  // "Twenty-fifth pass").
  LabelArbiterTuning arbiter_tuning;
  std::string spent_off = kSpentTablesOff;  // --spent_tables_off=pl,...|-: AddTableFiles()
  std::string table_weights = kTableWeightsFlag;
  std::string translated_table_weights = kTranslatedTableWeightsFlag;
  bool aspect_signs_report = false;
  // Experiment overrides (apply to every selected model); the committed
  // models use the defaults above.
  double c_override = 0, char_weight = -1, words_weight = -1;
  std::map<std::string, double> sentiment_c;  // --sentiment_c=MODEL=C,...
  std::string words_dir, words_models;
  int words_max_df = -1;
  float aspect_add = -1, aspect_drop = -1;  // the aspect detector's thresholds
  int aspect_min_df = 0;
  bool no_meta = false, no_aux = false, serve_shared = false;
  double shared_weight = 1.0;
  std::string meta_files, meta_columns, meta_models;
  opinia::nlp::CharGrams chars;
  bool chars_set = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--c=")) c_override = std::stod(a.substr(4));
    else if (absl::StartsWith(a, "--sentiment_c=")) {
      for (absl::string_view kv : absl::StrSplit(a.substr(14), ',', absl::SkipEmpty())) {
        std::pair<std::string, std::string> p = absl::StrSplit(kv, '=');
        double c = 0;
        if (p.first.empty() || !absl::SimpleAtod(p.second, &c) || !(c > 0)) {
          std::cerr << "--sentiment_c: bad entry " << kv << " (MODEL=C, C > 0)\n";
          return 2;
        }
        sentiment_c[p.first] = c;
      }
    }
    else if (absl::StartsWith(a, "--char_weight=")) char_weight = std::stod(a.substr(14));
    else if (absl::StartsWith(a, "--chars=")) {
      // --chars=MIN,MAX (0,0: none)
      std::vector<std::string> v = absl::StrSplit(a.substr(8), ',');
      if (v.size() != 2) return 2;
      chars.min = static_cast<uint32_t>(std::stoul(v[0]));
      chars.max = static_cast<uint32_t>(std::stoul(v[1]));
      chars_set = true;
    }
    else if (a == "--no_meta") no_meta = true;
    else if (absl::StartsWith(a, "--aspect_add=")) aspect_add = std::stof(a.substr(13));
    else if (absl::StartsWith(a, "--aspect_drop=")) aspect_drop = std::stof(a.substr(14));
    else if (absl::StartsWith(a, "--aspect_min_df=")) aspect_min_df = std::stoi(a.substr(16));
    else if (a == "--no_aux") no_aux = true;
    else if (a == "--serve_shared") serve_shared = true;
    else if (absl::StartsWith(a, "--shared_weight=")) shared_weight = std::stod(a.substr(16));
    else if (absl::StartsWith(a, "--words_dir=")) words_dir = a.substr(12);
    else if (absl::StartsWith(a, "--words_weight=")) words_weight = std::stod(a.substr(15));
    else if (absl::StartsWith(a, "--words=")) words_models = a.substr(8);
    else if (absl::StartsWith(a, "--words_max_df=")) words_max_df = std::stoi(a.substr(15));
    else if (absl::StartsWith(a, "--meta_files=")) meta_files = a.substr(13);
    else if (absl::StartsWith(a, "--meta=")) meta_models = a.substr(7);
    else if (absl::StartsWith(a, "--meta_columns=")) meta_columns = a.substr(15);
    else if (absl::StartsWith(a, "--data=")) data = a.substr(7);
    else if (absl::StartsWith(a, "--translated=")) translated = a.substr(13);
    else if (absl::StartsWith(a, "--corpus=")) corpus = a.substr(9);
    else if (absl::StartsWith(a, "--clause_dir=")) clause_dir = a.substr(13);
    else if (absl::StartsWith(a, "--router_dir=")) router_dir = a.substr(13);
    else if (a == "--router_unmarked") router_options.stripped = false;
    else if (a == "--router_untranslated") router_options.translated_dir = "-";
    else if (absl::StartsWith(a, "--router_cap=")) router_options.review_cap = std::stoi(a.substr(13));
    else if (absl::StartsWith(a, "--router_min_df=")) router_min_df = std::stoi(a.substr(16));
    else if (absl::StartsWith(a, "--cases=")) cases_dir = a.substr(8);
    else if (absl::StartsWith(a, "--train_tables=")) train_tables = a.substr(15);
    else if (absl::StartsWith(a, "--table_weight=")) table_weight = std::stoi(a.substr(15));
    else if (absl::StartsWith(a, "--crossfit=")) crossfit = std::stoi(a.substr(11));
    else if (absl::StartsWith(a, "--crossfit_dir=")) crossfit_dir = a.substr(15);
    else if (a == "--crossfit_reuse") crossfit_reuse = true;
    else if (absl::StartsWith(a, "--arbiter_anchors=")) {
      arbiter_tuning.anchor_copies.clear();
      for (absl::string_view n : absl::StrSplit(a.substr(18), ',')) {
        int v = 0;
        if (!absl::SimpleAtoi(n, &v) || v < 0) {
          std::cerr << "--arbiter_anchors: not a count: " << n << "\n";
          return 2;
        }
        arbiter_tuning.anchor_copies.push_back(v);
      }
    } else if (absl::StartsWith(a, "--arbiter_cs=")) {
      arbiter_tuning.cs.clear();
      for (absl::string_view n : absl::StrSplit(a.substr(13), ',')) {
        double v = 0;
        if (!absl::SimpleAtod(n, &v) || !(v > 0)) {
          std::cerr << "--arbiter_cs: not a positive number: " << n << "\n";
          return 2;
        }
        arbiter_tuning.cs.push_back(v);
      }
    } else if (a == "--arbiter_group_thresholds=0" || a == "--arbiter_group_thresholds=1") {
      arbiter_tuning.group_thresholds = a.back() == '1';
    } else if (a == "--arbiter_anchor_level=first" || a == "--arbiter_anchor_level=best") {
      arbiter_tuning.best_anchor_level = absl::EndsWith(a, "best");
    }
    else if (absl::StartsWith(a, "--late_praise=")) {
      TrainingReadParams().late_praise = std::stof(a.substr(14));
    } else if (absl::StartsWith(a, "--late_praise_early=")) {
      TrainingReadParams().late_praise_early = std::stof(a.substr(20));
    } else if (absl::StartsWith(a, "--late_praise_score=")) {
      TrainingReadParams().late_praise_score = std::stof(a.substr(20));
    } else if (a == "--late_praise_turn") {
      TrainingReadParams().late_praise_turn = true;
    } else if (a == "--aspects_late_part") {
      TrainingReadParams().aspects_late_part = true;
    } else if (absl::StartsWith(a, "--deciding_clause_off=")) {
      // The arbiters' rows read without the deciding clause in these
      // languages (as opinia-eval --deciding_clause_off).
      if (!ParseLanguageSet(a.substr(22), &TrainingReadParams().deciding_clause_off)) {
        std::cerr << "want --deciding_clause_off=LANG,..., got " << a << "\n";
        return 2;
      }
    } else if (absl::StartsWith(a, "--compose_weights=")) {
      // The arbiters' rows read at these per-language composition weights
      // (as opinia-eval --compose_weights): an experiment's refit.
      if (!ParseComposeWeights(a.substr(18), &TrainingReadParams().compose_weight_by_language)) {
        std::cerr << "want --compose_weights=LANG:W,..., got " << a << "\n";
        return 2;
      }
    }
    else if (absl::StartsWith(a, "--spent_tables_off=")) spent_off = a.substr(19);
    else if (absl::StartsWith(a, "--table_weights=")) table_weights = a.substr(16);
    else if (absl::StartsWith(a, "--translated_table_weights=")) {
      translated_table_weights = a.substr(27);
    }
    else if (a == "--aspect_signs_report") aspect_signs_report = true;
    else if (absl::StartsWith(a, "--out=")) out = a.substr(6);
    else if (absl::StartsWith(a, "--only=")) only = a.substr(7);
    else if (absl::StartsWith(a, "--dump_dir=")) dump_dir = a.substr(11);
    else if (a == "--print_crossfit_groups") {
      // The default cross-fitting groups, "K<TAB>T,T,..." per fold K:
      // build/crossfit/foldK's models never trained on those tables
      // (scripts/amazon_cv.sh retrains the English model of each fold).
      const std::vector<std::string> tables = absl::StrSplit(kTrainingTablesFlag, ',');
      const auto groups = CrossFitGroups(tables, kCrossFitFolds);
      for (size_t g = 0; g < groups.size(); ++g) {
        std::cout << g << "\t" << absl::StrJoin(groups[g], ",") << "\n";
      }
      return 0;
    }
    else if (a == "--print_training_tables") {
      // The default --train_tables, one name per line (scripts/train_models.sh
      // translates exactly these for the Romance model).
      for (absl::string_view t : absl::StrSplit(kTrainingTablesFlag, ',')) std::cout << t << "\n";
      return 0;
    }
    else {
      std::cerr << "usage: opinia-train --data=DIR --out=DIR [--translated=DIR]"
                   " [--corpus=DIR]"
                   " [--only=lexicon,pl,en,multi,romance,de,clause,router,aspect_detect,"
                   "label_arbiter,aspect_signs]"
                   " [--clause_dir=DIR] [--router_dir=DIR] [--router_unmarked]"
                   " [--router_cap=N] [--cases=DIR] [--train_tables=T,...|-]"
                   " [--table_weight=N] [--table_weights=MODEL=N,...|-]"
                   " [--translated_table_weights=MODEL=N,...|-]"
                   " [--crossfit=K [--crossfit_dir=DIR] [--crossfit_reuse]]"
                   " [--arbiter_anchors=N,...] [--arbiter_cs=C,...]"
                   " [--arbiter_group_thresholds=0|1] [--arbiter_anchor_level=first|best]"
                   " [--late_praise=F [--late_praise_early=F] [--late_praise_score=F]"
                   " [--late_praise_turn]] [--aspects_late_part] [--compose_weights=LANG:W,...|-]"
                   " [--deciding_clause_off=LANG,...|-]"
                   " [--spent_tables_off=pl,...|-]"
                   " [--aspect_signs_report]"
                   " [--aspect_add=P] [--aspect_drop=P] [--aspect_min_df=N]"
                   " [--dump_dir=DIR] [--print_training_tables] [--print_crossfit_groups]"
                   " [--c=C] [--sentiment_c=MODEL=C,...] [--chars=MIN,MAX] [--char_weight=W]"
                   " [--no_meta] [--meta=pl,en,multi] [--meta_files=N]"
                   " [--meta_columns=C,...] [--words=pl,multi --words_dir=DIR"
                   " [--words_weight=W] [--words_max_df=N]] [--no_aux]"
                   " [--shared_weight=S] [--serve_shared]\n";
      return 2;
    }
  }
  std::vector<std::string> wanted = absl::StrSplit(only, ',', absl::SkipEmpty());
  DataDirs dirs{data, translated, corpus, clause_dir, router_dir,
                {cases_dir, {}, table_weight}};
  if (train_tables != "-") {
    dirs.tables.tables = absl::StrSplit(train_tables, ',', absl::SkipEmpty());
  }
  if (spent_off != "-") dirs.spent_off = absl::StrSplit(spent_off, ',', absl::SkipEmpty());
  if (crossfit < 0 || crossfit == 1 || crossfit > static_cast<int>(std::size(kSpentTables))) {
    std::cerr << "--crossfit: 0 (off) or 2.." << std::size(kSpentTables) << "\n";
    return 2;
  }
  if (!ParseModelWeights("--table_weights", table_weights, &dirs.tables.weights) ||
      !ParseModelWeights("--translated_table_weights", translated_table_weights,
                         &dirs.tables.translated_weights)) {
    return 2;
  }
  dirs.tables.translated_dir = translated + "/tables";
  for (const std::string& t : dirs.tables.tables) {
    // The arbiters are fitted on the spent tables out of fold: a model that
    // trained on one of their rows would leak into them unless they read
    // it with models trained without it (--crossfit).
    if (crossfit == 0 &&
        std::find(std::begin(kSpentTables), std::end(kSpentTables), t) != std::end(kSpentTables)) {
      std::cerr << "--train_tables: " << t << " is an arbiter table (kSpentTables): "
                << "needs --crossfit=K\n";
      return 2;
    }
  }
  bool want_lexicon = wanted.empty();
  for (const auto& w : wanted) want_lexicon |= w == "lexicon";
  if (want_lexicon && dump_dir.empty()) {
    // First: the sentiment inputs do not depend on it, the analyzer does.
    absl::Status s = CompileLexicon(data, out + "/lexicon.tsv");
    if (!s.ok()) {
      std::cerr << s << "\n";
      return 1;
    }
  }
  if (!dump_dir.empty()) {
    // Experiment helper: every TSV under data/sentiment as fastText lines.
    for (const char* split : {"train", "dev", "test"}) {
      for (const char* set : {"pl_clarin_emo", "pl_polemo2_medicine",
                              "en_amazon_reviews", "en_uci_sentences",
                              "multi_tweets"}) {
        std::string name = std::string(set) + "." + split;
        auto ex = ReadTsv(data + "/sentiment/" + name + ".tsv");
        if (!ex.ok()) continue;
        std::ofstream o(dump_dir + "/" + name + ".txt");
        for (const Example& e : *ex) o << Line(e) << "\n";
      }
    }
    return 0;
  }
  std::vector<ModelSpec> specs;  // with the overrides, without table files
  for (ModelSpec spec : Specs()) {
    if (c_override > 0) spec.c = c_override;
    for (const auto& [model, c] : sentiment_c) {
      if (absl::EndsWith(spec.serving.name, "_" + model)) spec.c = c;
    }
    if (chars_set) spec.chars = chars;
    if (char_weight >= 0) spec.char_weight = char_weight;
    if (no_aux) spec.aux_files.clear();
    if (words_max_df >= 0) spec.words_max_df = words_max_df;
    spec.shared_weight = shared_weight;
    spec.serve_shared = serve_shared;
    if (!words_models.empty()) {
      bool on = false;
      for (absl::string_view w : absl::StrSplit(words_models, ',')) {
        on |= absl::EndsWith(spec.serving.name, absl::StrCat("_", w));
      }
      spec.words_weight = on ? (words_weight >= 0 ? words_weight : 1.0) : 0;
    } else if (words_weight >= 0 && spec.words_weight > 0) {
      spec.words_weight = words_weight;
    }
    if (!meta_files.empty()) spec.meta_files = std::stoi(meta_files);
    if (!meta_models.empty()) {
      spec.meta = false;
      for (absl::string_view w : absl::StrSplit(meta_models, ',')) {
        spec.meta |= absl::EndsWith(spec.serving.name, absl::StrCat("_", w));
      }
    }
    if (!meta_columns.empty()) {
      spec.meta_columns.clear();
      for (absl::string_view v : absl::StrSplit(meta_columns, ',')) {
        spec.meta_columns.push_back(std::stoi(std::string(v)));
      }
    }
    specs.push_back(spec);
    bool want = wanted.empty();
    for (const auto& w : wanted) {
      want |= absl::EndsWith(spec.serving.name, "_" + w);
    }
    if (!want) continue;
    std::cerr << "training " << spec.serving.name << "\n";
    AddTableFiles(dirs.tables, dirs.spent_off, &spec);
    if (!TrainLinear(dirs, words_dir, spec, out, spec.meta && !no_meta)) {
      return 1;
    }
  }
  bool want_detector = wanted.empty();
  for (const auto& w : wanted) want_detector |= w == "aspect_detect";
  if (want_detector && !TrainAspectDetector(dirs, out,
                                            c_override, aspect_min_df, aspect_add, aspect_drop)) {
    return 1;
  }
  bool want_clauses = wanted.empty();
  for (const auto& w : wanted) want_clauses |= w == "clause";
  if (want_clauses &&
      !TrainClauseModels(dirs, out, c_override)) {
    return 1;
  }
  bool want_router = wanted.empty();
  for (const auto& w : wanted) want_router |= w == "router";
  if (want_router) {
    ModelSpec spec = RouterSpec();
    if (c_override > 0) spec.c = c_override;
    if (chars_set) spec.chars = chars;
    if (char_weight >= 0) spec.char_weight = char_weight;
    if (router_min_df >= 0) spec.min_df = router_min_df;
    router_options.translated_dir = router_options.translated_dir == "-" ? "" : translated;
    if (!TrainRouter(dirs, out, spec,
                     router_options)) {
      return 1;
    }
  }
  // Always: the table follows Specs(), whichever models were retrained.
  if (!WriteModelTable(out)) return 1;
  // Then the label arbiter, which reads what the analyzer with the models
  // above computes, and last the aspect-sign arbiter, which reads the
  // arbitrated label.
  bool want_arbiter = wanted.empty();
  for (const auto& w : wanted) want_arbiter |= w == "label_arbiter";
  bool want_signs = wanted.empty();
  for (const auto& w : wanted) want_signs |= w == "aspect_signs";
  // With --crossfit, the models of `out` must be the ones trained with
  // these --train_tables (an --only=label_arbiter run retrains the folds).
  TableReaders readers;
  if (crossfit > 0 && (want_arbiter || want_signs) &&
      !TrainCrossFitFolds(dirs, specs, words_dir, !no_meta, c_override, out, crossfit,
                          crossfit_dir, crossfit_reuse, &readers)) {
    return 1;
  }
  if (want_arbiter &&
      !TrainLabelArbiter({data, corpus, cases_dir, out, readers}, true, arbiter_tuning)) {
    return 1;
  }
  if (want_signs && !CopyLabelArbiter(out, readers)) return 1;
  if (want_signs && !TrainAspectSigns(out, corpus, cases_dir, !aspect_signs_report, readers)) {
    return 1;
  }
  return 0;
}
