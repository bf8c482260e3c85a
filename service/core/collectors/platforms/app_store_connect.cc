// App Store Connect: an app's customer reviews and the developer's
// responses (App Store Connect API v1, JSON:API documents).
//
// Endpoint: ".../v1/apps/{id}/customerReviews"; pages of `limit=200`
// ordered by `sort=-createdDate` (newest first), with
// `include=response`; the next page is `links.next` (an absolute URL).
// Credentials (auth_kind.h): an App Store Connect API key - "issuer_id",
// "key_id" and "private_key" (the .p8 file's PEM): every request carries
// "Authorization: Bearer <ES256 JWT>" (aud "appstoreconnect-v1", at most 20
// minutes long, made again before it expires) - or a static "bearer_token".
//
// Page: {"data": [{"type": "customerReviews", "id", "attributes":
//   {"rating": 1..5, "title", "body", "reviewerNickname", "createdDate",
//    "territory"}, "relationships": {"response": {"data":
//   {"type": "customerReviewResponses", "id"}}}}],
//  "included": [{"type": "customerReviewResponses", "id", "attributes":
//   {"responseBody", "lastModifiedDate", "state": "PUBLISHED" |
//    "PENDING_PUBLISH"}}],
//  "links": {"self", "next"}}.
// The developer's response becomes the review's reply; its id is kept in
// attributes["asc_response_id"] (deleting needs it), the territory in
// attributes["territory"].
//
// Reply: POST {base}/v1/customerReviewResponses {"data": {"type":
// "customerReviewResponses", "attributes": {"responseBody"},
// "relationships": {"review": {"data": {"type": "customerReviews",
// "id"}}}}} -> 201 {"data": {"id", "attributes": {"lastModifiedDate",
// "state"}}}; it creates the response or replaces the one there (an edit;
// idempotent). Delete: DELETE {base}/v1/customerReviewResponses/{id} -> 204.
// Errors: {"errors": [{"status", "code", "title", "detail"}]}.
#include <map>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/core/collectors/format_util.h"
#include "service/core/collectors/json_value.h"
#include "service/core/collectors/platform.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

constexpr char kResponseIdAttribute[] = "asc_response_id";

// The included customerReviewResponses, by id.
std::map<std::string, const JsonValue*> IncludedResponses(
    const JsonValue& doc) {
  std::map<std::string, const JsonValue*> out;
  const JsonValue* included = FindPath(doc, "included");
  if (included == nullptr || !included->has_list_value()) return out;
  for (const JsonValue& item : included->list_value().values()) {
    if (TextAt(item, "type") == "customerReviewResponses") {
      out[TextAt(item, "id")] = &item;
    }
  }
  return out;
}

MappedReview MapReview(const JsonValue& item,
                       const std::map<std::string, const JsonValue*>& replies) {
  MappedReview r;
  opinia::v1::ReviewInput& in = r.input;
  in.set_external_id(TextAt(item, "id"));
  in.set_rating(ParseRating(FindPath(item, "attributes.rating")));
  in.set_title(TextAt(item, "attributes.title"));
  in.set_text(TextAt(item, "attributes.body"));
  in.set_author_name(TextAt(item, "attributes.reviewerNickname"));
  if (auto t = TimeOf(FindPath(item, "attributes.createdDate"))) {
    *in.mutable_create_time() = *t;
  }
  if (auto v = TextAt(item, "attributes.territory"); !v.empty()) {
    (*in.mutable_attributes())["territory"] = v;
  }
  const std::string response_id =
      TextAt(item, "relationships.response.data.id");
  auto found = replies.find(response_id);
  if (!response_id.empty() && found != replies.end()) {
    (*in.mutable_attributes())[kResponseIdAttribute] = response_id;
    SetReply(TextAt(*found->second, "attributes.responseBody"),
             TimeOf(FindPath(*found->second, "attributes.lastModifiedDate")),
             "", &r);
  }
  return r;
}

class AppStoreConnect : public Platform {
 public:
  AppStoreConnect()
      : Platform(opinia::v1::APP_STORE_CONNECT, "App Store Connect",
                 SortOrder::kCreateTimeDesc,
                 {{},
                  /*required=*/nullptr,
                  {{AuthKind::kAppStoreConnectKey, AuthKind::kBearerToken}}}) {}

  absl::Status ValidateEndpoint(const std::string& endpoint,
                                std::string_view field) const override {
    return CheckEndpointPath(
        endpoint, field, "/v1/apps/", "/customerReviews",
        "the customer reviews URL",
        "https://api.appstoreconnect.apple.com/v1/apps/{id}/customerReviews");
  }

  std::string FirstPageUrl(const std::string& endpoint) const override {
    return ReplaceQuery(endpoint, {"sort", "limit", "include", "cursor"},
                        "sort=-createdDate&limit=200&include=response");
  }
  absl::StatusOr<MappedPage> ParsePage(
      std::string_view body, const FeedMapping& mapping) const override {
    ASSIGN_OR_RETURN(JsonValue doc, ParseJson(body));
    if (!doc.has_struct_value()) {
      return absl::InvalidArgumentError("the page is not a JSON object");
    }
    MappedPage page;
    page.next = TextAt(doc, "links.next");
    const JsonValue* data = FindPath(doc, "data");
    if (data == nullptr) return page;
    if (!data->has_list_value()) {
      return absl::InvalidArgumentError("data: not a list");
    }
    const auto replies = IncludedResponses(doc);
    for (const JsonValue& item : data->list_value().values()) {
      page.reviews.push_back(MapReview(item, replies));
    }
    return page;
  }

  bool SupportsReply(ReplyAction action) const override { return true; }
  bool IdempotentPublish() const override { return true; }
  absl::StatusOr<ReplyHttpRequest> BuildReplyRequest(
      ReplyAction action, const ReplyTarget& target) const override {
    RETURN_IF_ERROR(CheckReplyTarget(target));
    const std::string responses =
        absl::StrCat(ApiBase(target.endpoint, "/v1/"),
                     "/v1/customerReviewResponses");
    HttpHeaders headers = RequestHeaders(target.credentials);
    if (action == ReplyAction::kDelete) {
      auto id = target.review.attributes().find(kResponseIdAttribute);
      if (id == target.review.attributes().end() || id->second.empty()) {
        return absl::FailedPreconditionError(
            "review: the id of its App Store Connect response is not known "
            "yet; run the collector first (it reads the response with the "
            "review)");
      }
      return ReplyCall("DELETE",
                       absl::StrCat(responses, "/", UrlEncode(id->second)),
                       std::move(headers));
    }
    // JSON:API nests objects: built from escaped parts.
    const std::string body = absl::StrCat(
        R"({"data":{"type":"customerReviewResponses","attributes":)",
        JsonObjectOf({{"responseBody", target.text}}),
        R"(,"relationships":{"review":{"data":)",
        JsonObjectOf({{"type", "customerReviews"},
                      {"id", target.review.external_id()}}),
        "}}}}");
    return ReplyCall("POST", responses, std::move(headers), body);
  }
  ReplyResult ParseReplyResponse(ReplyAction action, int status,
                                 std::string_view body) const override {
    ReplyResult result =
        ReadReplyAnswer(status, body, "data.attributes.lastModifiedDate");
    if (!result.ok && result.error == absl::StrCat("HTTP ", status)) {
      // App Store Connect's error shape: errors[0].detail (or title).
      if (auto doc = ParseJson(body); doc.ok()) {
        std::string detail = TextAt(*doc, "errors.0.detail");
        if (detail.empty()) detail = TextAt(*doc, "errors.0.title");
        if (!detail.empty()) {
          result.error = absl::StrCat(result.error, ": ", detail.substr(0, 300));
        }
      }
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<Platform> NewAppStoreConnectPlatform() {
  return std::make_unique<AppStoreConnect>();
}

}  // namespace opinia::core::collectors
