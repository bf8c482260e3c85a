// Reads the plain-text lexicons under models/ (aspects.tsv, urgency.tsv):
// UTF-8, one entry per line, three TAB-separated fields
//   language  label  phrase
// where language is a primary BCP-47 subtag ("pl") or "*" for all, label is
// what the entry means to its reader, and phrase uses the TermMatcher syntax
// (term_matcher.h). Blank lines and lines starting with '#' are skipped.
#ifndef OPINIA_NLP_LEXICON_FILE_H_
#define OPINIA_NLP_LEXICON_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace opinia::nlp {

struct LexiconLine {
  int line = 0;  // 1-based, for error messages
  std::string language;
  std::string label;
  std::string phrase;
};

// NOT_FOUND when `path` cannot be opened; INVALID_ARGUMENT (naming the line)
// when a line does not have exactly three non-empty fields.
absl::StatusOr<std::vector<LexiconLine>> ReadLexiconFile(
    const std::string& path);

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_LEXICON_FILE_H_
