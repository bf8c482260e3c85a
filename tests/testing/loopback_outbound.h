// The outbound policy of in-process tests whose HTTP servers are on
// loopback: what --outbound-allow=127.0.0.0/8,::1/128 gives a real server.
// Header-only; the test links opinia::core_util.
#ifndef OPINIA_TESTS_TESTING_LOOPBACK_OUTBOUND_H_
#define OPINIA_TESTS_TESTING_LOOPBACK_OUTBOUND_H_

#include "service/core/util/outbound_policy.h"

namespace opinia::testing {

inline constexpr char kLoopbackAllow[] = "127.0.0.0/8,::1/128";

// Process-wide, never destroyed.
inline const core::OutboundPolicy* LoopbackAllowed() {
  static const auto* const policy =
      new core::OutboundPolicy(*core::ParseCidrList(kLoopbackAllow));
  return policy;
}

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_TESTING_LOOPBACK_OUTBOUND_H_
