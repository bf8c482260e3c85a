// A JSON feed: the customer's own URL with a field mapping (platforms/feed.h),
// paged by mapping["next_page"] when the feed has pages.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "service/core/collectors/json_value.h"
#include "service/core/collectors/platform.h"
#include "service/core/collectors/platforms/feed.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

// Where the reviews are: mapping["items"], else the document when it is an
// array, else "reviews", else "items".
struct Items {
  const JsonValue* list = nullptr;  // nullptr: not found
  std::string path;
};

Items FindItems(const JsonValue& doc, const FeedMapping& mapping) {
  Items items;
  if (auto it = mapping.find("items"); it != mapping.end()) {
    items.path = it->second;
    items.list = FindPath(doc, items.path);
  } else if (doc.has_list_value()) {
    items.list = &doc;
  } else {
    for (const char* guess : {"reviews", "items"}) {
      items.list = FindPath(doc, guess);
      items.path = guess;
      if (items.list != nullptr) break;
    }
  }
  return items;
}

// No list found: an empty page, unless the document is an object with
// fields but none of the default lists (then the mapping is wrong).
absl::Status CheckNoItems(const JsonValue& doc, const FeedMapping& mapping) {
  if (doc.has_struct_value() && mapping.count("items") == 0 &&
      !doc.struct_value().fields().empty() &&
      FindPath(doc, "reviews") == nullptr &&
      FindPath(doc, "items") == nullptr) {
    return absl::InvalidArgumentError(
        "feed: no list of reviews (map \"items\" to its path)");
  }
  return absl::OkStatus();
}

// An item's values by dotted path.
FieldGetter FieldsOf(const JsonValue& item) {
  return [&item](const std::string& path) {
    return ScalarText(FindPath(item, path));
  };
}

absl::StatusOr<MappedPage> ParseJsonFeed(std::string_view body,
                                         const FeedMapping& mapping) {
  ASSIGN_OR_RETURN(auto doc, ParseJson(body));
  const Items items = FindItems(doc, mapping);
  MappedPage page;
  if (auto it = mapping.find("next_page"); it != mapping.end()) {
    page.next = ScalarText(FindPath(doc, it->second)).value_or("");
  }
  if (items.list == nullptr) {
    RETURN_IF_ERROR(CheckNoItems(doc, mapping));
    return page;  // an empty page
  }
  if (!items.list->has_list_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("feed: ", items.path.empty() ? "document" : items.path,
                     " is not a list"));
  }
  for (const JsonValue& item : items.list->list_value().values()) {
    page.reviews.push_back(MapFeedItem(mapping, FieldsOf(item)));
  }
  return page;
}

}  // namespace

std::unique_ptr<Platform> NewJsonFeedPlatform() {
  return std::make_unique<Feed>(opinia::v1::JSON_FEED, "JSON feed",
                                "application/json",
                                /*json_keys=*/true, ParseJsonFeed);
}

}  // namespace opinia::core::collectors
