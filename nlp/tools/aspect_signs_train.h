// opinia-train --only=aspect_signs: fits the aspect-sign arbiter
// (nlp/aspect_signs.h) on the tuning tables and writes
// models/aspect_signs.meta (models/README.md, "Aspect-sign arbiter
// (seventh pass)").
#ifndef OPINIA_NLP_TOOLS_ASPECT_SIGNS_TRAIN_H_
#define OPINIA_NLP_TOOLS_ASPECT_SIGNS_TRAIN_H_

#include <string>

#include "nlp/tools/eval_cases.h"

namespace opinia::nlp::tools {

// Analyses, with the models of `models_dir` and the arbiter off, the
// corpus dev part (`corpus_dir`/shop_<lang>.tsv, IsShopDev) and every
// case of the spent tables cases, cases3 .. cases6 of `cases_dir` (never
// another table); keeps the arbiter's features (AspectSignFeatures) and
// the gold sign of every expected aspect the analysis found. Folds: each
// table one group, the corpus dev part five groups by id. Prints the
// out-of-fold "polarity right" per source and language next to the
// analyzer's, for each C and confidence threshold of the grid; picks the
// pair with the most out-of-fold right, fits on all rows and writes
// `models_dir`/aspect_signs.meta. With `write` false, only reports. A
// table of `readers` is analysed with the models of its directory
// (cross-fitting, opinia-train --crossfit; that directory holds the label
// arbiter of `models_dir`).
bool TrainAspectSigns(const std::string& models_dir, const std::string& corpus_dir,
                      const std::string& cases_dir, bool write,
                      const TableReaders& readers = {});

}  // namespace opinia::nlp::tools

#endif  // OPINIA_NLP_TOOLS_ASPECT_SIGNS_TRAIN_H_
