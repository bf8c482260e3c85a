// A real HTTP client (libcurl) for the gateway's tests: one request and its
// whole reply, or a Server-Sent Events stream read on a thread of its own;
// and an opinia-server with the HTTP API on (--http-listen=127.0.0.1:0),
// its base URL read back from the log.
#ifndef OPINIA_TESTS_SERVICE_HTTP_HTTP_TEST_CLIENT_H_
#define OPINIA_TESTS_SERVICE_HTTP_HTTP_TEST_CLIENT_H_

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "tests/integration/server_process.h"

namespace opinia::testing {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::optional<std::string> body;
  std::string ca_file;  // PEM to trust for https://
  absl::Duration timeout = absl::Seconds(30);
};

struct HttpReply {
  long status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // The first value of `name` (any case); "" when absent.
  std::string Header(const std::string& name) const;
  bool HasHeader(const std::string& name) const;
};

// UNAVAILABLE when no HTTP reply came (connection refused, TLS failure,
// timeout).
absl::StatusOr<HttpReply> Fetch(const HttpRequest& request);

// "Authorization: Bearer <key>".
std::string Bearer(const std::string& key);

// A JSON text as a google.protobuf.Struct (any object); INVALID_ARGUMENT
// when it is not a JSON object.
absl::StatusOr<google::protobuf::Struct> ParseJsonObject(
    const std::string& json);

struct SseEvent {
  std::string id;
  std::string event;  // "message" when the event has no "event:" line
  std::string data;
};

// A GET answered by text/event-stream, read on its own thread until the
// server ends it or Close().
class EventStream {
 public:
  static std::unique_ptr<EventStream> Open(HttpRequest request);
  ~EventStream();  // Close()

  // Waits until the response headers came; the HTTP status (0 when the
  // request failed before).
  long AwaitStatus(absl::Duration timeout);
  // Waits until `count` events (comments not counted) came or the stream
  // ended; returns all events so far.
  std::vector<SseEvent> AwaitEvents(size_t count, absl::Duration timeout);
  // Waits until the server ended the stream; false on timeout.
  bool AwaitEnd(absl::Duration timeout);
  // ": ..." comment lines received so far.
  int comments() const;
  // The reply (status, headers, body so far).
  HttpReply reply();
  // How the transfer ended (libcurl's code; 0 = the server ended it
  // cleanly). Meaningful after AwaitEnd.
  int curl_code();
  void Close();

 private:
  EventStream() = default;
  void Run(HttpRequest request);
  void Consume(const char* data, size_t size);

  mutable absl::Mutex mutex_;
  HttpReply reply_ ABSL_GUARDED_BY(mutex_);
  bool headers_done_ ABSL_GUARDED_BY(mutex_) = false;
  bool ended_ ABSL_GUARDED_BY(mutex_) = false;
  int curl_code_ ABSL_GUARDED_BY(mutex_) = -1;
  std::string pending_ ABSL_GUARDED_BY(mutex_);  // an unfinished line
  SseEvent current_ ABSL_GUARDED_BY(mutex_);
  std::vector<SseEvent> events_ ABSL_GUARDED_BY(mutex_);
  int comments_ ABSL_GUARDED_BY(mutex_) = 0;
  std::atomic<bool> close_{false};
  std::thread thread_;

  friend size_t EventStreamWrite(char*, size_t, size_t, void*);
  friend size_t EventStreamHeader(char*, size_t, size_t, void*);
};

// POST `path` (e.g. "/v1/ReviewService/IngestReviews") with a JSON body and
// the key (none when empty); `extra_headers` as "Name: value".
absl::StatusOr<HttpReply> PostJson(const std::string& base,
                                   const std::string& path,
                                   const std::string& key,
                                   const std::string& json,
                                   std::vector<std::string> extra_headers = {});
// GET `path_and_query` with the key (none when empty).
absl::StatusOr<HttpReply> GetWithKey(const std::string& base,
                                     const std::string& path_and_query,
                                     const std::string& key);

// A tenant and a key with `roles` (JSON names, e.g. "ROLE_READ"), made
// over HTTP with the operator key.
struct HttpTenant {
  std::string tenant;  // "tenants/{id}"
  std::string key;     // the key's secret
  std::string key_name;  // "apiKeys/{id}"
};
absl::StatusOr<HttpTenant> CreateTenantOverHttp(
    const std::string& base, const std::string& operator_key,
    const std::string& display_name,
    const std::vector<std::string>& roles = {"ROLE_INGEST", "ROLE_READ",
                                             "ROLE_RESPOND", "ROLE_ADMIN"});
absl::StatusOr<HttpTenant> CreateKeyOverHttp(
    const std::string& base, const std::string& operator_key,
    const std::string& tenant, const std::vector<std::string>& roles);

// A ReviewInput as JSON: source "allegro", `external_id`, `text`, `rating`.
std::string ReviewJson(const std::string& external_id, const std::string& text,
                       int rating);
// One whose analysis is P1 (a legal threat and a fraud claim, in Polish),
// so the default alert rule fires.
std::string UrgentReviewJson(const std::string& external_id);

// The string at a dotted path ("api_key.name") of a JSON object; "" when
// absent or not a string.
std::string JsonString(const std::string& json, const std::string& path);

// The base URL ("http://127.0.0.1:PORT") of the HTTP API a server logged
// last ("http on ..."); "" when none.
std::string HttpBaseUrl(const ServerProcess& server);

// opinia-server with the HTTP API on a free port plus `extra_args`.
absl::StatusOr<std::unique_ptr<ServerProcess>> StartHttpServer(
    std::vector<std::string> extra_args = {});

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_SERVICE_HTTP_HTTP_TEST_CLIENT_H_
