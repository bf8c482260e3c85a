// The base of the service tests' fixtures: the real server::App in this
// process (port 0, its SQLite file and operator key file in a temp dir, or
// under OPINIA_TEST_BACKEND=postgres a fresh PostgreSQL schema kept for the
// fixture's life (tests/testing/test_backend.h); a fake clock if a fixture
// sets one) and a plaintext channel to it with a stub
// of every service. A fixture sets the rest of the options and starts it.
#ifndef OPINIA_TESTS_SERVICE_APP_TEST_H_
#define OPINIA_TESTS_SERVICE_APP_TEST_H_

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "opinia/v1/admin.grpc.pb.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "opinia/v1/collectors.grpc.pb.h"
#include "opinia/v1/insights.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "service/core/util/clock.h"
#include "service/core/util/crypto.h"
#include "service/server/app.h"
#include "tests/testing/test_backend.h"

namespace opinia::service_testing {

class AppTest : public ::testing::Test {
 protected:
  // `name` tells the temp dirs of different fixtures apart.
  explicit AppTest(const std::string& name)
      : dir_(absl::StrCat(::testing::TempDir(), "/opinia-", name, "-",
                          core::NewResourceId('d', 12))) {}

  void TearDown() override {
    StopApp();
    db_.reset();  // after the App closed its connections to it
    std::filesystem::remove_all(dir_);
  }

  // Options of the App in dir_ on server_clock_ and on the fixture's
  // database (the same one on each call); the fixture sets the rest.
  server::Options AppOptions() const {
    server::Options o;
    o.listen = "127.0.0.1:0";
    o.db = db().location();
    o.bootstrap_key_file = dir_ + "/admin.key";
    // A database URL has no folder for the default secrets.key.
    if (db().postgres()) o.secrets_key_file = dir_ + "/secrets.key";
    o.clock = server_clock_;
    return o;
  }

  // The fixture's database, made on first use. When PostgreSQL has none:
  // a test failure naming the reason, and the SQLite file in its place.
  const opinia::testing::TestDb& db() const {
    if (db_ == nullptr) {
      const std::string sqlite = dir_ + "/db/opinia.db";
      auto db = opinia::testing::TestDb::Create(sqlite);
      EXPECT_TRUE(db.ok()) << "no " << opinia::testing::TestBackendName()
                           << " database for the test: " << db.status();
      db_ = db.ok() ? *std::move(db) : opinia::testing::TestDb::Sqlite(sqlite);
    }
    return *db_;
  }

  // Starts the App of `options`, the channel and the stubs; a fatal test
  // failure when it does not start.
  void StartApp(const server::Options& options) {
    auto app = server::App::Start(options);
    ASSERT_TRUE(app.ok()) << app.status();
    app_ = *std::move(app);
    channel_ = grpc::CreateChannel(app_->address(),
                                   grpc::InsecureChannelCredentials());
    reviews_ = opinia::v1::ReviewService::NewStub(channel_);
    admin_ = opinia::v1::AdminService::NewStub(channel_);
    alerts_ = opinia::v1::AlertService::NewStub(channel_);
    insights_ = opinia::v1::InsightsService::NewStub(channel_);
    collectors_ = opinia::v1::CollectorService::NewStub(channel_);
  }

  void StopApp() {
    if (app_) app_->Shutdown(absl::Seconds(5));
    app_.reset();
  }

  // The operator key the App wrote on its first start; a fatal test
  // failure when there is none.
  void ReadOperatorKey() {
    std::ifstream key(AppOptions().bootstrap_key_file);
    std::getline(key, operator_key_);
    ASSERT_FALSE(operator_key_.empty());
  }

  const std::string dir_;
  mutable std::unique_ptr<opinia::testing::TestDb> db_;
  // Set by a fixture's constructor to run the server on a fake clock.
  const core::Clock* server_clock_ = nullptr;
  std::unique_ptr<server::App> app_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<opinia::v1::ReviewService::Stub> reviews_;
  std::unique_ptr<opinia::v1::AdminService::Stub> admin_;
  std::unique_ptr<opinia::v1::AlertService::Stub> alerts_;
  std::unique_ptr<opinia::v1::InsightsService::Stub> insights_;
  std::unique_ptr<opinia::v1::CollectorService::Stub> collectors_;
  std::string operator_key_;
};

}  // namespace opinia::service_testing

#endif  // OPINIA_TESTS_SERVICE_APP_TEST_H_
