// A throwaway self-signed TLS certificate for 127.0.0.1/localhost, made with
// libcrypto so tests need no openssl binary, and an opinia-server serving
// TLS with one.
#ifndef OPINIA_TESTS_INTEGRATION_TEST_CERT_H_
#define OPINIA_TESTS_INTEGRATION_TEST_CERT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tests/integration/server_process.h"

namespace opinia::testing {

struct TestCert {
  std::string cert_path;  // PEM certificate (also the CA to trust)
  std::string key_path;   // PEM private key
  std::string cert_pem;
};

// Writes cert.pem and key.pem into `dir`. INTERNAL on any OpenSSL failure.
absl::StatusOr<TestCert> MakeSelfSignedCert(const std::string& dir);

// opinia-server started with --tls-cert/--tls-key of a fresh certificate.
// The certificate's temp dir (`dir`, also a place for a client's files) is
// removed with it.
struct TlsServer {
  ~TlsServer();

  std::string dir;
  TestCert cert;
  std::unique_ptr<ServerProcess> server;
};
absl::StatusOr<std::unique_ptr<TlsServer>> StartTlsServer();

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_INTEGRATION_TEST_CERT_H_
