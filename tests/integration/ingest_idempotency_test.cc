// Upsert by (source, external_id): CREATED, then UNCHANGED on re-send,
// UPDATED after an edit; the same names every time.
#include <set>
#include <thread>

#include "gtest/gtest.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

using opinia::v1::IngestResult;
using opinia::v1::ReviewInput;

class IngestIdempotencyTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (key_.empty()) key_ = NewTenant("Shop").key;
  }

  static std::vector<ReviewInput> Batch(const std::string& prefix, int n) {
    std::vector<ReviewInput> reviews;
    for (int i = 0; i < n; ++i)
      reviews.push_back(MakeReview(prefix + std::to_string(i), i));
    return reviews;
  }

  static std::vector<IngestResult::Outcome> Outcomes(
      const opinia::v1::IngestReviewsResponse& response) {
    std::vector<IngestResult::Outcome> out;
    for (const auto& r : response.results()) out.push_back(r.outcome());
    return out;
  }

  static inline std::string key_;
};

TEST_F(IngestIdempotencyTest, CreatedThenUnchangedThenUpdated) {
  auto reviews = Batch("idem-", 50);
  auto first = Ingest(channel_, key_, reviews);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(Outcomes(*first),
            std::vector<IngestResult::Outcome>(50, IngestResult::CREATED));
  std::set<std::string> names;
  for (const auto& r : first->results()) {
    EXPECT_EQ(r.name().rfind("reviews/", 0), 0u) << r.name();
    names.insert(r.name());
  }
  EXPECT_EQ(names.size(), 50u) << "every created review has its own name";

  auto second = Ingest(channel_, key_, reviews);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(Outcomes(*second),
            std::vector<IngestResult::Outcome>(50, IngestResult::UNCHANGED));
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(second->results(i).name(), first->results(i).name())
        << "item " << i;
  }

  // Edit the text of 0..4 and the rating of 5..9; the rest stays as it was.
  for (int i = 0; i < 5; ++i)
    reviews[i].set_text(reviews[i].text() + " (edytowano)");
  for (int i = 5; i < 10; ++i)
    reviews[i].set_rating(reviews[i].rating() % 5 + 1);
  auto third = Ingest(channel_, key_, reviews);
  ASSERT_TRUE(third.ok()) << third.status();
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(third->results(i).outcome(),
              i < 10 ? IngestResult::UPDATED : IngestResult::UNCHANGED)
        << "item " << i;
    EXPECT_EQ(third->results(i).name(), first->results(i).name())
        << "item " << i;
  }

  // The stored review is the input as last received.
  auto review = GetReview(channel_, key_, first->results(0).name());
  ASSERT_TRUE(review.ok()) << review.status();
  EXPECT_EQ(review->input().text(), reviews[0].text());
  EXPECT_EQ(review->input().external_id(), "idem-0");

  auto again = Ingest(channel_, key_, reviews);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(Outcomes(*again),
            std::vector<IngestResult::Outcome>(50, IngestResult::UNCHANGED));
}

TEST_F(IngestIdempotencyTest, SameExternalIdOnAnotherSourceIsAnotherReview) {
  auto a = Ingest(channel_, key_, {MakeReview("shared-id", 1, "google")});
  auto b = Ingest(channel_, key_, {MakeReview("shared-id", 1, "ceneo")});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->results(0).outcome(), IngestResult::CREATED);
  EXPECT_EQ(b->results(0).outcome(), IngestResult::CREATED);
  EXPECT_NE(a->results(0).name(), b->results(0).name());
}

TEST_F(IngestIdempotencyTest, DuplicateInOneBatchIsStoredOnce) {
  auto r = MakeReview("dup-in-batch", 3);
  auto response = Ingest(channel_, key_, {r, r});
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->results(0).outcome(), IngestResult::CREATED);
  EXPECT_EQ(response->results(1).outcome(), IngestResult::UNCHANGED);
  EXPECT_EQ(response->results(0).name(), response->results(1).name());
}

TEST_F(IngestIdempotencyTest, StreamIngestIsIdempotentToo) {
  for (int pass = 0; pass < 2; ++pass) {
    auto summary = StreamIngest(channel_, key_, Batch("stream-", 120));
    ASSERT_TRUE(summary.ok()) << summary.status();
    EXPECT_EQ(summary->received(), 120) << "pass " << pass;
    EXPECT_EQ(summary->created(), pass == 0 ? 120 : 0) << "pass " << pass;
    EXPECT_EQ(summary->unchanged(), pass == 0 ? 0 : 120) << "pass " << pass;
    EXPECT_EQ(summary->rejected(), 0) << "pass " << pass;
  }
}

TEST_F(IngestIdempotencyTest, ConcurrentSendersCreateEachReviewOnce) {
  constexpr int kThreads = 4;
  const auto reviews = Batch("race-", 200);
  std::vector<absl::StatusOr<opinia::v1::IngestReviewsResponse>> responses(
      kThreads, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back(
        [&, t] { responses[t] = Ingest(channel_, key_, reviews); });
  }
  for (auto& thread : threads) thread.join();
  std::vector<int> created(reviews.size(), 0);
  std::vector<std::string> names(reviews.size());
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_TRUE(responses[t].ok())
        << "sender " << t << ": " << responses[t].status();
    for (size_t i = 0; i < reviews.size(); ++i) {
      const auto& r = responses[t]->results(i);
      EXPECT_TRUE(r.outcome() == IngestResult::CREATED ||
                  r.outcome() == IngestResult::UNCHANGED)
          << "sender " << t << " item " << i << ": " << r.error();
      created[i] += r.outcome() == IngestResult::CREATED;
      if (names[i].empty()) names[i] = r.name();
      EXPECT_EQ(r.name(), names[i]) << "sender " << t << " item " << i;
    }
  }
  for (size_t i = 0; i < reviews.size(); ++i) {
    EXPECT_EQ(created[i], 1)
        << "item " << i << " CREATED by " << created[i] << " senders";
  }
}

TEST_F(IngestIdempotencyTest, StreamIngestTakesMoreThanOneBatch) {
  auto summary = StreamIngest(channel_, key_, Batch("backfill-", 2500));
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->received(), 2500);
  EXPECT_EQ(summary->created(), 2500);
}

TEST_F(IngestIdempotencyTest, StreamIngestRejectsBadItemsAndKeepsTheRest) {
  auto reviews = Batch("stream-bad-", 10);
  reviews[4].set_rating(9);
  reviews[7].clear_external_id();
  auto summary = StreamIngest(channel_, key_, reviews);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->received(), 10);
  EXPECT_EQ(summary->created(), 8);
  EXPECT_EQ(summary->rejected(), 2);
  ASSERT_EQ(summary->errors_size(), 2);
  EXPECT_NE(summary->errors(0).find("rating"), std::string::npos)
      << summary->errors(0);
  EXPECT_NE(summary->errors(1).find("external_id"), std::string::npos)
      << summary->errors(1);
}

}  // namespace
}  // namespace opinia::testing
