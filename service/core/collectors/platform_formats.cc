// Google Business Profile and Trustpilot pages (formats.h).
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/core/collectors/format_util.h"
#include "service/core/collectors/formats.h"
#include "service/core/collectors/json_value.h"

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

absl::StatusOr<const JsonValue*> ReviewList(const JsonValue& doc,
                                            const char* field) {
  if (!doc.has_struct_value()) {
    return absl::InvalidArgumentError("response: not a JSON object");
  }
  const JsonValue* list = FindPath(doc, field);
  if (list != nullptr && !list->has_list_value()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not a list"));
  }
  return list;  // nullptr: no reviews (GBP omits the field when empty)
}

}  // namespace

absl::StatusOr<MappedPage> ParseGbpPage(std::string_view json) {
  auto doc = ParseJson(json);
  if (!doc.ok()) return doc.status();
  auto list = ReviewList(*doc, "reviews");
  if (!list.ok()) return list.status();
  MappedPage page;
  page.next = ScalarText(FindPath(*doc, "nextPageToken")).value_or("");
  if (*list == nullptr) return page;
  for (const JsonValue& item : (*list)->list_value().values()) {
    MappedReview r;
    opinia::v1::ReviewInput& in = r.input;
    std::string id = ScalarText(FindPath(item, "reviewId")).value_or("");
    const std::string name = ScalarText(FindPath(item, "name")).value_or("");
    if (id.empty() && !name.empty()) id = name.substr(name.rfind('/') + 1);
    in.set_external_id(id);
    in.set_author_name(
        ScalarText(FindPath(item, "reviewer.displayName")).value_or(""));
    in.set_rating(
        GbpStars(ScalarText(FindPath(item, "starRating")).value_or("")));
    in.set_text(
        GbpOriginalText(ScalarText(FindPath(item, "comment")).value_or("")));
    if (auto t = TimeOf(FindPath(item, "createTime")))
      *in.mutable_create_time() = *t;
    if (auto t = TimeOf(FindPath(item, "updateTime")))
      *in.mutable_update_time() = *t;
    if (!in.has_create_time() && in.has_update_time()) {
      *in.mutable_create_time() = in.update_time();
    }
    if (!name.empty()) (*in.mutable_attributes())["gbp_name"] = name;
    const std::string reply =
        ScalarText(FindPath(item, "reviewReply.comment")).value_or("");
    if (!reply.empty()) {
      r.has_reply = true;
      r.reply.set_text(reply);
      if (auto t = TimeOf(FindPath(item, "reviewReply.updateTime")))
        *r.reply.mutable_response_time() = *t;
    }
    page.reviews.push_back(std::move(r));
  }
  return page;
}

absl::StatusOr<MappedPage> ParseTrustpilotPage(std::string_view json) {
  auto doc = ParseJson(json);
  if (!doc.ok()) return doc.status();
  auto list = ReviewList(*doc, "reviews");
  if (!list.ok()) return list.status();
  MappedPage page;
  if (const JsonValue* links = FindPath(*doc, "links");
      links != nullptr && links->has_list_value()) {
    for (const JsonValue& link : links->list_value().values()) {
      if (ScalarText(FindPath(link, "rel")).value_or("") == "next-page") {
        page.next = ScalarText(FindPath(link, "href")).value_or("");
      }
    }
  }
  if (*list == nullptr) return page;
  for (const JsonValue& item : (*list)->list_value().values()) {
    MappedReview r;
    opinia::v1::ReviewInput& in = r.input;
    in.set_external_id(ScalarText(FindPath(item, "id")).value_or(""));
    in.set_rating(ParseRating(FindPath(item, "stars")));
    in.set_title(ScalarText(FindPath(item, "title")).value_or(""));
    in.set_text(ScalarText(FindPath(item, "text")).value_or(""));
    in.set_language_hint(ScalarText(FindPath(item, "language")).value_or(""));
    in.set_author_name(
        ScalarText(FindPath(item, "consumer.displayName")).value_or(""));
    in.set_author_id(ScalarText(FindPath(item, "consumer.id")).value_or(""));
    if (auto t = TimeOf(FindPath(item, "createdAt")))
      *in.mutable_create_time() = *t;
    if (auto t = TimeOf(FindPath(item, "updatedAt")))
      *in.mutable_update_time() = *t;
    if (!in.has_update_time() && in.has_create_time()) {
      *in.mutable_update_time() = in.create_time();
    }
    const std::string reply =
        ScalarText(FindPath(item, "companyReply.text")).value_or("");
    if (!reply.empty()) {
      r.has_reply = true;
      r.reply.set_text(reply);
      const JsonValue* when = FindPath(item, "companyReply.updatedAt");
      if (when == nullptr) when = FindPath(item, "companyReply.createdAt");
      if (auto t = TimeOf(when)) *r.reply.mutable_response_time() = *t;
    }
    page.reviews.push_back(std::move(r));
  }
  return page;
}

absl::StatusOr<MappedPage> ParsePage(opinia::v1::CollectorKind kind,
                                     std::string_view body,
                                     const FeedMapping& mapping) {
  switch (kind) {
    case opinia::v1::GOOGLE_BUSINESS_PROFILE:
      return ParseGbpPage(body);
    case opinia::v1::TRUSTPILOT:
      return ParseTrustpilotPage(body);
    case opinia::v1::JSON_FEED:
      return ParseJsonFeed(body, mapping);
    case opinia::v1::CSV_FEED:
      return ParseCsvFeed(body, mapping);
    default:
      return absl::InvalidArgumentError("kind: unknown collector kind");
  }
}

}  // namespace opinia::core::collectors
