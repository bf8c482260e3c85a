// What the JSON and CSV feeds share (platforms/json_feed.cc, csv_feed.cc):
// a customer's own URL read in full each run, optional credentials, and a
// field mapping from their items to ReviewInput. Internal to
// opinia_review_formats.
//
// Credentials, all optional: "bearer_token" -> Bearer; "api_key" -> header
// named by "api_key_header" (default "X-Api-Key"); "username" + "password"
// -> HTTP Basic.
//
// Mapping: key -> dotted JSON path (JSON feed) or column name (CSV feed).
//   items        JSON only: path of the array of reviews; default: the
//                document itself when it is an array, else "reviews", else
//                "items";
//   next_page    JSON only: path of the next page's URL (absolute or
//                relative to the feed);
//   external_id  required; text, title, rating, create_time, update_time,
//   author (author_name), author_id, language (language_hint), url,
//   subject_id, reply_text, reply_author, reply_time: paths/columns;
//   rating_scale a number, e.g. "10" (not a path);
//   attributes.NAME  path/column copied into attributes[NAME].
// A key without a mapping reads the path/column of its own name when one
// exists (e.g. a CSV column "text").
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_PLATFORMS_FEED_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_PLATFORMS_FEED_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "service/core/collectors/platform.h"

namespace opinia::core::collectors {

class Feed : public Platform {
 public:
  using Parser = absl::StatusOr<MappedPage> (*)(std::string_view body,
                                                const FeedMapping& mapping);
  // `accept`: the Accept header; `json_keys`: whether the JSON-only keys
  // (items, next_page) apply; `parse`: ParsePage.
  Feed(opinia::v1::CollectorKind kind, std::string_view name,
       std::string_view accept, bool json_keys, Parser parse)
      : Platform(kind, name, SortOrder::kNone,
                 {{"bearer_token", "api_key", "api_key_header", "username",
                   "password"}},
                 /*uses_mapping=*/true),
        accept_(accept),
        json_keys_(json_keys),
        parse_(parse) {}

  // INVALID_ARGUMENT naming `field` when empty or external_id is not
  // mapped, and `field` + "[\"key\"]" for an unknown key, an empty path, a
  // non-numeric rating_scale or a JSON-only key on another feed.
  absl::Status ValidateMapping(const FeedMapping& mapping,
                               std::string_view field) const override;
  HttpHeaders RequestHeaders(const Credentials& credentials) const override;
  absl::StatusOr<MappedPage> ParsePage(
      std::string_view body, const FeedMapping& mapping) const override {
    return parse_(body, mapping);
  }

 private:
  const std::string_view accept_;  // a literal
  const bool json_keys_;
  const Parser parse_;
};

// One item's value at a mapped path/column; nullopt when absent.
using FieldGetter =
    std::function<std::optional<std::string>(const std::string&)>;

// One item through `mapping` (keys as above).
MappedReview MapFeedItem(const FeedMapping& mapping, const FieldGetter& get);

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_PLATFORMS_FEED_H_
