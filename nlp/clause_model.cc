#include "nlp/clause_model.h"

#include <filesystem>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "nlp/sentiment_features.h"
#include "util/status_macros.h"

namespace opinia::nlp {

absl::StatusOr<std::unique_ptr<ClauseModels>> ClauseModels::Load(const std::string& models_dir) {
  std::unique_ptr<ClauseModels> m(new ClauseModels());
  for (std::string_view lang : kLanguages) {
    const std::string path = models_dir + "/clause_" + std::string(lang) + ".lin";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    Model model;
    model.language = std::string(lang);
    ASSIGN_OR_RETURN(model.model, LinearModel::Load(path));
    model.positive = model.model->LabelIndex("positive");
    model.negative = model.model->LabelIndex("negative");
    model.neutral = model.model->LabelIndex("neutral");
    if (model.model->Labels().size() != 3 || model.positive < 0 || model.negative < 0 ||
        model.neutral < 0) {
      return absl::InvalidArgumentError(
          path + ": a clause model has the labels positive, negative, neutral");
    }
    m->models_.push_back(std::move(model));
  }
  return m;
}

std::vector<std::string> ClauseModels::Files() const {
  std::vector<std::string> files;
  for (const Model& m : models_) files.push_back("clause_" + m.language + ".lin");
  return files;
}

const ClauseModels::Model* ClauseModels::For(std::string_view language) const {
  language = language.substr(0, language.find('-'));
  for (const Model& m : models_) {
    if (m.language == language) return &m;
  }
  return nullptr;
}

Sentiment ClauseModels::Read(const TokenizedText& t, int first, int end,
                             std::string_view language) const {
  const Model* m = For(language);
  if (m == nullptr) return {0.0f, SentimentLabel::kNeutral, 0.0f};
  thread_local std::vector<float> probs;
  m->model->Predict(SentimentInput(t, first, end), &probs);
  return FromProbs(*m, probs);
}

Sentiment ClauseModels::Read(const TokenizedText& t, int first, int end,
                             std::string_view language, ReviewFeatures* features) const {
  const Model* m = For(language);
  if (features == nullptr || m == nullptr || m->model->Chars().enabled()) {
    return Read(t, first, end, language);
  }
  thread_local std::vector<float> probs;
  m->model->PredictFeatures(features->Clause(first, end), &probs);
  return FromProbs(*m, probs);
}

Sentiment ClauseModels::FromProbs(const Model& m, const std::vector<float>& probs) {
  const float pos = probs[m.positive];
  const float neg = probs[m.negative];
  const float neu = probs[m.neutral];
  Sentiment s{pos - neg, SentimentLabel::kNeutral, neu};
  if (pos > neg && pos > neu) {
    s.label = SentimentLabel::kPositive;
    s.confidence = pos;
  } else if (neg > pos && neg > neu) {
    s.label = SentimentLabel::kNegative;
    s.confidence = neg;
  }
  return s;
}

void ClauseReader::Reset(const ClauseModels* models, const TokenizedText& t,
                         std::string_view language, ReviewFeatures* features) {
  models_ = models;
  t_ = &t;
  features_ = features;
  language_.assign(language.data(), language.size());
  knows_ = models != nullptr && models->Knows(language_);
  by_first_.assign(knows_ ? t.tokens.size() : 0, -1);
  memo_.clear();
}

Sentiment ClauseReader::Read(int first, int end) {
  if (!knows_) return {0.0f, SentimentLabel::kNeutral, 0.0f};
  if (first < 0 || static_cast<size_t>(first) >= by_first_.size()) {
    return models_->Read(*t_, first, end, language_, features_);
  }
  int& slot = by_first_[static_cast<size_t>(first)];
  if (slot >= 0 && memo_[static_cast<size_t>(slot)].end == end) {
    return memo_[static_cast<size_t>(slot)].reading;
  }
  const Sentiment s = models_->Read(*t_, first, end, language_, features_);
  if (slot < 0) {
    slot = static_cast<int>(memo_.size());
    memo_.push_back({end, s});
  }
  return s;
}

}  // namespace opinia::nlp
