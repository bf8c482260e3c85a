// Allegro seller ratings: `GET /sale/user-ratings` ("Get the user's
// ratings", Allegro REST API, developer.allegro.pl).
//
// Endpoint: "https://api.allegro.pl/sale/user-ratings" (the sandbox:
// "https://api.allegro.pl.allegrosandbox.pl/sale/user-ratings"); a filter
// the API takes, e.g. "?recommended=false", may stay in it.
// Credentials (auth_kind.h), one of: "bearer_token", an OAuth 2.0 access
// token of the seller's account (Allegro's live 12 hours); or
// "client_id" + "client_secret" + "refresh_token" (the seller authorised
// the app once, by the authorization-code or device flow), renewed at
// https://allegro.pl/auth/oauth/token (sandbox:
// https://allegro.pl.allegrosandbox.pl/auth/oauth/token, set as
// "token_endpoint") with grant_type=refresh_token and the client id and
// secret as HTTP Basic (token_cache.h). Allegro's refresh tokens are single
// use: the new one in each answer replaces the stored one at once
// (TokenCache, stored sealed in the collector's spec). Requests carry
// "Authorization: Bearer <access token>" and "Accept:
// application/vnd.allegro.public.v1+json" (Allegro's versioned media type;
// plain application/json is refused with 406).
//
// Order and paging. Allegro lists the ratings by lastChangedAt (creation
// or the buyer's latest edit), newest first, paged by `offset` and `limit`
// (default 20); pages of 100 here. On top of that the paging is keyset: the
// page after one whose last rating changed at T asks for
// `lastChangedAt.lte=T` and `offset` = how many ratings at exactly T were
// read already. A rating given or edited while a run pages (it moves above
// the bound), or one removed meanwhile, shifts nothing below, and offsets
// stay small however many ratings the seller has. A non-empty page is
// always followed by another request (Allegro may cap `limit` below what
// was asked), so a run ends on an empty page. The sort key is lastChangedAt
// (update_time, SortOrder::kUpdateTimeDesc): an incremental run stops at
// the synced region, and an edited rating comes back at the top with a new
// lastChangedAt and is re-ingested (UPDATED, re-analysed). A rating edited
// during a full run after its page was read is missing from that run and
// may be marked deleted by it; the next run reads it above the cursor and
// re-ingesting restores it.
//
// Page: {"ratings": [{"id", "createdAt", "lastChangedAt", "editedAt",
// "recommended": bool, "rates": {"delivery", "deliveryCost",
// "description", "service"} (1..5 stars, each optional), "comment",
// "buyer": {"id", "login"}, "answer": {"message", "createdAt"},
// "order": {"id", "offers": [...]}, "removal": {"possibleTo",
// "request": {"createdAt", "message", "source"}},
// "excludedFromAverageRates", ...}]}. Errors: 4xx/5xx with {"errors":
// [{"code", "message", "userMessage", "path", "details"}]}; 429 Too Many
// Requests when the client id exceeds its limit (the fetcher waits).
//
// Mapping: text = the buyer's comment; author = buyer.login (author_id
// buyer.id); create_time = createdAt; update_time = lastChangedAt (else
// editedAt, else createdAt); the seller's answer = the review's response.
// Rating (1..5): Allegro's verdict is binary, the rates refine it inside
// its half of the scale - recommended: 5, or 4 when a rate is below 4;
// not recommended: 1, or 2 when at least one rate was given and every rate
// is 4 or more. No 3: Allegro has no neutral verdict. The rates become
// stated aspect ratings (core/reviews/aspect_ratings.h), so a 1-star
// delivery is a negative DELIVERY aspect even when the comment is silent:
// delivery -> "aspect_rating.delivery", deliveryCost -> "...price",
// description (the item as described) -> "...product_quality", service ->
// "...customer_service". Attributes also keep "allegro_order_id" and, when
// the seller asked Allegro to remove the rating, "removal_requested_at"
// (the same attribute RequestReviewRemoval records).
//
// The seller's answer (Replies, reply.h):
//   PUT {base}/sale/user-ratings/{ratingId}/answer  {"message": "..."}
//       -> 200 {"message", "createdAt"} (the publish time).
// Publishing again sends the new text (an edit). Allegro's API has no call
// that deletes an answer, so deleting is not supported. A publish whose
// answer was lost is checked first (Allegro does not promise that a second
// PUT is harmless): GET {base}/sale/user-ratings/{ratingId} -> the rating,
// "answer" included.
// The removal request (a rating that breaks Allegro's rules; removal.h):
//   PUT {base}/sale/user-ratings/{ratingId}/removal
//       {"request": {"message": "<why>"}}
//       -> 200 {"possibleTo", "request": {"createdAt", "message", "source"}}.
// {base} is the endpoint's origin (plus any path before "/sale/"); every
// call sends Allegro's media type as Accept and Content-Type and the
// bearer token. Allegro's errors {"errors": [{"code", "message",
// "userMessage"}]} are reported as "HTTP <status>: <userMessage>".
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/core/collectors/auth_kind.h"
#include "service/core/collectors/format_util.h"
#include "service/core/collectors/json_value.h"
#include "service/core/collectors/platform.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

constexpr int kPageSize = 100;
constexpr char kMediaType[] = "application/vnd.allegro.public.v1+json";

// Allegro's rate name -> the stated aspect rating it becomes.
constexpr std::pair<const char*, const char*> kRates[] = {
    {"delivery", "aspect_rating.delivery"},
    {"deliveryCost", "aspect_rating.price"},
    {"description", "aspect_rating.product_quality"},
    {"service", "aspect_rating.customer_service"},
};

// The rating on 1..5 (see the header); 0 without a verdict.
int AllegroStars(const JsonValue& item) {
  const std::string recommended = TextAt(item, "recommended");
  if (recommended != "true" && recommended != "false") return 0;
  bool any = false, low = false, all_good = true;
  for (const auto& [rate, key] : kRates) {
    const int stars = ParseRating(FindPath(item, absl::StrCat("rates.", rate)));
    if (stars < 1 || stars > 5) continue;
    any = true;
    low = low || stars < 4;
    all_good = all_good && stars >= 4;
  }
  if (recommended == "true") return low ? 4 : 5;
  return any && all_good ? 2 : 1;
}

// Where the next page is: "<count> <lastChangedAt>" - the last rating's
// lastChangedAt as Allegro wrote it and how many ratings at the end of the
// page share it ("<n> " when it has none); "" for an empty page.
std::string NextKey(const JsonValue& doc) {
  const JsonValue* list = FindPath(doc, "ratings");
  if (list == nullptr || !list->has_list_value() ||
      list->list_value().values().empty()) {
    return "";
  }
  const auto& items = list->list_value().values();
  const std::string last = TextAt(items[items.size() - 1], "lastChangedAt");
  int count = 0;
  for (int i = items.size() - 1; i >= 0; --i) {
    if (!last.empty() && TextAt(items[i], "lastChangedAt") != last) break;
    ++count;
  }
  return absl::StrCat(count, " ", last);
}

MappedReview MapRating(const JsonValue& item) {
  MappedReview r;
  opinia::v1::ReviewInput& in = r.input;
  in.set_external_id(TextAt(item, "id"));
  in.set_author_name(TextAt(item, "buyer.login"));
  in.set_author_id(TextAt(item, "buyer.id"));
  in.set_text(TextAt(item, "comment"));
  in.set_rating(AllegroStars(item));
  if (auto t = TimeOf(FindPath(item, "createdAt"))) {
    *in.mutable_create_time() = *t;
  }
  for (const char* changed : {"lastChangedAt", "editedAt", "createdAt"}) {
    if (auto t = TimeOf(FindPath(item, changed))) {
      *in.mutable_update_time() = *t;
      break;
    }
  }
  auto& attributes = *in.mutable_attributes();
  for (const auto& [rate, key] : kRates) {
    const int stars = ParseRating(FindPath(item, absl::StrCat("rates.", rate)));
    if (stars >= 1 && stars <= 5) attributes[key] = absl::StrCat(stars);
  }
  if (std::string order = TextAt(item, "order.id"); !order.empty()) {
    attributes["allegro_order_id"] = std::move(order);
  }
  if (std::string asked = TextAt(item, "removal.request.createdAt");
      !asked.empty()) {
    attributes["removal_requested_at"] = std::move(asked);
  }
  SetReply(TextAt(item, "answer.message"),
           TimeOf(FindPath(item, "answer.createdAt")), "", &r);
  return r;
}

// The rating's resource: {base}/sale/user-ratings/{id}.
std::string RatingUrl(const ReplyTarget& target) {
  return absl::StrCat(ApiBase(target.endpoint, "/sale/"), "/sale/user-ratings/",
                      UrlEncode(target.review.external_id()));
}

// A call with a JSON body in Allegro's media type.
ReplyHttpRequest AllegroCall(const char* method, std::string url,
                             HttpHeaders headers, std::string body = "") {
  if (!body.empty()) headers.emplace_back("Content-Type", kMediaType);
  return ReplyHttpRequest{method, std::move(url), std::move(headers),
                          std::move(body)};
}

// ReadReplyAnswer on Allegro's error shape: the first error's userMessage
// (else message) and code.
ReplyResult AllegroAnswer(int status, std::string_view body,
                          std::string_view time_field) {
  if (status < 200 || status >= 300) {
    absl::StatusOr<JsonValue> doc = ParseJson(body);
    const JsonValue* first =
        doc.ok() ? FindPath(*doc, "errors.0") : nullptr;
    if (first != nullptr) {
      std::string message = TextAt(*first, "userMessage");
      if (message.empty()) message = TextAt(*first, "message");
      return ReadReplyAnswer(
          status,
          JsonObjectOf({{"message", message},
                        {"errorCode", TextAt(*first, "code")}}),
          "");
    }
  }
  return ReadReplyAnswer(status, body, time_field);
}

class Allegro : public Platform {
 public:
  Allegro()
      : Platform(opinia::v1::ALLEGRO, "Allegro", SortOrder::kUpdateTimeDesc,
                 {{},
                  /*required=*/nullptr,
                  {{AuthKind::kBearerToken, AuthKind::kOAuthRefreshToken},
                   kAllegroTokenEndpoint,
                   OAuthClientAuth::kBasic}}) {}

  absl::Status ValidateEndpoint(const std::string& endpoint,
                                std::string_view field) const override {
    const std::string path = endpoint.substr(0, endpoint.find('?'));
    if (absl::EndsWith(path, "/sale/user-ratings")) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(field),
        ": the ratings list URL, e.g. https://api.allegro.pl/sale/"
        "user-ratings (sandbox: https://api.allegro.pl.allegrosandbox.pl/"
        "sale/user-ratings)"));
  }

  std::string FirstPageUrl(const std::string& endpoint) const override {
    return ReplaceQuery(endpoint, {"offset", "limit", "lastChangedAt.lte"},
                        absl::StrCat("limit=", kPageSize));
  }

  // `next` is NextKey's "<count> <lastChangedAt>".
  std::string NextPageUrl(const std::string& current,
                          const std::string& next) const override {
    const size_t space = next.find(' ');
    int count = 0, offset = 0;
    if (space == std::string::npos ||
        !absl::SimpleAtoi(next.substr(0, space), &count)) {
      count = 0;
    }
    if (!absl::SimpleAtoi(QueryValue(current, "offset"), &offset)) offset = 0;
    const std::string current_bound = QueryValue(current, "lastChangedAt.lte");
    const std::string last =
        space == std::string::npos ? "" : UrlEncode(next.substr(space + 1));
    std::string bound = current_bound;
    if (last.empty() || last == current_bound) {
      offset += count;  // the whole page sat at the bound (or had no time)
    } else {
      bound = last;
      offset = count;
    }
    std::string params = absl::StrCat("limit=", kPageSize, "&offset=", offset);
    if (!bound.empty()) absl::StrAppend(&params, "&lastChangedAt.lte=", bound);
    return ReplaceQuery(current, {"offset", "limit", "lastChangedAt.lte"},
                        params);
  }

  HttpHeaders RequestHeaders(const Credentials& credentials) const override {
    return CredentialHeaders(credentials, kMediaType, "X-Api-Key");
  }

  absl::StatusOr<MappedPage> ParsePage(
      std::string_view body, const FeedMapping& mapping) const override {
    return ParseReviewsPage(body, "ratings", NextKey, MapRating);
  }

  bool SupportsReply(ReplyAction action) const override {
    return action == ReplyAction::kPublish;
  }
  absl::StatusOr<ReplyHttpRequest> BuildReplyRequest(
      ReplyAction action, const ReplyTarget& target) const override {
    if (action != ReplyAction::kPublish) {
      return Platform::BuildReplyRequest(action, target);
    }
    RETURN_IF_ERROR(CheckReplyTarget(target));
    return AllegroCall("PUT", RatingUrl(target) + "/answer",
                       RequestHeaders(target.credentials),
                       JsonObjectOf({{"message", target.text}}));
  }
  ReplyResult ParseReplyResponse(ReplyAction action, int status,
                                 std::string_view body) const override {
    return AllegroAnswer(status, body, "createdAt");
  }
  absl::StatusOr<ReplyHttpRequest> BuildReplyCheckRequest(
      const ReplyTarget& target) const override {
    RETURN_IF_ERROR(CheckReplyTarget(target));
    return AllegroCall("GET", RatingUrl(target),
                       RequestHeaders(target.credentials));
  }
  absl::StatusOr<PlatformReply> ParseReplyCheck(
      std::string_view body) const override {
    return ParseReviewReply(body, MapRating);
  }

  bool SupportsRemovalRequest() const override { return true; }
  absl::StatusOr<ReplyHttpRequest> BuildRemovalRequest(
      const ReplyTarget& target) const override {
    RETURN_IF_ERROR(CheckReplyTarget(target));
    return AllegroCall(
        "PUT", RatingUrl(target) + "/removal",
        RequestHeaders(target.credentials),
        absl::StrCat("{\"request\":", JsonObjectOf({{"message", target.text}}),
                     "}"));
  }
  ReplyResult ParseRemovalResponse(int status,
                                   std::string_view body) const override {
    return AllegroAnswer(status, body, "request.createdAt");
  }
};

}  // namespace

std::unique_ptr<Platform> NewAllegroPlatform() {
  return std::make_unique<Allegro>();
}

}  // namespace opinia::core::collectors
