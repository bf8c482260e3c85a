// The linear-model features of a whole review, LinearFeatures(ReviewInput(t))
// (nlp/linear_model.h, nlp/sentiment_features.h), built at most once per
// text: the tweet router and the aspect detector both read them. Lazy: a
// text neither step reads costs nothing. Likewise each clause's,
// LinearFeatures(SentimentInput(t, first, end)): the clause models
// (ClauseReader) and the aspect detector both read them. One per thread and
// text (Reset() for each); the text must outlive the reads.
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
    sentence_features_.clear();
    joinable_ = true;
    clauses_used_ = 0;
  }
  // SentimentInput(t, s.first_token, s.end_token) of every sentence s of
  // the text, in order, when the sentence pass has them (it built them
  // without word expansions): Get() then joins them instead of building
  // ReviewInput() again (all sentences' or none). They must live until the
  // last Get().
  // With `features` (the sentence pass's hashes of `input`, see
  // FeatureSpan), Get() joins those and Clause() of the sentence copies
  // them, instead of hashing the input again; they must live as long.
  void AddSentenceInput(std::string_view input, FeatureSpan features = {}) {
    sentence_inputs_.push_back(input);
    sentence_features_.push_back(features);
    // An expansion token forms no pair: joining the parts' features would
    // put the junction's pair elsewhere. Such inputs are hashed again.
    joinable_ &= features.features != nullptr && input.find("~%") == std::string_view::npos &&
                 input.find("~=") == std::string_view::npos;
  }
  bool Built() const { return built_; }
  // LinearFeatures(ReviewInput(t)) (no character n-grams), in its order.
  const std::vector<uint64_t>& Get() {
    if (!built_) {
      features_.clear();
      if (sentence_inputs_.size() == t_->sentences.size() && !sentence_inputs_.empty() &&
          joinable_) {
        // ReviewInput()'s features from the sentences' (empty ones have
        // none and are skipped, as below).
        JoinLinearFeatures(sentence_features_, &features_);
      } else if (sentence_inputs_.size() == t_->sentences.size() &&
                 !sentence_inputs_.empty()) {
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
  // LinearFeatures(SentimentInput(t, first, end)) (no character n-grams),
  // in its order; built once per range. Valid until the next Clause() or
  // Reset().
  const std::vector<uint64_t>& Clause(int first, int end) {
    for (size_t i = 0; i < clauses_used_; ++i) {
      if (clauses_[i].first == first && clauses_[i].end == end) return clauses_[i].features;
    }
    // Entries past clauses_used_ are a previous text's: their vectors keep
    // their capacity.
    if (clauses_used_ == clauses_.size()) clauses_.emplace_back();
    ClauseEntry& e = clauses_[clauses_used_++];
    e.first = first;
    e.end = end;
    e.features.clear();
    // A clause that is a whole sentence: the sentence pass built its input
    // already (AddSentenceInput), the same string SentimentInput() gives,
    // and mostly hashed it too.
    const int sentence = SentenceOf(first, end);
    if (sentence >= 0 && sentence_features_[sentence].features != nullptr) {
      e.features = *sentence_features_[sentence].features;
    } else if (sentence >= 0) {
      LinearFeatures(sentence_inputs_[sentence], &e.features);
    } else {
      SentimentFeatures(*t_, first, end, &e.features);
    }
    return e.features;
  }

 private:
  // The sentence spanning exactly [first, end) when AddSentenceInput() gave
  // every sentence's input, or -1.
  int SentenceOf(int first, int end) const {
    if (sentence_inputs_.size() != t_->sentences.size()) return -1;
    for (size_t i = 0; i < sentence_inputs_.size(); ++i) {
      const Sentence& s = t_->sentences[i];
      if (s.first_token == first && s.end_token == end) return static_cast<int>(i);
      if (s.first_token > first) break;
    }
    return -1;
  }

  struct ClauseEntry {
    int first = 0;
    int end = 0;
    std::vector<uint64_t> features;
  };
  const TokenizedText* t_ = nullptr;
  bool built_ = false;
  std::vector<std::string_view> sentence_inputs_;
  std::vector<FeatureSpan> sentence_features_;  // parallel to sentence_inputs_
  bool joinable_ = true;  // every sentence's features given, none with "~%" or "~="
  std::string joined_;
  std::vector<uint64_t> features_;
  std::vector<ClauseEntry> clauses_;
  size_t clauses_used_ = 0;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_REVIEW_FEATURES_H_
