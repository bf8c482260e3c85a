#include "service/core/util/http_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <mutex>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "service/core/util/absl_sv.h"

namespace opinia::core {
namespace {

// curl_global_init is not thread-safe and must run once before any handle.
CURLcode GlobalInit() {
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  return rc;
}

struct Transfer {
  HttpResult result;
  size_t max_bytes = 0;
  bool too_large = false;
  const OutboundPolicy* policy = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  int refused = 0;  // addresses the policy refused
  int opened = 0;   // sockets opened to allowed addresses
};

// libcurl asks for a socket for every address it tries: the policy decides
// on the address itself, after resolution, so neither a name resolving to
// a refused address nor one rebound between two lookups gets through.
curl_socket_t OpenSocket(void* user, curlsocktype purpose,
                         curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(user);
  const std::optional<IpAddress> ip = IpAddress::FromSockaddr(&address->addr);
  int port = 0;
  if (address->family == AF_INET) {
    port = ntohs(reinterpret_cast<const sockaddr_in*>(&address->addr)->sin_port);
  } else if (address->family == AF_INET6) {
    port =
        ntohs(reinterpret_cast<const sockaddr_in6*>(&address->addr)->sin6_port);
  }
  if (purpose != CURLSOCKTYPE_IPCXN || !ip.has_value() ||
      !t->policy->Allows(*ip, port)) {
    ++t->refused;
    return CURL_SOCKET_BAD;
  }
  ++t->opened;
  return socket(address->family, address->socktype | SOCK_CLOEXEC,
                address->protocol);
}

// The connected peer, checked once more before anything is sent.
int BeforeRequest(void* user, char* primary_ip, char* /*local_ip*/,
                  int primary_port, int /*local_port*/) {
  auto* t = static_cast<Transfer*>(user);
  const std::optional<IpAddress> ip = ParseIpLiteral(primary_ip);
  if (!ip.has_value() || !t->policy->Allows(*ip, primary_port)) {
    ++t->refused;
    t->opened = 0;
    return CURL_PREREQFUNC_ABORT;
  }
  return CURL_PREREQFUNC_OK;
}

// libcurl calls it about once a second even while nothing arrives; non-zero
// aborts the transfer (CURLE_ABORTED_BY_CALLBACK).
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* t = static_cast<const Transfer*>(user);
  return t->cancel != nullptr && t->cancel->load() ? 1 : 0;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * n;
  if (t->result.body.size() + bytes > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  t->result.body.append(data, bytes);
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * n;
  absl::string_view line(data, bytes);
  // A new status line (e.g. after "100 Continue") starts a new header set.
  if (absl::StartsWith(line, "HTTP/")) {
    t->result.headers.clear();
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return bytes;
  t->result.headers.emplace_back(
      std::string(absl::StripAsciiWhitespace(line.substr(0, colon))),
      std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
  return bytes;
}

long Millis(absl::Duration d) {
  return static_cast<long>(
      std::max<int64_t>(1, absl::ToInt64Milliseconds(d)));
}

absl::Status CurlStatus(CURLcode rc, const char* error_buffer,
                        const std::string& origin) {
  std::string detail = error_buffer[0] != '\0' ? std::string(error_buffer)
                                               : curl_easy_strerror(rc);
  std::string message = absl::StrCat(origin, ": ", detail);
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(message);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return absl::InvalidArgumentError(message);
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FAILED_INIT:
      return absl::InternalError(message);
    default:
      return absl::UnavailableError(message);
  }
}

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient(const OutboundPolicy* policy, std::string user_agent)
      : policy_(policy), user_agent_(std::move(user_agent)) {}

  absl::StatusOr<HttpResult> Post(std::string_view url,
                                  const HttpHeaders& headers,
                                  std::string_view body,
                                  const HttpCallOptions& options) override {
    return Perform("POST", url, headers, &body, options);
  }
  absl::StatusOr<HttpResult> Get(std::string_view url,
                                 const HttpHeaders& headers,
                                 const HttpCallOptions& options) override {
    return Perform("GET", url, headers, nullptr, options);
  }
  absl::StatusOr<HttpResult> Send(std::string_view method,
                                  std::string_view url,
                                  const HttpHeaders& headers,
                                  const std::string_view* body,
                                  const HttpCallOptions& options) override {
    return Perform(method, url, headers, body, options);
  }

 private:
  absl::StatusOr<HttpResult> Perform(std::string_view method,
                                     std::string_view url,
                                     const HttpHeaders& headers,
                                     const std::string_view* body,
                                     const HttpCallOptions& options) {
    absl::StatusOr<HttpUrl> parsed = ParseHttpUrl(url);
    if (!parsed.ok()) return parsed.status();
    const std::string origin = parsed->Origin();
    if (GlobalInit() != CURLE_OK) {
      return absl::InternalError("curl_global_init failed");
    }
    // A handle per call: no shared state between threads; connection reuse
    // is not worth it at webhook rates.
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(),
                                                curl_easy_cleanup);
    if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
    curl_slist* list = nullptr;
    for (const auto& [name, value] : headers) {
      list = curl_slist_append(list, absl::StrCat(name, ": ", value).c_str());
    }
    // libcurl would otherwise wait up to 1 s for "100 Continue" on bodies.
    list = curl_slist_append(list, "Expect:");
    std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_list(
        list, curl_slist_free_all);
    curl_slist* resolve = nullptr;
    for (const std::string& entry : options.resolve) {
      resolve = curl_slist_append(resolve, entry.c_str());
    }
    std::unique_ptr<curl_slist, void (*)(curl_slist*)> resolve_list(
        resolve, curl_slist_free_all);

    Transfer transfer;
    transfer.max_bytes = options.max_response_bytes;
    transfer.policy = policy_;
    transfer.cancel = options.cancel;
    if (transfer.cancel != nullptr && transfer.cancel->load()) {
      return absl::CancelledError(absl::StrCat(origin, ": cancelled"));
    }
    char error_buffer[CURL_ERROR_SIZE] = {0};
    const std::string url_string(url);
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url_string.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    // No proxy from the environment: the policy must see the real peer.
    curl_easy_setopt(h, CURLOPT_PROXY, "");
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, BeforeRequest);
    curl_easy_setopt(h, CURLOPT_PREREQDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     Millis(options.connect_timeout));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, Millis(options.timeout));
    curl_easy_setopt(h, CURLOPT_USERAGENT, user_agent_.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
    if (resolve_list != nullptr) {
      curl_easy_setopt(h, CURLOPT_RESOLVE, resolve_list.get());
    }
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
    if (transfer.cancel != nullptr) {
      curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, OnProgress);
      curl_easy_setopt(h, CURLOPT_XFERINFODATA, &transfer);
      curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    }
    if (body != nullptr) {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(body->size()));
    } else {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    const std::string method_string(method);
    if (method_string != "GET" && method_string != "POST") {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method_string.c_str());
    }
    const CURLcode rc = curl_easy_perform(h);
    if (transfer.too_large) {
      return absl::ResourceExhaustedError(
          absl::StrCat(origin, ": response body larger than ",
                       options.max_response_bytes, " bytes"));
    }
    // Refused addresses, and the allowed ones (if any) could not be
    // connected (or the connected peer was refused, which libcurl reports
    // as an abort): the policy is why the destination is unreachable.
    if (transfer.refused > 0 &&
        ((rc != CURLE_OK && transfer.opened == 0) ||
         rc == CURLE_COULDNT_CONNECT)) {
      return absl::PermissionDeniedError(
          absl::StrCat(origin, ": ", kDestinationNotAllowed));
    }
    if (rc == CURLE_ABORTED_BY_CALLBACK && transfer.cancel != nullptr &&
        transfer.cancel->load()) {
      return absl::CancelledError(absl::StrCat(origin, ": cancelled"));
    }
    if (rc != CURLE_OK) return CurlStatus(rc, error_buffer, origin);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    transfer.result.status = static_cast<int>(status);
    return std::move(transfer.result);
  }

  const OutboundPolicy* const policy_;
  const std::string user_agent_;
};

}  // namespace

absl::StatusOr<HttpResult> HttpClient::Send(std::string_view method,
                                            std::string_view url,
                                            const HttpHeaders& headers,
                                            const std::string_view* body,
                                            const HttpCallOptions& options) {
  if (method == "GET" && body == nullptr) return Get(url, headers, options);
  if (method == "POST") {
    return Post(url, headers, body == nullptr ? "" : *body, options);
  }
  return absl::UnimplementedError(
      absl::StrCat("HTTP client: method ", std::string(method),
                   " is not supported"));
}

std::string HttpResult::Header(std::string_view name) const {
  std::string value;
  for (const auto& [k, v] : headers) {
    if (absl::EqualsIgnoreCase(k, Av(name))) value = v;
  }
  return value;
}

absl::StatusOr<std::unique_ptr<HttpClient>> CreateCurlHttpClient(
    const OutboundPolicy* policy, std::string user_agent) {
  if (policy == nullptr) {
    return absl::InvalidArgumentError("HTTP client: no outbound policy");
  }
  if (GlobalInit() != CURLE_OK) {
    return absl::InternalError("curl_global_init failed");
  }
  return std::make_unique<CurlHttpClient>(policy, std::move(user_agent));
}

}  // namespace opinia::core
