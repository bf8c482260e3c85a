// opinia-server with --tls-cert/--tls-key: a TLS client that trusts the
// certificate works; a plaintext client gets nowhere.
#include "gtest/gtest.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_process.h"
#include "tests/integration/test_cert.h"

namespace opinia::testing {
namespace {

TEST(TlsTest, TrustedClientWorksPlaintextFails) {
  auto tls_server = StartTlsServer();
  ASSERT_TRUE(tls_server.ok()) << tls_server.status();
  const ServerProcess& server = *(*tls_server)->server;

  grpc::SslCredentialsOptions options;
  options.pem_root_certs = (*tls_server)->cert.cert_pem;
  auto tls =
      grpc::CreateChannel(server.address(), grpc::SslCredentials(options));
  auto tenant = CreateTenant(tls, server.admin_key(), "TLS shop");
  EXPECT_TRUE(tenant.ok()) << tenant.status();

  auto plain = server.NewChannel();
  auto refused = CreateTenant(plain, server.admin_key(), "Plain shop");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable)
      << refused.status();
}

}  // namespace
}  // namespace opinia::testing
