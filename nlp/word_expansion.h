// Extra sentiment-model input per word form: the thesaurus group of the
// word's lemma ("~%<lemma>" tokens: the lemma and its one-word synonyms),
// so that a word the training texts never used shares features with its
// synonyms they did. Precomputed at training time (scripts/word_expansions.py
// from Debian's mythes and morfologik dictionaries, pruned by opinia-train to
// the tokens its model knows) into models/<model>.words; at serving time one
// hash probe per word.
//
// File format (text, UTF-8): a header line "OPWX1", then one line per form
//   form<TAB>token token ...
// where form is a Tokenize() norm and every token starts with "~%" or "~="
// (IsExpansionToken). Expansion tokens are unigram features only: they form
// no word pairs (LinearFeatures), so dropping one the model does not know
// changes no prediction.
#ifndef OPINIA_NLP_WORD_EXPANSION_H_
#define OPINIA_NLP_WORD_EXPANSION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace opinia::nlp {

// True for the tokens a WordExpansion adds ("~%x", "~=x").
inline bool IsExpansionToken(std::string_view token) {
  return token.size() > 2 && token[0] == '~' &&
         (token[1] == '%' || token[1] == '=');
}

class WordExpansion {
 public:
  inline static constexpr char kMagic[] = "OPWX1";

  // NOT_FOUND when `path` cannot be opened; INVALID_ARGUMENT (naming the
  // line) when it is not a well-formed table.
  static absl::StatusOr<std::unique_ptr<WordExpansion>> Load(
      const std::string& path);
  // From the text of a table (same format as the file).
  static absl::StatusOr<std::unique_ptr<WordExpansion>> Parse(
      std::string_view text, std::string_view name);

  // Appends " " + token for each token of `form` (nothing for an unknown
  // form).
  void Append(std::string_view form, std::string* out) const {
    auto it = index_.find(Key(form));
    if (it == index_.end()) return;
    out->append(pool_, it->second.first, it->second.second);
  }
  size_t size() const { return index_.size(); }

 private:
  WordExpansion() = default;
  static uint64_t Key(std::string_view form);
  // Form hash -> (offset, length) in pool_ of " tok1 tok2 ...".
  absl::flat_hash_map<uint64_t, std::pair<uint32_t, uint32_t>> index_;
  std::string pool_;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_WORD_EXPANSION_H_
