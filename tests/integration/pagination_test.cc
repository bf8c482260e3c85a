// ListReviews over 2,500 reviews: page sizes 1..1000 mixed, both orders, no
// gaps and no repeats, stable while new reviews arrive, filters page too.
#include <algorithm>
#include <set>

#include "gtest/gtest.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

constexpr int kReviews = 2500;

struct Listed {
  std::string name;
  int64_t create_seconds;
};

class PaginationTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (!key_.empty()) return;
    key_ = NewTenant("Paged shop").key;
    // 1000 + 1000 + 500: also the largest allowed batch.
    for (int start = 0; start < kReviews; start += 1000) {
      std::vector<opinia::v1::ReviewInput> batch;
      for (int i = start; i < std::min(kReviews, start + 1000); ++i) {
        batch.push_back(MakeReview("p" + std::to_string(i), i,
                                   i % 3 == 0 ? "google" : "allegro"));
      }
      auto response = Ingest(channel_, key_, batch);
      ASSERT_TRUE(response.ok()) << response.status();
      for (const auto& r : response->results()) {
        ASSERT_EQ(r.outcome(), opinia::v1::IngestResult::CREATED) << r.error();
        ingested_.insert(r.name());
      }
    }
    ASSERT_EQ(ingested_.size(), static_cast<size_t>(kReviews));
  }

  // Pages through ListReviews with `request` as the filter, cycling the page
  // sizes; fails the test on an error.
  std::vector<Listed> ListAll(opinia::v1::ListReviewsRequest request,
                              const std::vector<int>& page_sizes) {
    auto stub = opinia::v1::ReviewService::NewStub(channel_);
    std::vector<Listed> out;
    for (int page = 0; page < 10 * kReviews; ++page) {
      request.set_page_size(page_sizes[page % page_sizes.size()]);
      opinia::v1::ListReviewsResponse response;
      auto context = ContextWithKey(key_);
      grpc::Status status =
          stub->ListReviews(context.get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return out;
      EXPECT_LE(response.reviews_size(), request.page_size());
      for (const auto& r : response.reviews()) {
        out.push_back({r.name(), r.input().create_time().seconds()});
      }
      if (response.next_page_token().empty()) return out;
      request.set_page_token(response.next_page_token());
    }
    ADD_FAILURE() << "pagination did not end";
    return out;
  }

  static inline std::string key_;
  static inline std::set<std::string> ingested_;
};

TEST_F(PaginationTest, EveryPageSizeMixNoGapsNoRepeatsBothOrders) {
  const std::vector<std::vector<int>> mixes = {
      {1000}, {1, 7, 1000, 13, 250, 2, 999, 100}, {37}, {500, 1, 1}};
  for (const std::string order : {"", "create_time desc", "create_time asc"}) {
    for (const auto& mix : mixes) {
      SCOPED_TRACE("order_by='" + order + "' first page size " +
                   std::to_string(mix[0]) + " of " +
                   std::to_string(mix.size()));
      opinia::v1::ListReviewsRequest request;
      request.set_order_by(order);
      std::vector<Listed> listed = ListAll(request, mix);
      std::set<std::string> names;
      for (const auto& l : listed) names.insert(l.name);
      EXPECT_EQ(listed.size(), static_cast<size_t>(kReviews))
          << "gaps or repeats";
      EXPECT_EQ(names.size(), listed.size()) << "a review was listed twice";
      EXPECT_EQ(names, ingested_) << "listed set differs from ingested set";
      const bool asc = order == "create_time asc";
      for (size_t i = 1; i < listed.size(); ++i) {
        if (asc ? listed[i - 1].create_seconds > listed[i].create_seconds
                : listed[i - 1].create_seconds < listed[i].create_seconds) {
          ADD_FAILURE() << "out of order at position " << i;
          break;
        }
      }
    }
  }
}

TEST_F(PaginationTest, PageSizeOneWalksEverything) {
  std::vector<Listed> listed = ListAll(opinia::v1::ListReviewsRequest(), {1});
  std::set<std::string> names;
  for (const auto& l : listed) names.insert(l.name);
  EXPECT_EQ(listed.size(), static_cast<size_t>(kReviews));
  EXPECT_EQ(names, ingested_);
}

TEST_F(PaginationTest, NewReviewsDuringPagingCauseNoRepeats) {
  auto stub = opinia::v1::ReviewService::NewStub(channel_);
  opinia::v1::ListReviewsRequest request;
  request.set_page_size(300);
  std::set<std::string> seen;
  std::string fresh;
  int listed = 0;
  for (int page = 0; page < 100; ++page) {
    opinia::v1::ListReviewsResponse response;
    auto context = ContextWithKey(key_);
    ASSERT_TRUE(stub->ListReviews(context.get(), request, &response).ok());
    for (const auto& r : response.reviews()) {
      ++listed;
      EXPECT_TRUE(seen.insert(r.name()).second) << r.name() << " listed twice";
    }
    if (page == 1) {
      // Newer than everything: sorts before the cursor in the default order.
      auto review = MakeReview("fresh-" + std::to_string(page), 1);
      review.mutable_create_time()->set_seconds(1900000000);
      auto added = Ingest(channel_, key_, {review});
      ASSERT_TRUE(added.ok()) << added.status();
      fresh = added->results(0).name();
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  for (const auto& name : ingested_)
    EXPECT_TRUE(seen.count(name)) << name << " missed";
  EXPECT_EQ(listed, kReviews) << "the newer review sorts before the cursor";
  // Later tests expect the full set, the fresh review included.
  ingested_.insert(fresh);
}

TEST_F(PaginationTest, PageSizeAboveTheMaximumIsCappedOrRefused) {
  auto stub = opinia::v1::ReviewService::NewStub(channel_);
  opinia::v1::ListReviewsRequest request;
  request.set_page_size(5000);
  opinia::v1::ListReviewsResponse response;
  grpc::Status status = stub->ListReviews(ContextWithKey(key_).get(), request, &response);
  if (status.ok()) {
    EXPECT_LE(response.reviews_size(), 1000);
    EXPECT_FALSE(response.next_page_token().empty());
  } else {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  }
  // page_size 0 means the default (50).
  request.set_page_size(0);
  status = stub->ListReviews(ContextWithKey(key_).get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.reviews_size(), 50);
}

TEST_F(PaginationTest, FilteredListingPagesToTheRightCount) {
  opinia::v1::ListReviewsRequest request;
  request.add_sources("google");
  std::vector<Listed> google = ListAll(request, {11, 1000, 3});
  EXPECT_EQ(google.size(), static_cast<size_t>((kReviews + 2) / 3));

  opinia::v1::ListReviewsRequest rated;
  rated.set_min_rating(4);  // MakeReview: rating = 1 + i % 5
  std::vector<Listed> high = ListAll(rated, {97});
  EXPECT_EQ(high.size(), static_cast<size_t>(2 * kReviews / 5));
}

}  // namespace
}  // namespace opinia::testing
