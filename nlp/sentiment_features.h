// The exact token string fed to the sentiment models. Shared by
// opinia-train (building training files) and the analyzer (serving), so the
// models see identical input in both.
#ifndef OPINIA_NLP_SENTIMENT_FEATURES_H_
#define OPINIA_NLP_SENTIMENT_FEATURES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "nlp/text.h"
#include "nlp/word_expansion.h"

namespace opinia::nlp {

// ModelInput() of tokens [first_token, end_token) with negation scope marked:
// the words following a negator ("nie", "not", "never", "don't", "kein", ...)
// up to the next punctuation or 3 words are emitted as "neg_<word>" in
// addition to the word itself, so "nie polecam" and "polecam" differ beyond
// the bigram window; then the stem ("~" + first 5 bytes of `plain`) of
// every word longer than that, so inflected forms share features; then,
// with `words`, each word's expansion tokens (word_expansion.h).
std::string SentimentInput(const TokenizedText& t, int first_token,
                           int end_token,
                           const WordExpansion* words = nullptr);

// LinearFeatures(SentimentInput(t, first_token, end_token)) (no word
// expansions, no character n-grams), appended to `out`, without building
// the input string.
void SentimentFeatures(const TokenizedText& t, int first_token, int end_token,
                       std::vector<uint64_t>* out);

// The separator between the sentences of a multi-sentence text in the model
// input: none. The input of a text is the inputs of its sentences one after
// the other (each sentence's words, then its stems), so the analyzer reuses
// each sentence's input for the whole review (ClassifyJoined) instead of
// building it again from the tokens. An explicit separator token cost
// accuracy with the former fastText models (en_amazon_reviews.dev 0.858 vs
// 0.875 without, model alone).
inline constexpr char kSegmentSeparator[] = "";

// The model input of a whole text: SentimentInput() of each sentence of `t`
// (sentences without model input skipped), one after the other. Used to
// build training lines; at serving time the analyzer joins the same
// per-sentence inputs (tests/nlp/linear_model_test.cc checks they agree).
std::string ReviewInput(const TokenizedText& t,
                        const WordExpansion* words = nullptr);

// True when `norm` is a negator in one of the supported languages.
bool IsNegator(std::string_view norm);

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_SENTIMENT_FEATURES_H_
