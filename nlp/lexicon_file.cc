#include "nlp/lexicon_file.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace opinia::nlp {

absl::StatusOr<std::vector<LexiconLine>> ReadLexiconFile(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<LexiconLine> out;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    absl::string_view s = absl::StripAsciiWhitespace(line);
    if (s.empty() || s.front() == '#') continue;
    std::vector<absl::string_view> f = absl::StrSplit(s, '\t');
    if (f.size() != 3) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", number, ": want 3 TAB-separated fields, got ", f.size()));
    }
    LexiconLine l;
    l.line = number;
    l.language = std::string(absl::StripAsciiWhitespace(f[0]));
    l.label = std::string(absl::StripAsciiWhitespace(f[1]));
    l.phrase = std::string(absl::StripAsciiWhitespace(f[2]));
    if (l.language.empty() || l.label.empty() || l.phrase.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": empty field"));
    }
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace opinia::nlp
