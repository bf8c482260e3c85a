// A GoogleTest fixture that starts one real opinia-server per test suite
// (a test executable) and gives each test a channel and the operator key.
#ifndef OPINIA_TESTS_INTEGRATION_SERVER_FIXTURE_H_
#define OPINIA_TESTS_INTEGRATION_SERVER_FIXTURE_H_

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_process.h"

namespace opinia::testing {

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = ServerProcess::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "server did not start";
    ASSERT_TRUE(server_->Alive()) << "the server died; log:\n"
                                  << server_->Log();
    channel_ = server_->NewChannel();
  }

  // A new tenant with a key holding every tenant role.
  TenantWithKey NewTenant(const std::string& display_name) {
    auto t = CreateTenantWithKey(channel_, server_->admin_key(), display_name);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : TenantWithKey{};
  }

  // The review `name` as `key` reads it; a test failure (and an empty
  // review) when the call fails.
  opinia::v1::Review FetchReview(const std::string& key,
                                 const std::string& name) {
    auto review = GetReview(channel_, key, name);
    EXPECT_TRUE(review.ok()) << name << ": " << review.status();
    return review.ok() ? *review : opinia::v1::Review();
  }

  const std::string& operator_key() const { return server_->admin_key(); }

  static inline std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_INTEGRATION_SERVER_FIXTURE_H_
