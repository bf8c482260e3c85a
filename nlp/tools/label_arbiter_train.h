// opinia-train --only=label_arbiter: fits the label arbiter
// (nlp/label_arbiter.h) on the tuning sources - the shop corpus's dev part,
// every half of the spent case tables (cases, cases3 ... cases6) and the
// ../shared/data dev splits of Polish CLARIN-Emo and English Amazon
// reviews - and reports it out-of-fold by source (models/README.md "Label
// arbiter (seventh pass)").
#ifndef OPINIA_NLP_TOOLS_LABEL_ARBITER_TRAIN_H_
#define OPINIA_NLP_TOOLS_LABEL_ARBITER_TRAIN_H_

#include <string>

namespace opinia::nlp::tools {

struct LabelArbiterDirs {
  std::string data;    // ../shared/data (sentiment/*.dev.tsv)
  std::string corpus;  // nlp/corpus
  std::string cases;   // nlp/eval
  std::string models;  // the analyzer's models; the file is written there
};

// Runs the analyzer of `dirs.models` (without an arbiter) over every
// source, chooses C and the threshold out-of-fold (folds: each case table,
// five of the corpus dev part, five of each dev split), prints the
// out-of-fold report to stderr and writes label_arbiter.meta (when
// `write`). False on an error (printed).
bool TrainLabelArbiter(const LabelArbiterDirs& dirs, bool write);

}  // namespace opinia::nlp::tools

#endif  // OPINIA_NLP_TOOLS_LABEL_ARBITER_TRAIN_H_
