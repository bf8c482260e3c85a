// A core test fixture: a fresh store (test_env.h) with the tenants shop-a
// and shop-b (Europe/Warsaw), a fake clock at TestEpoch, the counting
// analyzer, and the Ingestor and Reviews over them.
#ifndef OPINIA_TESTS_SERVICE_CORE_TWO_SHOPS_TEST_H_
#define OPINIA_TESTS_SERVICE_CORE_TWO_SHOPS_TEST_H_

#include <memory>

#include "gtest/gtest.h"
#include "service/core/ingest/analyze.h"
#include "service/core/ingest/ingest.h"
#include "service/core/reviews/reviews.h"
#include "service/core/util/clock.h"
#include "tests/service/core/test_env.h"

namespace opinia::core::testing {

class TwoShopsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InsertTwoShops(*store_).ok());
  }

  std::unique_ptr<storage::Store> store_ = OpenTestStore();
  FakeClock clock_{TestEpoch()};
  CountingAnalyzer analyzer_;
  TextAnalysis analysis_{&analyzer_};
  Ingestor ingestor_{store_.get(), &analysis_, &clock_, IngestLimits{}};
  Reviews reviews_{store_.get(), &clock_};
};

}  // namespace opinia::core::testing

#endif  // OPINIA_TESTS_SERVICE_CORE_TWO_SHOPS_TEST_H_
