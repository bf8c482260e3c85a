// WordFilter: a quick "certainly not in the set" test for small word sets
// (negators, intensifiers, contrast words) that are looked up for every word
// of a text. 4096 bits keyed by a word's length, first and last byte: a word
// whose bit is clear is not in the set, so its hash lookup is skipped, which
// is the case for nearly every word (a false positive only costs the lookup).
#ifndef OPINIA_NLP_WORD_FILTER_H_
#define OPINIA_NLP_WORD_FILTER_H_

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace opinia::nlp {

class WordFilter {
 public:
  void Add(std::string_view w) {
    if (!w.empty()) bits_.set(Key(w));
  }
  bool MayContain(std::string_view w) const {
    return !w.empty() && bits_.test(Key(w));
  }

 private:
  static size_t Key(std::string_view w) {
    const auto first = static_cast<uint8_t>(w.front());
    const auto last = static_cast<uint8_t>(w.back());
    const uint32_t h = static_cast<uint32_t>(w.size()) * 0x9E3779B1u ^
                       first * 0x85EBCA77u ^ last * 0xC2B2AE3Du;
    return (h ^ (h >> 15)) & 4095u;
  }
  std::bitset<4096> bits_;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_WORD_FILTER_H_
