// The polite fetcher against a real loopback server: per-host concurrency
// limit, status codes that must not be retried, Retry-After as a date.
#include "service/core/collectors/fetcher.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/service/core/collectors/collector_env.h"
#include "tests/testing/loopback_outbound.h"

namespace opinia::core::collectors {
namespace {

using testing::FakeSleeper;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::HttpServer;

class FetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto http = CreateCurlHttpClient(opinia::testing::LoopbackAllowed());
    ASSERT_TRUE(http.ok());
    http_ = *std::move(http);
  }
  std::unique_ptr<Fetcher> Make(int per_host) {
    FetchOptions o;
    o.max_attempts = 3;
    o.max_per_host = per_host;
    o.call.connect_timeout = absl::Milliseconds(300);
    o.call.timeout = absl::Milliseconds(500);
    return std::make_unique<Fetcher>(http_.get(), &sleeper_, &clock_, o, 1);
  }
  std::unique_ptr<HttpClient> http_;
  FakeSleeper sleeper_;
  FakeClock clock_{absl::FromUnixSeconds(1790000000)};
};

TEST_F(FetcherTest, AtMostMaxPerHostRequestsInFlight) {
  std::atomic<int> now{0}, peak{0};
  auto server = HttpServer::Start([&](const HttpRequest&) {
    const int n = ++now;
    int p = peak.load();
    while (n > p && !peak.compare_exchange_weak(p, n)) {
    }
    // Hold the request so overlapping ones would be seen.
    absl::SleepFor(absl::Milliseconds(50));
    --now;
    return HttpResponse::Json("{}");
  });
  ASSERT_TRUE(server.ok());
  auto fetcher = Make(/*per_host=*/2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back(
        [&] { EXPECT_TRUE(fetcher->Get((*server)->Url("/x"), {}).ok()); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ((*server)->RequestCount(), 6u);
  EXPECT_LE(peak.load(), 2);
  EXPECT_GE(peak.load(), 1);
}

TEST_F(FetcherTest, ClientErrorsAreNotRetried) {
  const struct {
    int status;
    absl::StatusCode code;
  } cases[] = {{401, absl::StatusCode::kUnauthenticated},
               {403, absl::StatusCode::kUnauthenticated},
               {404, absl::StatusCode::kNotFound},
               {400, absl::StatusCode::kFailedPrecondition}};
  for (const auto& c : cases) {
    auto server = HttpServer::Start(
        [&](const HttpRequest&) { return HttpResponse::Status(c.status); });
    ASSERT_TRUE(server.ok());
    auto got = Make(2)->Get((*server)->Url("/x"), {});
    EXPECT_EQ(got.status().code(), c.code) << c.status;
    EXPECT_EQ((*server)->RequestCount(), 1u) << c.status;
  }
  EXPECT_TRUE(sleeper_.waits().empty());
}

TEST_F(FetcherTest, RetryAfterAsHttpDateAndTooLong) {
  std::atomic<int> calls{0};
  auto server = HttpServer::Start([&](const HttpRequest&) {
    if (calls++ == 0) {
      HttpResponse r = HttpResponse::Status(429);
      // 30 s after the fake clock's now.
      r.headers.push_back(
          {"Retry-After", absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT",
                                           clock_.Now() + absl::Seconds(30),
                                           absl::UTCTimeZone())});
      return r;
    }
    return HttpResponse::Json("{}");
  });
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE(Make(1)->Get((*server)->Url("/x"), {}).ok());
  ASSERT_EQ(sleeper_.waits().size(), 1u);
  EXPECT_EQ(sleeper_.waits()[0], absl::Seconds(30));

  auto slow_down = HttpServer::Start(
      [](const HttpRequest&) { return HttpResponse::TooManyRequests(3600); });
  ASSERT_TRUE(slow_down.ok());
  auto got = Make(1)->Get((*slow_down)->Url("/x"), {});
  EXPECT_EQ(got.status().code(), absl::StatusCode::kFailedPrecondition)
      << "an hour's wait fails the run instead of blocking a worker";
}

TEST_F(FetcherTest, NetworkErrorsAreRetriedThenUnavailable) {
  auto server = HttpServer::Start();
  ASSERT_TRUE(server.ok());
  const std::string url = (*server)->Url("/x");
  (*server)->Stop();  // refused (or unanswered) from now on
  auto got = Make(1)->Get(url, {});
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(sleeper_.waits().size(), 2u) << "3 attempts, 2 waits";
}

}  // namespace
}  // namespace opinia::core::collectors
