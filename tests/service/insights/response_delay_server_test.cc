// The median response time end to end (issue 15): a real server in-process
// (RpcTest: SQLite file in a temp dir, port 0, no models) on a FakeClock,
// driven through the generated stubs. A review imported long after it was
// written counts from when Opinia saw it; a reply imported with it
// (recorded before Opinia saw the review) counts from its create_time.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "opinia/v1/insights.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "service/core/util/clock.h"
#include "service/core/util/time_proto.h"
#include "tests/service/rpc/rpc_fixture.h"

namespace opinia {
namespace {

class ResponseDelayServerTest : public rpc::testing::RpcTest {
 protected:
  ResponseDelayServerTest() { server_clock_ = &clock_; }

  void SetUp() override {
    RpcTest::SetUp();
    key_ = a_.all;
  }

  // Ingests one review from `source` written at `created`; its name.
  std::string Ingest(const std::string& source, absl::Time created) {
    opinia::v1::IngestReviewsRequest r;
    auto* in = r.add_reviews();
    in->set_source(source);
    in->set_external_id("r1");
    in->set_rating(4);
    in->set_text("Dobry sklep, paczka doszła.");
    core::ToTimestamp(created, in->mutable_create_time());
    opinia::v1::IngestReviewsResponse out;
    grpc::Status s = reviews_->IngestReviews(Ctx(key_).get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.results_size() ? out.results(0).name() : "";
  }

  // Records a response to `name` at `when` (unset: the server's now).
  void Respond(const std::string& name, std::optional<absl::Time> when) {
    opinia::v1::RecordResponseRequest r;
    r.set_name(name);
    r.mutable_response()->set_text("Dziękujemy!");
    if (when) {
      core::ToTimestamp(*when, r.mutable_response()->mutable_response_time());
    }
    opinia::v1::Review out;
    grpc::Status s = reviews_->RecordResponse(Ctx(key_).get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  // The median for `source` over all time (rollups and the delay index)
  // and over a range that starts and ends inside months (partial months
  // from the rows).
  void ExpectMedian(const std::string& source, absl::Duration expected) {
    opinia::v1::SummaryRequest all;
    all.add_sources(source);
    opinia::v1::SummaryRequest range = all;
    core::ToTimestamp(clock_.Now() - absl::Hours(24 * 45),
                      range.mutable_start_time());
    core::ToTimestamp(clock_.Now() + absl::Hours(1), range.mutable_end_time());
    for (const auto* request : {&all, &range}) {
      opinia::v1::ReputationSummary s;
      grpc::Status status =
          insights_->GetReputationSummary(Ctx(key_).get(), *request, &s);
      ASSERT_TRUE(status.ok()) << status.error_message();
      EXPECT_EQ(s.response_rate(), 1.0) << source;
      EXPECT_DOUBLE_EQ(s.median_response_seconds(),
                       absl::ToDoubleSeconds(expected))
          << source << (request == &all ? " over all time" : " in range");
    }
  }

  // Mid-month, so the 30 days before are in another month.
  core::FakeClock clock_{absl::FromCivil(
      absl::CivilSecond(2026, 3, 18, 10, 0, 0), absl::UTCTimeZone())};
  std::string key_;
};

TEST_F(ResponseDelayServerTest, ImportedReviewCountsFromWhenOpiniaSawIt) {
  const absl::Time written = clock_.Now() - absl::Hours(24 * 30);
  const std::string name = Ingest("google", written);
  clock_.Advance(absl::Hours(1));
  Respond(name, std::nullopt);
  // Not 30 days and 1 hour: the shop answered an hour after Opinia showed
  // the review.
  ExpectMedian("google", absl::Hours(1));
}

TEST_F(ResponseDelayServerTest, ReplyImportedWithTheReviewCountsFromCreateTime) {
  const absl::Time written = clock_.Now() - absl::Hours(24 * 30);
  const std::string name = Ingest("allegro", written);
  clock_.Advance(absl::Hours(1));
  // The platform's reply, two days after the review and long before
  // Opinia saw it.
  Respond(name, written + absl::Hours(48));
  ExpectMedian("allegro", absl::Hours(48));
}

TEST_F(ResponseDelayServerTest, LiveReviewCountsFromCreateTime) {
  // Written after Opinia's ingest time says (a platform clock ahead of
  // ours): the delay runs from create_time, the later of the two.
  const absl::Time written = clock_.Now() + absl::Minutes(10);
  const std::string name = Ingest("ceneo", written);
  clock_.Advance(absl::Hours(1));
  Respond(name, std::nullopt);
  ExpectMedian("ceneo", absl::Minutes(50));
}

}  // namespace
}  // namespace opinia
