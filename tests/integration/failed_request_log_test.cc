// Requests that fail authentication or parsing are logged as counts per
// interval, not one line each: 1,000 bad requests leave a few lines whose
// counts add up to exactly what was sent.
#include <algorithm>
#include <csignal>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "opinia/v1/reviews.pb.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_process.h"

namespace opinia::testing {
namespace {

constexpr char kInvalidUtf8[] = "\xc3\x28\xff\xfe";
constexpr absl::Duration kInterval = absl::Seconds(10);  // the server's

struct Counted {
  int lines = 0;
  int64_t total = 0;
};

// The lines of `log` containing `what`, and the sum of their count= fields.
Counted CountLines(const std::string& log, const std::string& what) {
  Counted counted;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (line.find(what) == absl::string_view::npos) continue;
    ++counted.lines;
    const size_t at = line.find(" count=");
    EXPECT_NE(at, absl::string_view::npos) << line;
    if (at == absl::string_view::npos) continue;
    absl::string_view number = line.substr(at + 7);
    number = number.substr(0, number.find(' '));
    int64_t n = 0;
    EXPECT_TRUE(absl::SimpleAtoi(number, &n)) << line;
    counted.total += n;
  }
  return counted;
}

TEST(FailedRequestLogTest, ThousandBadRequestsLeaveAFewCountingLines) {
  auto server = ServerProcess::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = (*server)->NewChannel();
  const size_t log_before = (*server)->Log().size();

  opinia::v1::ListReviewsRequest list;
  list.set_page_size(1);
  const std::string list_bytes = list.SerializeAsString();
  const std::string malformed("\xff\xff\xff\xff\x0f", 5);
  opinia::v1::AnalyzeTextRequest analyze;
  analyze.set_text("@@@@");
  std::string bad_utf8 = analyze.SerializeAsString();
  bad_utf8.replace(bad_utf8.find("@@@@"), 4, kInvalidUtf8);
  // grpc.reflection's own parser: libprotobuf complains on stderr.
  const std::string reflection_bad_utf8 = WireBytesField(1, kInvalidUtf8);

  struct Batch {
    std::string method, request, key;
    grpc::StatusCode code;  // kOk: any (the reflection stream ends OK)
    int n;
  };
  const std::string kList = "/opinia.v1.ReviewService/ListReviews";
  const std::vector<Batch> batches = {
      {kList, list_bytes, "", grpc::StatusCode::UNAUTHENTICATED, 250},
      {kList, list_bytes, "opk_not-a-key", grpc::StatusCode::UNAUTHENTICATED,
       250},
      {kList, malformed, "", grpc::StatusCode::INVALID_ARGUMENT, 200},
      {"/opinia.v1.ReviewService/AnalyzeText", bad_utf8, "",
       grpc::StatusCode::INVALID_ARGUMENT, 200},
      {"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
       reflection_bad_utf8, "", grpc::StatusCode::OK, 100},
  };
  const absl::Time start = absl::Now();
  int sent = 0;
  for (const Batch& b : batches) {
    for (int i = 0; i < b.n; ++i, ++sent) {
      std::string response;
      const grpc::Status status =
          RawUnaryCall(channel, b.method, b.request, b.key, &response);
      if (b.code != grpc::StatusCode::OK) {
        ASSERT_EQ(status.error_code(), b.code)
            << b.method << ": " << status.error_message();
      }
    }
  }
  ASSERT_EQ(sent, 1000);
  // SIGTERM: the server logs what it counted since its last line.
  auto stopped = (*server)->Stop(SIGTERM);
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(*stopped, 0);
  const absl::Duration took = absl::Now() - start;
  const std::string log = (*server)->Log().substr(log_before);

  // At most one line per kind per interval (plus the last one at exit).
  const int max_lines = 1 + static_cast<int>(took / kInterval);
  const Counted auth = CountLines(log, "requests failed authentication");
  EXPECT_EQ(auth.total, 500) << log;
  EXPECT_GE(auth.lines, 1);
  EXPECT_LE(auth.lines, max_lines) << log;
  const Counted parse = CountLines(log, "requests could not be parsed");
  EXPECT_EQ(parse.total, 500) << log;
  EXPECT_GE(parse.lines, 1);
  EXPECT_LE(parse.lines, max_lines) << log;
  EXPECT_EQ(log.find("libprotobuf"), std::string::npos) << log;
  // Besides those, only the shutdown's own lines.
  const int lines = static_cast<int>(
      std::count(log.begin(), log.end(), '\n'));
  EXPECT_LE(lines, auth.lines + parse.lines + 5) << log;
  std::printf("1000 bad requests in %s: %d log lines\n",
              absl::FormatDuration(took).c_str(), lines);
}

}  // namespace
}  // namespace opinia::testing
