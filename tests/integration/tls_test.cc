// opinia-server with --tls-cert/--tls-key: a TLS client that trusts the
// certificate works; a plaintext client gets nowhere.
#include <stdlib.h>

#include <filesystem>

#include "gtest/gtest.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_process.h"
#include "tests/integration/test_cert.h"

namespace opinia::testing {
namespace {

TEST(TlsTest, TrustedClientWorksPlaintextFails) {
  std::string dir = ::testing::TempDir() + "opinia-tls-XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  auto cert = MakeSelfSignedCert(dir);
  ASSERT_TRUE(cert.ok()) << cert.status();
  auto server = ServerProcess::Start(
      {"--tls-cert=" + cert->cert_path, "--tls-key=" + cert->key_path});
  ASSERT_TRUE(server.ok()) << server.status();

  grpc::SslCredentialsOptions options;
  options.pem_root_certs = cert->cert_pem;
  auto tls =
      grpc::CreateChannel((*server)->address(), grpc::SslCredentials(options));
  auto tenant = CreateTenant(tls, (*server)->admin_key(), "TLS shop");
  EXPECT_TRUE(tenant.ok()) << tenant.status();

  auto plain = (*server)->NewChannel();
  auto refused = CreateTenant(plain, (*server)->admin_key(), "Plain shop");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable)
      << refused.status();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace opinia::testing
