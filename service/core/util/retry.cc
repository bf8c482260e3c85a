#include "service/core/util/retry.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/strings/numbers.h"

namespace opinia::core {

absl::Duration FullJitterBackoff(absl::Duration base, absl::Duration max,
                                 int attempts, double u) {
  // base * 2^(attempts-1), computed in doubles and capped before it can
  // overflow a Duration.
  const int exponent = std::clamp(attempts - 1, 0, 62);
  const double cap_s = absl::ToDoubleSeconds(max);
  const double exp_s =
      std::min(cap_s, absl::ToDoubleSeconds(base) * std::ldexp(1.0, exponent));
  return absl::Seconds(exp_s * std::clamp(u, 0.0, 1.0));
}

absl::Duration RetryAfterOf(const HttpResult& response, absl::Duration max) {
  int64_t seconds = 0;
  if ((response.status == 429 || response.status == 503) &&
      absl::SimpleAtoi(response.Header("Retry-After"), &seconds) &&
      seconds > 0) {
    return std::min(absl::Seconds(seconds), max);
  }
  return absl::ZeroDuration();
}

}  // namespace opinia::core
