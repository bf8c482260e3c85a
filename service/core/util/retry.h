// Waiting between attempts of outbound work (webhook deliveries, replies
// published on platforms): full-jitter exponential back-off and the
// receiver's Retry-After.
#ifndef OPINIA_SERVICE_CORE_UTIL_RETRY_H_
#define OPINIA_SERVICE_CORE_UTIL_RETRY_H_

#include <random>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/core/util/http_client.h"

namespace opinia::core {

// The `u` of FullJitterBackoff: uniform in [0, 1), seeded from
// std::random_device. Thread-safe.
class Jitter {
 public:
  double Uniform() {
    absl::MutexLock lock(&mutex_);
    return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
  }

 private:
  absl::Mutex mutex_;
  std::mt19937_64 random_ ABSL_GUARDED_BY(mutex_){std::random_device{}()};
};

// uniform(0, min(max, base * 2^(attempts-1))) given a uniform `u` in
// [0, 1): the wait before attempt number `attempts + 1`.
absl::Duration FullJitterBackoff(absl::Duration base, absl::Duration max,
                                 int attempts, double u);

// How long a receiver asked us to wait: Retry-After in seconds on 429 and
// 503, capped at `max`; zero when it did not ask.
absl::Duration RetryAfterOf(const HttpResult& response, absl::Duration max);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_RETRY_H_
