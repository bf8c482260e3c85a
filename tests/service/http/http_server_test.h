// The base of the HTTP tests that start a server per test: a real
// opinia-server with the HTTP API on (StartHttpServer) and a tenant with a
// key of every tenant role, made over HTTP.
#ifndef OPINIA_TESTS_SERVICE_HTTP_HTTP_SERVER_TEST_H_
#define OPINIA_TESTS_SERVICE_HTTP_HTTP_SERVER_TEST_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/server_process.h"
#include "tests/service/http/http_test_client.h"

namespace opinia::testing {

class HttpServerTest : public ::testing::Test {
 protected:
  // `tenant_name` is the display name of the tenant StartServer makes.
  explicit HttpServerTest(std::string tenant_name)
      : tenant_name_(std::move(tenant_name)) {}

  // Starts the server with `args` on top of StartHttpServer's and makes the
  // tenant; a fatal failure when either does not work.
  void StartServer(std::vector<std::string> args = {}) {
    auto server = StartHttpServer(std::move(args));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    base_ = HttpBaseUrl(*server_);
    auto tenant = CreateTenantOverHttp(base_, server_->admin_key(), tenant_name_);
    ASSERT_TRUE(tenant.ok()) << tenant.status();
    tenant_ = *tenant;
  }

  std::unique_ptr<ServerProcess> server_;
  std::string base_;
  HttpTenant tenant_;

 private:
  std::string tenant_name_;
};

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_SERVICE_HTTP_HTTP_SERVER_TEST_H_
