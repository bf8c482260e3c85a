// The clause models (models/README.md, "Clause model (sixth pass)"): one
// linear model per language, trained by opinia-train (--only=clause) on the
// clauses of the shop corpus that name one aspect, labelled with its gold
// sign (nlp/tools/clause_data.h). They read a clause as the sentence
// models read a sentence (SentimentInput() + LinearFeatures()), so that an
// aspect's sign comes from a model trained for it and not only from the
// lexicon evidence of its clause. Immutable after Load(); Read() is const
// and thread-safe.
#ifndef OPINIA_NLP_CLAUSE_MODEL_H_
#define OPINIA_NLP_CLAUSE_MODEL_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "nlp/analysis.h"
#include "nlp/linear_model.h"
#include "nlp/review_features.h"
#include "nlp/text.h"

namespace opinia::nlp {

class ClauseModels {
 public:
  // The languages a clause model may exist for; its file is
  // clause_<language>.lin.
  static constexpr std::string_view kLanguages[] = {"pl", "en", "de", "es", "fr", "it"};

  // Loads the clause_<language>.lin files of `models_dir` that exist (none:
  // no clause model, Knows() is false for every language).
  // INVALID_ARGUMENT when a file that exists is not a three-class model
  // with the labels positive, negative and neutral.
  static absl::StatusOr<std::unique_ptr<ClauseModels>> Load(const std::string& models_dir);

  // The file names loaded (for the model version).
  std::vector<std::string> Files() const;

  // A model reads `language` (its primary tag: "en-US" is "en").
  bool Knows(std::string_view language) const { return For(language) != nullptr; }

  // The model's reading of tokens [first, end) of `t` in `language`:
  // score P(positive) - P(negative), the most probable label, its
  // probability as the confidence. Neutral with confidence 0 when no model
  // reads `language`.
  Sentiment Read(const TokenizedText& t, int first, int end, std::string_view language) const;
  // Read() of the clause whose LinearFeatures(SentimentInput(t, first,
  // end)) are `features` (ReviewFeatures::Clause()), without hashing it
  // again; Read() itself when the model also reads character n-grams.
  Sentiment Read(const TokenizedText& t, int first, int end, std::string_view language,
                 ReviewFeatures* features) const;

 private:
  struct Model {
    std::string language;
    std::unique_ptr<LinearModel> model;
    int positive = 0, negative = 0, neutral = 0;  // label indices
  };
  const Model* For(std::string_view language) const;
  static Sentiment FromProbs(const Model& m, const std::vector<float>& probs);
  std::vector<Model> models_;
};

// The clause models' readings of one text, each clause (token range) read
// at most once: the analyzer's steps (ClauseSentiments, the label arbiter,
// the aspect-sign arbiter) ask for the same clauses. Read() returns exactly
// what ClauseModels::Read() returns. One per thread and text: Reset() for
// every text; the text, the models and the language must outlive the
// reads.
class ClauseReader {
 public:
  // Reads of `t` in `language` by `models` (null: none, Knows() false);
  // with `features` (Reset() for `t`), from the clauses' features there,
  // which the aspect detector reads too.
  void Reset(const ClauseModels* models, const TokenizedText& t, std::string_view language,
             ReviewFeatures* features = nullptr);
  bool Knows() const { return knows_; }
  // ClauseModels::Read(t, first, end, language), computed once per range.
  Sentiment Read(int first, int end);

 private:
  struct Entry {
    int end;
    Sentiment reading;
  };
  const ClauseModels* models_ = nullptr;
  const TokenizedText* t_ = nullptr;
  ReviewFeatures* features_ = nullptr;
  std::string language_;
  bool knows_ = false;
  // Index into memo_ of the reading of the range starting at each token
  // (-1: not read). Clauses do not overlap, so a range's first token names
  // it; another range with the same first token is read and not kept.
  std::vector<int> by_first_;
  std::vector<Entry> memo_;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_CLAUSE_MODEL_H_
