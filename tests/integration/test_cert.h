// A throwaway self-signed TLS certificate for 127.0.0.1/localhost, made with
// libcrypto so tests need no openssl binary.
#ifndef OPINIA_TESTS_INTEGRATION_TEST_CERT_H_
#define OPINIA_TESTS_INTEGRATION_TEST_CERT_H_

#include <string>

#include "absl/status/statusor.h"

namespace opinia::testing {

struct TestCert {
  std::string cert_path;  // PEM certificate (also the CA to trust)
  std::string key_path;   // PEM private key
  std::string cert_pem;
};

// Writes cert.pem and key.pem into `dir`. INTERNAL on any OpenSSL failure.
absl::StatusOr<TestCert> MakeSelfSignedCert(const std::string& dir);

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_INTEGRATION_TEST_CERT_H_
