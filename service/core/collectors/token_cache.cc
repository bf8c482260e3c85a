#include "service/core/collectors/token_cache.h"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "service/core/collectors/format_util.h"
#include "service/core/collectors/json_value.h"
#include "service/core/util/absl_sv.h"
#include "service/core/util/crypto.h"
#include "service/core/util/jwt.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

constexpr char kJwtBearerGrant[] =
    "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr char kAppStoreAudience[] = "appstoreconnect-v1";

// RFC 6749 §5.2 error codes: a fixed vocabulary, safe to show.
bool OAuthErrorCode(const std::string& code) {
  static const char* const kCodes[] = {
      "invalid_request",        "invalid_client", "invalid_grant",
      "unauthorized_client",    "unsupported_grant_type",
      "invalid_scope"};
  for (const char* c : kCodes) {
    if (code == c) return true;
  }
  return false;
}

std::string Origin(const std::string& url) {
  absl::StatusOr<HttpUrl> parsed = ParseHttpUrl(url);
  return parsed.ok() ? parsed->Origin() : std::string("(not a valid URL)");
}

// A stable digest of the credentials (the map's order is not).
std::string Fingerprint(const Credentials& credentials) {
  std::map<std::string, std::string> sorted(credentials.begin(),
                                            credentials.end());
  std::string all;
  for (const auto& [k, v] : sorted) {
    absl::StrAppend(&all, k.size(), ":", k, v.size(), ":", v);
  }
  return Sha256(all);
}

std::string JsonText(const google::protobuf::Struct& s) {
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(s, &out);
  return out;
}

void Put(google::protobuf::Struct& s, const char* key, std::string value) {
  (*s.mutable_fields())[key].set_string_value(std::move(value));
}
void Put(google::protobuf::Struct& s, const char* key, absl::Time t) {
  (*s.mutable_fields())[key].set_number_value(
      static_cast<double>(absl::ToUnixSeconds(t)));
}

std::string Form(std::initializer_list<std::pair<const char*, std::string>>
                     fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    absl::StrAppend(&out, out.empty() ? "" : "&", k, "=", UrlEncode(v));
  }
  return out;
}

// A Google service-account key file's fields.
struct ServiceAccountKey {
  std::string client_email;
  std::string private_key;
  std::string private_key_id;
  std::string token_uri;
};

absl::StatusOr<ServiceAccountKey> ParseServiceAccountKey(
    const std::string& json) {
  absl::StatusOr<JsonValue> doc = ParseJson(json);
  if (!doc.ok() || !doc->has_struct_value()) {
    return absl::InvalidArgumentError(
        "not a service-account key file (a JSON object)");
  }
  ServiceAccountKey key{TextAt(*doc, "client_email"),
                        TextAt(*doc, "private_key"),
                        TextAt(*doc, "private_key_id"),
                        TextAt(*doc, "token_uri")};
  if (key.token_uri.empty()) key.token_uri = kGoogleTokenEndpoint;
  for (auto [name, value] : {std::pair{"client_email", &key.client_email},
                             std::pair{"private_key", &key.private_key}}) {
    if (value->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("the key file has no \"", name, "\""));
    }
  }
  return key;
}

}  // namespace

struct TokenCache::Entry {
  absl::Mutex mutex;
  std::string fingerprint ABSL_GUARDED_BY(mutex);
  // The refresh token to use: the given one, or the one a rotating token
  // endpoint (Allegro) returned in its place; `spent` are those it
  // replaced (callers may still hold credentials with one of them).
  std::string refresh_token ABSL_GUARDED_BY(mutex);
  std::set<std::string> spent ABSL_GUARDED_BY(mutex);
  std::string access_token ABSL_GUARDED_BY(mutex);  // "" = none
  absl::Time refresh_at ABSL_GUARDED_BY(mutex);
  bool refreshing ABSL_GUARDED_BY(mutex) = false;
  absl::Status failure ABSL_GUARDED_BY(mutex);
  absl::Time retry_at ABSL_GUARDED_BY(mutex);
  int failures ABSL_GUARDED_BY(mutex) = 0;
};

absl::Status CheckAuthCredentials(const Platform& platform,
                                  const Credentials& credentials,
                                  const OutboundPolicy& outbound,
                                  std::string_view field_sv) {
  const std::string field(field_sv);
  auto named = [&field](const char* key) {
    return absl::StrCat(field, "[\"", key, "\"]");
  };
  auto check_url = [&](const std::string& url, const std::string& where) {
    if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": an http:// or https:// URL"));
    }
    return outbound.CheckUrl(url, where);
  };
  if (const std::string e = Cred(credentials, "token_endpoint"); !e.empty()) {
    RETURN_IF_ERROR(check_url(e, named("token_endpoint")));
  }
  if (const std::string json = Cred(credentials, "service_account_json");
      !json.empty()) {
    absl::StatusOr<ServiceAccountKey> key = ParseServiceAccountKey(json);
    if (!key.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          named("service_account_json"), ": ", key.status().message()));
    }
    if (absl::Status s = CheckJwtKey(JwtAlgorithm::kRs256, key->private_key);
        !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          named("service_account_json"), ": private_key: ", s.message()));
    }
    RETURN_IF_ERROR(check_url(
        key->token_uri, absl::StrCat(named("service_account_json"),
                                     ": token_uri")));
  }
  if (AuthKindOf(platform.auth(), credentials) ==
      AuthKind::kAppStoreConnectKey) {
    if (absl::Status s = CheckJwtKey(JwtAlgorithm::kEs256,
                                     Cred(credentials, "private_key"));
        !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(named("private_key"), ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

std::string CollectorTokenKey(std::string_view tenant_id,
                              std::string_view collector_name) {
  return absl::StrCat(Av(tenant_id), "/", Av(collector_name));
}

bool ParseCollectorTokenKey(const std::string& key, std::string* tenant_id,
                            std::string* collector_name) {
  const size_t at = key.rfind("/collectors/");
  if (at == std::string::npos || at == 0) return false;
  *tenant_id = key.substr(0, at);
  *collector_name = key.substr(at + 1);
  return true;
}

std::shared_ptr<TokenCache::Entry> TokenCache::EntryFor(
    const std::string& key) {
  absl::MutexLock lock(&mutex_);
  std::shared_ptr<Entry>& e = entries_[key];
  if (e == nullptr) e = std::make_shared<Entry>();
  return e;
}

int64_t TokenCache::refreshes() const {
  absl::MutexLock lock(&mutex_);
  return refreshes_;
}

absl::Duration TokenCache::Backoff(int failures) const {
  absl::Duration d = options_.initial_backoff;
  for (int i = 1; i < failures && d < options_.max_backoff; ++i) d *= 2;
  return std::min(d, options_.max_backoff);
}

absl::StatusOr<HttpHeaders> TokenCache::Headers(
    const std::string& key, const Platform& platform,
    const Credentials& credentials) {
  ASSIGN_OR_RETURN(Credentials resolved,
                   Resolve(key, platform, credentials));
  return platform.RequestHeaders(resolved);
}

absl::StatusOr<Credentials> TokenCache::Resolve(
    const std::string& key, const Platform& platform,
    const Credentials& credentials) {
  const std::optional<AuthKind> kind = AuthKindOf(platform.auth(), credentials);
  if (!kind.has_value() || !Renewable(*kind)) return credentials;
  Credentials rest = credentials;  // the fingerprint: all but the
  rest.erase("refresh_token");      // refresh token, which may rotate
  const std::string fingerprint = Fingerprint(rest);
  const std::string given_refresh = Cred(credentials, "refresh_token");
  std::shared_ptr<Entry> e = EntryFor(key);
  absl::MutexLock lock(&e->mutex);
  auto idle = [&e]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(e->mutex) {
    return !e->refreshing;
  };
  while (true) {
    e->mutex.Await(absl::Condition(&idle));
    const bool new_refresh = given_refresh != e->refresh_token &&
                             e->spent.count(given_refresh) == 0;
    if (e->fingerprint != fingerprint || new_refresh) {  // new credentials
      if (e->fingerprint != fingerprint) e->spent.clear();
      e->fingerprint = fingerprint;
      e->refresh_token = given_refresh;
      e->access_token.clear();
      e->failure = absl::OkStatus();
      e->failures = 0;
    }
    const absl::Time now = clock_->Now();
    if (!e->access_token.empty() && now < e->refresh_at) break;
    if (!e->failure.ok() && now < e->retry_at) {
      return absl::Status(
          e->failure.code(),
          absl::StrCat(e->failure.message(), " (next attempt after ",
                       absl::FormatTime(absl::RFC3339_sec, e->retry_at,
                                        absl::UTCTimeZone()),
                       ")"));
    }
    e->refreshing = true;
    Credentials use = credentials;
    const std::string used_refresh = e->refresh_token;
    if (!used_refresh.empty()) use["refresh_token"] = used_refresh;
    e->mutex.Unlock();
    absl::StatusOr<Token> fetched = Fetch(*kind, platform, use);
    const bool rotated = fetched.ok() && !fetched->refresh_token.empty() &&
                         fetched->refresh_token != used_refresh;
    if (rotated && options_.on_rotated) {
      // The old one is spent: store the new one before anyone needs it.
      (void)options_.on_rotated(key, used_refresh, fetched->refresh_token);
    }
    e->mutex.Lock();
    e->refreshing = false;
    if (e->fingerprint != fingerprint) continue;  // changed meanwhile
    const absl::Time after = clock_->Now();
    if (!fetched.ok()) {
      if (absl::IsCancelled(fetched.status())) return fetched.status();
      ++e->failures;
      e->failure = fetched.status();
      e->retry_at = after + Backoff(e->failures);
      return fetched.status();
    }
    if (rotated) {
      e->spent.insert(used_refresh);
      e->refresh_token = fetched->refresh_token;
    }
    const absl::Duration life = fetched->expires - after;
    e->access_token = fetched->access_token;
    e->refresh_at =
        fetched->expires - std::min(options_.refresh_margin, life / 2);
    e->failure = absl::OkStatus();
    e->failures = 0;
    break;
  }
  Credentials with_token = credentials;
  with_token["bearer_token"] = e->access_token;
  return with_token;
}

bool TokenCache::Invalidate(const std::string& key, const Platform& platform,
                            const Credentials& credentials,
                            const HttpHeaders& used) {
  const std::optional<AuthKind> kind = AuthKindOf(platform.auth(), credentials);
  if (!kind.has_value() || !Renewable(*kind)) return false;
  std::string sent;
  for (const auto& [name, value] : used) {
    if (absl::AsciiStrToLower(name) == "authorization") sent = value;
  }
  std::shared_ptr<Entry> e = EntryFor(key);
  absl::MutexLock lock(&e->mutex);
  if (!e->access_token.empty() &&
      sent == absl::StrCat("Bearer ", e->access_token)) {
    e->access_token.clear();
  }
  return true;
}

absl::StatusOr<TokenCache::Token> TokenCache::Fetch(
    AuthKind kind, const Platform& platform, const Credentials& credentials) {
  {
    absl::MutexLock lock(&mutex_);
    ++refreshes_;
  }
  switch (kind) {
    case AuthKind::kOAuthRefreshToken:
      return FetchOAuth(platform, credentials);
    case AuthKind::kGoogleServiceAccount:
      return FetchServiceAccount(platform, credentials);
    case AuthKind::kAppStoreConnectKey:
      return MakeAppStoreToken(credentials);
    case AuthKind::kBearerToken:
      break;
  }
  return absl::InternalError("not a renewable kind of credentials");
}

absl::StatusOr<TokenCache::Token> TokenCache::FetchOAuth(
    const Platform& platform, const Credentials& credentials) {
  std::string endpoint = Cred(credentials, "token_endpoint");
  if (endpoint.empty()) endpoint = std::string(platform.auth().token_endpoint);
  const std::string client_id = Cred(credentials, "client_id");
  const std::string secret = Cred(credentials, "client_secret");
  HttpHeaders headers;
  std::string form;
  if (platform.auth().client_auth == OAuthClientAuth::kBasic) {
    // RFC 6749 §2.3.1: both form-encoded before the Basic encoding.
    headers.emplace_back(
        "Authorization",
        absl::StrCat("Basic ", absl::Base64Escape(absl::StrCat(
                                   UrlEncode(client_id), ":",
                                   UrlEncode(secret)))));
    form = Form({{"grant_type", "refresh_token"},
                 {"refresh_token", Cred(credentials, "refresh_token")}});
  } else {
    form = Form({{"grant_type", "refresh_token"},
                 {"refresh_token", Cred(credentials, "refresh_token")},
                 {"client_id", client_id},
                 {"client_secret", secret}});
  }
  if (const std::string r = Cred(credentials, "redirect_uri"); !r.empty()) {
    absl::StrAppend(&form, "&redirect_uri=", UrlEncode(r));
  }
  return PostForTokens(endpoint, headers, form,
                       AuthKindName(AuthKind::kOAuthRefreshToken));
}

absl::StatusOr<TokenCache::Token> TokenCache::FetchServiceAccount(
    const Platform& platform, const Credentials& credentials) {
  absl::StatusOr<ServiceAccountKey> key =
      ParseServiceAccountKey(Cred(credentials, "service_account_json"));
  if (!key.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "credentials[\"service_account_json\"]: ", key.status().message()));
  }
  const absl::Time now = clock_->Now();
  google::protobuf::Struct header, claims;
  Put(header, "alg", "RS256");
  Put(header, "typ", "JWT");
  if (!key->private_key_id.empty()) Put(header, "kid", key->private_key_id);
  Put(claims, "iss", key->client_email);
  Put(claims, "scope", std::string(platform.auth().scope));
  Put(claims, "aud", key->token_uri);
  Put(claims, "iat", now);
  Put(claims, "exp", now + absl::Hours(1));
  absl::StatusOr<std::string> jwt = SignJwt(
      JwtAlgorithm::kRs256, key->private_key, JsonText(header),
      JsonText(claims));
  if (!jwt.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("credentials[\"service_account_json\"]: private_key: ",
                     jwt.status().message()));
  }
  return PostForTokens(
      key->token_uri, {},
      Form({{"grant_type", kJwtBearerGrant}, {"assertion", *jwt}}),
      AuthKindName(AuthKind::kGoogleServiceAccount));
}

absl::StatusOr<TokenCache::Token> TokenCache::MakeAppStoreToken(
    const Credentials& credentials) {
  const absl::Time now = clock_->Now();
  const absl::Duration life =
      std::min(options_.app_store_lifetime, absl::Minutes(20));
  google::protobuf::Struct header, claims;
  Put(header, "alg", "ES256");
  Put(header, "kid", Cred(credentials, "key_id"));
  Put(header, "typ", "JWT");
  Put(claims, "iss", Cred(credentials, "issuer_id"));
  Put(claims, "iat", now);
  Put(claims, "exp", now + life);
  Put(claims, "aud", kAppStoreAudience);
  absl::StatusOr<std::string> jwt =
      SignJwt(JwtAlgorithm::kEs256, Cred(credentials, "private_key"),
              JsonText(header), JsonText(claims));
  if (!jwt.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "credentials[\"private_key\"]: ", jwt.status().message()));
  }
  return Token{*std::move(jwt), now + life, ""};
}

absl::StatusOr<TokenCache::Token> TokenCache::PostForTokens(
    const std::string& endpoint, const HttpHeaders& extra,
    const std::string& form, const char* what) {
  const std::string where = absl::StrCat("token endpoint ", Origin(endpoint));
  HttpHeaders headers = {
      {"Content-Type", "application/x-www-form-urlencoded"},
      {"Accept", "application/json"}};
  headers.insert(headers.end(), extra.begin(), extra.end());
  absl::StatusOr<HttpResult> result =
      http_->Post(endpoint, headers, form, options_.call);
  if (!result.ok()) {
    const absl::Status& s = result.status();
    if (absl::IsPermissionDenied(s) || absl::IsInvalidArgument(s)) {
      return absl::FailedPreconditionError(
          absl::StrCat(where, ": ", s.message()));
    }
    if (absl::IsCancelled(s)) return s;
    return absl::UnavailableError(absl::StrCat(where, ": ", s.message()));
  }
  const int status = result->status;
  absl::StatusOr<JsonValue> doc = ParseJson(result->body);
  const std::string error = doc.ok() ? TextAt(*doc, "error") : "";
  if (status == 429 || status >= 500) {
    return absl::UnavailableError(
        absl::StrCat(where, ": HTTP ", status, "; will try again"));
  }
  if (status == 400 || status == 401 || status == 403) {
    return absl::UnauthenticatedError(absl::StrCat(
        where, " rejected the ", what, " (HTTP ", status,
        OAuthErrorCode(error) ? absl::StrCat(" ", error) : std::string(),
        "); give the collector new credentials"));
  }
  if (status < 200 || status >= 300) {
    return absl::FailedPreconditionError(
        absl::StrCat(where, ": HTTP ", status));
  }
  const std::string token = doc.ok() ? TextAt(*doc, "access_token") : "";
  if (token.empty() || token.find_first_of("\r\n") != std::string::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat(where, ": the answer has no access_token"));
  }
  absl::Duration life = options_.default_lifetime;
  if (const std::optional<std::string> s =
          ScalarText(FindPath(*doc, "expires_in"))) {
    int64_t seconds = 0;
    if (absl::SimpleAtoi(*s, &seconds) && seconds > 0) {
      life = absl::Seconds(seconds);
    }
  }
  std::string refresh = TextAt(*doc, "refresh_token");
  if (refresh.find_first_of("\r\n") != std::string::npos) refresh.clear();
  return Token{token, clock_->Now() + life, std::move(refresh)};
}

}  // namespace opinia::core::collectors
