// Trustpilot business-unit reviews.
//
// Endpoint: ".../v1/business-units/{id}/reviews"; pages of 100 ordered by
// createdat.desc, the next one by the "next-page" link.
// Credentials: "api_key" (required) -> header "apikey: <key>" (public
// reviews endpoint); "bearer_token" (optional, private endpoint) ->
// "Authorization: Bearer <token>"; "business_user_id" (optional, for
// replies: the business user who signs them).
//
// Page: {"reviews": [{"id", "stars", "title", "text", "language",
// "createdAt", "updatedAt", "consumer": {"id", "displayName"},
// "companyReply": {"text", "createdAt", "updatedAt"}}],
// "links": [{"rel": "next-page", "href"}]}.
//
// Replies (Service Reviews API, private; OAuth: "Authorization: Bearer
// <access token>" of a business user, which the api_key alone is not):
//   POST   https://api.trustpilot.com/v1/private/reviews/{reviewId}/reply
//          body {"authorBusinessUserId": "...", "message": "..."} -> 201;
//          a second POST adds nothing new but is not promised to be
//          harmless, so a publish whose answer was lost is checked first:
//   GET    /v1/private/reviews/{reviewId} -> the review with
//          "companyReply": {"text", "createdAt", "updatedAt"};
//   DELETE /v1/private/reviews/{reviewId}/reply -> 204.
// The API's base is the endpoint's origin (and any path before "/v1/").
// Errors: {"message": "...", "details": "...", "errorCode": ...}.
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/core/collectors/format_util.h"
#include "service/core/collectors/json_value.h"
#include "service/core/collectors/platform.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

// The href of the "next-page" link; "" on the last page.
std::string NextLink(const JsonValue& doc) {
  std::string next;
  if (const JsonValue* links = FindPath(doc, "links");
      links != nullptr && links->has_list_value()) {
    for (const JsonValue& link : links->list_value().values()) {
      if (TextAt(link, "rel") == "next-page") next = TextAt(link, "href");
    }
  }
  return next;
}

MappedReview MapReview(const JsonValue& item) {
  MappedReview r;
  opinia::v1::ReviewInput& in = r.input;
  in.set_external_id(TextAt(item, "id"));
  in.set_rating(ParseRating(FindPath(item, "stars")));
  in.set_title(TextAt(item, "title"));
  in.set_text(TextAt(item, "text"));
  in.set_language_hint(TextAt(item, "language"));
  in.set_author_name(TextAt(item, "consumer.displayName"));
  in.set_author_id(TextAt(item, "consumer.id"));
  if (auto t = TimeOf(FindPath(item, "createdAt")))
    *in.mutable_create_time() = *t;
  if (auto t = TimeOf(FindPath(item, "updatedAt")))
    *in.mutable_update_time() = *t;
  if (!in.has_update_time() && in.has_create_time()) {
    *in.mutable_update_time() = in.create_time();
  }
  const JsonValue* when = FindPath(item, "companyReply.updatedAt");
  if (when == nullptr) when = FindPath(item, "companyReply.createdAt");
  SetReply(TextAt(item, "companyReply.text"), TimeOf(when), "", &r);
  return r;
}

class Trustpilot : public Platform {
 public:
  Trustpilot()
      : Platform(opinia::v1::TRUSTPILOT, "Trustpilot",
                 SortOrder::kCreateTimeDesc,
                 {{"api_key", "bearer_token", "business_user_id"},
                  /*required=*/"api_key"}) {}

  std::string FirstPageUrl(const std::string& endpoint) const override {
    return ReplaceQuery(endpoint, {"page", "orderBy"},
                        "perPage=100&orderBy=createdat.desc");
  }
  HttpHeaders RequestHeaders(const Credentials& credentials) const override {
    return CredentialHeaders(credentials, "application/json", "apikey");
  }
  absl::StatusOr<MappedPage> ParsePage(
      std::string_view body, const FeedMapping& mapping) const override {
    return ParseReviewsPage(body, "reviews", NextLink, MapReview);
  }

  bool SupportsReply(ReplyAction action) const override { return true; }
  absl::StatusOr<ReplyHttpRequest> BuildReplyRequest(
      ReplyAction action, const ReplyTarget& target) const override {
    RETURN_IF_ERROR(CheckReplyTarget(target));
    RETURN_IF_ERROR(NeedCredential(target, "bearer_token",
                                   "a business user's OAuth access token"));
    std::string url = ReviewUrl(target) + "/reply";
    HttpHeaders headers = RequestHeaders(target.credentials);
    if (action == ReplyAction::kDelete) {
      return ReplyCall("DELETE", std::move(url), std::move(headers));
    }
    RETURN_IF_ERROR(NeedCredential(target, "business_user_id",
                                   "the business user who signs replies"));
    return ReplyCall(
        "POST", std::move(url), std::move(headers),
        JsonObjectOf({{"authorBusinessUserId",
                       Cred(target.credentials, "business_user_id")},
                      {"message", target.text}}));
  }
  absl::StatusOr<ReplyHttpRequest> BuildReplyCheckRequest(
      const ReplyTarget& target) const override {
    RETURN_IF_ERROR(CheckReplyTarget(target));
    RETURN_IF_ERROR(NeedCredential(target, "bearer_token",
                                   "a business user's OAuth access token"));
    return ReplyCall("GET", ReviewUrl(target),
                     RequestHeaders(target.credentials));
  }
  absl::StatusOr<PlatformReply> ParseReplyCheck(
      std::string_view body) const override {
    return ParseReviewReply(body, MapReview);
  }

 private:
  // The private review resource: /v1/private/reviews/{reviewId}.
  static std::string ReviewUrl(const ReplyTarget& target) {
    return absl::StrCat(ApiBase(target.endpoint, "/v1/"),
                        "/v1/private/reviews/",
                        UrlEncode(target.review.external_id()));
  }
  static absl::Status NeedCredential(const ReplyTarget& target,
                                     const char* key, const char* what) {
    if (!Cred(target.credentials, key).empty()) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        "collector.credentials[\"", key, "\"]: Trustpilot replies need ",
        what));
  }
};

}  // namespace

std::unique_ptr<Platform> NewTrustpilotPlatform() {
  return std::make_unique<Trustpilot>();
}

}  // namespace opinia::core::collectors
