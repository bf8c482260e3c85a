// Learnt aspect detection (models/README.md, "Aspect detection (seventh
// pass)"): one logistic regression per aspect (one-vs-rest, LIBLINEAR,
// trained by opinia-train --only=aspect_detect on the shop corpus's train
// part: does the review talk about the aspect?) over the sentiment models'
// features (ReviewInput() / SentimentInput() + LinearFeatures()), all
// languages in one model. The term matcher (nlp/aspects.h) finds most
// mentions; the detector adds an aspect the terms miss when it is
// confident, reading its sign from the clause the detector scores highest
// for it, and may drop a matched aspect it is sure the review does not
// talk about. Immutable after Load(); Apply() is const and thread-safe.
//
// File models/aspect_detect.lin (little-endian, written by opinia-train):
//   "OPAD1\n", uint32 k (aspects, 1..8), k x (uint32 len, aspect name
//   bytes, float bias, float add, float drop), uint64 n,
//   n x (uint64 feature, uint16 idf, uint16 w[k]) (binary16, as OPLM3).
// For a text with feature counts c_f: x_f = (1 + ln c_f) idf_f / ||.||_2,
// P(aspect) = sigmoid(bias + sum_f x_f w_f). A missing aspect is added when
// its P over the review is >= add, a found one dropped when it is < drop
// (0: never).
#ifndef OPINIA_NLP_ASPECT_DETECT_H_
#define OPINIA_NLP_ASPECT_DETECT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "nlp/analysis.h"
#include "nlp/aspects.h"
#include "nlp/linear_model.h"
#include "nlp/review_features.h"
#include "nlp/text.h"

namespace opinia::nlp {

class AspectDetector {
 public:
  static constexpr char kFile[] = "aspect_detect.lin";
  static constexpr char kMagic[] = "OPAD1\n";
  static constexpr int kMaxAspects = 8;

  // One aspect's decision thresholds (see the file format above).
  struct Thresholds {
    float add = 1.0f;   // P over the review at or above: added when missing
    float drop = 0.0f;  // P over the review below: a matched aspect dropped
  };

  // Loads `models_dir`/aspect_detect.lin: null (no detector) when it does
  // not exist; INVALID_ARGUMENT naming the file when it is malformed.
  static absl::StatusOr<std::unique_ptr<AspectDetector>> Load(
      const std::string& models_dir);

  // The features of a model input (SentimentInput() / ReviewInput()), as
  // opinia-train builds its training matrix (LinearFeatures()). No
  // language mark: the words tell the languages apart (a per-language
  // bias feature changed nothing on dev).
  static void Features(std::string_view input, std::vector<uint64_t>* out);

  // P(the text talks about the aspect) for every aspect of the file, in
  // the order of Aspects().
  void Probabilities(std::string_view input, std::vector<float>* probs) const;

  const std::vector<Aspect>& Aspects() const { return aspects_; }
  const std::vector<Thresholds>& AspectThresholds() const {
    return thresholds_;
  }

  // Adds to `aspects` (AspectExtractor::Extract()'s result for `t`) each
  // aspect the detector is confident of over the whole review and the
  // matcher did not find: its evidence the clause of `clauses` that the
  // detector scores highest for it (byte span of the clause without its
  // closing punctuation), its sentiment that clause's. Drops a found
  // aspect the detector is sure is not talked about.
  // `two_sided` (Extract()'s, indices into `aspects`; may be null) is kept
  // pointing at the same aspects when one is dropped. `review` (when not
  // null): `t`'s features and its clauses', built once for the text.
  void Apply(const TokenizedText& t,
             const std::vector<ClauseSentiment>& clauses,
             std::vector<AspectSentiment>* aspects,
             std::vector<TwoSidedAspect>* two_sided = nullptr,
             ReviewFeatures* review = nullptr) const;

 private:
  AspectDetector() = default;
  void Score(const std::vector<uint64_t>& features,
             std::vector<float>* probs) const;

  std::vector<Aspect> aspects_;
  std::vector<Thresholds> thresholds_;
  std::vector<float> bias_;
  // The features and their rows (idf, then one weight per aspect),
  // binary16 as in the file (see FeatureTable).
  FeatureTable table_;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_ASPECT_DETECT_H_
