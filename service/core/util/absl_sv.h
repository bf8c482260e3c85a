// Debian's abseil (20220623) has its own absl::string_view, distinct from
// std::string_view, while our interfaces (store.h) use std::string_view.
// Av() bridges the two where an absl function needs one.
#ifndef OPINIA_SERVICE_CORE_UTIL_ABSL_SV_H_
#define OPINIA_SERVICE_CORE_UTIL_ABSL_SV_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace opinia::core {

inline absl::string_view Av(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}
inline std::string_view Sv(absl::string_view s) {
  return std::string_view(s.data(), s.size());
}

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_ABSL_SV_H_
