// The linear-model features of a whole review, LinearFeatures(ReviewInput(t))
// (nlp/linear_model.h, nlp/sentiment_features.h), built at most once per
// text: the tweet router and the aspect detector both read them. Lazy: a
// text neither step reads costs nothing. One per thread and text (Reset()
// for each); the text must outlive the reads.
#ifndef OPINIA_NLP_REVIEW_FEATURES_H_
#define OPINIA_NLP_REVIEW_FEATURES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nlp/linear_model.h"
#include "nlp/sentiment_features.h"
#include "nlp/text.h"

namespace opinia::nlp {

class ReviewFeatures {
 public:
  void Reset(const TokenizedText& t) {
    t_ = &t;
    built_ = false;
    sentence_inputs_.clear();
  }
  // SentimentInput(t, s.first_token, s.end_token) of every sentence s of
  // the text, in order, when the sentence pass has them (it built them
  // without word expansions): Get() then joins them instead of building
  // ReviewInput() again (all sentences' or none). They must live until the
  // last Get().
  void AddSentenceInput(std::string_view input) { sentence_inputs_.push_back(input); }
  bool Built() const { return built_; }
  // LinearFeatures(ReviewInput(t)) (no character n-grams), in its order.
  const std::vector<uint64_t>& Get() {
    if (!built_) {
      features_.clear();
      if (sentence_inputs_.size() == t_->sentences.size() && !sentence_inputs_.empty()) {
        // ReviewInput(): the sentences' inputs joined by single spaces,
        // empty ones skipped.
        joined_.clear();
        for (std::string_view part : sentence_inputs_) {
          if (part.empty()) continue;
          if (!joined_.empty()) joined_ += ' ';
          joined_ += part;
        }
        LinearFeatures(joined_, &features_);
      } else {
        LinearFeatures(ReviewInput(*t_), &features_);
      }
      built_ = true;
    }
    return features_;
  }

 private:
  const TokenizedText* t_ = nullptr;
  bool built_ = false;
  std::vector<std::string_view> sentence_inputs_;
  std::string joined_;
  std::vector<uint64_t> features_;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_REVIEW_FEATURES_H_
