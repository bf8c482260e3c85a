// Requests that fail authentication or cannot be parsed are counted, not
// logged one by one: a scanner, a broken client or an attacker sending
// thousands of them must not flood the log. Every interval that saw any,
// one line per kind says how many there were, with the method and peer of
// the last one:
//
//   opinia-server: 1000 requests failed authentication in the last 10s
//       count=1000 interval=10s last_method=/opinia.v1.ReviewService/...
//
// Counted: answers UNAUTHENTICATED (authentication), and requests whose
// bytes are not the method's message or whose strings are not UTF-8 (the
// parse error interceptor and the UTF-8 check tell which), including
// libprotobuf's complaints while parsing, which it would otherwise write to
// stderr once per request (grpc.reflection's requests, for one).
#ifndef OPINIA_SERVICE_SERVER_FAILED_REQUESTS_H_
#define OPINIA_SERVICE_SERVER_FAILED_REQUESTS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/core/util/periodic_thread.h"

namespace opinia::server {

// Thread-safe.
class FailedRequestLog {
 public:
  enum class Kind { kAuthentication, kParse };

  // Writes a line per kind every `interval` that saw failures, on a thread.
  explicit FailedRequestLog(absl::Duration interval);
  // Writes what was counted since the last line, then stops.
  ~FailedRequestLog();
  FailedRequestLog(const FailedRequestLog&) = delete;
  FailedRequestLog& operator=(const FailedRequestLog&) = delete;

  // `method` and `peer` may be empty when unknown (logged as "-").
  void Count(Kind kind, std::string_view method, std::string_view peer);

  // From now on libprotobuf's messages about parsing go to `log` as parse
  // failures (others are logged as warnings); nullptr detaches `log`. The
  // handler is process-wide: the last FailedRequestLog routed to wins.
  static void RouteProtobufLog(FailedRequestLog* log);

 private:
  struct Tally {
    int64_t count = 0;
    std::string last_method;
    std::string last_peer;
  };
  void Flush() ABSL_LOCKS_EXCLUDED(mutex_);

  absl::Mutex mutex_;
  std::array<Tally, 2> tallies_ ABSL_GUARDED_BY(mutex_);
  absl::Time since_ ABSL_GUARDED_BY(mutex_);
  core::PeriodicThread flushes_;
};

}  // namespace opinia::server

#endif  // OPINIA_SERVICE_SERVER_FAILED_REQUESTS_H_
