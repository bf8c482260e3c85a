// A loaded fastText classifier (.ftz/.bin): immutable after Load(), Predict()
// is const and thread-safe (fastText keeps per-call state on the stack).
//
// Supervised softmax models without character n-grams (our sentiment models)
// are served by our own inference: at load time the quantized input matrix is
// decoded into dense rows and the vocabulary and pruned n-gram buckets go into
// flat tables, so a prediction is hashing + row sums, with no allocation. It
// reproduces fastText's tokenisation, hashing and arithmetic order exactly
// (tests/nlp/fasttext_model_test.cc compares with fastText on real data).
// Other models (lid.176, with char n-grams) go through libfasttext.
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
  // fastText model.
  static absl::StatusOr<std::unique_ptr<FastTextModel>> Load(
      const std::string& path);
  ~FastTextModel();

  // Probability of every label for `line` (space-separated tokens), best
  // first. Labels are returned without the "__label__" prefix.
  std::vector<std::pair<float, std::string>> Predict(std::string_view line,
                                                     int k = -1) const;

  // Probability per label index (see Labels()); faster, no strings.
  void PredictAll(std::string_view line, std::vector<float>* probs) const;
  // Same as PredictAll, always through libfasttext (reference for tests).
  void PredictAllReference(std::string_view line,
                           std::vector<float>* probs) const;
  // True when PredictAll uses our own inference (see above).
  bool HasFastPath() const { return fast_ != nullptr; }
  const std::vector<std::string>& Labels() const { return labels_; }
  int LabelIndex(std::string_view label) const;  // -1 when absent

 private:
  FastTextModel();
  FastTextModel(const FastTextModel&) = delete;
  FastTextModel& operator=(const FastTextModel&) = delete;
  struct Fast;
  std::unique_ptr<fasttext::FastText> ft_;
  std::unique_ptr<const Fast> fast_;

  static std::unique_ptr<const Fast> BuildFast(fasttext::FastText& ft);
  std::vector<std::string> labels_;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_FASTTEXT_MODEL_H_
