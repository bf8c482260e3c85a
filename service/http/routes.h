// The HTTP routes of the JSON API, made from the gRPC service descriptors
// (never a hand list): POST /v1/{Service}/{Method} for every method, GET
// too for the read-only ones (Get*, List*), GET only for a server stream
// (Server-Sent Events), POST only for a client stream (NDJSON body).
#ifndef OPINIA_SERVICE_HTTP_ROUTES_H_
#define OPINIA_SERVICE_HTTP_ROUTES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"

namespace opinia::http {

enum class RouteKind {
  kUnary,
  kServerStream,  // GET, answered as text/event-stream
  kClientStream,  // POST with an application/x-ndjson body
  kBidiStream,    // not served over HTTP (501)
};

struct Route {
  std::string path;         // "/v1/ReviewService/GetReview"
  std::string grpc_method;  // "/opinia.v1.ReviewService/GetReview"
  const google::protobuf::MethodDescriptor* method = nullptr;
  RouteKind kind = RouteKind::kUnary;
  bool get = false;   // GET (and HEAD) allowed
  bool post = false;  // POST allowed
  std::string allow;  // the Allow header: "GET, POST", "POST", ...
};

class RouteTable {
 public:
  // The routes of the services named (full names, e.g.
  // "opinia.v1.ReviewService") as the generated descriptor pool has them.
  // NOT_FOUND for a name the pool lacks.
  static absl::StatusOr<RouteTable> ForServices(
      const std::vector<std::string>& service_names);

  // The route of `path`; nullptr when there is none.
  const Route* Find(absl::string_view path) const;
  // In service, then method declaration order.
  const std::vector<Route>& routes() const { return routes_; }
  const std::vector<const google::protobuf::ServiceDescriptor*>& services()
      const {
    return services_;
  }

 private:
  std::vector<Route> routes_;
  std::map<std::string, size_t, std::less<>> by_path_;
  std::vector<const google::protobuf::ServiceDescriptor*> services_;
};

// The Server-Sent Events name of a server stream's messages: the response
// type's name without a trailing "Event", lower-cased ("AlertEvent" ->
// "alert").
std::string SseEventName(const google::protobuf::MethodDescriptor& method);

// The field of a stream's messages that becomes the event id, and of its
// request that the Last-Event-ID header sets (resumption).
inline constexpr char kResumeTokenField[] = "resume_token";

// True for the methods served by GET as well: names starting with Get or
// List (they only read).
bool IsReadOnly(const google::protobuf::MethodDescriptor& method);

}  // namespace opinia::http

#endif  // OPINIA_SERVICE_HTTP_ROUTES_H_
