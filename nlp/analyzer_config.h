// Analyzer with non-default tunables, for opinia-eval and tuning on the dev
// splits. The server uses CreateAnalyzer() (analyzer.h), i.e. the defaults.
#ifndef OPINIA_NLP_ANALYZER_CONFIG_H_
#define OPINIA_NLP_ANALYZER_CONFIG_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlp/analyzer.h"
#include "nlp/language_id.h"
#include "nlp/sentiment.h"
#include "nlp/tweet_router.h"
#include "nlp/urgency.h"

namespace opinia::nlp {

struct AnalyzerConfig {
  SentimentParams sentiment;
  LanguageIdentifier::Method lid_method = LanguageIdentifier::Method::kCombined;
  // A speed setting (off: 0): a text whose words show at least this many
  // letters only Polish writes among the supported languages is Polish
  // without CLD2 or lid.176 (LanguageIdentifier::Identify's
  // polish_letters; opinia-eval --lid_polish_letters=N). It changes
  // language decisions and confidences: models/README.md "Twentieth pass:
  // speed". 2 since the twentieth pass: over 71,184 analyses (the spent
  // tables, the corpus, the dev splits) no language decision or label
  // changes, only the confidence of the texts it takes (0.95), and a
  // Polish text costs 28 % fewer instructions (0 turns it off).
  int lid_polish_letters = 2;
  // English text that LooksLikeTweet() goes to the tweet model instead of
  // the review model (false: opinia-eval --no_route_tweets measures what
  // the routing gains).
  bool route_tweets = true;
  // P(post) at or above which the router (nlp/tweet_router.h) sends an
  // unmarked text to the tweet model (> 1: never; opinia-eval
  // --router_threshold sweeps it); negative: each language's
  // TweetRouter::Threshold().
  float router_threshold = -1.0f;
  // An unmarked text that names a shop aspect (an aspects.tsv term:
  // delivery, price, the seller ...) stays a review whatever the router
  // reads (false: opinia-eval --no_router_aspect_gate).
  bool router_aspect_gate = true;
  // Apply models/aspect_signs.meta when it exists (nlp/aspect_signs.h;
  // false: opinia-train measures and trains on the analysis without it).
  bool aspect_signs = true;
  // When set, every Analyze() leaves here the arbiter's features of each
  // reported aspect (AspectSignFeatures, in a.aspects' order, computed
  // before the arbiter changes any): opinia-train's training rows. Not
  // for concurrent Analyze() calls.
  std::vector<std::vector<float>>* aspect_sign_rows = nullptr;
  // Apply models/label_arbiter.meta when present (nlp/label_arbiter.h);
  // false: the rule-composed label (opinia-train fits the arbiter on it).
  bool use_label_arbiter = true;
  // Record each review's arbiter features (ThreadLabelArbiterTrace()), for
  // opinia-train, with or without the file.
  bool trace_label_arbiter = false;
  // When not empty: the label arbiter's file text (nlp/label_arbiter.h), in
  // place of models/label_arbiter.meta (opinia-train checks each candidate
  // arbiter on the convention cases with it). Malformed: INVALID_ARGUMENT.
  std::string label_arbiter_text;
  // The urgency constructions of the eighteenth pass (nlp/urgency.h;
  // opinia-eval --no_urgency18 turns them off).
  UrgencyParams urgency;
};

// As CreateAnalyzer(), with `config`. Same error codes.
absl::StatusOr<std::unique_ptr<Analyzer>> CreateAnalyzerWithConfig(
    const std::string& models_dir, const AnalyzerConfig& config);

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_ANALYZER_CONFIG_H_
