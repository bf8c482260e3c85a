#include "tests/service/http/http_test_client.h"

#include <curl/curl.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"

namespace opinia::testing {
namespace {

struct CurlInit {
  CurlInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

void EnsureCurl() { static CurlInit init; }

void AddHeaderLine(absl::string_view line, HttpReply* reply) {
  line = absl::StripTrailingAsciiWhitespace(line);
  if (absl::StartsWith(line, "HTTP/")) {
    reply->headers.clear();  // a new response (after 100 Continue)
    const size_t space = line.find(' ');
    int status = 0;
    if (space != absl::string_view::npos &&
        absl::SimpleAtoi(line.substr(space + 1, 3), &status)) {
      reply->status = status;
    }
    return;
  }
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return;
  reply->headers.emplace(
      absl::AsciiStrToLower(line.substr(0, colon)),
      std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
}

size_t CollectBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t CollectHeader(char* data, size_t size, size_t n, void* out) {
  AddHeaderLine(absl::string_view(data, size * n),
                static_cast<HttpReply*>(out));
  return size * n;
}

// Sets what every request has: URL, method, headers, body, TLS trust and
// timeout. The returned list must outlive the transfer.
curl_slist* Prepare(CURL* curl, const HttpRequest& request) {
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(request.timeout)));
  curl_slist* headers = nullptr;
  for (const std::string& h : request.headers) {
    headers = curl_slist_append(headers, h.c_str());
  }
  // No "Expect: 100-continue" round trip for larger bodies.
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET" || request.body.has_value()) {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (request.body.has_value()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body->size()));
  }
  if (!request.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, request.ca_file.c_str());
  }
  return headers;
}

}  // namespace

std::string HttpReply::Header(const std::string& name) const {
  auto it = headers.find(absl::AsciiStrToLower(name));
  return it == headers.end() ? "" : it->second;
}

bool HttpReply::HasHeader(const std::string& name) const {
  return headers.count(absl::AsciiStrToLower(name)) != 0;
}

absl::StatusOr<HttpReply> Fetch(const HttpRequest& request) {
  EnsureCurl();
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::InternalError("curl_easy_init");
  HttpReply reply;
  curl_slist* headers = Prepare(curl, request);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply);
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK && reply.status == 0) {
    return absl::UnavailableError(absl::StrCat(
        request.method, " ", request.url, ": ", curl_easy_strerror(code)));
  }
  return reply;
}

std::string Bearer(const std::string& key) {
  return "Authorization: Bearer " + key;
}

absl::StatusOr<google::protobuf::Struct> ParseJsonObject(
    const std::string& json) {
  google::protobuf::Struct out;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &out);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a JSON object: ", status.ToString(), ": ",
                     json.substr(0, 200)));
  }
  return out;
}

size_t EventStreamWrite(char* data, size_t size, size_t n, void* self) {
  static_cast<EventStream*>(self)->Consume(data, size * n);
  return size * n;
}

size_t EventStreamHeader(char* data, size_t size, size_t n, void* self) {
  auto* stream = static_cast<EventStream*>(self);
  absl::MutexLock lock(&stream->mutex_);
  const absl::string_view line(data, size * n);
  if (line == "\r\n" || line == "\n") {
    stream->headers_done_ = true;
  } else {
    AddHeaderLine(line, &stream->reply_);
  }
  return size * n;
}

namespace {

int AbortWhenClosed(void* closed, curl_off_t, curl_off_t, curl_off_t,
                    curl_off_t) {
  return static_cast<std::atomic<bool>*>(closed)->load() ? 1 : 0;
}

}  // namespace

std::unique_ptr<EventStream> EventStream::Open(HttpRequest request) {
  std::unique_ptr<EventStream> stream(new EventStream());
  EventStream* s = stream.get();
  s->thread_ = std::thread([s, request = std::move(request)] { s->Run(request); });
  return stream;
}

EventStream::~EventStream() { Close(); }

void EventStream::Run(HttpRequest request) {
  EnsureCurl();
  CURL* curl = curl_easy_init();
  curl_slist* headers = Prepare(curl, request);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, EventStreamWrite);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, EventStreamHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, AbortWhenClosed);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &close_);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  absl::MutexLock lock(&mutex_);
  headers_done_ = true;
  ended_ = true;
  curl_code_ = code;
}

void EventStream::Consume(const char* data, size_t size) {
  absl::MutexLock lock(&mutex_);
  reply_.body.append(data, size);
  pending_.append(data, size);
  size_t newline;
  while ((newline = pending_.find('\n')) != std::string::npos) {
    std::string line = pending_.substr(0, newline);
    pending_.erase(0, newline + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {  // the end of an event
      if (!current_.data.empty() || !current_.id.empty()) {
        if (current_.event.empty()) current_.event = "message";
        events_.push_back(std::move(current_));
      }
      current_ = SseEvent();
    } else if (line[0] == ':') {
      ++comments_;
    } else {
      const size_t colon = line.find(':');
      std::string field = line.substr(0, colon);
      std::string value =
          colon == std::string::npos ? "" : line.substr(colon + 1);
      if (!value.empty() && value[0] == ' ') value.erase(0, 1);
      if (field == "id") current_.id = value;
      if (field == "event") current_.event = value;
      if (field == "data") {
        if (!current_.data.empty()) current_.data.push_back('\n');
        current_.data += value;
      }
    }
  }
}

long EventStream::AwaitStatus(absl::Duration timeout) {
  absl::MutexLock lock(&mutex_);
  mutex_.AwaitWithTimeout(absl::Condition(&headers_done_), timeout);
  return reply_.status;
}

std::vector<SseEvent> EventStream::AwaitEvents(size_t count,
                                               absl::Duration timeout) {
  absl::MutexLock lock(&mutex_);
  auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return events_.size() >= count || ended_;
  };
  mutex_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  return events_;
}

bool EventStream::AwaitEnd(absl::Duration timeout) {
  absl::MutexLock lock(&mutex_);
  return mutex_.AwaitWithTimeout(absl::Condition(&ended_), timeout);
}

int EventStream::comments() const {
  absl::MutexLock lock(&mutex_);
  return comments_;
}

HttpReply EventStream::reply() {
  absl::MutexLock lock(&mutex_);
  return reply_;
}

int EventStream::curl_code() {
  absl::MutexLock lock(&mutex_);
  return curl_code_;
}

void EventStream::Close() {
  close_ = true;
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<HttpReply> PostJson(const std::string& base,
                                   const std::string& path,
                                   const std::string& key,
                                   const std::string& json,
                                   std::vector<std::string> extra_headers) {
  HttpRequest request;
  request.method = "POST";
  request.url = base + path;
  request.body = json;
  request.headers = std::move(extra_headers);
  request.headers.push_back("Content-Type: application/json");
  if (!key.empty()) request.headers.push_back(Bearer(key));
  return Fetch(request);
}

absl::StatusOr<HttpReply> GetWithKey(const std::string& base,
                                     const std::string& path_and_query,
                                     const std::string& key) {
  HttpRequest request;
  request.url = base + path_and_query;
  if (!key.empty()) request.headers.push_back(Bearer(key));
  return Fetch(request);
}

namespace {

// `reply` when it is a 200, else an error with its status and body.
absl::StatusOr<HttpReply> Ok(absl::StatusOr<HttpReply> reply) {
  if (!reply.ok()) return reply.status();
  if (reply->status != 200) {
    return absl::UnknownError(
        absl::StrCat("HTTP ", reply->status, ": ", reply->body));
  }
  return reply;
}

std::string JsonList(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ",", "\"", names[i], "\"");
  }
  return out + "]";
}

}  // namespace

absl::StatusOr<HttpTenant> CreateKeyOverHttp(
    const std::string& base, const std::string& operator_key,
    const std::string& tenant, const std::vector<std::string>& roles) {
  auto key = Ok(PostJson(
      base, "/v1/AdminService/CreateApiKey", operator_key,
      absl::StrCat(R"({"api_key":{"tenant":")", tenant, R"(","roles":)",
                   JsonList(roles), R"(,"display_name":"http test"}})")));
  if (!key.ok()) return key.status();
  return HttpTenant{tenant, JsonString(key->body, "secret"),
                    JsonString(key->body, "api_key.name")};
}

absl::StatusOr<HttpTenant> CreateTenantOverHttp(
    const std::string& base, const std::string& operator_key,
    const std::string& display_name, const std::vector<std::string>& roles) {
  auto tenant = Ok(PostJson(
      base, "/v1/AdminService/CreateTenant", operator_key,
      absl::StrCat(R"({"tenant":{"display_name":")", display_name, R"("}})")));
  if (!tenant.ok()) return tenant.status();
  return CreateKeyOverHttp(base, operator_key, JsonString(tenant->body, "name"),
                           roles);
}

std::string ReviewJson(const std::string& external_id, const std::string& text,
                       int rating) {
  return absl::StrCat(R"({"source":"allegro","external_id":")", external_id,
                      R"(","text":")", text, R"(","rating":)", rating, "}");
}

std::string UrgentReviewJson(const std::string& external_id) {
  return ReviewJson(external_id,
                    "Paczka przyszła zgnieciona, a sprzedawca nie odpowiada. "
                    "Zgłaszam sprawę do sądu, to oszustwo!",
                    1);
}

std::string JsonString(const std::string& json, const std::string& path) {
  auto object = ParseJsonObject(json);
  if (!object.ok()) return "";
  const google::protobuf::Struct* at = &*object;
  const std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    auto it = at->fields().find(parts[i]);
    if (it == at->fields().end()) return "";
    if (i + 1 == parts.size()) return it->second.string_value();
    at = &it->second.struct_value();
  }
  return "";
}

std::string HttpBaseUrl(const ServerProcess& server) {
  const std::string log = server.Log();
  const size_t at = log.rfind("http on ");
  if (at == std::string::npos) return "";
  const size_t start = at + 8;
  const size_t end = log.find_first_of(" \"\n", start);
  return log.substr(start, end - start);
}

absl::StatusOr<std::unique_ptr<ServerProcess>> StartHttpServer(
    std::vector<std::string> extra_args) {
  extra_args.insert(extra_args.begin(), "--http-listen=127.0.0.1:0");
  auto server = ServerProcess::Start(std::move(extra_args));
  if (!server.ok()) return server.status();
  if (HttpBaseUrl(**server).empty()) {
    return absl::UnavailableError("no \"http on\" line in the server's log:\n" +
                                  (*server)->Log());
  }
  return server;
}

}  // namespace opinia::testing
