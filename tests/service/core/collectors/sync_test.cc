// Collector sync against real HTTP on loopback serving platform-format
// fixtures: multi-page, edits, deletions, owner replies, a restart in the
// middle, 429/5xx, malformed JSON, slow responses, empty pages.
#include <string>

#include "gtest/gtest.h"
#include "service/core/collectors/scheduler.h"
#include "tests/service/core/collectors/collector_env.h"
#include "tests/testing/loopback_outbound.h"

namespace opinia::core::collectors {
namespace {

using testing::CollectorEnv;
using testing::FakeGbp;

class GbpSyncTest : public CollectorEnv {};

TEST_F(GbpSyncTest, MultiPageThenRerunEditReplyAndFullRecrawlDeletion) {
  FakeGbp gbp(120);
  gbp.reviews[7].reply = "Dziekujemy za opinie";
  auto server = Serve(&gbp);
  const auto c = CreateGbp(server->Url(FakeGbp::kPath));

  auto first = Run(c.name());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->fetched(), 120);
  EXPECT_EQ(first->created(), 120);
  EXPECT_EQ(Count("google"), 120);
  EXPECT_EQ(gbp.pages_served, 3);
  EXPECT_EQ(analyzer_.calls(), 120) << "analysed like pushed reviews";
  EXPECT_EQ(observer_.created.load(), 120) << "observers (alerts) saw each";
  EXPECT_EQ(gbp.auth, std::set<std::string>{"Bearer tok-secret-123"});
  auto g7 = Find("google", "g7");
  ASSERT_TRUE(g7.has_value());
  EXPECT_EQ(g7->response_text, "Dziekujemy za opinie");
  EXPECT_EQ(g7->status, opinia::v1::RESPONDED);
  EXPECT_EQ(g7->subject_id, "store-1");
  opinia::v1::Collector state = Get(c.name());
  EXPECT_EQ(state.state().reviews_fetched(), 120);
  EXPECT_TRUE(state.state().last_error().empty());
  EXPECT_NE(state.state().cursor().find("2025-10-05T23:00:00"),
            std::string::npos)
      << state.state().cursor();
  EXPECT_TRUE(state.credentials().empty()) << "credentials never returned";

  // Nothing new: one page read, nothing created, no re-analysis.
  gbp.pages_served = 0;
  auto rerun = Run(c.name());
  ASSERT_TRUE(rerun.ok()) << rerun.status();
  EXPECT_EQ(rerun->created(), 0);
  EXPECT_EQ(rerun->updated(), 0);
  EXPECT_EQ(gbp.pages_served, 1) << "incremental stops at the synced region";
  EXPECT_EQ(analyzer_.calls(), 120);
  EXPECT_EQ(observer_.responded.load(), 1) << "the reply is recorded once";

  // An edit moves the review to the top with a newer update time.
  {
    absl::MutexLock lock(&gbp.mutex);
    gbp.reviews[3].text += " EDYCJA";
    gbp.reviews[3].update_hour = 1000;
  }
  auto edited = Run(c.name());
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_EQ(edited->updated(), 1);
  EXPECT_EQ(edited->created(), 0);
  EXPECT_EQ(Count("google"), 120);
  auto g3 = Find("google", "g3");
  ASSERT_TRUE(g3.has_value());
  EXPECT_NE(g3->search_text.find("EDYCJA"), std::string::npos);
  EXPECT_EQ(analyzer_.calls(), 121) << "only the edited review re-analysed";

  // Removed on the platform: a full re-crawl marks it deleted.
  {
    absl::MutexLock lock(&gbp.mutex);
    gbp.reviews.erase(gbp.reviews.begin() + 10);
  }
  auto incremental = Run(c.name());
  ASSERT_TRUE(incremental.ok());
  EXPECT_EQ(incremental->deleted(), 0) << "only a full re-crawl deletes";
  auto full = Run(c.name(), /*full=*/true);
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->deleted(), 1);
  EXPECT_EQ(full->created(), 0);
  EXPECT_EQ(Count("google"), 119);
  EXPECT_EQ(Count("google", /*include_deleted=*/true), 120);
  auto g10 = Find("google", "g10");
  ASSERT_TRUE(g10.has_value());
  EXPECT_TRUE(g10->deleted);
  EXPECT_EQ(observer_.deleted.load(), 1);
  EXPECT_TRUE(Get(c.name()).state().has_last_full_sync_time());

  // Back on the platform: undeleted by the next sync.
  {
    absl::MutexLock lock(&gbp.mutex);
    gbp.reviews.push_back({"g10", "Opinia numer 10", 5, 2000, 10, ""});
  }
  auto back = Run(c.name());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(Count("google"), 120);
}

TEST_F(GbpSyncTest, RestartInTheMiddleLeavesNoGapAndNoDuplicate) {
  FakeGbp gbp(120);
  gbp.fail_at_offset = 100;  // page 3 keeps failing
  auto server = Serve(&gbp);
  const auto c = CreateGbp(server->Url(FakeGbp::kPath));

  auto broken = Run(c.name());
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kUnavailable)
      << broken.status();
  EXPECT_EQ(Count("google"), 100) << "pages 1-2 were committed";
  opinia::v1::Collector state = Get(c.name());
  EXPECT_NE(state.state().last_error().find("HTTP 500"), std::string::npos)
      << state.state().last_error();
  EXPECT_TRUE(state.state().cursor().empty()) << "cursor must not advance";
  EXPECT_FALSE(state.state().has_last_success_time());

  {
    absl::MutexLock lock(&gbp.mutex);
    gbp.fail_at_offset = -1;
  }
  auto resumed = Run(c.name());
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ(resumed->created(), 20);
  EXPECT_EQ(resumed->unchanged(), 100);
  EXPECT_EQ(Count("google", /*include_deleted=*/true), 120);
  EXPECT_EQ(analyzer_.calls(), 120) << "each review analysed exactly once";
  EXPECT_EQ(observer_.created.load(), 120);
  EXPECT_TRUE(Get(c.name()).state().last_error().empty());
}

TEST_F(GbpSyncTest, HonoursRetryAfterAndRetriesServerErrors) {
  FakeGbp gbp(10);
  gbp.throttle = 1;
  gbp.retry_after = 7;
  gbp.errors = 2;
  auto server = Serve(&gbp);
  const auto c = CreateGbp(server->Url(FakeGbp::kPath));
  auto run = Run(c.name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->created(), 10);
  const auto waits = sleeper_.waits();
  ASSERT_EQ(waits.size(), 3u);
  EXPECT_EQ(waits[0], absl::Seconds(7)) << "Retry-After honoured";
  // Exponential with jitter: retry n waits in [2^(n-1)/2, 2^(n-1)] s.
  EXPECT_GE(waits[1], absl::Milliseconds(1000));
  EXPECT_LE(waits[1], absl::Milliseconds(2000));
  EXPECT_GE(waits[2], absl::Milliseconds(2000));
  EXPECT_LE(waits[2], absl::Milliseconds(4000));
}

TEST_F(GbpSyncTest, PersistentErrorsExhaustRetries) {
  FakeGbp gbp(10);
  gbp.errors = 100;
  auto server = Serve(&gbp);
  const auto c = CreateGbp(server->Url(FakeGbp::kPath));
  auto run = Run(c.name());
  EXPECT_EQ(run.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(gbp.requests, 4) << "max_attempts";
  EXPECT_EQ(Count("google"), 0);
}

TEST_F(GbpSyncTest, SlowResponsePastTheTimeoutIsRetried) {
  FakeGbp gbp(5);
  gbp.slow = 1;
  auto server = Serve(&gbp);
  const auto c = CreateGbp(server->Url(FakeGbp::kPath));
  auto run = Run(c.name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->created(), 5);
  EXPECT_EQ(sleeper_.waits().size(), 1u);

  {
    absl::MutexLock lock(&gbp.mutex);
    gbp.slow = 100;
  }
  auto slow = Run(c.name());
  EXPECT_EQ(slow.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(Get(c.name()).state().last_error().empty());
}

TEST_F(GbpSyncTest, MalformedJsonIsThatCollectorsErrorOnly) {
  FakeGbp bad(5), good(5);
  bad.malformed = true;
  auto bad_server = Serve(&bad);
  auto good_server = Serve(&good);
  const auto b = CreateGbp(bad_server->Url(FakeGbp::kPath), 60);
  opinia::v1::CreateCollectorRequest req;
  auto* c = req.mutable_collector();
  c->set_kind(opinia::v1::GOOGLE_BUSINESS_PROFILE);
  c->set_endpoint(good_server->Url(FakeGbp::kPath));
  (*c->mutable_credentials())["bearer_token"] = "t";
  c->set_source("google-2");
  c->set_poll_interval_seconds(60);
  auto g = collectors_->Create(admin_, req);
  ASSERT_TRUE(g.ok());

  auto run = Run(b.name());
  EXPECT_EQ(run.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(Get(b.name()).state().last_error().find("malformed JSON"),
            std::string::npos)
      << Get(b.name()).state().last_error();

  // The scheduler runs both; the broken one does not stop the other.
  CollectorScheduler scheduler(collectors_.get());
  EXPECT_EQ(scheduler.RunDueOnce(), 2);
  EXPECT_EQ(Count("google-2"), 5);
  EXPECT_TRUE(Get(g->name()).state().last_error().empty());
  EXPECT_EQ(scheduler.RunDueOnce(), 0) << "rescheduled a poll interval later";
  clock_.Advance(absl::Seconds(61));
  EXPECT_EQ(scheduler.RunDueOnce(), 2);
}

TEST_F(GbpSyncTest, EmptyPageWhereThereWereReviewsIsRetried) {
  FakeGbp gbp(60);
  auto server = Serve(&gbp);
  const auto c = CreateGbp(server->Url(FakeGbp::kPath));
  ASSERT_TRUE(Run(c.name()).ok());

  gbp.empty_first = 1;  // a glitch: one empty answer
  auto run = Run(c.name(), /*full=*/true);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->deleted(), 0);
  EXPECT_EQ(Count("google"), 60);

  gbp.empty_first = 100;  // keeps answering empty: the run fails safely
  auto empty = Run(c.name(), /*full=*/true);
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count("google"), 60) << "nothing deleted";
  EXPECT_NE(Get(c.name()).state().last_error().find("empty"),
            std::string::npos);
}

TEST_F(GbpSyncTest, OverlappingPagesStoreEachReviewOnce) {
  FakeGbp gbp(100);
  gbp.insert_after_first_page = true;  // page 2 repeats page 1's last
  auto server = Serve(&gbp);
  const auto c = CreateGbp(server->Url(FakeGbp::kPath));
  auto run = Run(c.name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->created(), 100);
  EXPECT_EQ(Count("google"), 100);
  // The review that arrived meanwhile comes with the next run.
  auto next = Run(c.name());
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->created(), 1);
  EXPECT_EQ(Count("google"), 101);
  EXPECT_EQ(analyzer_.calls(), 101);
}

TEST_F(GbpSyncTest, PeriodicFullRecrawlCatchesDeletions) {
  FakeGbp gbp(10);
  auto server = Serve(&gbp);
  CollectorsOptions options;
  options.full_every_runs = 2;
  options.full_every = absl::Hours(24);
  collectors_ = std::make_unique<Collectors>(
      store_.get(), syncer_.get(), &clock_, opinia::testing::LoopbackAllowed(),
      options);
  const auto c = CreateGbp(server->Url(FakeGbp::kPath));
  ASSERT_TRUE(Run(c.name()).ok());  // the first run is full
  {
    absl::MutexLock lock(&gbp.mutex);
    gbp.reviews.erase(gbp.reviews.begin());
  }
  auto second = Run(c.name());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->deleted(), 0);
  auto third = Run(c.name());
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->deleted(), 0) << "1 incremental run since the full one";
  auto fourth = Run(c.name());
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(fourth->deleted(), 1) << "every 2 incremental runs: full";

  {
    absl::MutexLock lock(&gbp.mutex);
    gbp.reviews.erase(gbp.reviews.begin());
  }
  auto fifth = Run(c.name());
  ASSERT_TRUE(fifth.ok());
  EXPECT_EQ(fifth->deleted(), 0);
  clock_.Advance(absl::Hours(25));
  auto day_later = Run(c.name());
  ASSERT_TRUE(day_later.ok());
  EXPECT_EQ(day_later->deleted(), 1) << "a day since the last full re-crawl";
}

}  // namespace
}  // namespace opinia::core::collectors
