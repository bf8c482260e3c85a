// Core alert fixture: real SQLite in a temp dir, a fake clock, the counting
// analyzer (rating 1 -> NEGATIVE P2, rating 2 -> NEGATIVE P4, 4+ ->
// POSITIVE P4), and the alert evaluator wired into ingest and reviews.
#ifndef OPINIA_TESTS_SERVICE_CORE_ALERTS_ALERT_TEST_ENV_H_
#define OPINIA_TESTS_SERVICE_CORE_ALERTS_ALERT_TEST_ENV_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/core/alerts/alert_evaluator.h"
#include "service/core/alerts/alert_hub.h"
#include "service/core/alerts/alerts.h"
#include "service/core/ingest/ingest.h"
#include "service/core/reviews/reviews.h"
#include "tests/service/core/test_env.h"

namespace opinia::core::testing {

// StreamAlerts from `token` with no filter.
inline opinia::v1::StreamAlertsRequest ResumeFrom(std::string token) {
  opinia::v1::StreamAlertsRequest request;
  request.set_resume_token(std::move(token));
  return request;
}

class AlertCoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(InsertTwoShops(*store_).ok());
  }

  static opinia::v1::ReviewInput Input(const std::string& id, int rating,
                                       const std::string& text = "tekst",
                                       const std::string& source = "allegro") {
    opinia::v1::ReviewInput in;
    in.set_source(source);
    in.set_external_id(id);
    in.set_subject_id("seller-1");
    in.set_rating(rating);
    in.set_text(text);
    return in;
  }

  // Ingests and returns the review names.
  std::vector<std::string> Ingest(std::vector<opinia::v1::ReviewInput> in,
                                  const std::string& tenant = "shop-a") {
    auto r = ingestor_.Ingest(testing::Caller(tenant), in);
    EXPECT_TRUE(r.ok()) << r.status();
    std::vector<std::string> names;
    if (r.ok()) {
      for (const auto& x : *r) names.push_back(x.name());
    }
    return names;
  }

  // Every alert event of the tenant (the stream), oldest first.
  std::vector<storage::AlertEventRow> AllEvents(
      const std::string& tenant = "shop-a", int64_t after = 0) {
    auto page = alerts_.ReadOutbox(testing::Caller(tenant), after, SubscriberFilter{}, 10000);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->events : std::vector<storage::AlertEventRow>{};
  }

  // Every alert of the tenant (as it is now), oldest first.
  std::vector<storage::AlertRow> AllAlerts(const std::string& tenant = "shop-a") {
    std::vector<storage::AlertRow> out;
    for (auto& e : AllEvents(tenant)) {
      if (e.type == storage::kAlertEventCreated) out.push_back(e.alert);
    }
    return out;
  }

  std::unique_ptr<storage::Store> store_ = OpenTestStore();
  FakeClock clock_{TestEpoch()};
  CountingAnalyzer analyzer_;
  TextAnalysis analysis_{&analyzer_};
  AlertHub hub_;
  AlertEvaluator evaluator_{&hub_};
  Ingestor ingestor_{store_.get(), &analysis_, &clock_, IngestLimits{},
                     &evaluator_};
  Reviews reviews_{store_.get(), &clock_, &evaluator_};
  Alerts alerts_{store_.get(), &clock_};
};

}  // namespace opinia::core::testing

#endif  // OPINIA_TESTS_SERVICE_CORE_ALERTS_ALERT_TEST_ENV_H_
