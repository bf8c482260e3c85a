#include "service/core/collectors/auth_kind.h"

namespace opinia::core::collectors {

const AuthKindKeys& KeysOf(AuthKind kind) {
  static const AuthKindKeys kBearer{{"bearer_token"}, {}};
  static const AuthKindKeys kOAuth{
      {"client_id", "client_secret", "refresh_token"},
      {"token_endpoint", "redirect_uri"}};
  static const AuthKindKeys kServiceAccount{{"service_account_json"}, {}};
  static const AuthKindKeys kAppStore{{"issuer_id", "key_id", "private_key"},
                                      {}};
  switch (kind) {
    case AuthKind::kBearerToken:
      return kBearer;
    case AuthKind::kOAuthRefreshToken:
      return kOAuth;
    case AuthKind::kGoogleServiceAccount:
      return kServiceAccount;
    case AuthKind::kAppStoreConnectKey:
      return kAppStore;
  }
  return kBearer;
}

const char* AuthKindName(AuthKind kind) {
  switch (kind) {
    case AuthKind::kBearerToken:
      return "access token";
    case AuthKind::kOAuthRefreshToken:
      return "OAuth 2.0 refresh token";
    case AuthKind::kGoogleServiceAccount:
      return "Google service-account key";
    case AuthKind::kAppStoreConnectKey:
      return "App Store Connect API key";
  }
  return "?";
}

bool MultilineCredential(std::string_view key) {
  return key == "service_account_json" || key == "private_key";
}

std::optional<AuthKind> AuthKindOf(const AuthSpec& spec,
                                   const Credentials& credentials) {
  for (AuthKind kind : spec.kinds) {
    for (const char* key : KeysOf(kind).required) {
      if (credentials.count(key) > 0) return kind;
    }
  }
  return std::nullopt;
}

}  // namespace opinia::core::collectors
