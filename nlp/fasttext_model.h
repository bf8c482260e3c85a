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

  // The summed input rows of one line (fast path only), without the rows
  // of its closing "</s>": what a sentence contributes to the hidden layer
  // of a longer text containing it.
  struct PartialSum {
    std::vector<float> sum;  // dim floats, not yet divided by the count
    size_t count = 0;        // rows summed
    int32_t tail[2] = {-1, -1};  // rows of the closing "</s>" (own, bigram)
    int ntail = 0;
    uint32_t first_hash = 0;  // fastText hash of the first / last token
    uint32_t last_hash = 0;
    bool has_words = false;   // any token besides the closing "</s>"
  };
  // As PredictAll, and keeps the row sums of `line` in `part` (left empty
  // without the fast path).
  void PredictPart(std::string_view line, PartialSum* part,
                   std::vector<float>* probs) const;
  // True when PredictJoined() can serve this model (our own inference,
  // word n-grams up to 2).
  bool CanJoin() const;
  // Probabilities of the line "p1 SEP p2 SEP ... pn" (the parts' lines
  // joined by `separator`, or just concatenated when it is empty; see
  // ReviewInput()) from the parts' row sums: every row of the joined line is
  // a row of one part except the junction rows (separator, bigrams across
  // it) and the closing "</s>", added here. Equal to PredictAll of the
  // joined line up to float summation order. Requires CanJoin() and parts
  // made by PredictPart on this model.
  void PredictJoined(const std::vector<const PartialSum*>& parts,
                     std::string_view separator,
                     std::vector<float>* probs) const;
  const std::vector<std::string>& Labels() const { return labels_; }
  int LabelIndex(std::string_view label) const;  // -1 when absent

 private:
  FastTextModel();
  FastTextModel(const FastTextModel&) = delete;
  FastTextModel& operator=(const FastTextModel&) = delete;
  struct Fast;
  friend struct Fast;
  std::unique_ptr<fasttext::FastText> ft_;
  std::unique_ptr<const Fast> fast_;

  static std::unique_ptr<const Fast> BuildFast(fasttext::FastText& ft);
  std::vector<std::string> labels_;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_FASTTEXT_MODEL_H_
