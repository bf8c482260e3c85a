#include "service/cli/collectors_flags.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "service/cli/connection.h"
#include "util/status_macros.h"

namespace opinia::cli {

namespace {

// The collector kinds on the command line: the first name is the one shown,
// the others are accepted too. One row per CollectorKind (but UNSPECIFIED).
struct KindFlag {
  opinia::v1::CollectorKind kind;
  std::vector<const char*> names;
};

const std::vector<KindFlag>& KindFlags() {
  static const auto* const kKinds = new std::vector<KindFlag>{
      {opinia::v1::GOOGLE_BUSINESS_PROFILE, {"gbp", "google"}},
      {opinia::v1::TRUSTPILOT, {"trustpilot"}},
      {opinia::v1::JSON_FEED, {"json"}},
      {opinia::v1::CSV_FEED, {"csv"}},
      {opinia::v1::GOOGLE_PLAY, {"play", "google-play"}},
      {opinia::v1::APP_STORE_CONNECT, {"appstore", "app-store"}},
      {opinia::v1::ALLEGRO, {"allegro"}},
  };
  return *kKinds;
}

}  // namespace

absl::StatusOr<opinia::v1::CollectorKind> ParseKind(const std::string& text,
                                                    const char* flag) {
  std::vector<std::string> shown;
  for (const KindFlag& k : KindFlags()) {
    for (const char* name : k.names) {
      if (text == name) return k.kind;
    }
    shown.push_back(k.names.front());
  }
  const std::string last = shown.back();
  shown.pop_back();
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, ": ", absl::StrJoin(shown, ", "), " or ", last,
                   ", got \"", text, "\""));
}

std::string KindFlagName(opinia::v1::CollectorKind kind) {
  for (const KindFlag& k : KindFlags()) {
    if (k.kind == kind) return k.names.front();
  }
  return "?";
}

std::string KindFlagNames() {
  std::vector<std::string> shown;
  for (const KindFlag& k : KindFlags()) shown.push_back(k.names.front());
  return absl::StrJoin(shown, "|");
}

absl::StatusOr<std::map<std::string, std::string>> ParseMapping(
    const std::string& text) {
  std::map<std::string, std::string> mapping;
  for (absl::string_view pair : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    const size_t eq = pair.find('=');
    if (eq == absl::string_view::npos || eq == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--mapping: expected key=path pairs separated by commas, got \"",
          pair, "\""));
    }
    mapping[std::string(pair.substr(0, eq))] = std::string(pair.substr(eq + 1));
  }
  return mapping;
}

absl::StatusOr<opinia::v1::Collector> CollectorFromFlags(const Args& args,
                                                         bool require_all) {
  opinia::v1::Collector c;
  for (const char* flag : {"kind", "endpoint", "source"}) {
    if (require_all && !args.Has(flag)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag, " is required"));
    }
  }
  ASSIGN_OR_RETURN(auto kind, ParseKind(args.GetOr("kind", ""), "kind"));
  c.set_kind(kind);
  c.set_endpoint(args.GetOr("endpoint", ""));
  c.set_source(args.GetOr("source", ""));
  c.set_subject_id(args.GetOr("subject", ""));
  ASSIGN_OR_RETURN(auto poll, args.GetInt("poll", 0, 0, 7 * 24 * 3600));
  c.set_poll_interval_seconds(poll);
  ASSIGN_OR_RETURN(auto mapping, ParseMapping(args.GetOr("mapping", "")));
  for (const auto& [k, v] : mapping) (*c.mutable_mapping())[k] = v;
  ASSIGN_OR_RETURN(auto credentials, CredentialsFromFlags(args));
  for (const auto& [k, v] : credentials) (*c.mutable_credentials())[k] = v;
  return c;
}

absl::StatusOr<std::map<std::string, std::string>> CredentialsFromFlags(
    const Args& args) {
  std::map<std::string, std::string> credentials;
  const std::pair<const char*, const char*> creds[] = {
      {"bearer-token", "bearer_token"},
      {"api-key", "api_key"},
      {"api-key-header", "api_key_header"},
      {"username", "username"},
      {"password", "password"},
      {"business-user-id", "business_user_id"},
      {"client-id", "client_id"},
      {"client-secret", "client_secret"},
      {"refresh-token", "refresh_token"},
      {"token-endpoint", "token_endpoint"},
      {"redirect-uri", "redirect_uri"},
      {"issuer-id", "issuer_id"},
      {"key-id", "key_id"}};
  for (const auto& [flag, key] : creds) {
    if (auto v = args.Get(flag); v.has_value()) {
      credentials[key] = *v;
    }
  }
  // Key files: their content, read here (keys stay off the command line).
  const std::pair<const char*, const char*> files[] = {
      {"service-account-key-file", "service_account_json"},
      {"private-key-file", "private_key"}};
  for (const auto& [flag, key] : files) {
    if (auto path = args.Get(flag); path.has_value()) {
      auto content = ReadFile(*path);
      if (!content.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", flag, ": ", content.status().message()));
      }
      credentials[key] = *std::move(content);
    }
  }
  return credentials;
}

std::vector<OptionHelp> CollectorFlagHelp() {
  std::vector<OptionHelp> help = {
      {"kind", KindFlagNames(), "platform (required)"},
      {"endpoint", "URL",
       "GBP: .../v4/accounts/A/locations/L/reviews; Trustpilot: "
       ".../v1/business-units/ID/reviews; Allegro: "
       "https://api.allegro.pl/sale/user-ratings; Play: "
       ".../androidpublisher/v3/applications/PACKAGE/reviews; App Store: "
       ".../v1/apps/ID/customerReviews; feeds: the feed URL"},
      {"source", "ID", "source stamped on the reviews, e.g. google"},
      {"subject", "ID", "subject_id stamped on the reviews"},
      {"poll", "SECONDS", "poll interval (0 = only on 'collectors run')"},
      {"mapping", "K=PATH,...",
       "feeds: field mapping, e.g. external_id=id,text=body,rating=stars"},
  };
  for (OptionHelp& h : CredentialFlagHelp()) help.push_back(std::move(h));
  return help;
}

std::vector<OptionHelp> CredentialFlagHelp() {
  return {
      {"bearer-token", "TOKEN",
       "GBP or Allegro OAuth access token; Trustpilot: a business user's "
       "OAuth token (replies); feeds: Bearer"},
      {"api-key", "KEY", "Trustpilot API key; feeds: API key header"},
      {"business-user-id", "ID",
       "Trustpilot: the business user who signs published replies"},
      {"api-key-header", "NAME", "feeds: header for --api-key (X-Api-Key)"},
      {"username", "USER", "feeds: HTTP Basic user"},
      {"password", "PASS", "feeds: HTTP Basic password"},
      {"client-id", "ID",
       "GBP, Allegro, Play: OAuth client id (renewing tokens)"},
      {"client-secret", "SECRET", "OAuth client secret"},
      {"refresh-token", "TOKEN", "OAuth refresh token"},
      {"token-endpoint", "URL",
       "OAuth token endpoint (default: the platform's)"},
      {"redirect-uri", "URL", "OAuth redirect URI sent with refreshes"},
      {"service-account-key-file", "FILE",
       "Play: the Google service-account key (JSON)"},
      {"issuer-id", "ID", "App Store Connect: issuer id"},
      {"key-id", "ID", "App Store Connect: key id"},
      {"private-key-file", "FILE", "App Store Connect: the .p8 key"},
  };
}

}  // namespace opinia::cli
