#include "nlp/tweet_router.h"

#include <filesystem>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "nlp/sentiment_features.h"
#include "util/status_macros.h"

namespace opinia::nlp {
namespace {

struct LanguageThreshold {
  const char* language;
  float threshold;
};
constexpr LanguageThreshold kLanguageThresholds[] = {{"fr", 0.6f}, {"it", 0.8f}, {"es", 0.85f}};

}  // namespace

float TweetRouter::Threshold(std::string_view language) {
  for (const LanguageThreshold& l : kLanguageThresholds) {
    if (language == l.language) return l.threshold;
  }
  return kThreshold;
}

std::string TweetRouter::ThresholdKey() {
  std::string key = absl::StrCat(kThreshold);
  for (const LanguageThreshold& l : kLanguageThresholds) {
    absl::StrAppend(&key, ";", l.language, "=", l.threshold);
  }
  return key;
}

absl::StatusOr<std::unique_ptr<TweetRouter>> TweetRouter::Load(const std::string& models_dir) {
  std::unique_ptr<TweetRouter> r(new TweetRouter());
  const std::string path = models_dir + "/" + kFile;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return r;
  ASSIGN_OR_RETURN(r->model_, LinearModel::Load(path));
  r->post_ = r->model_->LabelIndex(kPost);
  if (r->model_->Labels().size() != 2 || r->post_ < 0 || r->model_->LabelIndex(kReview) < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": the router model has the labels ", kPost, " and ", kReview));
  }
  return r;
}

float TweetRouter::PostProbability(const TokenizedText& t, ReviewFeatures* review) const {
  if (model_ == nullptr) return 0.0f;
  thread_local std::vector<float> probs;
  if (review != nullptr && !model_->Chars().enabled()) {
    model_->PredictFeatures(review->Get(), &probs);
  } else {
    model_->Predict(ReviewInput(t), &probs);
  }
  return probs[static_cast<size_t>(post_)];
}

bool TweetRouter::ToTweetModel(std::string_view text, const TokenizedText& t,
                               const AnalyzeOptions& options, float threshold,
                               ReviewFeatures* review) const {
  if (model_ == nullptr || options.rating > 0 || !options.title.empty() ||
      text.size() > kMaxBytes) {
    return false;
  }
  return PostProbability(t, review) >= threshold;
}

}  // namespace opinia::nlp
