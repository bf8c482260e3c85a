// Google Play: the Google Play Developer API's reviews (androidpublisher
// v3, `reviews.list` and `reviews.reply`).
//
// Endpoint: ".../androidpublisher/v3/applications/{packageName}/reviews";
// pages of `maxResults=100`, the next one by `token` =
// tokenPagination.nextPageToken.
// Credentials (auth_kind.h): a Google service-account key with access to
// the app in Play Console ("service_account_json", the key file; RS256 JWT
// for the androidpublisher scope), an OAuth 2.0 refresh token of a user
// with that access, or a static "bearer_token".
//
// Page: {"reviews": [{"reviewId", "authorName", "comments": [
//   {"userComment": {"text", "originalText", "lastModified": {"seconds",
//    "nanos"}, "starRating": 1..5, "reviewerLanguage", "device",
//    "androidOsVersion", "appVersionCode", "appVersionName",
//    "thumbsUpCount", "thumbsDownCount"}},
//   {"developerComment": {"text", "lastModified": {...}}}]}],
//  "tokenPagination": {"nextPageToken"}, "pageInfo": {...}}.
// The user comment's lastModified is the review's time (Play gives no
// creation time); an edit moves it. originalText (the untranslated text) is
// preferred when present.
//
// Window: the API lists only reviews created or modified in the last 7
// days (ListingWindow): every run reads that window in full, nothing is
// deleted for being absent, and a sync more than 7 days after the last
// successful one warns that reviews may have been missed (collectors.h).
//
// Reply: POST ".../reviews/{reviewId}:reply" {"replyText"} ->
// {"result": {"replyText", "lastEdited": {"seconds", "nanos"}}}. A second
// reply replaces the first (an edit; idempotent). The API cannot delete a
// reply. Errors: {"error": {"code", "message", "status"}}.
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/core/collectors/format_util.h"
#include "service/core/collectors/json_value.h"
#include "service/core/collectors/platform.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

// A Play timestamp {"seconds": "...", "nanos": n}.
std::optional<google::protobuf::Timestamp> PlayTime(const JsonValue& item,
                                                    const std::string& path) {
  return TimeOf(FindPath(item, path + ".seconds"));
}

std::string NextPageToken(const JsonValue& doc) {
  return TextAt(doc, "tokenPagination.nextPageToken");
}

MappedReview MapReview(const JsonValue& item) {
  MappedReview r;
  opinia::v1::ReviewInput& in = r.input;
  in.set_external_id(TextAt(item, "reviewId"));
  in.set_author_name(TextAt(item, "authorName"));
  const JsonValue* comments = FindPath(item, "comments");
  if (comments == nullptr || !comments->has_list_value()) return r;
  for (const JsonValue& c : comments->list_value().values()) {
    if (FindPath(c, "userComment") != nullptr) {
      std::string text = TextAt(c, "userComment.originalText");
      if (text.empty()) text = TextAt(c, "userComment.text");
      in.set_text(std::string(absl::StripAsciiWhitespace(text)));
      in.set_rating(ParseRating(FindPath(c, "userComment.starRating")));
      in.set_language_hint(TextAt(c, "userComment.reviewerLanguage"));
      if (auto t = PlayTime(c, "userComment.lastModified")) {
        *in.mutable_create_time() = *t;
        *in.mutable_update_time() = *t;
      }
      auto& attributes = *in.mutable_attributes();
      if (auto v = TextAt(c, "userComment.appVersionName"); !v.empty()) {
        attributes["app_version"] = v;
      }
      if (auto v = TextAt(c, "userComment.device"); !v.empty()) {
        attributes["device"] = v;
      }
    } else if (FindPath(c, "developerComment") != nullptr) {
      SetReply(TextAt(c, "developerComment.text"),
               PlayTime(c, "developerComment.lastModified"), "", &r);
    }
  }
  return r;
}

class GooglePlay : public Platform {
 public:
  GooglePlay()
      : Platform(opinia::v1::GOOGLE_PLAY, "Google Play", SortOrder::kNone,
                 {{},
                  /*required=*/nullptr,
                  {{AuthKind::kGoogleServiceAccount,
                    AuthKind::kOAuthRefreshToken, AuthKind::kBearerToken},
                   kGoogleTokenEndpoint,
                   OAuthClientAuth::kBody,
                   kAndroidPublisherScope}}) {}

  absl::Status ValidateEndpoint(const std::string& endpoint,
                                std::string_view field) const override {
    return CheckEndpointPath(endpoint, field, "/applications/", "/reviews",
                             "the reviews list URL",
                             "https://androidpublisher.googleapis.com/"
                             "androidpublisher/v3/applications/{packageName}/"
                             "reviews");
  }

  std::optional<absl::Duration> ListingWindow() const override {
    return absl::Hours(7 * 24);
  }

  std::string FirstPageUrl(const std::string& endpoint) const override {
    return ReplaceQuery(endpoint, {"token", "maxResults"}, "maxResults=100");
  }
  // MappedPage::next is a token.
  std::string NextPageUrl(const std::string& current,
                          const std::string& next) const override {
    return ReplaceQuery(current, {"token"},
                        absl::StrCat("token=", UrlEncode(next)));
  }
  absl::StatusOr<MappedPage> ParsePage(
      std::string_view body, const FeedMapping& mapping) const override {
    return ParseReviewsPage(body, "reviews", NextPageToken, MapReview);
  }

  bool SupportsReply(ReplyAction action) const override {
    return action == ReplyAction::kPublish;
  }
  bool IdempotentPublish() const override { return true; }
  absl::StatusOr<ReplyHttpRequest> BuildReplyRequest(
      ReplyAction action, const ReplyTarget& target) const override {
    if (action != ReplyAction::kPublish) {
      return Platform::BuildReplyRequest(action, target);  // UNIMPLEMENTED
    }
    RETURN_IF_ERROR(CheckReplyTarget(target));
    return ReplyCall(
        "POST",
        absl::StrCat(UrlWithoutQuery(target.endpoint), "/",
                     UrlEncode(target.review.external_id()), ":reply"),
        RequestHeaders(target.credentials),
        JsonObjectOf({{"replyText", target.text}}));
  }
  ReplyResult ParseReplyResponse(ReplyAction action, int status,
                                 std::string_view body) const override {
    return ReadReplyAnswer(status, body, "result.lastEdited.seconds");
  }
};

}  // namespace

std::unique_ptr<Platform> NewGooglePlayPlatform() {
  return std::make_unique<GooglePlay>();
}

}  // namespace opinia::core::collectors
