// RequestReviewRemoval at the core: sent through the collector that fetched
// the review to a loopback server speaking Allegro's format
// (tests/testing/fake_allegro.h), recorded on the review, and refused with
// the reason for other platforms, bad input and the platform's refusals.
#include "service/core/collectors/removal.h"

#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "service/core/util/names.h"
#include "tests/service/core/collectors/collector_env.h"
#include "tests/testing/fake_allegro.h"

namespace opinia::core::collectors {
namespace {

using opinia::testing::FakeAllegro;
using opinia::testing::HttpServer;
using testing::CollectorEnv;

class RemovalTest : public CollectorEnv {
 protected:
  void SetUp() override {
    CollectorEnv::SetUp();
    removals_ = std::make_unique<ReviewRemovals>(store_.get(), &reviews_,
                                                 http_.get(), &clock_);
    server_ = fake_.Serve();
    ASSERT_NE(server_, nullptr);
    opinia::v1::CreateCollectorRequest req;
    auto* c = req.mutable_collector();
    c->set_kind(opinia::v1::ALLEGRO);
    c->set_endpoint(server_->Url(FakeAllegro::kRatingsPath));
    (*c->mutable_credentials())["bearer_token"] = "allegro-token";
    c->set_source("allegro");
    auto created = collectors_->Create(admin_, req);
    ASSERT_TRUE(created.ok()) << created.status();
    collector_ = created->name();
    ASSERT_TRUE(Run(collector_).ok());
  }

  std::string NameOf(const std::string& source, const std::string& id) {
    auto row = Find(source, id);
    EXPECT_TRUE(row.has_value()) << id;
    return row.has_value() ? ReviewName(row->id) : "";
  }

  absl::StatusOr<opinia::v1::Review> Request(const std::string& name,
                                             const std::string& message) {
    opinia::v1::RequestReviewRemovalRequest req;
    req.set_name(name);
    req.set_message(message);
    return removals_->Request(caller_, req);
  }

  std::vector<storage::AuditRow> Audit(const std::string& name) {
    std::vector<storage::AuditRow> rows;
    EXPECT_TRUE(store_
                    ->Read([&](storage::Txn& txn) -> absl::Status {
                      auto listed = txn.ListAudit("shop-a", name);
                      if (!listed.ok()) return listed.status();
                      rows = *listed;
                      return absl::OkStatus();
                    })
                    .ok());
    return rows;
  }

  FakeAllegro fake_{3};
  std::unique_ptr<HttpServer> server_;
  std::string collector_;
  const Principal caller_{"k3", "shop-a", core::kRoleRespond};
  std::unique_ptr<ReviewRemovals> removals_;
};

TEST_F(RemovalTest, SentToAllegroAndRecordedOnTheReview) {
  const std::string name = NameOf("allegro", "r0");
  auto review = Request(name, "Ocena dotyczy kuriera, nie sprzedaży");
  ASSERT_TRUE(review.ok()) << review.status();
  const auto requested = review->input().attributes().find("removal_requested_at");
  ASSERT_NE(requested, review->input().attributes().end());
  EXPECT_EQ(requested->second.rfind("20", 0), 0u) << requested->second;

  const auto sent = server_->Requests().back();
  EXPECT_EQ(sent.method, "PUT");
  EXPECT_EQ(sent.path, "/sale/user-ratings/r0/removal");
  EXPECT_EQ(sent.Header("content-type"), FakeAllegro::kMediaType);
  EXPECT_EQ(sent.Header("authorization"), "Bearer allegro-token");
  EXPECT_EQ(sent.body,
            R"({"request":{"message":"Ocena dotyczy kuriera, nie sprzedaży"}})");
  EXPECT_EQ(fake_.Get("r0").removal_message,
            "Ocena dotyczy kuriera, nie sprzedaży");

  const auto audit = Audit(name);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().action, "review.request_removal");
  EXPECT_EQ(audit.back().actor, caller_.actor());
  EXPECT_NE(audit.back().detail.find("\"platform\":\"ALLEGRO\""),
            std::string::npos)
      << audit.back().detail;
  // The stored review says so too, and a full sync keeps it (the platform
  // now lists the request in the rating's removal.request).
  ASSERT_TRUE(Run(collector_, /*full=*/true).ok());
  auto after = reviews_.Get(core::testing::Caller("shop-a"), name);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->input().attributes().count("removal_requested_at"), 1u);
  EXPECT_EQ(after->status(), opinia::v1::NEW) << "the status is the team's";
}

TEST_F(RemovalTest, PlatformRefusalAndRetryableFailures) {
  const std::string name = NameOf("allegro", "r1");
  {
    absl::MutexLock lock(&fake_.mutex);
    fake_.reject_removal = true;
  }
  auto refused = Request(name, "Niezgodna z regulaminem");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(),
            "ALLEGRO: HTTP 422: The time to request the removal has passed");
  {
    absl::MutexLock lock(&fake_.mutex);
    fake_.reject_removal = false;
    fake_.throttle = 1;
  }
  auto throttled = Request(name, "Niezgodna z regulaminem");
  EXPECT_EQ(throttled.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(throttled.status().message().find("Retry-After: 7"),
            std::string::npos)
      << throttled.status();
  {
    absl::MutexLock lock(&fake_.mutex);
    fake_.errors = 1;
  }
  auto busy = Request(name, "Niezgodna z regulaminem");
  EXPECT_EQ(busy.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(busy.status().message().find("HTTP 503"), std::string::npos);
  // Nothing was recorded by the failures.
  auto review = reviews_.Get(core::testing::Caller("shop-a"), name);
  ASSERT_TRUE(review.ok());
  EXPECT_EQ(review->input().attributes().count("removal_requested_at"), 0u);
  EXPECT_TRUE(Audit(name).empty());
  // Then it goes through.
  EXPECT_TRUE(Request(name, "Niezgodna z regulaminem").ok());
}

TEST_F(RemovalTest, RejectedCredentialsNameTheCollector) {
  {
    absl::MutexLock lock(&fake_.mutex);
    fake_.token = "rotated";
  }
  auto r = Request(NameOf("allegro", "r2"), "Spam");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("HTTP 401"), std::string::npos)
      << r.status();
  EXPECT_NE(r.status().message().find(collector_), std::string::npos)
      << r.status();
}

TEST_F(RemovalTest, OtherPlatformsAndPushedReviewsAreRefused) {
  auto feed = HttpServer::Start([](const opinia::testing::HttpRequest&) {
    return opinia::testing::HttpResponse::Json(
        R"({"items": [{"id": "f1", "text": "Słabo", "rating": 1}]})");
  });
  ASSERT_TRUE(feed.ok());
  opinia::v1::CreateCollectorRequest req;
  auto* c = req.mutable_collector();
  c->set_kind(opinia::v1::JSON_FEED);
  c->set_endpoint((*feed)->Url("/feed.json"));
  c->set_source("shop-feed");
  (*c->mutable_mapping())["items"] = "items";
  (*c->mutable_mapping())["external_id"] = "id";
  (*c->mutable_mapping())["text"] = "text";
  (*c->mutable_mapping())["rating"] = "rating";
  auto created = collectors_->Create(admin_, req);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_TRUE(Run(created->name()).ok());
  auto other = Request(NameOf("shop-feed", "f1"), "Spam");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(other.status().message().find(
                "reviews of JSON_FEED cannot be reported for removal"),
            std::string::npos)
      << other.status();
  EXPECT_NE(other.status().message().find("supported: ALLEGRO"),
            std::string::npos);

  opinia::v1::ReviewInput pushed;
  pushed.set_source("storefront");
  pushed.set_external_id("p1");
  pushed.set_text("Nie polecam");
  auto ingested = ingestor_.Ingest(core::testing::Caller("shop-a"), {pushed});
  ASSERT_TRUE(ingested.ok());
  auto not_collected = Request((*ingested)[0].name(), "Spam");
  EXPECT_EQ(not_collected.status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(not_collected.status().message().find("not fetched by a collector"),
            std::string::npos)
      << not_collected.status();
}

TEST_F(RemovalTest, InputIsCheckedBeforeAnythingIsSent) {
  const std::string name = NameOf("allegro", "r0");
  const size_t before = server_->RequestCount();
  const struct {
    std::string name, message, error;
    absl::StatusCode code;
  } cases[] = {
      {name, "", "message: required", absl::StatusCode::kInvalidArgument},
      {name, "  \n", "message: required", absl::StatusCode::kInvalidArgument},
      {name, std::string(2001, 'x'), "message: 2001 bytes, at most 2000",
       absl::StatusCode::kInvalidArgument},
      {name, "z\xff", "message: invalid UTF-8",
       absl::StatusCode::kInvalidArgument},
      {"reviews/x", "Spam", "name:", absl::StatusCode::kInvalidArgument},
      {"reviews/999999", "Spam", "name:", absl::StatusCode::kNotFound},
  };
  for (const auto& c : cases) {
    auto r = Request(c.name, c.message);
    EXPECT_EQ(r.status().code(), c.code) << c.error << ": " << r.status();
    EXPECT_EQ(r.status().message().rfind(c.error, 0), 0u) << r.status();
  }
  // A read-only key may not; a deleted review cannot be.
  opinia::v1::RequestReviewRemovalRequest req;
  req.set_name(name);
  req.set_message("Spam");
  EXPECT_EQ(removals_->Request(Principal{"k2", "shop-a", kRoleRead}, req)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(reviews_.Delete(core::testing::Caller("shop-a"), name).ok());
  EXPECT_EQ(Request(name, "Spam").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(server_->RequestCount(), before) << "nothing was sent";
}

// With an executor the request is sent on its threads (the caller's thread
// only checks it); one the stopped executor never runs answers UNAVAILABLE
// and sends nothing.
TEST_F(RemovalTest, SentOnTheOutboundExecutor) {
  OutboundExecutor executor(OutboundExecutorOptions{2, 2, 2});
  ReviewRemovals on_executor(store_.get(), &reviews_, http_.get(), &clock_,
                             nullptr, HttpCallOptions{}, &executor);
  opinia::v1::RequestReviewRemovalRequest req;
  req.set_name(NameOf("allegro", "r1"));
  req.set_message("Spam");
  std::thread::id sent_on;
  absl::Notification done;
  absl::StatusOr<opinia::v1::Review> result;
  on_executor.RequestAsync(caller_, req,
                           [&](absl::StatusOr<opinia::v1::Review> r) {
                             sent_on = std::this_thread::get_id();
                             result = std::move(r);
                             done.Notify();
                           });
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(30)));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_NE(sent_on, std::this_thread::get_id());
  EXPECT_EQ(fake_.Get("r1").removal_message, "Spam");

  // Refused up front: answered on the caller's thread, nothing queued.
  req.set_message("");
  on_executor.RequestAsync(caller_, req,
                           [&](absl::StatusOr<opinia::v1::Review> r) {
                             sent_on = std::this_thread::get_id();
                             result = std::move(r);
                           });
  EXPECT_EQ(sent_on, std::this_thread::get_id());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);

  executor.Stop();
  const size_t before = server_->RequestCount();
  req.set_name(NameOf("allegro", "r2"));
  req.set_message("Spam");
  result = on_executor.Request(caller_, req);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable)
      << result.status();
  EXPECT_EQ(server_->RequestCount(), before);
  EXPECT_EQ(fake_.Get("r2").removal_message, "");
}

}  // namespace
}  // namespace opinia::core::collectors
