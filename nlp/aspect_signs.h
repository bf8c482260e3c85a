// The aspect-sign arbiter (models/README.md, "Aspect-sign arbiter (seventh
// pass)"): a small multinomial logistic regression that decides each
// reported aspect's sign (POS / NEG / NEU) from what the analyzer already
// computed - the aspect's current score, the lexicon reading of its
// clauses and where it came from, the clause model's probabilities of
// those clauses, negators, questions, contrasts, the review's label, the
// aspect and the language. opinia-train (--only=aspect_signs) fits it on
// the tuning tables with out-of-fold evaluation; the analyzer applies it
// after every other aspect step. Training and serving build the features
// with AspectSignFeatures() below, so both see identical values.
//
// Model file (text, models/aspect_signs.meta; optional: without it the
// analyzer is as before):
//   line 1: "OPASPECTSIGN1"
//   line 2: "features F"   (F must be kNumAspectSignFeatures)
//   line 3: "threshold T"  the arbiter's sign replaces the aspect's only
//                          when its most probable class has P >= T (0:
//                          always)
//   3 lines "positive|negative|neutral bias w_1 ... w_F" (in that order)
// P(k) = softmax_k(bias_k + w_k . x), the standardisation of training
// folded into the weights.
#ifndef OPINIA_NLP_ASPECT_SIGNS_H_
#define OPINIA_NLP_ASPECT_SIGNS_H_

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "nlp/analysis.h"
#include "nlp/aspects.h"
#include "nlp/clause_model.h"
#include "nlp/softmax_model.h"
#include "nlp/text.h"

namespace opinia::nlp {

inline constexpr char kAspectSignsFile[] = "aspect_signs.meta";
inline constexpr int kNumAspectSignFeatures = 74;
// The first of the 8 features "the clause model's reading of the aspect's
// clauses if the aspect is PRODUCT_QUALITY, PRICE, ... PACKAGING" (0
// otherwise), then 4 "... if the review is POSITIVE, NEGATIVE, NEUTRAL,
// MIXED" (eleventh pass).
inline constexpr int kClauseReadingByAspect = 52;
// The first of the 8 features of an aspect no clause names
// (AspectSentiment::named false; 0 for a named one): 4 "the review is
// POSITIVE, NEGATIVE, NEUTRAL, MIXED", the review's score, the clause
// model's reading of its clauses, a failure event told in a clause after
// its last one, the lexicon sign (+1 / -1, 0: none) of the last later
// clause with one; then the last two for every aspect (fourteenth pass).
inline constexpr int kUnnamedAspectFeatures = 8;
inline constexpr int kUnnamedAspect = 64;

// What the analyzer knew of one clause (one per ClauseSentiment, same
// order) before the clause model read it.
struct AspectClauseFacts {
  // Where its reading came from (the analyzer's ClauseSource): 0 a
  // question or neutral note, 1 its own evidence, 2 the review's, 3 a
  // contrasted neighbour's, 4 its sentence's.
  int source = 4;
  float net = 0;  // its compositional net evidence
  int hits = 0;
  bool question = false;
  bool concession = false;
  Sentiment lexicon;   // its reading without the clause model
  Sentiment sentence;  // its sentence's model reading
};

// Everything the features read besides the aspect itself.
struct AspectSignInput {
  const TokenizedText* t = nullptr;
  // The language the models read (the analyzer's, or its guess for "und").
  std::string_view language;
  const std::vector<ClauseSentiment>* clauses = nullptr;
  const std::vector<AspectClauseFacts>* facts = nullptr;  // same size
  Sentiment review;  // the review's reading before this step
  bool sarcasm = false;
  // The text went to the tweet model (social media): its aspects keep
  // their sign.
  bool tweet = false;
  const ClauseModels* models = nullptr;  // null: none reads the clauses
  // When not null, reads for `models` through it (ClauseReader: the
  // analyzer's readings of this text, each clause read once).
  ClauseReader* reader = nullptr;
};

// The clause model's P(pos), P(neg), P(neu) of each clause of an
// AspectSignInput, read once ([3] > 0: read).
using ClauseReadings = std::vector<std::array<float, 4>>;

// The features of `aspect` (x->size() == kNumAspectSignFeatures);
// `two_sided`: it was judged in clauses of both signs. `readings` (when
// not null, one entry per clause, zeroed for a new input) keeps the
// clause model's readings across the aspects of one text.
void AspectSignFeatures(const AspectSignInput& in, const AspectSentiment& aspect,
                        bool two_sided, std::vector<float>* x,
                        ClauseReadings* readings = nullptr);

class AspectSignModel {
 public:
  // Loads `models_dir`/aspect_signs.meta: null (and OK) when it does not
  // exist; INVALID_ARGUMENT naming the file when it is malformed.
  static absl::StatusOr<std::unique_ptr<AspectSignModel>> Load(const std::string& models_dir);
  // Parses the file contents; `name` is used in errors.
  static absl::StatusOr<std::unique_ptr<AspectSignModel>> Parse(std::string_view text,
                                                               const std::string& name);

  // P(positive), P(negative), P(neutral) of features `x`.
  std::array<float, 3> Predict(const std::vector<float>& x) const;
  float threshold() const { return model_.threshold(); }

  // The aspect's sentiment from probabilities `p`: the most probable
  // class, score P(pos) - P(neg) (a polar class at least
  // kMinPolarScore in size, NEUTRAL within kNeutralScore).
  static Sentiment FromProbs(const std::array<float, 3>& p);
  static constexpr float kMinPolarScore = 0.1f;
  static constexpr float kNeutralScore = 0.05f;

 private:
  explicit AspectSignModel(SoftmaxModel model) : model_(std::move(model)) {}
  SoftmaxModel model_;
};

// The model file's format (classes positive, negative, neutral, in that
// order).
const SoftmaxModelFormat& AspectSignFormat();

// An aspect of a sarcastic text (features `x`) keeps the sign the
// sarcasm flip gave it: the tuning tables have too few for the model to
// learn the construction ("Great customer service, thanks for nothing").
// (It keeps its sign whether or not the flip ran.) So does an aspect of
// a text read as a tweet (social media: not what the arbiter was fitted
// for) and one of a text in none of the six tuning languages (pt, nl,
// "und", ...: the few such rows taught the "other language" column a
// strong pull to NEGATIVE).
bool KeepsItsSign(const std::vector<float>& x);

// Features of every aspect of `aspects` into `rows` (when not null), and,
// with `model`, each aspect's sign and score replaced by the model's when
// its most probable class is at least model->threshold() sure and it does
// not KeepsItsSign (the evidence spans stay). `two_sided` is what Extract
// handed out.
void DecideAspectSigns(const AspectSignModel* model, const AspectSignInput& in,
                       const std::vector<TwoSidedAspect>& two_sided,
                       std::vector<AspectSentiment>* aspects,
                       std::vector<std::vector<float>>* rows);

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_ASPECT_SIGNS_H_
