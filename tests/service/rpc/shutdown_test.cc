// Graceful shutdown: once Shutdown starts, new calls are refused while a
// call already in flight still completes, and its data is committed.
#include <chrono>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "tests/testing/test_backend.h"
#include "tests/service/rpc/rpc_fixture.h"

namespace opinia::rpc {
namespace {

class ShutdownTest : public testing::RpcTest {};

TEST_F(ShutdownTest, InFlightStreamFinishesNewCallsAreRefused) {
  constexpr int kItems = 700;
  auto ctx = Ctx(a_.all);
  opinia::v1::IngestSummary summary;
  auto writer = reviews_->StreamIngestReviews(ctx.get(), &summary);
  constexpr int kBeforeShutdown = 600;  // one full stream batch and more
  for (int i = 0; i < kBeforeShutdown; ++i) {
    ASSERT_TRUE(writer->Write(Input("s" + std::to_string(i))));
  }
  // Wait until the server is working on the call (its first batch is
  // stored): a call not yet started when shutdown begins is refused.
  int stored = 0;
  for (int i = 0; i < 1000 && stored < 500; ++i) {
    opinia::v1::ListReviewsRequest r;
    r.set_page_size(1);
    opinia::v1::ListReviewsResponse out;
    ASSERT_TRUE(reviews_->ListReviews(Ctx(a_.read).get(), r, &out).ok());
    stored = out.total_size();
    if (stored < 500) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(stored, 500);

  std::thread stopper([this] { app_->Shutdown(absl::Seconds(20)); });
  // Shutdown has begun once a fresh call is refused.
  bool refused = false;
  for (int i = 0; i < 500 && !refused; ++i) {
    opinia::v1::ListReviewsResponse out;
    auto probe = Ctx(a_.read);
    probe->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::milliseconds(200));
    grpc::Status s = reviews_->ListReviews(probe.get(), {}, &out);
    refused = !s.ok();
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(refused) << "new calls were still accepted";

  bool written = true;
  for (int i = kBeforeShutdown; i < kItems && written; ++i) {
    written = writer->Write(Input("s" + std::to_string(i)));
  }
  writer->WritesDone();
  grpc::Status s = writer->Finish();
  stopper.join();
  EXPECT_TRUE(written);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(summary.created(), kItems);

  // The database was closed cleanly and holds every acknowledged review.
  auto store = opinia::testing::OpenTestDbStore(db());
  ASSERT_TRUE(store.ok()) << store.status();
  int64_t count = 0;
  ASSERT_TRUE((*store)
                  ->Read([&](storage::Txn& txn) -> absl::Status {
                    auto n = txn.CountReviews("shop-a", {});
                    if (!n.ok()) return n.status();
                    count = *n;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(count, kItems);
}

}  // namespace
}  // namespace opinia::rpc
