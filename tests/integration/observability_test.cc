// The server's /metrics endpoint (scraped over real HTTP) and its JSON log.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_process.h"
#include "tests/testing/test_backend.h"

namespace opinia::testing {
namespace {

// GET http://`address`/metrics over a plain socket; the body, or "".
std::string HttpGetMetrics(const std::string& address) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port)) {
    return "";
  }
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.substr(0, colon).c_str(), &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "";
  }
  const std::string request = absl::StrCat(
      "GET /metrics HTTP/1.0\r\nHost: ", address, "\r\n\r\n");
  (void)!write(fd, request.data(), request.size());
  std::string reply;
  char buf[8192];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) reply.append(buf, n);
  close(fd);
  const size_t body = reply.find("\r\n\r\n");
  if (reply.rfind("HTTP/1.", 0) != 0 || body == std::string::npos) return "";
  return reply.substr(body + 4);
}

// Sample lines "name{labels} value" -> value.
std::map<std::string, double> ParseSamples(const std::string& text) {
  std::map<std::string, double> samples;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    double value = 0;
    if (space == absl::string_view::npos ||
        !absl::SimpleAtod(line.substr(space + 1), &value)) {
      continue;
    }
    samples[std::string(line.substr(0, space))] = value;
  }
  return samples;
}

// The value of "metric_address" in the JSON log line saying where metrics
// are served.
std::string MetricsAddressFromLog(const std::string& log) {
  const std::string kKey = "\"metrics_address\":\"";
  const size_t at = log.find(kKey);
  if (at == std::string::npos) return "";
  const size_t start = at + kKey.size();
  return log.substr(start, log.find('"', start) - start);
}

TEST(ObservabilityTest, MetricsMoveWithTrafficAndLogsAreJson) {
  auto server = ServerProcess::Start(
      {"--metrics-listen=127.0.0.1:0", "--log-format=json"});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string metrics_address = MetricsAddressFromLog((*server)->Log());
  ASSERT_FALSE(metrics_address.empty()) << (*server)->Log();

  const auto before = ParseSamples(HttpGetMetrics(metrics_address));
  ASSERT_FALSE(before.empty()) << "no samples from " << metrics_address;

  auto channel = (*server)->NewChannel();
  auto tenant =
      CreateTenantWithKey(channel, (*server)->admin_key(), "observability");
  ASSERT_TRUE(tenant.ok()) << tenant.status();
  constexpr int kCalls = 3;
  for (int i = 0; i < kCalls; ++i) {
    auto reply = Ingest(channel, tenant->key,
                        {MakeReview(absl::StrCat("m-", i, "-a"), i),
                         MakeReview(absl::StrCat("m-", i, "-b"), i + 1)});
    ASSERT_TRUE(reply.ok()) << reply.status();
  }
  opinia::v1::GetReviewRequest missing;
  missing.set_name("reviews/999999");
  opinia::v1::Review review;
  auto stub = opinia::v1::ReviewService::NewStub(channel);
  EXPECT_EQ(stub->GetReview(ContextWithKey(tenant->key).get(), missing, &review)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  auto after = ParseSamples(HttpGetMetrics(metrics_address));
  auto delta = [&](const std::string& name) {
    auto b = before.find(name);
    return after[name] - (b == before.end() ? 0 : b->second);
  };
  struct Case {
    std::string sample;
    double at_least;
  };
  const std::vector<Case> cases = {
      {"opinia_rpc_requests_total{code=\"OK\",method=\"ReviewService/"
       "IngestReviews\"}",
       kCalls},
      {"opinia_rpc_requests_total{code=\"NOT_FOUND\",method=\"ReviewService/"
       "GetReview\"}",
       1},
      {"opinia_rpc_latency_seconds_count{code=\"OK\",method=\"ReviewService/"
       "IngestReviews\"}",
       kCalls},
      {"opinia_reviews_ingested_total{outcome=\"created\"}", 2 * kCalls},
      {"opinia_analysis_seconds_count", 2 * kCalls},
      // Every ingest call is one write; commits may be shared (group
      // commit), and the writer was busy for some time.
      {"opinia_store_writes_total", kCalls},
      {"opinia_store_commits_total", 1},
  };
  for (const auto& c : cases) {
    EXPECT_GE(delta(c.sample), c.at_least) << c.sample;
  }
  // The file's size for SQLite; a PostgreSQL database reports none (its
  // size is PostgreSQL's to report), rather than a misleading 0.
  if (testing::TestsOnPostgres()) {
    EXPECT_EQ(after.count("opinia_db_size_bytes{file=\"db\"}"), 0u);
  } else {
    EXPECT_GT(after["opinia_db_size_bytes{file=\"db\"}"], 0);
  }
  EXPECT_GT(delta("opinia_store_writer_busy_seconds_total"), 0);
  EXPECT_LE(delta("opinia_store_commits_total"),
            delta("opinia_store_writes_total"));
  EXPECT_EQ(after["opinia_alert_subscribers"], 0);

  // Every line the server's logger wrote is one JSON object with the
  // standard keys (lines from before flag parsing are not ours).
  int json_lines = 0;
  for (absl::string_view line : absl::StrSplit((*server)->Log(), '\n')) {
    if (line.empty()) continue;
    if (!absl::StartsWith(line, "{")) continue;
    ++json_lines;
    EXPECT_TRUE(absl::EndsWith(line, "}")) << line;
    EXPECT_TRUE(absl::StrContains(line, "\"time\":\"")) << line;
    EXPECT_TRUE(absl::StrContains(line, "\"level\":\"")) << line;
    EXPECT_TRUE(absl::StrContains(line, "\"msg\":\"")) << line;
  }
  EXPECT_GE(json_lines, 2);  // "metrics on", "listening on"
  EXPECT_TRUE(absl::StrContains((*server)->Log(), "\"msg\":\"listening on "))
      << (*server)->Log();
}

}  // namespace
}  // namespace opinia::testing
