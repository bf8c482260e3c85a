// The Allegro collector against a loopback server speaking Allegro's format
// (tests/testing/fake_allegro.h): keyset paging over offset/limit, Allegro's
// media type and bearer token, edits re-ingested, the seller's existing
// answer recorded, the rates as aspects, 429 with Retry-After, 5xx and
// removed ratings.
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "service/core/collectors/removal.h"
#include "service/core/util/names.h"
#include "tests/service/core/collectors/collector_env.h"
#include "tests/testing/fake_allegro.h"

namespace opinia::core::collectors {
namespace {

using opinia::testing::FakeAllegro;
using opinia::testing::HttpRequest;
using opinia::testing::HttpResponse;
using opinia::testing::HttpServer;
using testing::CollectorEnv;

class AllegroCollectorTest : public CollectorEnv {
 protected:
  opinia::v1::Collector CreateAllegro(const HttpServer& server) {
    opinia::v1::CreateCollectorRequest req;
    auto* c = req.mutable_collector();
    c->set_kind(opinia::v1::ALLEGRO);
    c->set_endpoint(server.Url(FakeAllegro::kRatingsPath));
    (*c->mutable_credentials())["bearer_token"] = "allegro-token";
    c->set_source("allegro");
    c->set_subject_id("seller-1");
    auto created = collectors_->Create(admin_, req);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : opinia::v1::Collector();
  }

  opinia::v1::Review Stored(const std::string& id) {
    auto row = Find("allegro", id);
    EXPECT_TRUE(row.has_value()) << id;
    if (!row.has_value()) return {};
    auto review = reviews_.Get(core::testing::Caller("shop-a"),
                               ReviewName(row->id));
    EXPECT_TRUE(review.ok()) << review.status();
    return review.ok() ? *review : opinia::v1::Review();
  }

  int ListRequests(FakeAllegro& fake) {
    absl::MutexLock lock(&fake.mutex);
    return fake.list_requests;
  }
};

TEST_F(AllegroCollectorTest, PagesByKeysetWithAllegroHeaders) {
  FakeAllegro fake(250);
  {
    // Ten ratings changed at one instant straddle the first page's end.
    absl::MutexLock lock(&fake.mutex);
    for (auto& r : fake.ratings) {
      const int n = std::stoi(r.id.substr(1));
      if (n >= 145 && n <= 154) {
        r.last_changed = fake.ratings[150].created;
      }
    }
  }
  auto server = fake.Serve();
  ASSERT_NE(server, nullptr);
  auto collector = CreateAllegro(*server);
  auto run = Run(collector.name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->created(), 250);
  EXPECT_EQ(run->fetched(), 250) << "no rating twice, none skipped";
  EXPECT_EQ(Count("allegro"), 250);
  const auto requests = server->Requests();
  ASSERT_EQ(requests.size(), 4u) << "100 + 100 + 50, then an empty page";
  for (const auto& r : requests) {
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.path, "/sale/user-ratings");
    EXPECT_EQ(r.Header("accept"), "application/vnd.allegro.public.v1+json");
    EXPECT_EQ(r.Header("authorization"), "Bearer allegro-token");
    EXPECT_NE(r.query.find("limit=100"), std::string::npos) << r.query;
  }
  EXPECT_EQ(requests[0].query, "limit=100");
  // The second page starts after the 5 tied ratings already read.
  EXPECT_NE(requests[1].query.find("offset=5&lastChangedAt.lte=2026-10-07T"),
            std::string::npos)
      << requests[1].query;
  const auto r0 = Stored("r0");
  EXPECT_EQ(r0.input().author_name(), "kupujacy_r0");
  EXPECT_EQ(r0.input().attributes().at("allegro_order_id"), "order-r0");
  EXPECT_EQ(r0.input().attributes().at("collector"), collector.name());
}

TEST_F(AllegroCollectorTest, LowDeliveryRateIsANegativeDeliveryAspect) {
  FakeAllegro fake(2);
  {
    absl::MutexLock lock(&fake.mutex);
    fake.ratings[0].comment = "Produkt w porządku";  // delivery not mentioned
  }
  auto server = fake.Serve();
  ASSERT_NE(server, nullptr);
  auto run = Run(CreateAllegro(*server).name());
  ASSERT_TRUE(run.ok()) << run.status();
  const auto r0 = Stored("r0");  // not recommended, delivery 1, service 3
  EXPECT_EQ(r0.input().rating(), 1);
  bool delivery = false;
  for (const auto& a : r0.analysis().aspects()) {
    if (a.aspect() != opinia::v1::DELIVERY) continue;
    delivery = true;
    EXPECT_EQ(a.sentiment().label(), opinia::v1::NEGATIVE);
  }
  EXPECT_TRUE(delivery) << r0.analysis().DebugString();
  const auto r1 = Stored("r1");
  EXPECT_EQ(r1.input().rating(), 5);
  for (const auto& a : r1.analysis().aspects()) {
    EXPECT_EQ(a.sentiment().label(), opinia::v1::POSITIVE)
        << opinia::v1::Aspect_Name(a.aspect());
  }
}

TEST_F(AllegroCollectorTest, EditedRatingIsReingestedAndTheRunStopsEarly) {
  FakeAllegro fake(150);
  auto server = fake.Serve();
  ASSERT_NE(server, nullptr);
  auto collector = CreateAllegro(*server);
  ASSERT_TRUE(Run(collector.name()).ok());
  const int after_first = ListRequests(fake);
  // The buyer edits an old rating: it moves to the top of the list.
  fake.Edit("r3", "Jednak wszystko dotarło, zmieniam ocenę",
            absl::FromUnixSeconds(1790848800) + absl::Hours(1000));
  auto run = Run(collector.name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->updated(), 1);
  EXPECT_EQ(run->created(), 0);
  EXPECT_EQ(ListRequests(fake) - after_first, 1)
      << "the first page reaches the synced region";
  const auto r3 = Stored("r3");
  EXPECT_EQ(r3.input().text(), "Jednak wszystko dotarło, zmieniam ocenę");
  EXPECT_EQ(r3.input().update_time().seconds(),
            1790848800 + 1000 * 3600);
}

TEST_F(AllegroCollectorTest, ExistingSellerAnswerIsTheResponse) {
  FakeAllegro fake(3);
  {
    absl::MutexLock lock(&fake.mutex);
    fake.ratings[1].answer = "Dziękujemy za zakup!";
    fake.ratings[1].answered = absl::FromUnixSeconds(1790900000);
  }
  auto server = fake.Serve();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(Run(CreateAllegro(*server).name()).ok());
  const auto r1 = Stored("r1");
  EXPECT_EQ(r1.response().text(), "Dziękujemy za zakup!");
  EXPECT_EQ(r1.response().author(), "owner (allegro)");
  EXPECT_EQ(r1.response().response_time().seconds(), 1790900000);
  EXPECT_EQ(r1.status(), opinia::v1::RESPONDED);
  EXPECT_EQ(Stored("r2").status(), opinia::v1::NEW);
}

TEST_F(AllegroCollectorTest, ThrottledPagingWaitsOutRetryAfter) {
  FakeAllegro fake(120);
  {
    absl::MutexLock lock(&fake.mutex);
    fake.throttle = 2;
  }
  fake.retry_after_seconds = 7;
  auto server = fake.Serve();
  ASSERT_NE(server, nullptr);
  auto run = Run(CreateAllegro(*server).name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->created(), 120);
  const auto waits = sleeper_.waits();
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_EQ(waits[0], absl::Seconds(7));
  EXPECT_EQ(waits[1], absl::Seconds(7));
}

TEST_F(AllegroCollectorTest, ServerErrorsAreRetriedThenFailTheRun) {
  FakeAllegro fake(10);
  {
    absl::MutexLock lock(&fake.mutex);
    fake.errors = 2;
  }
  auto server = fake.Serve();
  ASSERT_NE(server, nullptr);
  auto collector = CreateAllegro(*server);
  auto run = Run(collector.name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->created(), 10);
  EXPECT_EQ(sleeper_.waits().size(), 2u) << "back-off between the retries";

  fake.Edit("r1", "Zmiana", absl::FromUnixSeconds(1790848800) + absl::Hours(99));
  {
    absl::MutexLock lock(&fake.mutex);
    fake.errors = 100;
  }
  auto failed = Run(collector.name());
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable)
      << failed.status();
  EXPECT_NE(Get(collector.name()).state().last_error().find("503"),
            std::string::npos);
  EXPECT_EQ(Stored("r1").input().text(), "Ocena numer 1") << "nothing stored";
  {
    absl::MutexLock lock(&fake.mutex);
    fake.errors = 0;
  }
  auto again = Run(collector.name());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->updated(), 1) << "the cursor did not move past it";
}

TEST_F(AllegroCollectorTest, FullRunMarksRemovedRatingsDeleted) {
  FakeAllegro fake(5);
  auto server = fake.Serve();
  ASSERT_NE(server, nullptr);
  auto collector = CreateAllegro(*server);
  ASSERT_TRUE(Run(collector.name()).ok());
  fake.Remove("r3");  // e.g. Allegro granted a removal request
  auto run = Run(collector.name(), /*full=*/true);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->deleted(), 1);
  EXPECT_TRUE(Stored("r3").deleted());
  EXPECT_FALSE(Stored("r2").deleted());
}

TEST_F(AllegroCollectorTest, RejectedTokenIsUnauthenticated) {
  FakeAllegro fake(3, "another-token");
  auto server = fake.Serve();
  ASSERT_NE(server, nullptr);
  auto collector = CreateAllegro(*server);
  auto run = Run(collector.name());
  EXPECT_EQ(run.status().code(), absl::StatusCode::kFailedPrecondition)
      << run.status();
  EXPECT_NE(Get(collector.name()).state().last_error().find("401"),
            std::string::npos);
}

// The seller authorised the app once: client id, secret and refresh token.
// The access token comes from Allegro's token endpoint (client as HTTP
// Basic), and a 401 renews it - for the collector's pages and for a
// removal request alike.
TEST_F(AllegroCollectorTest, RefreshTokenRenewsTheAccessToken) {
  absl::Mutex mu;
  std::vector<HttpRequest> token_requests;
  auto token = HttpServer::Start([&](const HttpRequest& r) {
    absl::MutexLock lock(&mu);
    token_requests.push_back(r);
    return HttpResponse::Json(absl::StrCat(
        R"({"access_token": "at-)", token_requests.size(),
        R"(", "token_type": "bearer", "refresh_token": "rt-next",
            "expires_in": 43199, "scope": "allegro:api:sale:settings:read",
            "allegro_api": true, "jti": "x"})"));
  });
  ASSERT_TRUE(token.ok());
  FakeAllegro fake(5, "at-1");
  auto server = fake.Serve();
  ASSERT_NE(server, nullptr);
  opinia::v1::CreateCollectorRequest req;
  auto* c = req.mutable_collector();
  c->set_kind(opinia::v1::ALLEGRO);
  c->set_endpoint(server->Url(FakeAllegro::kRatingsPath));
  auto& creds = *c->mutable_credentials();
  creds["client_id"] = "allegro-client";
  creds["client_secret"] = "allegro-secret";
  creds["refresh_token"] = "rt-1";
  creds["token_endpoint"] = (*token)->Url("/auth/oauth/token");
  c->set_source("allegro");
  auto created = collectors_->Create(admin_, req);
  ASSERT_TRUE(created.ok()) << created.status();

  auto run = Run(created->name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->created(), 5);
  {
    absl::MutexLock lock(&mu);
    ASSERT_EQ(token_requests.size(), 1u);
    EXPECT_EQ(token_requests[0].method, "POST");
    EXPECT_EQ(token_requests[0].path, "/auth/oauth/token");
    EXPECT_EQ(token_requests[0].Header("authorization"),
              "Basic " + absl::Base64Escape("allegro-client:allegro-secret"));
    EXPECT_NE(token_requests[0].body.find("grant_type=refresh_token"),
              std::string::npos);
    EXPECT_NE(token_requests[0].body.find("refresh_token=rt-1"),
              std::string::npos);
  }
  // Allegro revokes at-1 early: the next page is answered 401, the token
  // renewed once, the page fetched again.
  {
    absl::MutexLock lock(&fake.mutex);
    fake.token = "at-2";
  }
  auto again = Run(created->name(), /*full=*/true);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->unchanged(), 5);
  // And a removal request renews it the same way.
  {
    absl::MutexLock lock(&fake.mutex);
    fake.token = "at-3";
  }
  ReviewRemovals removals(store_.get(), &reviews_, http_.get(), &clock_,
                          tokens_.get());
  opinia::v1::RequestReviewRemovalRequest removal;
  removal.set_name(Stored("r0").name());
  removal.set_message("Ocena dotyczy kuriera");
  auto requested = removals.Request(core::testing::Caller("shop-a"), removal);
  ASSERT_TRUE(requested.ok()) << requested.status();
  EXPECT_EQ(fake.Get("r0").removal_message, "Ocena dotyczy kuriera");
  absl::MutexLock lock(&mu);
  EXPECT_EQ(token_requests.size(), 3u) << "one refresh per 401";
}

}  // namespace
}  // namespace opinia::core::collectors
