#include "service/storage/text_fold.h"

#include <utility>

namespace opinia::storage {
namespace {

struct Fold {
  std::string_view from;  // one UTF-8 encoded letter
  std::string_view to;
};

constexpr Fold kFolds[] = {
    {"ł", "l"},  {"Ł", "L"},  {"ø", "o"},  {"Ø", "O"},   {"ß", "ss"},
    {"ẞ", "SS"}, {"æ", "ae"}, {"Æ", "AE"}, {"œ", "oe"},  {"Œ", "OE"},
    {"đ", "d"},  {"Đ", "D"},  {"ð", "d"},  {"Ð", "D"},   {"þ", "th"},
    {"Þ", "TH"}, {"ı", "i"},  {"ħ", "h"},  {"Ħ", "H"},
};

}  // namespace

std::string FoldForSearch(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    // Every letter above starts with a byte >= 0xC3: copy the bytes before
    // the next such byte in one go (the write path folds every review).
    size_t end = i;
    while (end < text.size() && static_cast<unsigned char>(text[end]) < 0xC3) {
      ++end;
    }
    out.append(text.data() + i, end - i);
    i = end;
    if (i == text.size()) break;
    const std::string_view rest = text.substr(i);
    bool folded = false;
    for (const Fold& f : kFolds) {
      // Compare the lead byte first: most letters here (ó, ż, ę, ü, é ...)
      // fold to themselves.
      if (f.from[0] == rest[0] && rest.substr(0, f.from.size()) == f.from) {
        out.append(f.to);
        i += f.from.size();
        folded = true;
        break;
      }
    }
    if (!folded) out.push_back(text[i++]);
  }
  return out;
}

}  // namespace opinia::storage
