// UTF-8 validation of untrusted input (request strings are parsed as bytes,
// see service/rpc/raw_ingest.proto, so the core must check them).
#ifndef OPINIA_SERVICE_CORE_UTIL_UTF8_H_
#define OPINIA_SERVICE_CORE_UTIL_UTF8_H_

#include <string_view>

namespace opinia::core {

// True when `s` is well-formed UTF-8: no overlong forms, no surrogates,
// nothing above U+10FFFF, no truncated sequences.
bool IsValidUtf8(std::string_view s);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_UTF8_H_
