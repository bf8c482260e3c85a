// Shared fixtures of the core tests: a real store on a fresh database (a
// SQLite file in a temp directory, or a fresh PostgreSQL schema under
// OPINIA_TEST_BACKEND=postgres: tests/testing/test_backend.h), a fake clock, and a counting analyzer (deterministic, so tests
// can tell when re-analysis happened).
#ifndef OPINIA_TESTS_SERVICE_CORE_TEST_ENV_H_
#define OPINIA_TESTS_SERVICE_CORE_TEST_ENV_H_

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlp/analyzer.h"
#include "service/core/auth/auth.h"
#include "service/core/util/clock.h"
#include "service/core/util/crypto.h"
#include "service/storage/store.h"
#include "tests/testing/test_backend.h"

namespace opinia::core::testing {

// Labels by rating (>= 4 positive, 1..2 negative, else neutral); priority
// P2 for ratings of 1, else P4. Counts its calls.
class CountingAnalyzer : public nlp::Analyzer {
 public:
  nlp::Analysis Analyze(std::string_view text,
                        const nlp::AnalyzeOptions& options) const override {
    calls_.fetch_add(1);
    nlp::Analysis a;
    a.language = "pl";
    a.language_confidence = 0.9f;
    const int r = options.rating;
    a.sentiment.label = r >= 4   ? nlp::SentimentLabel::kPositive
                        : r >= 1 && r <= 2 ? nlp::SentimentLabel::kNegative
                                           : nlp::SentimentLabel::kNeutral;
    a.sentiment.score = r >= 4 ? 0.8f : r >= 1 && r <= 2 ? -0.8f : 0.0f;
    a.sentiment.confidence = 0.7f;
    a.urgency.priority = r == 1 ? nlp::Priority::kP2 : nlp::Priority::kP4;
    a.sentences.push_back({{0, static_cast<int32_t>(text.size())}, a.sentiment});
    a.model_version = "counting-1";
    return a;
  }
  std::string ModelVersion() const override { return "counting-1"; }
  int calls() const { return calls_.load(); }

 private:
  mutable std::atomic<int> calls_{0};
};

// A key of `tenant` with every role: for tests of what a call does, not of
// who may make it (authorization_test.cc). Audit rows name "apiKeys/<key>".
inline Principal Caller(std::string tenant, std::string key = "k") {
  return Principal{std::move(key), std::move(tenant),
                   kRoleIngest | kRoleRead | kRoleRespond | kRoleAdmin};
}

// A fresh database per test (a file in a new temp dir, or a new schema),
// owned by the store; nullptr and a test failure when it cannot open.
inline std::unique_ptr<storage::Store> OpenTestStore() {
  const std::string dir = absl::StrCat(
      ::testing::TempDir(), "/opinia-core-", NewResourceId('d', 12));
  std::filesystem::create_directories(dir);
  auto store = opinia::testing::OpenFreshTestStore(dir + "/test.db");
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

// A second store object on OpenTestStore's database, as another replica
// (process) opens it; close it first. nullptr and a test failure when it
// cannot open.
inline std::unique_ptr<storage::Store> OpenReplicaStore(
    const storage::Store& store) {
  auto another = opinia::testing::OpenAnotherStore(store);
  EXPECT_TRUE(another.ok()) << another.status();
  return another.ok() ? *std::move(another) : nullptr;
}

inline absl::Time TestEpoch() { return absl::FromUnixSeconds(1767225600); }

// Adds the tenants shop-a ("A") and shop-b ("B"), both Europe/Warsaw.
inline absl::Status InsertTwoShops(storage::Store& store) {
  return store.Write([](storage::Txn& txn) {
    storage::TenantRow a{"shop-a", "A", "Europe/Warsaw"};
    storage::TenantRow b{"shop-b", "B", "Europe/Warsaw"};
    if (auto s = txn.InsertTenant(a); !s.ok()) return s;
    return txn.InsertTenant(b);
  });
}

}  // namespace opinia::core::testing

#endif  // OPINIA_TESTS_SERVICE_CORE_TEST_ENV_H_
