// The platform registry: one platform per CollectorKind, found by kind, and
// what each asks of HTTP (URLs, headers) and of a collector's credentials.
#include <map>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "service/core/collectors/platform.h"

namespace opinia::core::collectors {
namespace {

using opinia::v1::CollectorKind;

TEST(RegistryTest, EveryKindHasExactlyOnePlatform) {
  std::map<int, int> registered;
  for (const auto& p : BuiltinPlatforms()) ++registered[p->kind()];
  const auto* kinds = opinia::v1::CollectorKind_descriptor();
  for (int i = 0; i < kinds->value_count(); ++i) {
    const auto kind = static_cast<CollectorKind>(kinds->value(i)->number());
    const std::string name = kinds->value(i)->name();
    if (kind == opinia::v1::COLLECTOR_KIND_UNSPECIFIED) {
      EXPECT_EQ(registered[kind], 0) << name;
      continue;
    }
    EXPECT_EQ(registered[kind], 1) << name;
    auto platform = PlatformFor(kind);
    ASSERT_TRUE(platform.ok()) << name << ": " << platform.status();
    EXPECT_EQ((*platform)->kind(), kind) << name;
    EXPECT_FALSE((*platform)->name().empty()) << name;
  }
  EXPECT_EQ(AllPlatforms().size(),
            static_cast<size_t>(kinds->value_count() - 1));
}

TEST(RegistryTest, UnknownKindIsInvalidArgument) {
  for (int kind : {0, 99, -1}) {
    auto platform = PlatformFor(static_cast<CollectorKind>(kind));
    EXPECT_EQ(platform.status().code(), absl::StatusCode::kInvalidArgument)
        << kind;
    EXPECT_NE(platform.status().message().find("TRUSTPILOT"), std::string::npos)
        << "lists the known kinds: " << platform.status();
  }
}

TEST(RegistryTest, KindNames) {
  EXPECT_EQ(KindNames([](const Platform&) { return true; }, "or"),
            "GOOGLE_BUSINESS_PROFILE, TRUSTPILOT, JSON_FEED, CSV_FEED, "
            "GOOGLE_PLAY, APP_STORE_CONNECT or ALLEGRO");
  EXPECT_EQ(
      KindNames([](const Platform& p) { return p.uses_mapping(); }, "and"),
      "JSON_FEED and CSV_FEED");
}

const Platform& Of(CollectorKind kind) { return **PlatformFor(kind); }

TEST(PlatformRequestsTest, FirstAndNextPageUrls) {
  const struct {
    CollectorKind kind;
    std::string endpoint, first;
    std::string current, next, next_url;
  } cases[] = {
      {opinia::v1::GOOGLE_BUSINESS_PROFILE, "https://g/v4/a/reviews?orderBy=x",
       "https://g/v4/a/reviews?pageSize=50&orderBy=updateTime%20desc",
       "https://g/r?pageSize=50&pageToken=old", "tok/2+",
       "https://g/r?pageSize=50&pageToken=tok%2F2%2B"},
      {opinia::v1::TRUSTPILOT, "https://t/v1/b/reviews?page=3&x=1",
       "https://t/v1/b/reviews?x=1&perPage=100&orderBy=createdat.desc",
       "https://t/v1/b/reviews?page=1", "https://t/v1/b/reviews?page=2",
       "https://t/v1/b/reviews?page=2"},
      {opinia::v1::JSON_FEED, "https://f/a/feed.json?k=1",
       "https://f/a/feed.json?k=1", "https://f/a/feed.json?p=1", "/b?p=2",
       "https://f/b?p=2"},
      {opinia::v1::JSON_FEED, "", "", "https://f/a/feed.json?p=1", "?p=2",
       "https://f/a/feed.json?p=2"},
      {opinia::v1::CSV_FEED, "https://f/x.csv", "https://f/x.csv",
       "https://f/a/x.csv", "y.csv", "https://f/a/y.csv"},
      {opinia::v1::GOOGLE_PLAY,
       "https://p/androidpublisher/v3/applications/pl.app/reviews?token=x",
       "https://p/androidpublisher/v3/applications/pl.app/reviews?"
       "maxResults=100",
       "https://p/a/reviews?maxResults=100&token=old", "tok/2+",
       "https://p/a/reviews?maxResults=100&token=tok%2F2%2B"},
      {opinia::v1::APP_STORE_CONNECT,
       "https://a/v1/apps/1/customerReviews?limit=5",
       "https://a/v1/apps/1/customerReviews?sort=-createdDate&limit=200&"
       "include=response",
       "https://a/v1/apps/1/customerReviews?limit=200",
       "https://a/v1/apps/1/customerReviews?cursor=Mg.AAA&limit=200",
       "https://a/v1/apps/1/customerReviews?cursor=Mg.AAA&limit=200"},
      // Allegro: keyset on lastChangedAt; the next key is "<count> <time>".
      {opinia::v1::ALLEGRO,
       "https://a/sale/user-ratings?recommended=false&offset=7&limit=5",
       "https://a/sale/user-ratings?recommended=false&limit=100",
       "https://a/sale/user-ratings?recommended=false&limit=100",
       "2 2026-10-01T10:00:00.123Z",
       "https://a/sale/user-ratings?recommended=false&limit=100&offset=2&"
       "lastChangedAt.lte=2026-10-01T10%3A00%3A00.123Z"},
      // A page wholly at the bound moves the offset on, same bound.
      {opinia::v1::ALLEGRO, "", "",
       "https://a/sale/user-ratings?limit=100&offset=2&"
       "lastChangedAt.lte=2026-10-01T10%3A00%3A00.123Z",
       "100 2026-10-01T10:00:00.123Z",
       "https://a/sale/user-ratings?limit=100&offset=102&"
       "lastChangedAt.lte=2026-10-01T10%3A00%3A00.123Z"},
      // An older last time starts a new bound.
      {opinia::v1::ALLEGRO, "", "",
       "https://a/sale/user-ratings?limit=100&offset=2&"
       "lastChangedAt.lte=2026-10-01T10%3A00%3A00.123Z",
       "1 2026-09-30T08:00:00Z",
       "https://a/sale/user-ratings?limit=100&offset=1&"
       "lastChangedAt.lte=2026-09-30T08%3A00%3A00Z"},
      // Ratings without lastChangedAt: plain offset paging.
      {opinia::v1::ALLEGRO, "", "", "https://a/sale/user-ratings?limit=100",
       "100 ", "https://a/sale/user-ratings?limit=100&offset=100"},
  };
  for (const auto& c : cases) {
    const std::string kind = opinia::v1::CollectorKind_Name(c.kind);
    if (!c.endpoint.empty()) {
      EXPECT_EQ(Of(c.kind).FirstPageUrl(c.endpoint), c.first) << kind;
    }
    EXPECT_EQ(Of(c.kind).NextPageUrl(c.current, c.next), c.next_url) << kind;
  }
}

TEST(PlatformRequestsTest, CredentialHeaders) {
  const struct {
    CollectorKind kind;
    std::map<std::string, std::string> credentials;
    HttpHeaders headers;
  } cases[] = {
      {opinia::v1::GOOGLE_BUSINESS_PROFILE,
       {{"bearer_token", "t"}},
       {{"Accept", "application/json"}, {"Authorization", "Bearer t"}}},
      {opinia::v1::TRUSTPILOT,
       {{"api_key", "k"}, {"bearer_token", "t"}},
       {{"Accept", "application/json"},
        {"Authorization", "Bearer t"},
        {"apikey", "k"}}},
      {opinia::v1::JSON_FEED,
       {{"api_key", "k"}},
       {{"Accept", "application/json"}, {"X-Api-Key", "k"}}},
      {opinia::v1::CSV_FEED,
       {{"api_key", "k"},
        {"api_key_header", "X-Key"},
        {"username", "user"},
        {"password", "pass"}},
       {{"Accept", "text/csv, */*"},
        {"X-Key", "k"},
        {"Authorization", "Basic dXNlcjpwYXNz"}}},
      {opinia::v1::ALLEGRO,
       {{"bearer_token", "t"}},
       {{"Accept", "application/vnd.allegro.public.v1+json"},
        {"Authorization", "Bearer t"}}},
  };
  for (const auto& c : cases) {
    const Credentials creds(c.credentials.begin(), c.credentials.end());
    EXPECT_EQ(Of(c.kind).RequestHeaders(creds), c.headers)
        << opinia::v1::CollectorKind_Name(c.kind);
  }
}

TEST(PlatformValidationTest, CredentialsNameTheKey) {
  const struct {
    CollectorKind kind;
    std::map<std::string, std::string> credentials;
    const char* error;  // nullptr = valid
  } cases[] = {
      {opinia::v1::GOOGLE_BUSINESS_PROFILE, {{"bearer_token", "t"}}, nullptr},
      {opinia::v1::GOOGLE_BUSINESS_PROFILE, {}, "[\"bearer_token\"]: required"},
      {opinia::v1::GOOGLE_BUSINESS_PROFILE,
       {{"bearer_token", "t"}, {"api_key", "k"}},
       "[\"api_key\"]: not used by GOOGLE_BUSINESS_PROFILE"},
      {opinia::v1::TRUSTPILOT, {{"bearer_token", "t"}}, "[\"api_key\"]"},
      {opinia::v1::TRUSTPILOT, {{"api_key", "a\nb"}}, "line break"},
      {opinia::v1::JSON_FEED, {}, nullptr},
      {opinia::v1::CSV_FEED, {{"username", "u"}}, "go together"},
      {opinia::v1::GOOGLE_BUSINESS_PROFILE,
       {{"client_id", "i"}, {"client_secret", "s"}, {"refresh_token", "r"}},
       nullptr},
      {opinia::v1::GOOGLE_BUSINESS_PROFILE,
       {{"client_id", "i"}, {"refresh_token", "r"}},
       "[\"client_secret\"]: required with an OAuth 2.0 refresh token"},
      {opinia::v1::GOOGLE_PLAY, {}, "[\"service_account_json\"]: required"},
      {opinia::v1::GOOGLE_PLAY, {{"service_account_json", "{\n}"}}, nullptr},
      {opinia::v1::GOOGLE_PLAY,
       {{"service_account_json", "{}"}, {"bearer_token", "t"}},
       "[\"bearer_token\"]: not used with a"},
      {opinia::v1::APP_STORE_CONNECT,
       {{"issuer_id", "i"}, {"key_id", "k"}, {"private_key", "-----\nK"}},
       nullptr},
      {opinia::v1::APP_STORE_CONNECT,
       {{"issuer_id", "i"}, {"key_id", "k\n"}, {"private_key", "K"}},
       "[\"key_id\"]: empty or contains a line break"},
      {opinia::v1::APP_STORE_CONNECT,
       {{"issuer_id", "i"}, {"private_key", "K"}},
       "[\"key_id\"]: required"},
      {opinia::v1::ALLEGRO, {}, "[\"bearer_token\"]: required for ALLEGRO"},
      {opinia::v1::ALLEGRO,
       {{"bearer_token", "t"}, {"api_key", "k"}},
       "[\"api_key\"]: not used by ALLEGRO"},
  };
  for (const auto& c : cases) {
    Credentials creds(c.credentials.begin(), c.credentials.end());
    absl::Status s = Of(c.kind).ValidateCredentials(creds, "c.credentials");
    if (c.error == nullptr) {
      EXPECT_TRUE(s.ok()) << s;
      continue;
    }
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.error;
    EXPECT_NE(s.message().find("c.credentials"), std::string::npos) << s;
    EXPECT_NE(s.message().find(c.error), std::string::npos) << s;
  }
}

TEST(PlatformValidationTest, AllegroEndpointIsTheRatingsList) {
  const Platform& allegro = Of(opinia::v1::ALLEGRO);
  EXPECT_TRUE(allegro.ValidateEndpoint("https://api.allegro.pl/sale/user-ratings",
                                       "c.endpoint")
                  .ok());
  EXPECT_TRUE(allegro
                  .ValidateEndpoint("https://api.allegro.pl.allegrosandbox.pl/"
                                    "sale/user-ratings?recommended=false",
                                    "c.endpoint")
                  .ok());
  absl::Status s =
      allegro.ValidateEndpoint("https://api.allegro.pl/sale/offers", "c.endpoint");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("c.endpoint: the ratings list URL", 0), 0u) << s;
}

TEST(PlatformValidationTest, MappingOnlyForFeeds) {
  const FeedMapping mapping = {{"external_id", "id"}};
  EXPECT_EQ(Of(opinia::v1::TRUSTPILOT)
                .ValidateMapping(mapping, "c.mapping")
                .message(),
            "c.mapping: only for JSON_FEED and CSV_FEED");
  EXPECT_TRUE(Of(opinia::v1::TRUSTPILOT).ValidateMapping({}, "m").ok());
  EXPECT_TRUE(Of(opinia::v1::CSV_FEED).ValidateMapping(mapping, "m").ok());
  EXPECT_NE(Of(opinia::v1::JSON_FEED)
                .ValidateMapping({}, "c.mapping")
                .message()
                .find("c.mapping: required for feeds"),
            std::string::npos);
}

}  // namespace
}  // namespace opinia::core::collectors
