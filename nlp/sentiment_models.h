// The sentiment model table: which trained model scores which language, for
// which kind of text. It is data, models/sentiment_models.tsv, written by
// opinia-train from its training table (nlp/tools/train_main.cc), so that a
// newly trained language needs no code change where the models are served.
//
// Format: UTF-8 text, '#' starts a comment line, one row a model:
//
//   name<TAB>domain<TAB>languages<TAB>length_k
//
// name: the file stem (<name>.lin, and <name>.meta when it has a meta
// model); domain: `review` or `tweet`, the kind of text it was trained on;
// languages: comma-separated BCP-47 primary tags it was trained on, where
// `*` (in exactly one row) stands for every language no row lists;
// length_k: how much the model's evidence is tempered on short texts (see
// SentimentParams in nlp/sentiment.h; 0 = not tempered).
#ifndef OPINIA_NLP_SENTIMENT_MODELS_H_
#define OPINIA_NLP_SENTIMENT_MODELS_H_

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"

namespace opinia::nlp {

inline constexpr char kSentimentModelsFile[] = "sentiment_models.tsv";
inline constexpr char kAnyLanguage[] = "*";

enum class TextDomain { kReview, kTweet };

struct SentimentModelRow {
  std::string name;
  TextDomain domain = TextDomain::kReview;
  std::vector<std::string> languages;
  float length_k = 0;
};

// The rows of `text` (the contents of `file`, named in errors). Returns
// INVALID_ARGUMENT, with file:line, for a malformed row, an unknown domain,
// a language listed twice for one domain, or when no row or more than one
// row lists `*`.
absl::StatusOr<std::vector<SentimentModelRow>> ParseSentimentModels(
    absl::string_view text, absl::string_view file);

// Reads and parses `path`: NOT_FOUND when it cannot be opened, else as
// ParseSentimentModels().
absl::StatusOr<std::vector<SentimentModelRow>> LoadSentimentModels(
    const std::string& path);

// The file ParseSentimentModels() reads back as `rows`.
std::string FormatSentimentModels(const std::vector<SentimentModelRow>& rows);

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_SENTIMENT_MODELS_H_
