// The exact token string fed to the fastText sentiment models. Shared by
// opinia-train (building training files) and the analyzer (serving), so the
// models see identical input in both.
#ifndef OPINIA_NLP_SENTIMENT_FEATURES_H_
#define OPINIA_NLP_SENTIMENT_FEATURES_H_

#include <string>

#include "nlp/text.h"

namespace opinia::nlp {

// ModelInput() of tokens [first_token, end_token) with negation scope marked:
// the words following a negator ("nie", "not", "never", "don't", "kein", ...)
// up to the next punctuation or 3 words are emitted as "neg_<word>" in
// addition to the word itself, so "nie polecam" and "polecam" differ beyond
// the bigram window; then the stem ("~" + first 5 bytes of `plain`) of
// every word longer than that, so inflected forms share features.
std::string SentimentInput(const TokenizedText& t, int first_token,
                           int end_token);

// True when `norm` is a negator in one of the supported languages.
bool IsNegator(std::string_view norm);

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_SENTIMENT_FEATURES_H_
