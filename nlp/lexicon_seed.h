// Hand-written review vocabulary that the public lexicons lack or get wrong
// (Polish shop/medical reviews, English product reviews). Compiled into
// models/lexicon.tsv by opinia-train --lexicons; wins over the public lists.
#ifndef OPINIA_NLP_LEXICON_SEED_H_
#define OPINIA_NLP_LEXICON_SEED_H_

#include <string_view>
#include <vector>

namespace opinia::nlp {

struct SeedEntry {
  std::string_view lang;
  std::string_view word;  // surface form; normalised when compiled
  float valence;          // [-1, 1]
};

const std::vector<SeedEntry>& LexiconSeed();

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_LEXICON_SEED_H_
