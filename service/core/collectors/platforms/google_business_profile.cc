// Google Business Profile: `accounts.locations.reviews.list`.
//
// Endpoint: the reviews-list URL ".../v4/accounts/{a}/locations/{l}/reviews";
// pages of 50 ordered by updateTime desc, the next one by pageToken.
// Credentials (auth_kind.h): an OAuth 2.0 refresh token with the
// business.manage scope ("client_id", "client_secret", "refresh_token";
// token endpoint https://oauth2.googleapis.com/token unless
// "token_endpoint"), renewed as it expires, or a static access token
// "bearer_token" -> "Authorization: Bearer <token>".
//
// Page: {"reviews": [{"name", "reviewId", "reviewer": {"displayName"},
// "starRating": "ONE".."FIVE", "comment", "createTime", "updateTime",
// "reviewReply": {"comment", "updateTime"}}], "nextPageToken"}. GBP appends
// Google's translation to translated comments ("(Translated by Google)
// ...\n\n(Original)\n..."); the original part is kept.
//
// Replies (accounts.locations.reviews.updateReply / deleteReply):
//   PUT    https://mybusiness.googleapis.com/v4/{name=accounts/*/locations/*/
//          reviews/*}/reply   body ReviewReply {"comment": "..."}
//          -> 200 ReviewReply {"comment", "updateTime"}; creates the reply
//          or replaces it, so sending it twice is harmless (idempotent).
//   DELETE .../reviews/{id}/reply -> 200 {} (empty JSON object).
// Built on the collector's endpoint (the location's reviews list) + the
// review id. Errors are Google's {"error": {"code", "message", "status",
// "details"}}; a reply Google refuses for its content policy is a 400
// whose message or reason names the policy (ReadReplyAnswer).
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/core/collectors/format_util.h"
#include "service/core/collectors/json_value.h"
#include "service/core/collectors/platform.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

int GbpStars(const std::string& s) {
  static constexpr const char* kStars[] = {"ONE", "TWO", "THREE", "FOUR",
                                           "FIVE"};
  for (int i = 0; i < 5; ++i) {
    if (s == kStars[i]) return i + 1;
  }
  return 0;  // STAR_RATING_UNSPECIFIED or unknown: no rating
}

// GBP puts "(Translated by Google) <translation>\n\n(Original)\n<text>" in
// translated comments; the customer's own words are the original.
std::string GbpOriginalText(const std::string& comment) {
  const std::string kOriginal = "(Original)\n";
  if (absl::StartsWith(comment, "(Translated by Google)")) {
    const size_t at = comment.find(kOriginal);
    if (at != std::string::npos) return comment.substr(at + kOriginal.size());
  }
  return comment;
}

std::string NextPageToken(const JsonValue& doc) {
  return TextAt(doc, "nextPageToken");
}

MappedReview MapReview(const JsonValue& item) {
  MappedReview r;
  opinia::v1::ReviewInput& in = r.input;
  std::string id = TextAt(item, "reviewId");
  const std::string name = TextAt(item, "name");
  if (id.empty() && !name.empty()) id = name.substr(name.rfind('/') + 1);
  in.set_external_id(id);
  in.set_author_name(TextAt(item, "reviewer.displayName"));
  in.set_rating(GbpStars(TextAt(item, "starRating")));
  in.set_text(GbpOriginalText(TextAt(item, "comment")));
  if (auto t = TimeOf(FindPath(item, "createTime")))
    *in.mutable_create_time() = *t;
  if (auto t = TimeOf(FindPath(item, "updateTime")))
    *in.mutable_update_time() = *t;
  if (!in.has_create_time() && in.has_update_time()) {
    *in.mutable_create_time() = in.update_time();
  }
  if (!name.empty()) (*in.mutable_attributes())["gbp_name"] = name;
  SetReply(TextAt(item, "reviewReply.comment"),
           TimeOf(FindPath(item, "reviewReply.updateTime")), "", &r);
  return r;
}

// The review's resource URL: the reviews list URL + "/" + its id.
std::string ReviewUrl(const ReplyTarget& target) {
  return absl::StrCat(UrlWithoutQuery(target.endpoint), "/",
                      UrlEncode(target.review.external_id()));
}

class GoogleBusinessProfile : public Platform {
 public:
  GoogleBusinessProfile()
      : Platform(opinia::v1::GOOGLE_BUSINESS_PROFILE, "Google Business Profile",
                 SortOrder::kUpdateTimeDesc,
                 {{},
                  /*required=*/nullptr,
                  {{AuthKind::kBearerToken, AuthKind::kOAuthRefreshToken},
                   kGoogleTokenEndpoint,
                   OAuthClientAuth::kBody}}) {}

  absl::Status ValidateEndpoint(const std::string& endpoint,
                                std::string_view field) const override {
    if (absl::StrContains(endpoint, "/reviews")) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(field),
        ": the reviews list URL, e.g. https://mybusiness.googleapis."
        "com/v4/accounts/{a}/locations/{l}/reviews"));
  }

  std::string FirstPageUrl(const std::string& endpoint) const override {
    return ReplaceQuery(endpoint, {"pageToken", "orderBy"},
                        "pageSize=50&orderBy=updateTime%20desc");
  }
  absl::StatusOr<MappedPage> ParsePage(
      std::string_view body, const FeedMapping& mapping) const override {
    return ParseReviewsPage(body, "reviews", NextPageToken, MapReview);
  }
  bool SupportsReply(ReplyAction action) const override { return true; }
  bool IdempotentPublish() const override { return true; }
  absl::StatusOr<ReplyHttpRequest> BuildReplyRequest(
      ReplyAction action, const ReplyTarget& target) const override {
    RETURN_IF_ERROR(CheckReplyTarget(target));
    std::string url = ReviewUrl(target) + "/reply";
    HttpHeaders headers = RequestHeaders(target.credentials);
    if (action == ReplyAction::kDelete) {
      return ReplyCall("DELETE", std::move(url), std::move(headers));
    }
    return ReplyCall("PUT", std::move(url), std::move(headers),
                     JsonObjectOf({{"comment", target.text}}));
  }
  ReplyResult ParseReplyResponse(ReplyAction action, int status,
                                 std::string_view body) const override {
    return ReadReplyAnswer(status, body, "updateTime");
  }
  // The PUT replaces the reply, so a publish whose answer was lost is sent
  // again: no read-back (BuildReplyCheckRequest) is needed.

  // MappedPage::next is a pageToken.
  std::string NextPageUrl(const std::string& current,
                          const std::string& next) const override {
    return ReplaceQuery(current, {"pageToken"},
                        absl::StrCat("pageToken=", UrlEncode(next)));
  }
};

}  // namespace

std::unique_ptr<Platform> NewGoogleBusinessProfilePlatform() {
  return std::make_unique<GoogleBusinessProfile>();
}

}  // namespace opinia::core::collectors
