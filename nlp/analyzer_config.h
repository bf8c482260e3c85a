// Analyzer with non-default tunables, for opinia-eval and tuning on the dev
// splits. The server uses CreateAnalyzer() (analyzer.h), i.e. the defaults.
#ifndef OPINIA_NLP_ANALYZER_CONFIG_H_
#define OPINIA_NLP_ANALYZER_CONFIG_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "nlp/analyzer.h"
#include "nlp/language_id.h"
#include "nlp/sentiment.h"

namespace opinia::nlp {

struct AnalyzerConfig {
  SentimentParams sentiment;
  LanguageIdentifier::Method lid_method = LanguageIdentifier::Method::kCombined;
  // MIXED from confident sentences on both sides: off by default, it cost
  // 4 points of en_amazon_reviews.dev accuracy (0.878 -> 0.837).
  bool review_mixed_rule = false;
  // Review sentiment of a multi-sentence text without title as the
  // token-weighted mean of its sentences' probabilities instead of one more
  // model pass over the whole text: ~20% faster on long reviews but
  // en_amazon_reviews.dev accuracy 0.870 -> 0.804, so off.
  bool review_from_sentences = false;
  // English text that LooksLikeTweet() goes to the tweet model instead of
  // the review model.
  bool route_tweets = true;
};

// As CreateAnalyzer(), with `config`. Same error codes.
absl::StatusOr<std::unique_ptr<Analyzer>> CreateAnalyzerWithConfig(
    const std::string& models_dir, const AnalyzerConfig& config);

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_ANALYZER_CONFIG_H_
