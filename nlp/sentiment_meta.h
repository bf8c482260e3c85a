// The stacked "meta" step of the sentiment models: a small logistic
// regression over the linear model's log-probabilities and a few lexicon
// features of the same model input (SentimentInput() / ReviewInput()).
// opinia-train fits it on 5-fold out-of-fold predictions of the base model
// over the training set; the analyzer uses its probabilities in place of
// the base model's (nlp/sentiment.cc). Both sides compute the features with
// the functions below, so training and serving see identical values.
//
// Lexicon features of a model input (space-separated tokens), with the
// valences of lexicon.tsv in the text's language (Lexicon::ForLanguage):
//   0-3   words:  positive-valence sum, negative-valence sum (<= 0),
//                 positive count, negative count; a "neg_x" mark counts x
//                 with its valence flipped;
//   4-7   the same four over the "~stem" tokens;
//   8-9   emoji/emoticon (the lexicon's "*" section) positive and negative
//         valence sums;
//   10    ln(1 + n), n = max(1, number of tokens that are not "~stem"s);
// 0-9 divided by sqrt(n). The raw sums and counts of a text's parts
// (sentences) add up to those of the whole text (LexiconCounts::Add), so a
// review's features come from its sentences' passes, as its model input
// does (LinearModel::PredictJoined).
//
// Meta model file (text, written by opinia-train, e.g. sentiment_pl.meta
// next to sentiment_pl.lin):
//   line 1: "OPMETA1"
//   line 2: "labels K L_1 ... L_K"   the base model's labels, in its order
//   line 3: "lexicon M c_1 ... c_M"  the lexicon features used (0..10)
//   K lines, one per label in that order: "bias w_1 ... w_F"
// with F = B + M inputs: B = 1 for K = 2 (ln p_2 - ln p_1) or K (ln p_k),
// p clipped below at 1e-6, then the M lexicon features. The standardisation
// used in training is folded into the weights. P(k) = exp(d_k) /
// sum_j exp(d_j), d_k = bias_k + w_k . x (multinomial logistic regression).
#ifndef OPINIA_NLP_SENTIMENT_META_H_
#define OPINIA_NLP_SENTIMENT_META_H_

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "nlp/lexicon.h"

namespace opinia::nlp {

inline constexpr int kNumLexiconFeatures = 11;

// Raw lexicon sums and counts of a model input (features 0-9 before the
// division) and its number of non-stem tokens.
struct LexiconCounts {
  std::array<float, 10> sum{};
  int tokens = 0;
  void Add(const LexiconCounts& o) {
    for (size_t i = 0; i < sum.size(); ++i) sum[i] += o.sum[i];
    tokens += o.tokens;
  }
};

// Adds the counts of `input` to `*counts`. `lang` is
// Lexicon::ForLanguage(language), `any` Lexicon::ForLanguage("*").
void CountLexicon(std::string_view input, const Lexicon::View& lang,
                  const Lexicon::View& any, LexiconCounts* counts);

// The 11 features of the text with `counts`.
std::array<float, kNumLexiconFeatures> LexiconFeatures(const LexiconCounts& counts);

class MetaModel {
 public:
  // NOT_FOUND when `path` cannot be opened; INVALID_ARGUMENT when it is
  // malformed or its labels are not `base_labels` (the base model's).
  static absl::StatusOr<std::unique_ptr<MetaModel>> Load(
      const std::string& path, const std::vector<std::string>& base_labels);
  // Parses the file contents (for tests).
  static absl::StatusOr<std::unique_ptr<MetaModel>> Parse(
      std::string_view text, const std::vector<std::string>& base_labels,
      const std::string& name = "meta model");

  // The meta inputs x of a text: base probabilities (label order) and
  // lexicon counts. opinia-train uses it to build its training rows.
  static void Inputs(const float* base, int k, const LexiconCounts& counts,
                     const std::vector<int>& columns, std::vector<double>* x);

  // Meta probabilities (label order) of base probabilities `base`.
  void Predict(const std::vector<float>& base, const LexiconCounts& counts,
               std::vector<float>* probs) const;

  const std::vector<int>& Columns() const { return columns_; }

 private:
  MetaModel() = default;
  int k_ = 0;
  std::vector<int> columns_;
  std::vector<double> bias_;
  std::vector<std::vector<double>> w_;  // k x F
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_SENTIMENT_META_H_
