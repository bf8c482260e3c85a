#include "tests/testing/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace opinia::testing {
namespace {

// Requests larger than this are a test bug; the connection is dropped.
constexpr size_t kMaxHeaderBytes = 64 * 1024;
constexpr size_t kMaxBodyBytes = 64 * 1024 * 1024;

const char* Reason(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
  }
}

bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    // MSG_NOSIGNAL: a client that gave up (timeout) must not SIGPIPE us.
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Reads more bytes into `buffer`; false on EOF or error.
bool ReadMore(int fd, std::string& buffer) {
  char chunk[16 * 1024];
  while (true) {
    ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  }
}

}  // namespace

std::string HttpRequest::Header(std::string name) const {
  absl::AsciiStrToLower(&name);
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

HttpResponse HttpResponse::Ok(std::string body, std::string content_type) {
  HttpResponse r;
  r.headers.push_back({"Content-Type", std::move(content_type)});
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::Json(std::string body) {
  return Ok(std::move(body), "application/json");
}

HttpResponse HttpResponse::Status(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::TooManyRequests(int retry_after_seconds) {
  HttpResponse r = Status(429, "slow down");
  r.headers.push_back({"Retry-After", absl::StrCat(retry_after_seconds)});
  return r;
}

HttpResponse HttpResponse::Slow(absl::Duration delay, int status) {
  HttpResponse r = Status(status, "late");
  r.delay = delay;
  return r;
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(Handler handler) {
  std::unique_ptr<HttpServer> server(new HttpServer());
  server->handler_ = std::move(handler);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", strerror(errno)));
  server->listen_fd_ = fd;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(fd, 64) != 0) {
    return absl::InternalError(absl::StrCat("bind/listen: ", strerror(errno)));
  }
  socklen_t len = sizeof(addr);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return absl::InternalError(absl::StrCat("getsockname: ", strerror(errno)));
  }
  server->port_ = ntohs(addr.sin_port);
  if (::pipe2(server->wake_pipe_, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", strerror(errno)));
  }
  server->accept_thread_ = std::thread([s = server.get()] { s->AcceptLoop(); });
  return server;
}

HttpServer::~HttpServer() {
  Stop();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  for (int fd : wake_pipe_) {
    if (fd >= 0) ::close(fd);
  }
}

std::string HttpServer::Url(const std::string& path) const {
  return absl::StrCat("http://127.0.0.1:", port_, path);
}

void HttpServer::SetHandler(Handler handler) {
  absl::MutexLock lock(&mutex_);
  handler_ = std::move(handler);
}

void HttpServer::Route(const std::string& method, const std::string& path,
                       HttpResponse response) {
  absl::MutexLock lock(&mutex_);
  routes_[{method, path}] = std::move(response);
}

std::vector<HttpRequest> HttpServer::Requests() const {
  absl::MutexLock lock(&mutex_);
  return requests_;
}

size_t HttpServer::RequestCount() const {
  absl::MutexLock lock(&mutex_);
  return requests_.size();
}

bool HttpServer::WaitForRequests(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mutex_);
  auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return requests_.size() >= n;
  };
  return mutex_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

void HttpServer::Stop() {
  std::vector<std::thread> threads;
  {
    absl::MutexLock lock(&mutex_);
    if (stopping_) return;
    stopping_ = true;
    // Unblocks recv() in connection threads; they close their own fds.
    for (int fd : connection_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  if (wake_pipe_[1] >= 0) {
    char c = 'x';
    while (::write(wake_pipe_[1], &c, 1) < 0 && errno == EINTR) {
    }
  }
  if (accept_thread_.joinable()) accept_thread_.join();
  {
    // The accept thread has ended: no new connection threads appear.
    absl::MutexLock lock(&mutex_);
    threads.swap(connection_threads_);
  }
  for (std::thread& t : threads) t.join();
}

void HttpServer::AcceptLoop() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    int rc = ::poll(fds, 2, -1);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0 || (fds[1].revents & POLLIN) != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    absl::MutexLock lock(&mutex_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    connection_fds_.push_back(fd);
    connection_threads_.emplace_back([this, fd] { ServeConnection(fd); });
  }
}

bool HttpServer::Delay(absl::Duration d) {
  absl::MutexLock lock(&mutex_);
  auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return stopping_;
  };
  return !mutex_.AwaitWithTimeout(absl::Condition(&stopping), d);
}

HttpResponse HttpServer::Answer(const HttpRequest& request) {
  Handler handler;
  {
    absl::MutexLock lock(&mutex_);
    requests_.push_back(request);
    auto it = routes_.find({request.method, request.path});
    if (it != routes_.end()) return it->second;
    handler = handler_;
  }
  if (!handler) return HttpResponse::Status(404, "no route");
  return handler(request);
}

void HttpServer::ServeConnection(int fd) {
  std::string buffer;
  while (true) {
    size_t header_end;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (buffer.size() > kMaxHeaderBytes || !ReadMore(fd, buffer)) {
        header_end = std::string::npos;
        break;
      }
    }
    if (header_end == std::string::npos) break;

    HttpRequest request;
    request.receive_time = absl::Now();
    std::vector<std::string> lines =
        absl::StrSplit(buffer.substr(0, header_end), "\r\n");
    buffer.erase(0, header_end + 4);
    std::vector<std::string> first = absl::StrSplit(lines[0], ' ');
    if (first.size() != 3) break;
    request.method = first[0];
    request.target = first[1];
    std::pair<std::string, std::string> pq =
        absl::StrSplit(request.target, absl::MaxSplits('?', 1));
    request.path = pq.first;
    request.query = pq.second;
    for (size_t i = 1; i < lines.size(); ++i) {
      size_t colon = lines[i].find(':');
      if (colon == std::string::npos) continue;
      std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
      std::string value(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
      request.headers.emplace_back(std::move(name), std::move(value));
    }
    const bool close_after =
        absl::EqualsIgnoreCase(request.Header("connection"), "close");
    if (!request.Header("transfer-encoding").empty()) {
      SendAll(fd,
              "HTTP/1.1 411 Length Required\r\nContent-Length: 0\r\n"
              "Connection: close\r\n\r\n");
      break;
    }
    size_t length = 0;
    if (std::string cl = request.Header("content-length"); !cl.empty()) {
      if (!absl::SimpleAtoi(cl, &length) || length > kMaxBodyBytes) break;
    }
    if (length > buffer.size() &&
        absl::EqualsIgnoreCase(request.Header("expect"), "100-continue")) {
      if (!SendAll(fd, "HTTP/1.1 100 Continue\r\n\r\n")) break;
    }
    bool ok = true;
    while (buffer.size() < length && (ok = ReadMore(fd, buffer))) {
    }
    if (!ok) break;
    request.body = buffer.substr(0, length);
    buffer.erase(0, length);

    HttpResponse response = Answer(request);
    if (response.delay > absl::ZeroDuration() && !Delay(response.delay)) break;
    std::string out = absl::StrCat("HTTP/1.1 ", response.status, " ",
                                   Reason(response.status), "\r\n");
    bool has_type = false;
    for (const auto& [k, v] : response.headers) {
      absl::StrAppend(&out, k, ": ", v, "\r\n");
      if (absl::EqualsIgnoreCase(k, "content-type")) has_type = true;
    }
    if (!has_type && !response.body.empty()) {
      absl::StrAppend(&out, "Content-Type: text/plain\r\n");
    }
    absl::StrAppend(&out, "Content-Length: ", response.body.size(), "\r\n",
                    close_after ? "Connection: close\r\n" : "", "\r\n");
    if (request.method != "HEAD") out += response.body;
    if (!SendAll(fd, out) || close_after) break;
  }
  absl::MutexLock lock(&mutex_);
  // Remove before closing so Stop() never shuts down a reused fd number.
  connection_fds_.erase(
      std::remove(connection_fds_.begin(), connection_fds_.end(), fd),
      connection_fds_.end());
  ::close(fd);
}

}  // namespace opinia::testing
