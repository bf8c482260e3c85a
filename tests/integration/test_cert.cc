#include "tests/integration/test_cert.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "absl/status/status.h"

namespace opinia::testing {
namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Ext = std::unique_ptr<X509_EXTENSION,
                            Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

std::string ToPem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, n);
  BIO_free(bio);
  return pem;
}

}  // namespace

absl::StatusOr<TestCert> MakeSelfSignedCert(const std::string& dir) {
  PKey key(EVP_EC_gen("P-256"));
  if (!key) return absl::InternalError("EVP_EC_gen failed");
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  const std::pair<int, const char*> extensions[] = {
      {NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
      {NID_basic_constraints, "critical,CA:TRUE"},
  };
  for (const auto& [nid, value] : extensions) {
    Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!ext || !X509_add_ext(cert.get(), ext.get(), -1)) {
      return absl::InternalError("cannot add certificate extension");
    }
  }
  if (!X509_sign(cert.get(), key.get(), EVP_sha256())) {
    return absl::InternalError("X509_sign failed");
  }
  TestCert out{dir + "/cert.pem", dir + "/key.pem", ToPem(cert.get())};
  FILE* f = std::fopen(out.cert_path.c_str(), "w");
  if (f == nullptr) return absl::InternalError("cannot write " + out.cert_path);
  PEM_write_X509(f, cert.get());
  std::fclose(f);
  f = std::fopen(out.key_path.c_str(), "w");
  if (f == nullptr) return absl::InternalError("cannot write " + out.key_path);
  PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  return out;
}

TlsServer::~TlsServer() {
  server.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

absl::StatusOr<std::unique_ptr<TlsServer>> StartTlsServer() {
  auto out = std::make_unique<TlsServer>();
  out->dir = std::filesystem::temp_directory_path() / "opinia-tls-XXXXXX";
  if (mkdtemp(out->dir.data()) == nullptr) {
    return absl::InternalError("mkdtemp failed for " + out->dir);
  }
  absl::StatusOr<TestCert> cert = MakeSelfSignedCert(out->dir);
  if (!cert.ok()) return cert.status();
  out->cert = *std::move(cert);
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
      {"--tls-cert=" + out->cert.cert_path, "--tls-key=" + out->cert.key_path});
  if (!server.ok()) return server.status();
  out->server = *std::move(server);
  return out;
}

}  // namespace opinia::testing
