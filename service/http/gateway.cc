#include "service/http/gateway.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "service/http/embedded.h"
#include "service/http/grpc_call.h"
#include "service/http/json_codec.h"
#include "service/http/openapi.h"
#include "service/http/security.h"

namespace opinia::http {
namespace {

namespace pb = google::protobuf;

constexpr char kJson[] = "application/json";
constexpr char kOpenApiPath[] = "/v1/openapi.json";
// The initial metadata key of an admitted stream (the server's side:
// kStreamOpenMetadata in service/rpc/alert_stream.h).
constexpr char kStreamOpenMetadata[] = "opinia-stream-open";
// How long an event stream may take to be accepted by the gRPC service.
constexpr absl::Duration kAcceptTimeout = absl::Seconds(30);
// How long Stop() waits for event streams to end after cancelling them.
constexpr absl::Duration kStreamsEndTimeout = absl::Seconds(5);

// When this thread's current request started (set by PreRoute, read by the
// access log; cpp-httplib serves a connection's requests on one thread).
thread_local std::optional<absl::Time> request_start;

void SetError(httplib::Response& response, const HttpError& error) {
  response.status = error.http_status;
  response.set_content(error.body, kJson);
  if (error.retry_after_seconds.has_value()) {
    response.set_header("Retry-After",
                        absl::StrCat(*error.retry_after_seconds));
  }
}

void SetGatewayError(httplib::Response& response, int http_status,
                     grpc::StatusCode code, std::string message) {
  SetError(response, GatewayError(http_status, code, std::move(message)));
}

bool HasBody(const httplib::Request& request) {
  if (request.has_header("Transfer-Encoding")) return true;
  int64_t length = 0;
  return absl::SimpleAtoi(request.get_header_value("Content-Length"),
                          &length) &&
         length > 0;
}

// The media type of the request's Content-Type, lower case, without
// parameters ("application/json; charset=utf-8" -> "application/json").
std::string MediaType(const httplib::Request& request) {
  const std::string header = request.get_header_value("Content-Type");
  absl::string_view type = header;
  type = type.substr(0, type.find(';'));
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(type));
}

// The Authorization header to forward in `*authorization` (nullopt when
// absent). A value gRPC metadata cannot carry (not printable ASCII) is
// answered 401 here: false.
bool TakeAuthorization(const httplib::Request& request,
                       httplib::Response& response,
                       std::optional<std::string>* authorization) {
  authorization->reset();
  if (!request.has_header("Authorization")) return true;
  std::string value = request.get_header_value("Authorization");
  for (unsigned char c : value) {
    if (c < 0x20 || c > 0x7e) {
      SetGatewayError(response, 401, grpc::StatusCode::UNAUTHENTICATED,
                      "malformed Authorization header");
      return false;
    }
  }
  *authorization = std::move(value);
  return true;
}

// Answers 400 with `parsed`'s message unless it is OK.
bool ParsedRequest(const absl::Status& parsed, httplib::Response& response) {
  if (parsed.ok()) return true;
  SetGatewayError(response, 400, grpc::StatusCode::INVALID_ARGUMENT,
                  std::string(parsed.message()));
  return false;
}

std::unique_ptr<pb::Message> NewMessage(const pb::Descriptor* type) {
  const pb::Message* prototype =
      pb::MessageFactory::generated_factory()->GetPrototype(type);
  return std::unique_ptr<pb::Message>(prototype->New());
}

grpc::ByteBuffer Serialize(const pb::Message& message) {
  grpc::ByteBuffer buffer;
  bool own = false;
  (void)grpc::SerializationTraits<pb::Message>::Serialize(message, &buffer,
                                                          &own);
  return buffer;
}

bool Parse(grpc::ByteBuffer* buffer, pb::Message* message) {
  return grpc::SerializationTraits<pb::Message>::Deserialize(buffer, message)
      .ok();
}

// One Server-Sent Event: id (the message's resume token, when it has one),
// event name and the message as one line of JSON.
std::string FormatEvent(const pb::Message& message,
                        const std::string& event_name) {
  std::string event;
  const pb::FieldDescriptor* id_field =
      message.GetDescriptor()->FindFieldByName(kResumeTokenField);
  if (id_field != nullptr &&
      id_field->type() == pb::FieldDescriptor::TYPE_STRING &&
      !id_field->is_repeated()) {
    const std::string id =
        message.GetReflection()->GetString(message, id_field);
    if (!id.empty() && id.find_first_of("\r\n") == std::string::npos) {
      absl::StrAppend(&event, "id: ", id, "\n");
    }
  }
  absl::StrAppend(&event, "event: ", event_name, "\ndata: ", PrintJson(message),
                  "\n\n");
  return event;
}

// HOST:PORT -> host (brackets of [v6] removed) and port.
bool SplitHostPort(const std::string& listen, std::string* host, int* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  absl::string_view h(listen.data(), colon);
  if (absl::ConsumePrefix(&h, "[") && !absl::ConsumeSuffix(&h, "]")) {
    return false;
  }
  *host = std::string(h);
  return absl::SimpleAtoi(listen.substr(colon + 1), port) && *port >= 0 &&
         *port < 65536;
}

// A google.rpc.Status code for an HTTP status the HTTP library answered
// itself (a malformed request, a URI too long, ...).
grpc::StatusCode CodeOfHttpStatus(int status) {
  switch (status) {
    case 404:
      return grpc::StatusCode::NOT_FOUND;
    case 413:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case 405:
    case 501:
      return grpc::StatusCode::UNIMPLEMENTED;
    case 503:
      return grpc::StatusCode::UNAVAILABLE;
    default:
      return status < 500 ? grpc::StatusCode::INVALID_ARGUMENT
                          : grpc::StatusCode::INTERNAL;
  }
}

std::string MessageOfHttpStatus(int status) {
  switch (status) {
    case 400:
      return "malformed HTTP request";
    case 404:
      return "not found";
    case 413:
      return "request too large";
    case 414:
      return "request URI too long";
    default:
      return absl::StrCat("HTTP error ", status);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Start(
    GatewayOptions options, std::shared_ptr<grpc::Channel> channel) {
  std::unique_ptr<Gateway> gateway(new Gateway());
  if (options.threads < 1) {
    return absl::InvalidArgumentError("--http-threads must be at least 1");
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  std::string host;
  int port = 0;
  if (!SplitHostPort(options.listen, &host, &port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http-listen: \"", options.listen,
                     "\" is not HOST:PORT"));
  }
  auto routes = RouteTable::ForServices(options.services);
  if (!routes.ok()) return routes.status();
  gateway->routes_ = *std::move(routes);
  gateway->files_ = std::make_unique<StaticFiles>(DashboardFiles());
  const std::vector<EmbeddedFile> descriptors = ApiDescriptorSet();
  gateway->openapi_json_ = StructToJson(OpenApiDocument(
      gateway->routes_,
      descriptors.empty() ? absl::string_view()
                          : absl::string_view(descriptors[0].data.data(),
                                              descriptors[0].data.size())));
  gateway->max_event_streams_ = std::max(1, options.threads - 4);
  gateway->channel_ = std::move(channel);
  gateway->stub_ = std::make_unique<grpc::GenericStub>(gateway->channel_);

  gateway->tls_ = !options.tls_cert.empty();
  if (gateway->tls_) {
    auto server = std::make_unique<httplib::SSLServer>(
        options.tls_cert.c_str(), options.tls_key.c_str());
    if (!server->is_valid()) {
      return absl::InvalidArgumentError(
          "HTTPS: cannot use --tls-cert/--tls-key (unreadable, not PEM, or "
          "the key does not match the certificate)");
    }
    gateway->server_ = std::move(server);
  } else {
    gateway->server_ = std::make_unique<httplib::Server>();
  }
  gateway->options_ = std::move(options);
  Gateway* g = gateway.get();
  httplib::Server& server = *g->server_;
  const int threads = g->options_.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // cpp-httplib closes a connection after 5 requests by default; a
  // dashboard's calls (over TLS too) reuse theirs longer. An idle one holds
  // its thread until the keep-alive timeout (5 s).
  server.set_keep_alive_max_count(100);
  server.set_pre_routing_handler(
      [g](const httplib::Request& request, httplib::Response& response) {
        return g->PreRoute(request, response)
                   ? httplib::Server::HandlerResponse::Handled
                   : httplib::Server::HandlerResponse::Unhandled;
      });
  server.set_post_routing_handler(
      [g](const httplib::Request& request, httplib::Response& response) {
        g->AddHeaders(request, response);
      });
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& response) {
        if (!response.body.empty() || response.content_provider_) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        SetGatewayError(response, response.status,
                        CodeOfHttpStatus(response.status),
                        MessageOfHttpStatus(response.status));
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler([](const httplib::Request&,
                                  httplib::Response& response,
                                  std::exception_ptr) {
    SetGatewayError(response, 500, grpc::StatusCode::INTERNAL,
                    "internal error");
  });
  server.set_logger(
      [g](const httplib::Request& request, const httplib::Response& response) {
        g->Log(request, response);
      });
  // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, with which
  // a second server of the same user binds the same port and the kernel
  // splits the connections between the two.
  server.set_socket_options([](socket_t socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // A response goes out as two writes (headers, body): with Nagle's
  // algorithm the second waited for the client's delayed ACK, 40 ms per
  // request on a kept-alive connection (measured: 44 ms p50 for GetReview
  // from Python's http.client, 0.6 ms with this).
  server.set_tcp_nodelay(true);
  server.Get(".*", [g](const httplib::Request& request,
                       httplib::Response& response) {
    g->HandleGet(request, response);
  });
  server.Post(".*", [g](const httplib::Request& request,
                        httplib::Response& response,
                        const httplib::ContentReader& reader) {
    g->HandlePost(request, response, reader);
  });

  const int bound = port == 0 ? server.bind_to_any_port(host)
                              : (server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", g->options_.listen, " (HTTP)"));
  }
  const size_t colon = g->options_.listen.rfind(':');
  g->address_ = absl::StrCat(g->options_.listen.substr(0, colon), ":", bound);
  g->listener_ = std::thread([g] { g->server_->listen_after_bind(); });
  // Until it runs, stop() would not stop it (listen_after_bind sets it
  // first thing).
  for (int i = 0; i < 5000 && !g->server_->is_running(); ++i) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  return gateway;
}

Gateway::~Gateway() { Stop(); }

void Gateway::StopAccepting() {
  std::set<std::shared_ptr<StreamCall>> calls;
  {
    absl::MutexLock lock(&mutex_);
    if (stopping_) return;
    stopping_ = true;
    calls = event_calls_;
  }
  // Cancelled calls end their event streams with the last chunk written,
  // so clients see a clean end and resume with Last-Event-ID.
  for (const auto& call : calls) call->Cancel();
  {
    absl::MutexLock lock(&mutex_);
    mutex_.AwaitWithTimeout(
        absl::Condition(
            +[](int* open) { return *open == 0; }, &open_streams_),
        kStreamsEndTimeout);
  }
  if (server_ != nullptr) server_->stop();
}

void Gateway::Stop() {
  StopAccepting();
  {
    absl::MutexLock lock(&mutex_);
    if (stopped_) return;
    stopped_ = true;
  }
  // The listener joins the connection threads when it ends.
  if (listener_.joinable()) listener_.join();
}

bool Gateway::TakeStreamSlot() {
  absl::MutexLock lock(&mutex_);
  if (stopping_ || open_streams_ >= max_event_streams_) return false;
  ++open_streams_;
  return true;
}

void Gateway::ReleaseStreamSlot(const std::shared_ptr<StreamCall>& call) {
  absl::MutexLock lock(&mutex_);
  if (call != nullptr) event_calls_.erase(call);
  --open_streams_;
}

bool Gateway::PreRoute(const httplib::Request& request,
                       httplib::Response& response) {
  request_start = absl::Now();
  // Anything unread of a refused request's body would be read as the next
  // request: the client is told to close the connection.
  const auto refuse = [&](int http_status, grpc::StatusCode code,
                          std::string message) {
    SetGatewayError(response, http_status, code, std::move(message));
    if (HasBody(request)) response.set_header("Connection", "close");
    return true;
  };
  if (std::optional<std::string> name = KeyParameter(request.params)) {
    return refuse(400, grpc::StatusCode::INVALID_ARGUMENT,
                  absl::StrCat("API keys go in the Authorization header "
                               "(Bearer), never in the URL: query parameter "
                               "\"",
                               *name, "\" refused"));
  }
  const std::string& method = request.method;
  const bool safe =
      method == "GET" || method == "HEAD" || method == "OPTIONS";
  const OriginVerdict origin = JudgeOrigin(
      request.get_header_value("Origin"),
      request.get_header_value("Sec-Fetch-Site"), tls_ ? "https" : "http",
      request.get_header_value("Host"), options_.allowed_origins);
  if (!safe && origin == OriginVerdict::kRefused) {
    return refuse(403, grpc::StatusCode::PERMISSION_DENIED,
                  "cross-origin request refused: its origin is not in "
                  "--http-allowed-origins");
  }

  std::string allow;
  const Route* route = nullptr;
  if (request.path == kOpenApiPath || StaticFiles::Serves(request.path)) {
    allow = "GET, HEAD, OPTIONS";
  } else if ((route = routes_.Find(request.path)) != nullptr) {
    allow = route->allow;
  } else {
    return refuse(404, grpc::StatusCode::NOT_FOUND,
                  absl::StrCat("no such path: ",
                               LoggablePath(request.path)));
  }
  if (method == "OPTIONS") {
    HandleOptions(request, response, allow);
    return true;
  }
  const bool allowed = (method == "GET" || method == "HEAD")
                           ? allow.find("GET") != std::string::npos
                           : method == "POST" &&
                                 allow.find("POST") != std::string::npos;
  if (!allowed) {
    refuse(405, grpc::StatusCode::UNIMPLEMENTED,
           absl::StrCat(method, " is not allowed here; allowed: ", allow));
    response.set_header("Allow", allow);
    return true;
  }
  if (method == "POST" && route != nullptr &&
      route->kind != RouteKind::kClientStream) {
    int64_t length = 0;
    if (absl::SimpleAtoi(request.get_header_value("Content-Length"),
                         &length) &&
        length > options_.max_body_bytes) {
      return refuse(413, grpc::StatusCode::RESOURCE_EXHAUSTED,
                    absl::StrCat("request body of ", length,
                                 " bytes is over the limit of ",
                                 options_.max_body_bytes,
                                 " (--max-message-bytes)"));
    }
  }
  return false;
}

void Gateway::HandleOptions(const httplib::Request& request,
                            httplib::Response& response,
                            const std::string& allow) {
  const std::string origin = request.get_header_value("Origin");
  const OriginVerdict verdict = JudgeOrigin(
      origin, request.get_header_value("Sec-Fetch-Site"),
      tls_ ? "https" : "http", request.get_header_value("Host"),
      options_.allowed_origins);
  if (verdict == OriginVerdict::kRefused) {
    SetGatewayError(response, 403, grpc::StatusCode::PERMISSION_DENIED,
                    "cross-origin request refused: its origin is not in "
                    "--http-allowed-origins");
    return;
  }
  response.status = 204;
  response.set_header("Allow", allow);
  if (verdict == OriginVerdict::kAllowed) {
    // AddHeaders adds Access-Control-Allow-Origin.
    response.set_header("Access-Control-Allow-Methods", allow);
    response.set_header("Access-Control-Allow-Headers",
                        "Authorization, Content-Type, Last-Event-ID");
    response.set_header("Access-Control-Max-Age", "600");
  }
}

void Gateway::AddHeaders(const httplib::Request& request,
                         httplib::Response& response) const {
  for (const auto& [name, value] : SecurityHeaders()) {
    response.set_header(name, value);
  }
  if (absl::StartsWith(request.path, "/v1/")) {
    response.set_header("Cache-Control", "no-store");
  }
  if (!options_.allowed_origins.empty()) {
    response.set_header("Vary", "Origin");
    const std::string origin = request.get_header_value("Origin");
    if (!origin.empty() &&
        JudgeOrigin(origin, request.get_header_value("Sec-Fetch-Site"),
                    tls_ ? "https" : "http", request.get_header_value("Host"),
                    options_.allowed_origins) == OriginVerdict::kAllowed) {
      response.set_header("Access-Control-Allow-Origin", origin);
      response.set_header("Access-Control-Expose-Headers", "Retry-After");
    }
  }
}

void Gateway::Log(const httplib::Request& request,
                  const httplib::Response& response) {
  if (!options_.access_log) return;
  AccessLogEntry entry;
  entry.method = LoggablePath(request.method);
  entry.path = LoggablePath(request.path);
  entry.status = response.status;
  entry.duration = request_start.has_value() ? absl::Now() - *request_start
                                             : absl::ZeroDuration();
  request_start.reset();
  entry.remote = request.remote_addr;
  options_.access_log(entry);
}

void Gateway::HandleGet(const httplib::Request& request,
                        httplib::Response& response) {
  if (request.path == kOpenApiPath) {
    response.set_content(openapi_json_, kJson);
    return;
  }
  if (StaticFiles::Serves(request.path)) {
    ServeFile(request, response);
    return;
  }
  const Route* route = routes_.Find(request.path);
  if (route == nullptr) return;  // PreRoute answered
  if (route->kind == RouteKind::kServerStream) {
    StreamEvents(*route, request, response);
  } else {
    CallUnaryRoute(*route, request, nullptr, response);
  }
}

void Gateway::ServeFile(const httplib::Request& request,
                        httplib::Response& response) {
  const EmbeddedFile* file = files_->ForPath(request.path);
  if (file == nullptr) {
    SetGatewayError(response, 404, grpc::StatusCode::NOT_FOUND,
                    absl::StrCat("no such file: ",
                                 LoggablePath(request.path)));
    return;
  }
  const std::string etag = absl::StrCat("\"", file->etag, "\"");
  response.set_header("ETag", etag);
  response.set_header("Cache-Control", "no-cache");
  if (request.get_header_value("If-None-Match") == etag) {
    response.status = 304;
    return;
  }
  response.set_content(file->data.data(), file->data.size(),
                       StaticFiles::ContentType(file->name));
}

void Gateway::HandlePost(const httplib::Request& request,
                         httplib::Response& response,
                         const httplib::ContentReader& reader) {
  const Route* route = routes_.Find(request.path);
  if (route == nullptr) return;  // PreRoute answered
  if (route->kind == RouteKind::kClientStream) {
    IngestNdjson(*route, request, reader, response);
    return;
  }
  if (route->kind != RouteKind::kUnary) {
    SetGatewayError(response, 501, grpc::StatusCode::UNIMPLEMENTED,
                    "bidirectional streams are not served over HTTP; use "
                    "gRPC");
    response.set_header("Connection", "close");
    return;
  }
  const std::string type = MediaType(request);
  if (!type.empty() && type != kJson) {
    SetGatewayError(response, 415, grpc::StatusCode::INVALID_ARGUMENT,
                    absl::StrCat("Content-Type must be application/json, not ",
                                 type));
    response.set_header("Connection", "close");
    return;
  }
  std::string body;
  bool too_large = false;
  const bool read = reader([&](const char* data, size_t length) {
    if (static_cast<int64_t>(body.size() + length) > options_.max_body_bytes) {
      too_large = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  if (too_large) {
    SetGatewayError(response, 413, grpc::StatusCode::RESOURCE_EXHAUSTED,
                    absl::StrCat("request body is over the limit of ",
                                 options_.max_body_bytes,
                                 " bytes (--max-message-bytes)"));
    response.set_header("Connection", "close");
    return;
  }
  if (!read) {
    SetGatewayError(response, 400, grpc::StatusCode::INVALID_ARGUMENT,
                    "the request body could not be read");
    response.set_header("Connection", "close");
    return;
  }
  CallUnaryRoute(*route, request, &body, response);
}

void Gateway::CallUnaryRoute(const Route& route,
                             const httplib::Request& request,
                             const std::string* body,
                             httplib::Response& response) {
  std::unique_ptr<pb::Message> message =
      NewMessage(route.method->input_type());
  const absl::Status parsed = body != nullptr
                                  ? ParseJsonBody(*body, message.get())
                                  : ParseQuery(request.params, message.get());
  std::optional<std::string> authorization;
  if (!ParsedRequest(parsed, response) ||
      !TakeAuthorization(request, response, &authorization)) {
    return;
  }
  std::unique_ptr<grpc::ClientContext> context = NewCallContext(authorization);
  grpc::ByteBuffer reply;
  const grpc::Status status = CallUnary(stub_.get(), route.grpc_method,
                                        context.get(), Serialize(*message),
                                        &reply);
  if (!status.ok()) {
    SetError(response, ErrorFromGrpc(status));
    return;
  }
  std::unique_ptr<pb::Message> out = NewMessage(route.method->output_type());
  if (!Parse(&reply, out.get())) {
    SetGatewayError(response, 500, grpc::StatusCode::INTERNAL,
                    "the service's reply could not be parsed");
    return;
  }
  response.set_content(PrintJson(*out), kJson);
}

void Gateway::StreamEvents(const Route& route, const httplib::Request& request,
                           httplib::Response& response) {
  std::unique_ptr<pb::Message> message =
      NewMessage(route.method->input_type());
  std::optional<std::string> authorization;
  if (!ParsedRequest(ParseQuery(request.params, message.get()), response) ||
      !TakeAuthorization(request, response, &authorization)) {
    return;
  }
  // What EventSource sends on a reconnect wins over the query parameter.
  const pb::FieldDescriptor* resume =
      message->GetDescriptor()->FindFieldByName(kResumeTokenField);
  if (resume != nullptr && request.has_header("Last-Event-ID") &&
      resume->type() == pb::FieldDescriptor::TYPE_STRING &&
      !resume->is_repeated()) {
    message->GetReflection()->SetString(
        message.get(), resume, request.get_header_value("Last-Event-ID"));
  }
  if (!TakeStreamSlot()) {
    SetGatewayError(
        response, 503, grpc::StatusCode::UNAVAILABLE,
        absl::StrCat("this server already serves ", max_event_streams_,
                     " event streams (--http-threads minus 4); retry later"));
    response.set_header("Retry-After", "5");
    return;
  }
  auto call = std::make_shared<StreamCall>(stub_.get(), route.grpc_method,
                                           NewCallContext(authorization));
  {
    absl::MutexLock lock(&mutex_);
    event_calls_.insert(call);
  }
  call->Write(Serialize(*message));
  call->WritesDone();
  if (!call->AwaitAccepted(kAcceptTimeout, kStreamOpenMetadata)) {
    call->Cancel();  // no-op when the service refused the stream
    const grpc::Status status = call->Finish();
    ReleaseStreamSlot(call);
    if (status.error_code() == grpc::StatusCode::CANCELLED) {
      SetGatewayError(response, 504, grpc::StatusCode::DEADLINE_EXCEEDED,
                      "the stream was not accepted in time");
    } else {
      SetError(response, ErrorFromGrpc(status));
    }
    return;
  }
  response.set_header("X-Accel-Buffering", "no");
  const pb::Descriptor* output = route.method->output_type();
  const std::string event_name = SseEventName(*route.method);
  const absl::Duration ping = options_.ping_interval;
  response.set_chunked_content_provider(
      "text/event-stream",
      [call, output, event_name, ping](size_t, httplib::DataSink& sink) {
        grpc::ByteBuffer buffer;
        switch (call->Read(&buffer, ping)) {
          case StreamCall::ReadResult::kMessage: {
            std::unique_ptr<pb::Message> event = NewMessage(output);
            if (!Parse(&buffer, event.get())) return false;
            const std::string text = FormatEvent(*event, event_name);
            return sink.write(text.data(), text.size());
          }
          case StreamCall::ReadResult::kTimeout: {
            static constexpr char kPing[] = ": ping\n\n";
            return sink.write(kPing, sizeof(kPing) - 1);
          }
          case StreamCall::ReadResult::kEnd:
            break;
        }
        // The stream is over. Why, unless this side ended it: as an "error"
        // event carrying the google.rpc.Status (UNAVAILABLE: the server is
        // going down, resume elsewhere or later; UNAUTHENTICATED: the key
        // was revoked; ...).
        const grpc::Status status = call->Finish();
        if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
          const std::string text =
              absl::StrCat("event: error\ndata: ", ErrorFromGrpc(status).body,
                           "\n\n");
          sink.write(text.data(), text.size());
        }
        sink.done();
        return true;
      },
      [this, call](bool) {
        call->Cancel();
        (void)call->Finish();
        ReleaseStreamSlot(call);
      });
}

void Gateway::IngestNdjson(const Route& route, const httplib::Request& request,
                           const httplib::ContentReader& reader,
                           httplib::Response& response) {
  const std::string type = MediaType(request);
  if (type != "application/x-ndjson") {
    SetGatewayError(response, 415, grpc::StatusCode::INVALID_ARGUMENT,
                    absl::StrCat("Content-Type must be application/x-ndjson "
                                 "(one JSON message per line), not ",
                                 type.empty() ? "none" : type));
    response.set_header("Connection", "close");
    return;
  }
  std::optional<std::string> authorization;
  if (!TakeAuthorization(request, response, &authorization)) {
    response.set_header("Connection", "close");
    return;
  }
  StreamCall call(stub_.get(), route.grpc_method,
                  NewCallContext(authorization));
  const pb::Descriptor* input = route.method->input_type();
  std::unique_ptr<pb::Message> message = NewMessage(input);
  // A line this side refuses: the HTTP status, code and message.
  struct Refusal {
    int http_status;
    grpc::StatusCode code;
    std::string message;
  };
  std::optional<Refusal> refused;
  bool call_ended = false;           // the service ended the call early
  int64_t line_number = 0;
  std::string pending;
  const auto send_line = [&](absl::string_view line) {
    ++line_number;
    absl::ConsumeSuffix(&line, "\r");
    if (absl::StripAsciiWhitespace(line).empty()) return true;
    if (absl::Status s = ParseJsonBody(line, message.get()); !s.ok()) {
      refused = Refusal{400, grpc::StatusCode::INVALID_ARGUMENT,
                        absl::StrCat("line ", line_number, ": ", s.message(),
                                     " (the lines before it were ingested: "
                                     "see details)")};
      return false;
    }
    if (!call.Write(Serialize(*message))) {
      call_ended = true;
      return false;
    }
    return true;
  };
  const auto too_long = [&] {
    refused = Refusal{
        413, grpc::StatusCode::RESOURCE_EXHAUSTED,
        absl::StrCat("line ", line_number + 1, ": over the limit of ",
                     options_.max_body_bytes,
                     " bytes a message (--max-message-bytes); the lines "
                     "before it were ingested: see details")};
    return false;
  };
  const bool read = reader([&](const char* data, size_t length) {
    absl::string_view chunk(data, length);
    while (!chunk.empty()) {
      const size_t newline = chunk.find('\n');
      const absl::string_view part = chunk.substr(0, newline);
      if (static_cast<int64_t>(pending.size() + part.size()) >
          options_.max_body_bytes) {
        return too_long();
      }
      pending.append(part.data(), part.size());
      if (newline == absl::string_view::npos) break;
      chunk.remove_prefix(newline + 1);
      const bool sent = send_line(pending);
      pending.clear();
      if (!sent) return false;
    }
    return true;
  });
  if (read && !pending.empty()) send_line(pending);  // no final newline
  if (!read && !call_ended && !refused.has_value()) {
    // The client broke off the upload: nothing is committed.
    call.Cancel();
    (void)call.Finish();
    SetGatewayError(response, 400, grpc::StatusCode::INVALID_ARGUMENT,
                    "the request body could not be read");
    response.set_header("Connection", "close");
    return;
  }
  // The rest of the body is left unread after a refused line or an early
  // end of the call.
  if (!read) response.set_header("Connection", "close");
  // The lines before a refused one are ingested as a stream that ends there
  // (and the refusal carries their summary).
  call.WritesDone();
  grpc::ByteBuffer reply;
  const bool replied = call.Read(&reply, absl::InfiniteDuration()) ==
                       StreamCall::ReadResult::kMessage;
  const grpc::Status status = call.Finish();
  if (!status.ok()) {
    SetError(response, ErrorFromGrpc(status));
    return;
  }
  std::unique_ptr<pb::Message> out = NewMessage(route.method->output_type());
  if (!replied || !Parse(&reply, out.get())) {
    SetGatewayError(response, 500, grpc::StatusCode::INTERNAL,
                    "the service's reply could not be parsed");
    return;
  }
  if (refused.has_value()) {
    SetError(response, GatewayError(refused->http_status, refused->code,
                                    refused->message, out.get()));
    return;
  }
  response.set_content(PrintJson(*out), kJson);
}

}  // namespace opinia::http
