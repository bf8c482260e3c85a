// Signed JWTs: RS256 and ES256 verify with the key's public half (an
// independent OpenSSL verifier), ES256 is JOSE r||s and not DER, a tampered
// token does not verify, and keys of the wrong kind or garbage are refused
// without quoting them.
#include "service/core/util/jwt.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/testing/test_keys.h"

namespace opinia::core {
namespace {

using opinia::testing::JwtParts;
using opinia::testing::NewPrivateKeyPem;
using opinia::testing::VerifyJwt;

constexpr char kClaims[] = R"({"iss":"me","aud":"you","iat":1,"exp":2})";

TEST(JwtTest, Rs256VerifiesWithThePublicKey) {
  const std::string pem = NewPrivateKeyPem(/*ec=*/false);
  auto jwt = SignJwt(JwtAlgorithm::kRs256, pem,
                     R"({"alg":"RS256","typ":"JWT"})", kClaims);
  ASSERT_TRUE(jwt.ok()) << jwt.status();
  EXPECT_TRUE(VerifyJwt(*jwt, pem, /*ec=*/false));
  auto parts = JwtParts(*jwt);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], kClaims);
  EXPECT_EQ(parts[2].size(), 256u);  // RSA 2048
  EXPECT_EQ(jwt->find('='), std::string::npos) << "base64url, no padding";
  // Another key's public half does not verify it.
  EXPECT_FALSE(VerifyJwt(*jwt, NewPrivateKeyPem(false), false));
}

TEST(JwtTest, Es256IsJoseRsAndVerifies) {
  const std::string pem = NewPrivateKeyPem(/*ec=*/true);
  for (int i = 0; i < 20; ++i) {  // r or s with leading zero bytes too
    auto jwt = SignJwt(JwtAlgorithm::kEs256, pem,
                       R"({"alg":"ES256","kid":"K1","typ":"JWT"})", kClaims);
    ASSERT_TRUE(jwt.ok()) << jwt.status();
    auto parts = JwtParts(*jwt);
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[2].size(), 64u) << "r||s, not DER";
    EXPECT_TRUE(VerifyJwt(*jwt, pem, /*ec=*/true));
    std::string tampered = *jwt;
    tampered[tampered.find('.') + 2] ^= 1;
    EXPECT_FALSE(VerifyJwt(tampered, pem, true));
  }
}

TEST(JwtTest, RefusesWrongKeysWithoutQuotingThem) {
  const std::string rsa = NewPrivateKeyPem(false);
  const std::string ec = NewPrivateKeyPem(true);
  EXPECT_TRUE(CheckJwtKey(JwtAlgorithm::kRs256, rsa).ok());
  EXPECT_TRUE(CheckJwtKey(JwtAlgorithm::kEs256, ec).ok());
  auto wrong = SignJwt(JwtAlgorithm::kEs256, rsa, "{}", "{}");
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.status().message().find("P-256"), std::string::npos);
  EXPECT_EQ(CheckJwtKey(JwtAlgorithm::kRs256, ec).code(),
            absl::StatusCode::kInvalidArgument);
  const std::string garbage = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n";
  absl::Status s = CheckJwtKey(JwtAlgorithm::kEs256, garbage);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().find("c2VjcmV0"), std::string::npos);
}

}  // namespace
}  // namespace opinia::core
