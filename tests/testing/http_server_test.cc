// The test HTTP server, driven by a raw socket client so that what is on the
// wire is exactly what the test wrote.
#include "tests/testing/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace opinia::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    connected_ =
        ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }

  void Send(const std::string& data) {
    ASSERT_EQ(::send(fd_, data.data(), data.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(data.size()));
  }
  // Reads one response (headers + Content-Length body); "" on EOF.
  std::string ReadResponse() {
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore()) return "";
    }
    std::string head = buffer_.substr(0, end + 4);
    size_t length = 0;
    size_t pos = head.find("Content-Length: ");
    if (pos != std::string::npos) {
      size_t eol = head.find("\r\n", pos);
      (void)absl::SimpleAtoi(head.substr(pos + 16, eol - pos - 16), &length);
    }
    while (buffer_.size() < end + 4 + length) {
      if (!ReadMore()) return "";
    }
    std::string response = buffer_.substr(0, end + 4 + length);
    buffer_.erase(0, end + 4 + length);
    return response;
  }

 private:
  bool ReadMore() {
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  int fd_;
  bool connected_ = false;
  std::string buffer_;
};

TEST(HttpServerTest, RoutesAnswerFixturesAndUnknownPathsAre404) {
  auto server = HttpServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->Route("GET", "/feed.json", HttpResponse::Json(R"({"a":1})"));
  RawClient client((*server)->port());
  ASSERT_TRUE(client.connected());
  client.Send("GET /feed.json?page=2 HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string r = client.ReadResponse();
  EXPECT_THAT(r, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(r, HasSubstr("Content-Type: application/json\r\n"));
  EXPECT_TRUE(absl::EndsWith(r, "\r\n\r\n{\"a\":1}")) << r;
  // Same connection (keep-alive): an unknown path.
  client.Send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_THAT(client.ReadResponse(), StartsWith("HTTP/1.1 404 "));

  std::vector<HttpRequest> seen = (*server)->Requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].path, "/feed.json");
  EXPECT_EQ(seen[0].query, "page=2");
  EXPECT_EQ(seen[1].path, "/nope");
}

TEST(HttpServerTest, HandlerSeesBodyAndHeaders) {
  auto server = HttpServer::Start([](const HttpRequest& req) {
    return HttpResponse::Ok(absl::StrCat(req.method, " ", req.body, " ",
                                         req.Header("X-Token")));
  });
  ASSERT_TRUE(server.ok()) << server.status();
  RawClient client((*server)->port());
  client.Send(
      "POST /hook HTTP/1.1\r\nX-TOKEN: abc\r\nContent-Length: 5\r\n\r\nhello");
  std::string r = client.ReadResponse();
  EXPECT_TRUE(absl::EndsWith(r, "POST hello abc")) << r;
  ASSERT_TRUE((*server)->WaitForRequests(1, absl::Seconds(5)));
  EXPECT_EQ((*server)->Requests()[0].Header("x-token"), "abc");
}

TEST(HttpServerTest, ExpectContinueGetsInterimResponse) {
  auto server = HttpServer::Start(
      [](const HttpRequest& req) { return HttpResponse::Ok(req.body); });
  ASSERT_TRUE(server.ok()) << server.status();
  RawClient client((*server)->port());
  client.Send(
      "POST /x HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.ReadResponse(), "HTTP/1.1 100 Continue\r\n\r\n");
  client.Send("abc");
  EXPECT_TRUE(absl::EndsWith(client.ReadResponse(), "\r\n\r\nabc"));
}

TEST(HttpServerTest, CannedFailures) {
  struct Case {
    HttpResponse response;
    std::string status_line;
    std::string header;
  };
  const Case cases[] = {
      {HttpResponse::TooManyRequests(7), "HTTP/1.1 429 Too Many Requests",
       "Retry-After: 7\r\n"},
      {HttpResponse::Status(500), "HTTP/1.1 500 Internal Server Error", ""},
      {HttpResponse::Status(503), "HTTP/1.1 503 Service Unavailable", ""},
  };
  for (const Case& c : cases) {
    auto server = HttpServer::Start(
        [&c](const HttpRequest&) { return c.response; });
    ASSERT_TRUE(server.ok()) << server.status();
    RawClient client((*server)->port());
    client.Send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    std::string r = client.ReadResponse();
    EXPECT_THAT(r, StartsWith(c.status_line + "\r\n"));
    EXPECT_THAT(r, HasSubstr(c.header));
    EXPECT_THAT(r, HasSubstr("Connection: close\r\n"));
  }
}

TEST(HttpServerTest, SlowResponseIsLateAndStopDoesNotWaitForIt) {
  auto server = HttpServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->Route("GET", "/slow", HttpResponse::Slow(absl::Milliseconds(300)));
  (*server)->Route("GET", "/stuck", HttpResponse::Slow(absl::Hours(1)));
  {
    RawClient client((*server)->port());
    absl::Time start = absl::Now();
    client.Send("GET /slow HTTP/1.1\r\n\r\n");
    EXPECT_THAT(client.ReadResponse(), StartsWith("HTTP/1.1 200 "));
    EXPECT_GE(absl::Now() - start, absl::Milliseconds(300));
  }
  RawClient stuck((*server)->port());
  stuck.Send("GET /stuck HTTP/1.1\r\n\r\n");
  ASSERT_TRUE((*server)->WaitForRequests(2, absl::Seconds(5)));
  absl::Time start = absl::Now();
  (*server)->Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  EXPECT_EQ(stuck.ReadResponse(), "");  // closed without an answer
}

TEST(HttpServerTest, WaitForRequestsTimesOut) {
  auto server = HttpServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_FALSE((*server)->WaitForRequests(1, absl::Milliseconds(20)));
  EXPECT_EQ((*server)->Url("/a"),
            absl::StrCat("http://127.0.0.1:", (*server)->port(), "/a"));
}

}  // namespace
}  // namespace opinia::testing
