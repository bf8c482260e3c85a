// 64-bit FNV-1a: a fixed, platform-independent hash of bytes (model
// feature ids, the case table's dev/test split). Never change it: stored
// models and the split depend on its values.
#ifndef OPINIA_NLP_FNV1A_H_
#define OPINIA_NLP_FNV1A_H_

#include <cstdint>
#include <string_view>

namespace opinia::nlp {

inline uint64_t Fnv1a64(std::string_view s) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_FNV1A_H_
