// A loaded fastText classifier (.ftz/.bin) served by libfasttext: the
// language-identification model lid.176.ftz. Immutable after Load();
// Predict() is const and thread-safe (per-thread scratch only; fastText
// keeps per-call state on the stack).
#ifndef OPINIA_NLP_FASTTEXT_MODEL_H_
#define OPINIA_NLP_FASTTEXT_MODEL_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace fasttext {
class FastText;
}

namespace opinia::nlp {

class FastTextModel {
 public:
  // NOT_FOUND when `path` does not exist; INVALID_ARGUMENT when it is not a
  // fastText model or has no labels.
  static absl::StatusOr<std::unique_ptr<FastTextModel>> Load(
      const std::string& path);
  ~FastTextModel();

  // Probability of the k (all when k <= 0) most likely labels for `line`
  // (space-separated tokens), best first. Labels are returned without the
  // "__label__" prefix.
  std::vector<std::pair<float, std::string>> Predict(std::string_view line,
                                                     int k = -1) const;

  // Probability per label index (see Labels()); uniform for a line without
  // words.
  void PredictAll(std::string_view line, std::vector<float>* probs) const;

  const std::vector<std::string>& Labels() const { return labels_; }
  int LabelIndex(std::string_view label) const;  // -1 when absent

 private:
  FastTextModel();
  FastTextModel(const FastTextModel&) = delete;
  FastTextModel& operator=(const FastTextModel&) = delete;
  std::unique_ptr<fasttext::FastText> ft_;
  std::vector<std::string> labels_;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_FASTTEXT_MODEL_H_
