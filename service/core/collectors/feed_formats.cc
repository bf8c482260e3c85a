// Generic JSON and CSV feeds with a field mapping (formats.h).
#include <functional>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/core/collectors/format_util.h"
#include "service/core/collectors/formats.h"
#include "service/core/collectors/json_value.h"

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

// One item's fields by mapping key; nullopt when absent.
using Getter = std::function<std::optional<std::string>(const std::string&)>;

MappedReview MapItem(const FeedMapping& mapping, const Getter& get) {
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
  const std::string reply = text("reply_text");
  if (!reply.empty()) {
    r.has_reply = true;
    r.reply.set_text(reply);
    r.reply.set_author(text("reply_author"));
    if (auto t = TimeOfText(text("reply_time")))
      *r.reply.mutable_response_time() = *t;
  }
  return r;
}

}  // namespace

absl::Status ValidateFeedMapping(opinia::v1::CollectorKind kind,
                                 const FeedMapping& mapping,
                                 std::string_view field) {
  const std::string f(field);
  for (const auto& [key, path] : mapping) {
    const std::string where = absl::StrCat(f, "[\"", key, "\"]");
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
    if (kind == opinia::v1::CSV_FEED && IsJsonOnlyKey(key)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": only for JSON feeds"));
    }
    if (key == "rating_scale") {
      int scale = 0;
      if (!absl::SimpleAtoi(path, &scale) || scale < 1 || scale > 100) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": a number 1..100, not a path"));
      }
      continue;
    }
    if (path.empty() && key != "items") {
      return absl::InvalidArgumentError(absl::StrCat(where, ": empty path"));
    }
  }
  if (mapping.find("external_id") == mapping.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat(f, ": must map external_id (the review's id)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<MappedPage> ParseJsonFeed(std::string_view json,
                                         const FeedMapping& mapping) {
  auto doc = ParseJson(json);
  if (!doc.ok()) return doc.status();
  const JsonValue* items = nullptr;
  std::string items_path;
  if (auto it = mapping.find("items"); it != mapping.end()) {
    items_path = it->second;
    items = FindPath(*doc, items_path);
  } else if (doc->has_list_value()) {
    items = &*doc;
  } else {
    for (const char* guess : {"reviews", "items"}) {
      items = FindPath(*doc, guess);
      items_path = guess;
      if (items != nullptr) break;
    }
  }
  MappedPage page;
  if (auto it = mapping.find("next_page"); it != mapping.end()) {
    page.next = ScalarText(FindPath(*doc, it->second)).value_or("");
  }
  if (items == nullptr) {
    if (doc->has_struct_value() && mapping.count("items") == 0 &&
        !doc->struct_value().fields().empty() &&
        FindPath(*doc, "reviews") == nullptr &&
        FindPath(*doc, "items") == nullptr) {
      return absl::InvalidArgumentError(
          "feed: no list of reviews (map \"items\" to its path)");
    }
    return page;  // an empty page
  }
  if (!items->has_list_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("feed: ", items_path.empty() ? "document" : items_path,
                     " is not a list"));
  }
  for (const JsonValue& item : items->list_value().values()) {
    page.reviews.push_back(MapItem(mapping, [&](const std::string& path) {
      return ScalarText(FindPath(item, path));
    }));
  }
  return page;
}

absl::StatusOr<std::vector<std::vector<std::string>>> ParseCsvRecords(
    std::string_view csv) {
  if (absl::StartsWith(absl::string_view(csv.data(), csv.size()),
                       "\xEF\xBB\xBF")) {
    csv.remove_prefix(3);
  }
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string cell;
  bool quoted = false;  // inside quotes
  bool any = false;     // the current record has content
  size_t line = 1, quote_line = 0;
  auto end_record = [&] {
    record.push_back(std::move(cell));
    cell.clear();
    // Blank lines are skipped, not read as one-empty-cell records.
    if (any || record.size() > 1) records.push_back(std::move(record));
    record.clear();
    any = false;
  };
  for (size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < csv.size() && csv[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"':
        quoted = true;
        quote_line = line;
        any = true;
        break;
      case ',':
        record.push_back(std::move(cell));
        cell.clear();
        any = true;
        break;
      case '\r':
        if (i + 1 < csv.size() && csv[i + 1] == '\n') break;  // CRLF
        [[fallthrough]];
      case '\n':
        ++line;
        end_record();
        break;
      default:
        cell.push_back(c);
        any = true;
    }
  }
  if (quoted) {
    return absl::InvalidArgumentError(absl::StrCat(
        "csv: the quote opened on line ", quote_line, " is never closed"));
  }
  if (any || !record.empty()) end_record();
  return records;
}

absl::StatusOr<MappedPage> ParseCsvFeed(std::string_view csv,
                                        const FeedMapping& mapping) {
  auto records = ParseCsvRecords(csv);
  if (!records.ok()) return records.status();
  MappedPage page;
  if (records->empty()) return page;
  absl::flat_hash_map<std::string, size_t> column;
  const std::vector<std::string>& header = records->front();
  for (size_t i = 0; i < header.size(); ++i) column.emplace(header[i], i);
  for (const auto& [key, name] : mapping) {
    if (key == "rating_scale") continue;
    if (!column.contains(name)) {
      return absl::InvalidArgumentError(absl::StrCat("csv: mapping[\"", key,
                                                     "\"]: no column \"", name,
                                                     "\" in the header"));
    }
  }
  for (size_t r = 1; r < records->size(); ++r) {
    const std::vector<std::string>& row = (*records)[r];
    page.reviews.push_back(MapItem(
        mapping, [&](const std::string& name) -> std::optional<std::string> {
          auto it = column.find(name);
          if (it == column.end() || it->second >= row.size()) {
            return std::nullopt;
          }
          return row[it->second];
        }));
  }
  return page;
}

}  // namespace opinia::core::collectors
