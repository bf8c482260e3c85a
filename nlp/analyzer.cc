// Analyzer composition (first increment: tokenization and sentence spans;
// language id and sentiment models are added in the following commits).
#include "nlp/analyzer.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "nlp/text.h"

namespace opinia::nlp {
namespace {

class AnalyzerImpl : public Analyzer {
 public:
  Analysis Analyze(std::string_view text,
                   const AnalyzeOptions& options) const override {
    Analysis a;
    a.model_version = ModelVersion();
    TokenizedText t = Tokenize(text);
    for (const Sentence& s : t.sentences) {
      SentenceSentiment ss;
      ss.span = s.span;
      ss.sentiment.label = SentimentLabel::kNeutral;
      a.sentences.push_back(ss);
    }
    a.sentiment.label = SentimentLabel::kNeutral;
    if (!options.language_hint.empty()) a.language = options.language_hint;
    return a;
  }
  std::string ModelVersion() const override { return "opinia-nlp-0"; }
};

}  // namespace

absl::StatusOr<std::unique_ptr<Analyzer>> CreateAnalyzer(
    const std::string& models_dir) {
  return std::make_unique<AnalyzerImpl>();
}

}  // namespace opinia::nlp
