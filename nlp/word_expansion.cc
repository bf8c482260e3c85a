#include "nlp/word_expansion.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlp/fnv1a.h"

namespace opinia::nlp {

uint64_t WordExpansion::Key(std::string_view form) { return Fnv1a64(form); }

absl::StatusOr<std::unique_ptr<WordExpansion>> WordExpansion::Load(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot open " + path);
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

absl::StatusOr<std::unique_ptr<WordExpansion>> WordExpansion::Parse(
    std::string_view text, std::string_view name) {
  std::unique_ptr<WordExpansion> w(new WordExpansion());
  int line_no = 0;
  const absl::string_view all(text.data(), text.size());
  const std::string file(name);
  for (absl::string_view line : absl::StrSplit(all, '\n')) {
    ++line_no;
    auto bad = [&](absl::string_view what) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ":", line_no, ": ", what));
    };
    if (line_no == 1) {
      if (line != absl::string_view(kMagic)) return bad("not a word expansion table");
      continue;
    }
    if (line.empty()) continue;
    const size_t tab = line.find('\t');
    if (tab == 0 || tab == absl::string_view::npos) return bad("no form");
    const absl::string_view form = line.substr(0, tab);
    const size_t offset = w->pool_.size();
    for (absl::string_view token :
         absl::StrSplit(line.substr(tab + 1), ' ', absl::SkipEmpty())) {
      if (!IsExpansionToken(std::string_view(token.data(), token.size()))) {
        return bad("a token without ~% or ~=");
      }
      w->pool_.push_back(' ');
      w->pool_.append(token.data(), token.size());
    }
    if (w->pool_.size() == offset) return bad("no tokens");
    if (w->pool_.size() > UINT32_MAX) return bad("table too large");
    const auto entry = std::make_pair(static_cast<uint32_t>(offset),
                                      static_cast<uint32_t>(w->pool_.size() - offset));
    if (!w->index_.emplace(Key(std::string_view(form.data(), form.size())), entry).second) {
      return bad("repeated form");
    }
  }
  return w;
}

}  // namespace opinia::nlp
