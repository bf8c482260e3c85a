// The post/review router (models/README.md, "Tweet router (seventh
// pass)"): a binary linear model, trained by opinia-train (--only=router)
// on social-media posts (multi_tweets.train) against reviews and shop
// messages (the train splits of ../shared/data's review sets and the shop
// corpus's train part, nlp/tools/router_data.h), that reads a text's
// ReviewInput() as the sentiment models do. The analyzer sends a text with
// no social source and none of LooksLikeTweet()'s marks to the tweet model
// when the router reads it as a post (ToTweetModel()). Immutable after
// Load(); const methods are thread-safe.
#ifndef OPINIA_NLP_TWEET_ROUTER_H_
#define OPINIA_NLP_TWEET_ROUTER_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "nlp/analysis.h"
#include "nlp/linear_model.h"
#include "nlp/review_features.h"
#include "nlp/text.h"

namespace opinia::nlp {

class TweetRouter {
 public:
  static constexpr char kFile[] = "router.lin";
  // The model's labels.
  static constexpr char kPost[] = "post";
  static constexpr char kReview[] = "review";
  // P(post) at or above which an unmarked text goes to the tweet model
  // (chosen on the dev splits, models/README.md "Tweet router (seventh
  // pass)"); the threshold of every language Threshold() does not lower.
  static constexpr float kThreshold = 0.9f;
  // The threshold for a text detected as `language`: lower than kThreshold
  // where the tweet model reads the posts the router leaves below it
  // better than the review model (a cross-validation of multi_tweets with
  // out-of-fold routers and tweet models, and multi_tweets.dev), at the
  // lowest value at which no spent case table and not the corpus dev fifth
  // loses a label to the texts it moves (models/README.md "Fourteenth
  // pass: the router"): fr 0.6, it 0.8, es 0.85.
  static float Threshold(std::string_view language);
  // The per-language thresholds as text, for the model version.
  static std::string ThresholdKey();
  // Longer texts (bytes) stay reviews: the posts of multi_tweets are at
  // most 280 characters (Twitter's limit), their Latin-script ones under
  // 200 bytes.
  static constexpr size_t kMaxBytes = 280;

  // Loads models_dir/router.lin when it exists (else Enabled() is false and
  // ToTweetModel() always false). INVALID_ARGUMENT naming the file when it
  // is not a two-class model with the labels post and review.
  static absl::StatusOr<std::unique_ptr<TweetRouter>> Load(const std::string& models_dir);

  bool Enabled() const { return model_ != nullptr; }
  // The file name loaded, empty without one (for the model version).
  std::string File() const { return model_ != nullptr ? kFile : ""; }

  // P(post) of `t` (ReviewInput() of its tokens); 0 without a model.
  // `review` (when not null): `t`'s features, built once for the text.
  float PostProbability(const TokenizedText& t, ReviewFeatures* review = nullptr) const;

  // Whether a text the marks do not route (not LooksLikeTweet(), no social
  // source) goes to the tweet model: no star rating and no title (a review
  // form's fields: no post carries them), at most kMaxBytes of text, and
  // P(post) >= `threshold`.
  bool ToTweetModel(std::string_view text, const TokenizedText& t,
                    const AnalyzeOptions& options, float threshold = kThreshold,
                    ReviewFeatures* review = nullptr) const;

 private:
  std::unique_ptr<LinearModel> model_;
  int post_ = 0;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_TWEET_ROUTER_H_
