// Polite, robust GETs for the collectors: timeouts, retries with
// exponential back-off and jitter on network errors, timeouts and 5xx,
// 429 honoured (Retry-After in seconds or as an HTTP date), and at most
// `max_per_host` requests in flight per host across all collectors.
//
// Waiting goes through an injected Sleeper, so tests never really sleep for
// back-off while still talking real HTTP on loopback.
//
// Get() codes:
//   UNAVAILABLE         retries exhausted (network, timeout, 5xx, 429); the
//                       message names the last failure;
//   UNAUTHENTICATED     401/403: the platform rejected the credentials
//                       (IsHttpUnauthorized tells a 401: a renewable
//                       token may be refreshed and the request retried);
//   NOT_FOUND           404: the endpoint is wrong;
//   FAILED_PRECONDITION another 4xx, or a Retry-After longer than
//                       max_retry_after (try again on the next poll);
//   INVALID_ARGUMENT    a malformed URL; RESOURCE_EXHAUSTED a body larger
//                       than the call's max_response_bytes;
//   PERMISSION_DENIED   the outbound policy refused every address of the
//                       host ("destination not allowed"; not retried).
// Messages name "GET <scheme://host:port>" and the HTTP status or transport
// reason, never the URL's path or query or the response body.
//   CANCELLED           the server is stopping (the sleeper stopped, or
//                       the call's cancel flag was set): not retried.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_FETCHER_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_FETCHER_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/core/util/clock.h"
#include "service/core/util/http_client.h"

namespace opinia::core::collectors {

// Thread-safe.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void Sleep(absl::Duration d) = 0;
  // true once waiting should end for good (server shutdown): the fetcher
  // then gives up instead of retrying.
  virtual bool stopped() const { return false; }
};

// absl::SleepFor; a process-wide instance.
Sleeper* RealSleeper();

// Real waiting that Stop() cuts short (the server's, so shutdown does not
// wait out a back-off or a long Retry-After).
class StoppableSleeper final : public Sleeper {
 public:
  void Sleep(absl::Duration d) override;
  bool stopped() const override;
  void Stop();

 private:
  mutable absl::Mutex mutex_;
  bool stopped_ ABSL_GUARDED_BY(mutex_) = false;
};

struct FetchOptions {
  int max_attempts = 5;  // per request, the first one included
  absl::Duration initial_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Seconds(60);
  // A longer Retry-After fails the request instead of blocking a worker.
  absl::Duration max_retry_after = absl::Minutes(2);
  // Requests in flight per host:port across all collectors (a run waits
  // for a free one on its executor thread; keep it >= the executor's
  // per-destination limit so that it never has to).
  int max_per_host = 2;
  HttpCallOptions call{absl::Seconds(10), absl::Seconds(30), 32 << 20, {}};
};

// Thread-safe; `http`, `sleeper` and `clock` must outlive it.
class Fetcher {
 public:
  Fetcher(HttpClient* http, Sleeper* sleeper, const Clock* clock,
          FetchOptions options, uint64_t seed = std::random_device{}());

  // The body of a 2xx answer to GET `url`.
  absl::StatusOr<std::string> Get(const std::string& url,
                                  const HttpHeaders& headers);

  // The wait before retry number `retry` (1-based): exponential from
  // initial_backoff, capped at max_backoff, with "equal jitter" (half
  // fixed, half random) so many collectors do not retry in lock-step.
  absl::Duration Backoff(int retry);

  // Waits through the sleeper (the sync's "suspicious empty page" retries
  // use the same waiting).
  void Wait(absl::Duration d) { sleeper_->Sleep(d); }

  const FetchOptions& options() const { return options_; }

 private:
  void AcquireHost(const std::string& host);
  void ReleaseHost(const std::string& host);
  // The wait a 429 asks for; nullopt when Retry-After is absent/invalid.
  std::optional<absl::Duration> RetryAfter(const HttpResult& result) const;

  HttpClient* const http_;
  Sleeper* const sleeper_;
  const Clock* const clock_;
  const FetchOptions options_;

  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, int> in_flight_ ABSL_GUARDED_BY(mutex_);
  std::mt19937_64 random_ ABSL_GUARDED_BY(mutex_);
};

// Whether `status` is Get's answer to an HTTP 401 (not a 403).
bool IsHttpUnauthorized(const absl::Status& status);

// "host:port" of an http(s) URL ("" when it has none).
std::string UrlHost(std::string_view url);

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_FETCHER_H_
