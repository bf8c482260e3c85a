// The request headers of a collector's platform calls (the syncer's GETs,
// the reply worker's POST/PUT/DELETE), with access tokens that renew
// themselves.
//
// A collector's credentials are of one auth kind (auth_kind.h), which its
// platform declares (Platform::auth()). A static "bearer_token" is used as
// given. The renewable kinds become an access token here:
//   - OAuth 2.0 refresh token: POST the token endpoint (credentials
//     "token_endpoint", else the platform's default) with
//     grant_type=refresh_token, the client authenticated as the platform's
//     AuthSpec says (form body or HTTP Basic); {"access_token",
//     "expires_in"} back (RFC 6749 §5.1).
//   - Google service-account key: an RS256 JWT assertion {iss: client_email,
//     scope, aud: token_uri, iat, exp: iat + 1 h} POSTed to the key file's
//     token_uri with grant_type urn:ietf:params:oauth:grant-type:jwt-bearer
//     (RFC 7523).
//   - App Store Connect key: an ES256 JWT {iss: issuer_id, iat, exp,
//     aud: "appstoreconnect-v1"} with kid = key_id, made here (no request);
//     it lives `app_store_lifetime` (<= 20 min, Apple's limit).
// The token endpoint is an outbound destination like any other: the HTTP
// client given here applies the server's outbound policy to it.
//
// Refresh-token rotation: when the token endpoint answers a new
// refresh_token (Allegro's are single use), the cache uses it from then on
// (also when a caller still passes the spent one) and hands it to
// TokenCacheOptions::on_rotated to be stored.
//
// One cache entry per collector (its key: CollectorTokenKey). A token is
// reused until it expires within the refresh margin, or until Invalidate
// after a 401. Single-flight: at most one refresh per collector at a time;
// callers that need a token meanwhile wait for that refresh's outcome. A
// failed refresh is remembered with exponential back-off (initial_backoff
// doubling to max_backoff): until it passed, Headers answers the same
// error without calling the token endpoint, so a revoked refresh token
// never turns into a hot loop. Changed credentials (a new fingerprint)
// start afresh.
//
// Errors of Headers (messages name the token endpoint's origin and the
// OAuth error code, never a secret or what else the endpoint sent):
//   UNAUTHENTICATED     the token endpoint rejected the credentials (400
//                       invalid_grant / invalid_client / ..., 401, 403):
//                       a person must give new ones;
//   UNAVAILABLE         it could not be reached, timed out, 5xx or 429;
//   FAILED_PRECONDITION its answer had no access_token, the destination is
//                       not allowed (outbound policy), or the key does not
//                       sign (a malformed key file or PEM);
//   CANCELLED           the call was cancelled (shutdown).
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_TOKEN_CACHE_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_TOKEN_CACHE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/core/collectors/auth_kind.h"
#include "service/core/collectors/platform.h"
#include "service/core/util/clock.h"
#include "service/core/util/http_client.h"

namespace opinia::core::collectors {

struct TokenCacheOptions {
  // Refresh a token that expires within this (at most half its lifetime).
  absl::Duration refresh_margin = absl::Minutes(5);
  // After a failed refresh: no new attempt for initial_backoff, doubling
  // with each further failure up to max_backoff.
  absl::Duration initial_backoff = absl::Seconds(30);
  absl::Duration max_backoff = absl::Hours(1);
  // App Store Connect tokens: Apple refuses an exp more than 20 minutes
  // after iat.
  absl::Duration app_store_lifetime = absl::Minutes(19);
  // A token endpoint's answer without expires_in lives this long.
  absl::Duration default_lifetime = absl::Hours(1);
  HttpCallOptions call{absl::Seconds(5), absl::Seconds(20), 64 << 10, {}};
  // A token endpoint that rotates refresh tokens (Allegro's are single
  // use) answers a new "refresh_token": called with the cache key, the
  // spent token and the new one, to store it (StoreRotatedRefreshToken in
  // collectors.h); the cache uses the new one from then on either way.
  std::function<absl::Status(const std::string& key, const std::string& old,
                             const std::string& fresh)>
      on_rotated;
};

// What validation can tell of a renewable kind before using it
// (INVALID_ARGUMENT naming `field["key"]`): a token_endpoint, or a key
// file's token_uri, must be an http(s) URL the outbound policy does not
// refuse; a service-account key file must be JSON with client_email and an
// RSA private_key; an App Store Connect private_key must be an EC P-256
// PEM key.
absl::Status CheckAuthCredentials(const Platform& platform,
                                  const Credentials& credentials,
                                  const OutboundPolicy& outbound,
                                  std::string_view field);

// The cache key of collector `collector_name` ("collectors/{id}") of
// `tenant_id`: "{tenant_id}/collectors/{id}"; ParseCollectorTokenKey
// splits it (false when it is not one).
std::string CollectorTokenKey(std::string_view tenant_id,
                              std::string_view collector_name);
bool ParseCollectorTokenKey(const std::string& key, std::string* tenant_id,
                            std::string* collector_name);

// Thread-safe; `http` and `clock` must outlive it.
class TokenCache {
 public:
  TokenCache(HttpClient* http, const Clock* clock,
             TokenCacheOptions options = {})
      : http_(http), clock_(clock), options_(options) {}

  // The credentials of a request of collector `key` to `platform`: as
  // given, with "bearer_token" set to the current access token for a
  // renewable kind (refreshed first when there is none, it is about to
  // expire, or it was invalidated). What a platform builds its headers
  // from (Platform::RequestHeaders, and the reply requests' headers).
  absl::StatusOr<Credentials> Resolve(const std::string& key,
                                      const Platform& platform,
                                      const Credentials& credentials);
  // Platform::RequestHeaders of Resolve's credentials.
  absl::StatusOr<HttpHeaders> Headers(const std::string& key,
                                      const Platform& platform,
                                      const Credentials& credentials);

  // After a 401 answer to a request sent with `used` (from Headers): drops
  // the cached token when it is still the one `used` carried, so the next
  // Headers gets a fresh one; concurrent 401s of one token cause one
  // refresh. True when a retry with fresh headers may help (the
  // credentials are renewable); false for a static bearer_token.
  bool Invalidate(const std::string& key, const Platform& platform,
                  const Credentials& credentials, const HttpHeaders& used);

  // Token requests sent and JWTs made so far (all collectors).
  int64_t refreshes() const;

 private:
  struct Entry;
  struct Token {
    std::string access_token;
    absl::Time expires;
    std::string refresh_token;  // a rotated one; "" = unchanged
  };
  std::shared_ptr<Entry> EntryFor(const std::string& key);
  // One refresh, without the entry's lock.
  absl::StatusOr<Token> Fetch(AuthKind kind, const Platform& platform,
                              const Credentials& credentials);
  absl::StatusOr<Token> FetchOAuth(const Platform& platform,
                                   const Credentials& credentials);
  absl::StatusOr<Token> FetchServiceAccount(const Platform& platform,
                                            const Credentials& credentials);
  absl::StatusOr<Token> MakeAppStoreToken(const Credentials& credentials);
  // POSTs a form to a token endpoint and reads {"access_token",
  // "expires_in"}.
  absl::StatusOr<Token> PostForTokens(const std::string& endpoint,
                                      const HttpHeaders& headers,
                                      const std::string& form,
                                      const char* what);
  absl::Duration Backoff(int failures) const;

  HttpClient* const http_;
  const Clock* const clock_;
  const TokenCacheOptions options_;

  mutable absl::Mutex mutex_;
  absl::flat_hash_map<std::string, std::shared_ptr<Entry>> entries_
      ABSL_GUARDED_BY(mutex_);
  int64_t refreshes_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_TOKEN_CACHE_H_
