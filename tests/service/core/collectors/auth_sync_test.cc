// Collectors with renewable credentials against loopback servers: a Google
// Business Profile collector with an OAuth 2.0 refresh token gets its
// access token from the token endpoint, a page answered 401 refreshes it
// once and is fetched again, a revoked refresh token becomes last_error and
// one CREDENTIALS_REJECTED alert (resolved by the next good run), and the
// collector neither crash-loops nor retries hot.
#include <string>

#include "gtest/gtest.h"
#include "opinia/v1/alerts.pb.h"
#include "tests/service/core/collectors/collector_env.h"

namespace opinia::core::collectors {
namespace {

using testing::CollectorEnv;
using testing::FakeGbp;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::HttpServer;

class AuthSyncTest : public CollectorEnv {
 protected:
  void SetUp() override {
    CollectorEnv::SetUp();
    // The server's wiring: rotated refresh tokens are stored.
    UseTokens(ServerTokenOptions());
    auto token = HttpServer::Start([this](const HttpRequest& r) {
      absl::MutexLock lock(&mu_);
      ++token_requests_;
      token_bodies_.push_back(r.body);
      if (rotate_) {
        return HttpResponse::Json(absl::StrCat(
            R"({"access_token":"at-)", token_requests_,
            R"(","expires_in":43199,"refresh_token":"rt-)",
            token_requests_ + 1, R"("})"));
      }
      if (revoked_) {
        return HttpResponse{400,
                            {{"Content-Type", "application/json"}},
                            R"({"error":"invalid_grant"})"};
      }
      return HttpResponse::Json(absl::StrCat(
          R"({"access_token":"at-)", token_requests_,
          R"(","expires_in":3600,"token_type":"Bearer"})"));
    });
    ASSERT_TRUE(token.ok());
    token_server_ = *std::move(token);
    auto data = HttpServer::Start([this](const HttpRequest& r) {
      {
        absl::MutexLock lock(&mu_);
        if (reject_all_ || r.Header("authorization") == rejected_token_) {
          ++rejected_;
          return HttpResponse::Status(401, R"({"error":{"code":401}})");
        }
      }
      return gbp_.Answer(r);
    });
    ASSERT_TRUE(data.ok());
    data_server_ = *std::move(data);
  }

  TokenCacheOptions ServerTokenOptions() {
    TokenCacheOptions options;
    options.on_rotated = StoreRotatedRefreshToken(store_.get());
    return options;
  }

  opinia::v1::Collector CreateOAuthGbp(int poll_seconds = 0) {
    opinia::v1::CreateCollectorRequest req;
    auto* c = req.mutable_collector();
    c->set_kind(opinia::v1::GOOGLE_BUSINESS_PROFILE);
    c->set_endpoint(data_server_->Url(FakeGbp::kPath));
    auto& creds = *c->mutable_credentials();
    creds["client_id"] = "cid.apps.googleusercontent.com";
    creds["client_secret"] = "GOCSPX-secret";
    creds["refresh_token"] = "1//0refresh";
    creds["token_endpoint"] = token_server_->Url("/token");
    c->set_source("google");
    c->set_poll_interval_seconds(poll_seconds);
    auto created = collectors_->Create(admin_, req);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : opinia::v1::Collector();
  }

  std::vector<storage::AlertRow> Alerts() {
    std::vector<storage::AlertRow> rows;
    EXPECT_TRUE(store_
                    ->Read([&](storage::Txn& txn) -> absl::Status {
                      auto r = txn.alerts().ListAlerts("shop-a", {}, 0, 100);
                      if (!r.ok()) return r.status();
                      rows = *r;
                      return absl::OkStatus();
                    })
                    .ok());
    return rows;
  }

  int token_requests() {
    absl::MutexLock lock(&mu_);
    return token_requests_;
  }

  FakeGbp gbp_{3};
  std::unique_ptr<HttpServer> token_server_, data_server_;
  absl::Mutex mu_;
  int token_requests_ = 0;
  bool revoked_ = false;
  bool rotate_ = false;
  std::vector<std::string> token_bodies_;
  std::string rejected_token_ = "-";
  bool reject_all_ = false;
  int rejected_ = 0;
};

TEST_F(AuthSyncTest, RefreshTokenGivesTheAccessToken) {
  auto c = CreateOAuthGbp();
  auto run = Run(c.name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->created(), 3);
  EXPECT_EQ(token_requests(), 1);
  EXPECT_EQ(gbp_.auth, std::set<std::string>{"Bearer at-1"});
  // Reused by the next run.
  ASSERT_TRUE(Run(c.name()).ok());
  EXPECT_EQ(token_requests(), 1);
  // Credentials are input-only: nothing of them comes back.
  EXPECT_TRUE(Get(c.name()).credentials().empty());
}

TEST_F(AuthSyncTest, A401RefreshesOnceAndRetries) {
  auto c = CreateOAuthGbp();
  ASSERT_TRUE(Run(c.name()).ok());
  {
    absl::MutexLock lock(&mu_);
    rejected_token_ = "Bearer at-1";  // revoked by Google before its expiry
  }
  auto run = Run(c.name(), /*full=*/true);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->unchanged(), 3);
  EXPECT_EQ(token_requests(), 2);
  EXPECT_EQ(rejected_, 1);
  EXPECT_TRUE(gbp_.auth.count("Bearer at-2"));
  // A platform that keeps refusing fresh tokens fails the run after one
  // refresh (no loop): UNAUTHENTICATED -> FAILED_PRECONDITION and an alert.
  {
    absl::MutexLock lock(&mu_);
    reject_all_ = true;
  }
  auto refused = Run(c.name());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(token_requests(), 3);
  EXPECT_EQ(rejected_, 3) << "at-2, then at-3 once";
  EXPECT_EQ(Alerts().size(), 1u);
}

TEST_F(AuthSyncTest, RevokedRefreshTokenIsLastErrorAndOneAlert) {
  auto c = CreateOAuthGbp(/*poll_seconds=*/3600);
  {
    absl::MutexLock lock(&mu_);
    revoked_ = true;
  }
  auto due = collectors_->ListDue(10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  auto run = collectors_->RunScheduled((*due)[0]);
  ASSERT_EQ(run.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string error = Get(c.name()).state().last_error();
  EXPECT_NE(error.find("invalid_grant"), std::string::npos) << error;
  EXPECT_EQ(error.find("1//0refresh"), std::string::npos) << error;
  EXPECT_EQ(error.find("GOCSPX"), std::string::npos) << error;
  EXPECT_EQ(gbp_.requests, 0) << "no data request without a token";
  auto alerts = Alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, opinia::v1::CREDENTIALS_REJECTED);
  EXPECT_EQ(alerts[0].state, storage::kAlertOpen);
  EXPECT_EQ(alerts[0].source, "google");
  EXPECT_NE(alerts[0].summary.find(c.name()), std::string::npos);
  EXPECT_NE(alerts[0].summary.find("invalid_grant"), std::string::npos);
  // Scheduled: not retried sooner than its poll interval.
  const auto next = Get(c.name()).state().next_run_time();
  EXPECT_GE(next.seconds(), absl::ToUnixSeconds(clock_.Now()) + 3600 - 5);

  // Runs again (a person clicks "run"): the token cache's back-off answers
  // without calling the token endpoint, and no second alert.
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(Run(c.name()).ok());
  EXPECT_EQ(token_requests(), 1);
  EXPECT_EQ(Alerts().size(), 1u);

  // New credentials: due at once, the run works, the alert is resolved.
  {
    absl::MutexLock lock(&mu_);
    revoked_ = false;
  }
  opinia::v1::UpdateCollectorRequest up;
  *up.mutable_collector() = c;
  auto& creds = *up.mutable_collector()->mutable_credentials();
  creds["client_id"] = "cid.apps.googleusercontent.com";
  creds["client_secret"] = "GOCSPX-secret";
  creds["refresh_token"] = "1//0new";
  creds["token_endpoint"] = token_server_->Url("/token");
  up.mutable_update_mask()->add_paths("credentials");
  auto updated = collectors_->Update(admin_, up);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_LE(updated->state().next_run_time().seconds(),
            absl::ToUnixSeconds(clock_.Now()));
  auto fixed = Run(c.name());
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  EXPECT_EQ(Get(c.name()).state().last_error(), "");
  alerts = Alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].state, storage::kAlertResolved);
  EXPECT_EQ(alerts[0].reasons.back(), "CREDENTIALS_ACCEPTED");
}

// Allegro-style single-use refresh tokens: each refresh answers a new one,
// which is stored in the collector's spec and used for the next refresh
// (also after a restart: a new cache reads it from the store).
TEST_F(AuthSyncTest, RotatedRefreshTokenIsStoredAndUsedNext) {
  {
    absl::MutexLock lock(&mu_);
    rotate_ = true;
  }
  auto c = CreateOAuthGbp();
  ASSERT_TRUE(Run(c.name()).ok());
  auto stored_refresh = [&] {
    std::string refresh;
    EXPECT_TRUE(store_
                    ->Read([&](storage::Txn& txn) -> absl::Status {
                      auto id = ParseCollectorName(c.name(), "name");
                      auto row = txn.collectors().GetCollector("shop-a", *id);
                      if (!row.ok()) return row.status();
                      opinia::v1::Collector spec;
                      spec.ParseFromString(row->spec);
                      refresh = spec.credentials().at("refresh_token");
                      return absl::OkStatus();
                    })
                    .ok());
    return refresh;
  };
  EXPECT_EQ(stored_refresh(), "rt-2");
  clock_.Advance(absl::Hours(13));  // the 12 h access token expired
  auto second = Run(c.name());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(stored_refresh(), "rt-3");
  // A restart: a new cache, the stored token.
  UseTokens(ServerTokenOptions());
  ASSERT_TRUE(Run(c.name()).ok());
  absl::MutexLock lock(&mu_);
  ASSERT_EQ(token_bodies_.size(), 3u);
  EXPECT_NE(token_bodies_[0].find("refresh_token=1%2F%2F0refresh"),
            std::string::npos);
  EXPECT_NE(token_bodies_[1].find("refresh_token=rt-2"), std::string::npos);
  EXPECT_NE(token_bodies_[2].find("refresh_token=rt-3"), std::string::npos);
}

TEST_F(AuthSyncTest, ValidationNamesTheCredential) {
  opinia::v1::CreateCollectorRequest req;
  auto* c = req.mutable_collector();
  c->set_kind(opinia::v1::GOOGLE_BUSINESS_PROFILE);
  c->set_endpoint(data_server_->Url(FakeGbp::kPath));
  c->set_source("google");
  auto& creds = *c->mutable_credentials();
  creds["client_id"] = "cid";
  creds["refresh_token"] = "r";
  auto missing = collectors_->Create(admin_, req);
  ASSERT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find(
                "collector.credentials[\"client_secret\"]"),
            std::string::npos)
      << missing.status();
  creds["client_secret"] = "s";
  creds["bearer_token"] = "t";
  auto mixed = collectors_->Create(admin_, req);
  ASSERT_EQ(mixed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(mixed.status().message().find("one kind of credentials"),
            std::string::npos)
      << mixed.status();
  creds.erase("bearer_token");
  creds["token_endpoint"] = "ftp://token";
  auto bad_url = collectors_->Create(admin_, req);
  ASSERT_EQ(bad_url.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad_url.status().message().find(
                "collector.credentials[\"token_endpoint\"]"),
            std::string::npos)
      << bad_url.status();
  creds["refresh_token"] = "line\nbreak";
  creds.erase("token_endpoint");
  auto line_break = collectors_->Create(admin_, req);
  EXPECT_EQ(line_break.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace opinia::core::collectors
