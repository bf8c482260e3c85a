#include "service/core/collectors/platforms/feed.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/core/collectors/format_util.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

constexpr const char* kFieldKeys[] = {
    "external_id", "text",       "title",        "rating",    "create_time",
    "update_time", "author",     "author_id",    "language",  "url",
    "subject_id",  "reply_text", "reply_author", "reply_time"};
constexpr const char* kJsonOnlyKeys[] = {"items", "next_page"};
constexpr absl::string_view kAttributePrefix = "attributes.";

bool IsFieldKey(const std::string& key) {
  for (const char* k : kFieldKeys) {
    if (key == k) return true;
  }
  return false;
}

bool IsJsonOnlyKey(const std::string& key) {
  for (const char* k : kJsonOnlyKeys) {
    if (key == k) return true;
  }
  return false;
}

// The path/column of `key`: the mapped one, else the key itself.
std::string Source(const FeedMapping& mapping, const std::string& key) {
  auto it = mapping.find(key);
  return it == mapping.end() ? key : it->second;
}

// One mapping entry; `where` is `field["key"]`.
absl::Status ValidateEntry(bool json, const std::string& key,
                           const std::string& path, const std::string& where) {
  const bool attribute = absl::StartsWith(key, kAttributePrefix) &&
                         key.size() > kAttributePrefix.size();
  if (!IsFieldKey(key) && !IsJsonOnlyKey(key) && key != "rating_scale" &&
      !attribute) {
    return absl::InvalidArgumentError(absl::StrCat(
        where,
        ": unknown key; use external_id, text, title, rating, "
        "rating_scale, create_time, update_time, author, author_id, "
        "language, url, subject_id, reply_text, reply_author, "
        "reply_time, attributes.NAME, items, next_page"));
  }
  if (!json && IsJsonOnlyKey(key)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": only for JSON feeds"));
  }
  if (key == "rating_scale") {
    int scale = 0;
    if (!absl::SimpleAtoi(path, &scale) || scale < 1 || scale > 100) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": a number 1..100, not a path"));
    }
    return absl::OkStatus();
  }
  if (path.empty() && key != "items") {
    return absl::InvalidArgumentError(absl::StrCat(where, ": empty path"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Feed::ValidateMapping(const FeedMapping& mapping,
                                   std::string_view field) const {
  const std::string f(field);
  if (mapping.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(f,
                     ": required for feeds: at least external_id, e.g. "
                     "{\"external_id\": \"id\", \"text\": \"body\"}"));
  }
  for (const auto& [key, path] : mapping) {
    RETURN_IF_ERROR(ValidateEntry(json_keys_, key, path,
                                  absl::StrCat(f, "[\"", key, "\"]")));
  }
  if (mapping.find("external_id") == mapping.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat(f, ": must map external_id (the review's id)"));
  }
  return absl::OkStatus();
}

HttpHeaders Feed::RequestHeaders(const Credentials& credentials) const {
  return CredentialHeaders(credentials, accept_, "X-Api-Key");
}

MappedReview MapFeedItem(const FeedMapping& mapping, const FieldGetter& get) {
  auto text = [&](const char* key) {
    return get(Source(mapping, key)).value_or("");
  };
  MappedReview r;
  opinia::v1::ReviewInput& in = r.input;
  in.set_external_id(text("external_id"));
  in.set_text(text("text"));
  in.set_title(text("title"));
  in.set_rating(ParseRatingText(text("rating")));
  if (auto it = mapping.find("rating_scale"); it != mapping.end()) {
    int scale = 0;
    if (absl::SimpleAtoi(it->second, &scale)) in.set_rating_scale(scale);
  }
  if (auto t = TimeOfText(text("create_time"))) *in.mutable_create_time() = *t;
  if (auto t = TimeOfText(text("update_time"))) *in.mutable_update_time() = *t;
  in.set_author_name(text("author"));
  in.set_author_id(text("author_id"));
  in.set_language_hint(text("language"));
  in.set_url(text("url"));
  in.set_subject_id(text("subject_id"));
  for (const auto& [key, path] : mapping) {
    if (!absl::StartsWith(key, kAttributePrefix)) continue;
    std::optional<std::string> v = get(path);
    if (v.has_value() && !v->empty()) {
      (*in.mutable_attributes())[key.substr(kAttributePrefix.size())] = *v;
    }
  }
  SetReply(text("reply_text"), TimeOfText(text("reply_time")),
           text("reply_author"), &r);
  return r;
}

}  // namespace opinia::core::collectors
