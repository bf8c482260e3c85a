// Outbound HTTP for webhooks and collectors: an injectable interface and its
// libcurl implementation.
//
// Every connection goes through an OutboundPolicy (outbound_policy.h):
// each address a name resolves to is checked when libcurl is about to
// connect to it (CURLOPT_OPENSOCKETFUNCTION) and again before the request
// is sent (CURLOPT_PREREQFUNCTION), so a refused address is never
// connected to and nothing is sent. Proxies from the environment are not
// used (the check must see the real peer).
//
// A response with any HTTP status (including 4xx/5xx) is an OK result; the
// status codes describe the transport only:
//   INVALID_ARGUMENT   malformed URL or a scheme other than http/https;
//   PERMISSION_DENIED  the policy refused every address of the host
//                      ("destination not allowed");
//   DEADLINE_EXCEEDED  connect or total timeout passed;
//   UNAVAILABLE        DNS, connection refused/reset, TLS or other network
//                      failure (worth retrying);
//   RESOURCE_EXHAUSTED the response body exceeded max_response_bytes;
//   CANCELLED          HttpCallOptions::cancel was set (checked at least
//                      once a second while the call waits);
//   INTERNAL           libcurl could not be set up.
// Redirects are not followed (a 3xx is returned as it is): a webhook
// receiver that moved should be re-registered, not silently followed.
// Error messages name the URL's origin ("https://host:443") and libcurl's
// reason, never the path, query or anything the peer sent.
#ifndef OPINIA_SERVICE_CORE_UTIL_HTTP_CLIENT_H_
#define OPINIA_SERVICE_CORE_UTIL_HTTP_CLIENT_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/core/util/outbound_policy.h"

namespace opinia::core {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResult {
  int status = 0;
  HttpHeaders headers;  // names as received, in order
  std::string body;

  // The last value of header `name` (case-insensitive); "" when absent.
  std::string Header(std::string_view name) const;
};

struct HttpCallOptions {
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration timeout = absl::Seconds(10);  // whole exchange
  size_t max_response_bytes = 1 << 20;
  // Name resolution given in advance, "HOST:PORT:ADDR[,ADDR...]" as
  // CURLOPT_RESOLVE takes it: tests use it to play a name with several
  // addresses without a DNS server. The policy checks these addresses like
  // resolved ones.
  std::vector<std::string> resolve;
  // When set (server shutdown), the call aborts with CANCELLED; null = never.
  const std::atomic<bool>* cancel = nullptr;
};

// Thread-safe: calls may run concurrently from any threads.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual absl::StatusOr<HttpResult> Post(std::string_view url,
                                          const HttpHeaders& headers,
                                          std::string_view body,
                                          const HttpCallOptions& options) = 0;
  virtual absl::StatusOr<HttpResult> Get(std::string_view url,
                                         const HttpHeaders& headers,
                                         const HttpCallOptions& options) = 0;
  // Any method ("PUT", "DELETE", ...; the platforms' reply calls); `body`
  // null sends none. Default: GET and POST through the two above,
  // UNIMPLEMENTED for other methods.
  virtual absl::StatusOr<HttpResult> Send(std::string_view method,
                                          std::string_view url,
                                          const HttpHeaders& headers,
                                          const std::string_view* body,
                                          const HttpCallOptions& options);
};

// libcurl (curl_global_init runs once per process; one easy handle per call,
// CURLOPT_NOSIGNAL so timeouts never raise signals in a threaded server).
// `policy` decides where it may connect (not null; must outlive the
// client). `user_agent` goes into every request. INTERNAL when libcurl
// cannot initialise.
absl::StatusOr<std::unique_ptr<HttpClient>> CreateCurlHttpClient(
    const OutboundPolicy* policy, std::string user_agent = "opinia/0.1");

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_HTTP_CLIENT_H_
