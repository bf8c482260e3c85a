// A small, real HTTP/1.1 server for tests: listens on 127.0.0.1 port 0,
// serves every connection on its own thread (keep-alive supported), and
// answers each request from fixed routes or from a handler function, so a
// test can play a webhook receiver, a platform API or a feed (200 with a
// fixture body, 429 with Retry-After, 500, a response slower than the
// client's timeout). Every request is recorded, in arrival order.
//
// Supported: any method, Content-Length bodies, "Expect: 100-continue".
// Not supported: chunked request bodies (answered 411), TLS, pipelining
// beyond one request at a time per connection.
//
// Waiting: WaitForRequests() blocks on a condition (no polling sleeps) until
// the count is reached or a deadline passes. A delayed response is
// interrupted by Stop(), so the destructor never waits out a delay.
//
// Thread-safe: the handler runs on connection threads, possibly several at
// once; it must be thread-safe itself.
#ifndef OPINIA_TESTS_TESTING_HTTP_SERVER_H_
#define OPINIA_TESTS_TESTING_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace opinia::testing {

struct HttpRequest {
  std::string method;  // "POST"
  std::string target;  // "/hook?x=1" as sent
  std::string path;    // "/hook"
  std::string query;   // "x=1"
  // Names lowercased, in order received.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  absl::Time receive_time;

  // The first value of header `name` (case-insensitive); "" when absent.
  std::string Header(std::string name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Wait this long before answering (to exceed a client's timeout).
  absl::Duration delay = absl::ZeroDuration();

  static HttpResponse Ok(std::string body = "",
                         std::string content_type = "text/plain");
  static HttpResponse Json(std::string body);
  static HttpResponse Status(int status, std::string body = "");
  // 429 Too Many Requests with "Retry-After: <seconds>".
  static HttpResponse TooManyRequests(int retry_after_seconds);
  static HttpResponse Slow(absl::Duration delay, int status = 200);
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  // Binds 127.0.0.1:0 and starts accepting. Without a handler and a
  // matching route, requests are answered 404.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      Handler handler = nullptr);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>" + path.
  std::string Url(const std::string& path = "/") const;

  void SetHandler(Handler handler);
  // A fixed answer for (method, path); routes win over the handler.
  void Route(const std::string& method, const std::string& path,
             HttpResponse response);

  // Requests received so far (also those whose response is still delayed).
  std::vector<HttpRequest> Requests() const;
  size_t RequestCount() const;
  // true once at least `n` requests arrived; false after `timeout`.
  bool WaitForRequests(size_t n, absl::Duration timeout) const;

  // Closes the listener and every connection, joins all threads.
  // Idempotent.
  void Stop();

 private:
  HttpServer() = default;
  void AcceptLoop();
  void ServeConnection(int fd);
  HttpResponse Answer(const HttpRequest& request);
  // Waits `d` unless Stop() comes first; false when stopped.
  bool Delay(absl::Duration d);

  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::thread accept_thread_;

  mutable absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  Handler handler_ ABSL_GUARDED_BY(mutex_);
  std::map<std::pair<std::string, std::string>, HttpResponse> routes_
      ABSL_GUARDED_BY(mutex_);
  std::vector<HttpRequest> requests_ ABSL_GUARDED_BY(mutex_);
  std::vector<int> connection_fds_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::thread> connection_threads_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_TESTING_HTTP_SERVER_H_
