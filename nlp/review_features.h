// The linear-model features of a whole review, LinearFeatures(ReviewInput(t))
// (nlp/linear_model.h, nlp/sentiment_features.h), built at most once per
// text: the tweet router and the aspect detector both read them. Lazy: a
// text neither step reads costs nothing. One per thread and text (Reset()
// for each); the text must outlive the reads.
#ifndef OPINIA_NLP_REVIEW_FEATURES_H_
#define OPINIA_NLP_REVIEW_FEATURES_H_

#include <cstdint>
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
  }
  // LinearFeatures(ReviewInput(t)) (no character n-grams), in its order.
  const std::vector<uint64_t>& Get() {
    if (!built_) {
      features_.clear();
      LinearFeatures(ReviewInput(*t_), &features_);
      built_ = true;
    }
    return features_;
  }

 private:
  const TokenizedText* t_ = nullptr;
  bool built_ = false;
  std::vector<uint64_t> features_;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_REVIEW_FEATURES_H_
