// Analyzer: turns a review into an Analysis (language, sentiment per review
// and per sentence, aspects, urgency). Built once by Create() and then
// immutable: Analyze() is const and safe to call from any number of threads.
#ifndef OPINIA_NLP_ANALYZER_H_
#define OPINIA_NLP_ANALYZER_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "nlp/analysis.h"

namespace opinia::nlp {

class Analyzer {
 public:
  virtual ~Analyzer() = default;

  // Never fails: invalid UTF-8, empty or huge text give a defined result.
  // Text is analysed as UTF-8; invalid sequences are treated as U+FFFD for
  // analysis while spans still point into the original bytes.
  virtual Analysis Analyze(std::string_view text,
                           const AnalyzeOptions& options) const = 0;

  // Identifies the loaded models, tables and tunables ("opinia-nlp-N-hash";
  // N changes with the analysis code); stored with every analysis, so that
  // a rescore after any of them changes is visible.
  virtual std::string ModelVersion() const = 0;
};

// Loads the models in `models_dir` (see models/README.md).
// NOT_FOUND when a required model file is missing; INVALID_ARGUMENT when a
// file is not a valid model.
absl::StatusOr<std::unique_ptr<Analyzer>> CreateAnalyzer(
    const std::string& models_dir);

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_ANALYZER_H_
