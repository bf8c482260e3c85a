// The label arbiter: a small multinomial logistic regression that makes the
// review's final label (POSITIVE / NEGATIVE / NEUTRAL / MIXED) from what
// the analyzer has already computed - the rule-composed label and score,
// the review model's class probabilities with and without the
// compositional layer (the latter since the twenty-second pass), per-clause evidence, the clause
// models' readings of every clause, the joined compositional evidence, the
// star rating, the length and the language group. opinia-train
// (--only=label_arbiter) fits it on the tuning sources (models/README.md
// "Label arbiter (seventh pass)"), out-of-fold by source; the analyzer
// applies it right after the label rules (before the aspects settle their
// sides; only the threat override after urgency may still change the
// label), to reviews only (not to social-media text). Training and serving compute the features with
// LabelArbiterFeatures() below.
//
// File (text, models/label_arbiter.meta, optional: without it the analyzer
// keeps the rule-composed label):
//   line 1: "OPARB1"
//   line 2: "features F"     F must be kNumLabelArbiterFeatures
//   line 3: "threshold T"    the arbiter's label replaces the composed one
//                            when its probability is >= T (0: always)
//   optional "group_thresholds P E D R" (twenty-third pass): T of a
//                            review in the language group pl, en, de,
//                            es/fr/it/pt (features 41-44; each in
//                            [0, 1]); a review of no group keeps T; at
//                            most one such line, anywhere (opinia-train
//                            writes it right before the class lines)
//   optional "mixed_threshold M" (eleventh pass): the threshold when the
//                            arbiter's label is MIXED (absent: T, or the
//                            review's group threshold); the
//                            softmax format's class threshold of "mixed"
//                            (nlp/softmax_model.h; the other classes' may
//                            be given too)
//   4 lines "LABEL bias w_1 ... w_F", LABEL positive, negative, neutral,
//   mixed (each once): P(label) = softmax(bias + w . x).
#ifndef OPINIA_NLP_LABEL_ARBITER_H_
#define OPINIA_NLP_LABEL_ARBITER_H_

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "nlp/analysis.h"
#include "nlp/sentiment.h"
#include "nlp/softmax_model.h"

namespace opinia::nlp {

inline constexpr char kLabelArbiterFile[] = "label_arbiter.meta";
inline constexpr int kNumLabelArbiterFeatures = 110;
// MIXED's index among the arbiter's classes (LabelArbiterFormat()).
inline constexpr size_t kMixedClass = 3;
// The language groups of the features (41-44: pl, en, de, es/fr/it/pt),
// each of which may have a threshold of its own.
inline constexpr size_t kNumArbiterGroups = 4;
inline constexpr size_t kFirstGroupFeature = 41;
// The group of features `x` (0 .. kNumArbiterGroups - 1), or
// kNumArbiterGroups for a review of no group.
size_t ArbiterGroup(const std::vector<float>& x);

// What the analyzer knows of a review when its label is settled.
struct LabelArbiterInput {
  Sentiment composed;                  // the rule-composed label and score
  SentimentClassifier::Probs probs{};  // the review model's (text only)
  // The review model's probabilities without the compositional layer
  // (SentimentClassifier::ClassifyJoinedPlain); all 0: not computed.
  SentimentClassifier::Probs plain_probs{};
  // The compositional evidence of every part (title, sentences), in order.
  const std::vector<const SentimentClassifier::Part*>* parts = nullptr;
  PolarityEvidence joined;
  // The clause models' readings (score P(pos) - P(neg)) of the text's
  // clauses; empty when no clause model reads the language.
  const std::vector<float>* clause_reads = nullptr;
  // The text's sentences as the models read them (scores).
  const std::vector<SentenceSentiment>* sentences = nullptr;
  // The aspects as the clauses (the clause models' readings included) give
  // them when the label is arbitrated; null: none.
  const std::vector<AspectSentiment>* aspects = nullptr;
  int rating = 0;  // 0 = none
  int rating_scale = 5;
  int words = 0;
  std::string_view language;
};

// The features (kNumLabelArbiterFeatures; their meaning is in
// label_arbiter.cc).
void LabelArbiterFeatures(const LabelArbiterInput& in, std::vector<float>* x);

class LabelArbiter {
 public:
  // Null (no arbiter) when `models_dir` has no kLabelArbiterFile;
  // INVALID_ARGUMENT naming the file when it is malformed.
  static absl::StatusOr<std::unique_ptr<LabelArbiter>> Load(const std::string& models_dir);
  static absl::StatusOr<std::unique_ptr<LabelArbiter>> Parse(std::string_view text,
                                                             const std::string& name);

  // The arbiter's probabilities of features `x`, in the order positive,
  // negative, neutral, mixed.
  std::array<float, 4> Predict(const std::vector<float>& x) const;

  // The final sentiment: the arbiter's label when it differs from
  // `composed` with probability >= that label's threshold (its own line's,
  // e.g. mixed_threshold, else the review's group's, else the file's;
  // score P(pos) - P(neg), confidence that probability), else `composed`.
  Sentiment Decide(const std::vector<float>& x, const Sentiment& composed) const;

  float threshold() const { return model_.threshold(); }
  float mixed_threshold() const { return model_.threshold(kMixedClass); }
  // Group g's threshold (ArbiterGroup()): its group_thresholds value, else
  // the file's.
  float group_threshold(size_t g) const {
    return g < group_thresholds_.size() ? group_thresholds_[g] : model_.threshold();
  }

 private:
  LabelArbiter(SoftmaxModel model, std::vector<float> group_thresholds)
      : model_(std::move(model)), group_thresholds_(std::move(group_thresholds)) {}
  SoftmaxModel model_;
  std::vector<float> group_thresholds_;  // empty, or one per group
};

// The arbiter file's format (classes in the order positive, negative,
// neutral, mixed; the file may list them in any order).
const SoftmaxModelFormat& LabelArbiterFormat();

// The "group_thresholds ..." line (with its newline; "%.2f" each) of
// `group_thresholds` (one per group) in a file whose threshold is
// `threshold`; empty when every group's prints as `threshold`.
std::string GroupThresholdsLine(const std::vector<float>& group_thresholds, float threshold);

// The arbiter's features of the last review the calling thread analysed
// (empty for a social-media text, which the arbiter does not read), and
// the label composed before the arbiter: for opinia-train, which fits the
// arbiter on exactly what the analyzer computes. Written by every
// Analyze() call of an analyzer with AnalyzerConfig::trace_label_arbiter.
struct LabelArbiterTrace {
  std::vector<float> features;
  Sentiment composed;
};
LabelArbiterTrace& ThreadLabelArbiterTrace();

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_LABEL_ARBITER_H_
