// Per-API-key request rate limit: one token bucket per key id, refilled at
// `rate` tokens/s up to `burst`; every call takes one token. A call without
// a token is refused with RESOURCE_EXHAUSTED carrying google.rpc.RetryInfo
// (how long until a token is there), so well-behaved clients back off
// exactly as long as needed.
#ifndef OPINIA_SERVICE_RPC_RATE_LIMITER_H_
#define OPINIA_SERVICE_RPC_RATE_LIMITER_H_

#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace opinia::rpc {

// Thread-safe. Memory: one small entry per key id that ever called (key ids
// come from authenticated keys only, so callers cannot grow it at will).
class RateLimiter {
 public:
  // `rate` > 0 tokens per second, `burst` >= 1 (smaller values are raised).
  RateLimiter(double rate, double burst);

  // Takes a token of `key_id` at `now`. Zero when granted, else how long
  // until the next token.
  absl::Duration Acquire(std::string_view key_id, absl::Time now);

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  const double rate_;
  const double burst_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mutex_);
};

// RESOURCE_EXHAUSTED with a google.rpc.Status in grpc-status-details-bin
// holding one google.rpc.RetryInfo{retry_delay = `retry_after`}.
grpc::Status RateLimitedStatus(absl::Duration retry_after);

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_RATE_LIMITER_H_
