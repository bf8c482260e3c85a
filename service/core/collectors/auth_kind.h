// How a platform authenticates: the kinds of credentials a collector may
// hold (its AuthSpec, declared by the platform, platform.h) and the keys of
// each kind. Renewable kinds become an access token at run time
// (token_cache.h); the platform only ever sees "bearer_token" in the
// credentials it builds its headers from (Platform::RequestHeaders).
//
//   kind                   keys (* = required)                  token
//   kBearerToken           bearer_token*                        as given
//   kOAuthRefreshToken     client_id*, client_secret*,          POST the token
//                          refresh_token*, token_endpoint,      endpoint
//                          redirect_uri (sent when given:       (RFC 6749 §6)
//                          Allegro's examples do)
//   kGoogleServiceAccount  service_account_json* (the key       RS256 JWT ->
//                          file: client_email, private_key,     jwt-bearer
//                          token_uri)                           grant
//   kAppStoreConnectKey    issuer_id*, key_id*, private_key*    ES256 JWT,
//                          (the .p8 PEM)                        made locally
//
// service_account_json and private_key may hold line breaks (a key file,
// a PEM block); every other credential may not. token_endpoint defaults to
// the platform's (AuthSpec::token_endpoint); it and a key file's token_uri
// are outbound destinations like the endpoint (the outbound policy applies).
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_AUTH_KIND_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_AUTH_KIND_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "google/protobuf/map.h"

namespace opinia::core::collectors {

using Credentials = google::protobuf::Map<std::string, std::string>;

enum class AuthKind {
  kBearerToken,
  kOAuthRefreshToken,
  kGoogleServiceAccount,
  kAppStoreConnectKey,
};

// How the OAuth client authenticates at the token endpoint.
enum class OAuthClientAuth {
  kBody,   // client_id and client_secret in the form body (Google)
  kBasic,  // Authorization: Basic base64(client_id:client_secret) (Allegro)
};

// A platform's authentication: the kinds it accepts, in the order they are
// described to people, and the facts its renewable kinds need.
struct AuthSpec {
  AuthSpec(std::vector<AuthKind> kinds = {},
           std::string_view token_endpoint = {},
           OAuthClientAuth client_auth = OAuthClientAuth::kBody,
           std::string_view scope = {})
      : kinds(std::move(kinds)),
        token_endpoint(token_endpoint),
        client_auth(client_auth),
        scope(scope) {}

  std::vector<AuthKind> kinds;
  // kOAuthRefreshToken: the default token_endpoint and client auth.
  std::string_view token_endpoint;
  OAuthClientAuth client_auth = OAuthClientAuth::kBody;
  // kGoogleServiceAccount: the OAuth scope asked for.
  std::string_view scope;
};

struct AuthKindKeys {
  std::vector<const char*> required;
  std::vector<const char*> optional;
};

// The keys of `kind`.
const AuthKindKeys& KeysOf(AuthKind kind);
// "OAuth 2.0 refresh token", ... for messages.
const char* AuthKindName(AuthKind kind);
// Whether `kind` is renewed at run time (everything but kBearerToken).
inline bool Renewable(AuthKind kind) { return kind != AuthKind::kBearerToken; }

// Keys whose values may hold line breaks (key files, PEM blocks).
bool MultilineCredential(std::string_view key);
// The largest value of a multi-line credential, in bytes.
inline constexpr size_t kMaxKeyCredentialBytes = 16 << 10;

// The kind of `spec` whose keys `credentials` hold (the first of
// spec.kinds with any of its required keys present); nullopt when none.
std::optional<AuthKind> AuthKindOf(const AuthSpec& spec,
                                   const Credentials& credentials);

// Google's and Allegro's OAuth token endpoints, and Google Play's scope.
inline constexpr char kGoogleTokenEndpoint[] =
    "https://oauth2.googleapis.com/token";
inline constexpr char kAllegroTokenEndpoint[] =
    "https://allegro.pl/auth/oauth/token";
inline constexpr char kAndroidPublisherScope[] =
    "https://www.googleapis.com/auth/androidpublisher";

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_AUTH_KIND_H_
