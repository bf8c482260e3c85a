// Compiles models/lexicon.tsv from ../shared/data/lexicons plus the
// hand-written seed (nlp/lexicon_seed.cc). Keys are Tokenize() norms, so
// lookups at serving time match exactly.
#ifndef OPINIA_NLP_TOOLS_LEXICON_COMPILE_H_
#define OPINIA_NLP_TOOLS_LEXICON_COMPILE_H_

#include <string>

#include "absl/status/status.h"

namespace opinia::nlp::tools {

// Reads <data>/lexicons, writes `out_path`. NOT_FOUND when a source is
// missing.
absl::Status CompileLexicon(const std::string& data, const std::string& out_path);

}  // namespace opinia::nlp::tools

#endif  // OPINIA_NLP_TOOLS_LEXICON_COMPILE_H_
