// The HTTP/JSON face of the server (README "JSON API (HTTP)"): an HTTP
// server (cpp-httplib) that turns each request into a call of the server's
// own gRPC services through a channel (the server's in-process one) —
// unary methods as JSON in and out, a server stream as Server-Sent Events,
// a client stream from an NDJSON body — and serves the OpenAPI document at
// /v1/openapi.json and the dashboard's embedded files at / and /assets/.
// No handler does domain work: auth, roles, validation, rate limits and
// errors are the gRPC services'.
#ifndef OPINIA_SERVICE_HTTP_GATEWAY_H_
#define OPINIA_SERVICE_HTTP_GATEWAY_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "service/http/routes.h"
#include "service/http/static_files.h"

namespace httplib {
class Server;
struct Request;
struct Response;
class ContentReader;
}  // namespace httplib

namespace opinia::http {

class StreamCall;

// One line of the access log, after the response (a stream's when it
// ends). Never the query string or any header's value.
struct AccessLogEntry {
  std::string method;
  std::string path;  // LoggablePath
  int status = 0;
  absl::Duration duration;
  std::string remote;  // peer address
};

struct GatewayOptions {
  std::string listen;  // HOST:PORT ([v6]:PORT); port 0 picks a free one
  // PEM files; HTTPS when both are set, else plain HTTP.
  std::string tls_cert, tls_key;
  // Threads serving connections. Each open event stream holds one, so at
  // most max(1, threads - 4) streams are served at once (503 beyond).
  int threads = 32;
  // Largest request body (JSON), and largest NDJSON line; beyond: 413.
  int64_t max_body_bytes = 8 << 20;
  // Origins allowed cross-origin requests (security.h ParseAllowedOrigins).
  std::set<std::string> allowed_origins;
  // Full names of the gRPC services to serve, e.g. "opinia.v1.ReviewService".
  std::vector<std::string> services;
  // A ": ping" comment on an event stream after this much silence.
  absl::Duration ping_interval = absl::Seconds(15);
  std::function<void(const AccessLogEntry&)> access_log;
};

class Gateway {
 public:
  // Binds `options.listen` and starts serving; `channel` reaches the gRPC
  // services. Errors: INVALID_ARGUMENT (options, TLS files), UNAVAILABLE
  // (cannot listen), NOT_FOUND (a service name the protos lack).
  static absl::StatusOr<std::unique_ptr<Gateway>> Start(
      GatewayOptions options, std::shared_ptr<grpc::Channel> channel);
  ~Gateway();

  // "HOST:PORT" with the bound port.
  const std::string& address() const { return address_; }
  bool tls() const { return tls_; }
  int max_event_streams() const { return max_event_streams_; }

  // Ends the open event streams (cleanly: clients resume with
  // Last-Event-ID) and stops accepting connections. Requests in flight go
  // on; calls through the channel must still work (or fail) until Stop().
  void StopAccepting();
  // StopAccepting, then waits for the requests in flight (a gRPC server
  // shutting down cancels the calls they wait for).
  void Stop();

 private:
  Gateway() = default;

  bool PreRoute(const httplib::Request& request, httplib::Response& response);
  void AddHeaders(const httplib::Request& request,
                  httplib::Response& response) const;
  void HandleGet(const httplib::Request& request, httplib::Response& response);
  void HandlePost(const httplib::Request& request, httplib::Response& response,
                  const httplib::ContentReader& reader);
  void HandleOptions(const httplib::Request& request,
                     httplib::Response& response, const std::string& allow);
  void ServeFile(const httplib::Request& request, httplib::Response& response);
  void CallUnaryRoute(const Route& route, const httplib::Request& request,
                      const std::string* body, httplib::Response& response);
  void StreamEvents(const Route& route, const httplib::Request& request,
                    httplib::Response& response);
  void IngestNdjson(const Route& route, const httplib::Request& request,
                    const httplib::ContentReader& reader,
                    httplib::Response& response);
  void Log(const httplib::Request& request, const httplib::Response& response);

  bool TakeStreamSlot();
  void ReleaseStreamSlot(const std::shared_ptr<StreamCall>& call);

  GatewayOptions options_;
  RouteTable routes_;
  std::unique_ptr<StaticFiles> files_;
  std::string openapi_json_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
  std::unique_ptr<httplib::Server> server_;
  std::thread listener_;
  std::string address_;
  bool tls_ = false;
  int max_event_streams_ = 1;

  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopped_ ABSL_GUARDED_BY(mutex_) = false;
  int open_streams_ ABSL_GUARDED_BY(mutex_) = 0;
  std::set<std::shared_ptr<StreamCall>> event_calls_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace opinia::http

#endif  // OPINIA_SERVICE_HTTP_GATEWAY_H_
