// Lexicon + rules sentiment scorer (VADER-style): lexicon valences, negation
// flips ("nie polecam", "no problems"), intensifiers ("bardzo", "very") and
// down-toners, contrast ("ale", "but", "niestety", "however": the clause
// after weighs more), '!' emphasis, emoji and emoticons. Complements the
// statistical models where they are unsure or have no training data.
#ifndef OPINIA_NLP_SENTIMENT_RULES_H_
#define OPINIA_NLP_SENTIMENT_RULES_H_

#include <string_view>

#include "nlp/lexicon.h"
#include "nlp/text.h"

namespace opinia::nlp {

struct RuleScore {
  float score = 0;     // [-1, 1]
  float positive = 0;  // sum of positive contributions (>= 0)
  float negative = 0;  // sum of |negative contributions| (>= 0)
  int hits = 0;        // tokens that carried sentiment
  float sum = 0;       // unsquashed score: score = sum / sqrt(sum^2 + 1)
  float emoji = 0;     // the part of `sum` carried by emoji and emoticons
};

// The rule score of a text made of parts scored separately: contributions
// add up (each part's contrast and emphasis weighting stays within it).
RuleScore JoinRules(const RuleScore* const* parts, size_t n);

// Scores tokens [first_token, end_token) of `t` in `lang` ("pl", "en", ...).
// `valences`, when given, answers the words' lexicon lookups
// (Lexicon::WordValences).
RuleScore ScoreRules(const TokenizedText& t, int first_token, int end_token,
                     std::string_view lang, const Lexicon& lexicon,
                     Lexicon::WordValences* valences = nullptr);

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_SENTIMENT_RULES_H_
