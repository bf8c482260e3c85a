// Which case-table files a review model trains on (opinia-train
// --train_tables, --table_weights, --spent_tables_off; models/README.md
// "Tenth pass: the spent tables as training data", "Eleventh pass:
// training data" and "Eleventh pass: cross-fitted arbiters"), and whether
// a cross-fitting fold (--crossfit) changes them.
#ifndef OPINIA_NLP_TOOLS_TRAINING_TABLES_H_
#define OPINIA_NLP_TOOLS_TRAINING_TABLES_H_

#include <string>
#include <vector>

#include "nlp/sentiment_models.h"
#include "nlp/tools/tsv.h"

namespace opinia::nlp::tools {

// The case-table files of `tables` a model of `row` trains on, after its
// other files: none unless it is a review model (row.domain); else, for
// each of its languages with case tables (kTuningLanguages; not pt) in the
// row's order, tables.Files(lang, model), `model` the row's name after
// "sentiment_" ("pl", "en", "de", "romance": its weight), then
// tables.TranslatedFiles(lang, model) (the English rows of those tables
// machine-translated into the language). A model listed in
// `spent_off` (--spent_tables_off) leaves the spent tables of
// kSpentOffTables out even when `tables` lists them.
std::vector<std::string> ReviewTableFiles(const TableSources& tables,
                                          const std::vector<std::string>& spent_off,
                                          const SentimentModelRow& row);

// Whether the model of `row` trains on the same table files in the
// cross-fitting fold without `held_out` as in the full run on `tables`
// (every other input of a review model is the same in both): then the
// fold keeps the full run's model (its copy) instead of training it again.
// True for a model with no table (tweets, a weight of 0) and for one that
// leaves every held-out table out (`spent_off`: the Polish review model in
// a fold that holds out only older tables).
bool FoldKeepsTableFiles(const TableSources& tables, const std::vector<std::string>& spent_off,
                         const SentimentModelRow& row, const std::vector<std::string>& held_out);

}  // namespace opinia::nlp::tools

#endif  // OPINIA_NLP_TOOLS_TRAINING_TABLES_H_
