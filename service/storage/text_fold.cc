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
    const unsigned char c = static_cast<unsigned char>(text[i]);
    bool folded = false;
    if (c >= 0xC3) {  // every letter above starts with a byte >= 0xC3
      for (const Fold& f : kFolds) {
        if (text.compare(i, f.from.size(), f.from) == 0) {
          out.append(f.to);
          i += f.from.size();
          folded = true;
          break;
        }
      }
    }
    if (!folded) out.push_back(text[i++]);
  }
  return out;
}

}  // namespace opinia::storage
