// A CSV feed: the customer's own URL with a header row and a field mapping
// of columns (platforms/feed.h). RFC 4180: quoted fields, "" escapes, CRLF
// or LF, newlines inside quotes, a UTF-8 BOM. INVALID_ARGUMENT for an
// unclosed quote or a mapped column missing from the header. One page.
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/core/collectors/platform.h"
#include "service/core/collectors/platforms/feed.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

using Record = std::vector<std::string>;

// Splits a CSV document into records, one character at a time.
class CsvReader {
 public:
  absl::StatusOr<std::vector<Record>> Read(std::string_view csv) {
    if (absl::StartsWith(absl::string_view(csv.data(), csv.size()),
                         "\xEF\xBB\xBF")) {
      csv.remove_prefix(3);
    }
    for (size_t i = 0; i < csv.size(); ++i) {
      const bool pair = i + 1 < csv.size() && csv[i + 1] == '"';
      const bool crlf = i + 1 < csv.size() && csv[i + 1] == '\n';
      if (quoted_ ? Quoted(csv[i], pair) : Plain(csv[i], crlf)) ++i;
    }
    if (quoted_) {
      return absl::InvalidArgumentError(absl::StrCat(
          "csv: the quote opened on line ", quote_line_, " is never closed"));
    }
    if (any_ || !record_.empty()) EndRecord();
    return std::move(records_);
  }

 private:
  // A character inside quotes; true when it consumed the next one too
  // (`pair`: the next is a quote, so this is an escaped one).
  bool Quoted(char c, bool pair) {
    if (c == '"') {
      if (pair) cell_.push_back('"');
      quoted_ = pair;
      return pair;
    }
    if (c == '\n') ++line_;
    cell_.push_back(c);
    return false;
  }

  // A character outside quotes (`crlf`: a '\r' followed by '\n').
  bool Plain(char c, bool crlf) {
    switch (c) {
      case '"':
        quoted_ = true;
        quote_line_ = line_;
        any_ = true;
        break;
      case ',':
        record_.push_back(std::move(cell_));
        cell_.clear();
        any_ = true;
        break;
      case '\r':
        if (crlf) break;  // the '\n' ends the record
        [[fallthrough]];
      case '\n':
        ++line_;
        EndRecord();
        break;
      default:
        cell_.push_back(c);
        any_ = true;
    }
    return false;
  }

  void EndRecord() {
    record_.push_back(std::move(cell_));
    cell_.clear();
    // Blank lines are skipped, not read as one-empty-cell records.
    if (any_ || record_.size() > 1) records_.push_back(std::move(record_));
    record_.clear();
    any_ = false;
  }

  std::vector<Record> records_;
  Record record_;
  std::string cell_;
  bool quoted_ = false;  // inside quotes
  bool any_ = false;     // the current record has content
  size_t line_ = 1;
  size_t quote_line_ = 0;
};

using Columns = absl::flat_hash_map<std::string, size_t>;

// The header's columns by name; INVALID_ARGUMENT for a mapped column that
// is not in it.
absl::StatusOr<Columns> ColumnsOf(const Record& header,
                                  const FeedMapping& mapping) {
  Columns column;
  for (size_t i = 0; i < header.size(); ++i) column.emplace(header[i], i);
  for (const auto& [key, name] : mapping) {
    if (key == "rating_scale") continue;
    if (!column.contains(name)) {
      return absl::InvalidArgumentError(absl::StrCat("csv: mapping[\"", key,
                                                     "\"]: no column \"", name,
                                                     "\" in the header"));
    }
  }
  return column;
}

// A row's values by column name; nullopt for a column it lacks.
FieldGetter FieldsOf(const Columns& columns, const Record& row) {
  return
      [&columns, &row](const std::string& name) -> std::optional<std::string> {
        auto it = columns.find(name);
        if (it == columns.end() || it->second >= row.size())
          return std::nullopt;
        return row[it->second];
      };
}

absl::StatusOr<MappedPage> ParseCsvFeed(std::string_view body,
                                        const FeedMapping& mapping) {
  ASSIGN_OR_RETURN(auto records, CsvReader().Read(body));
  MappedPage page;
  if (records.empty()) return page;
  ASSIGN_OR_RETURN(auto column, ColumnsOf(records.front(), mapping));
  for (size_t r = 1; r < records.size(); ++r) {
    page.reviews.push_back(MapFeedItem(mapping, FieldsOf(column, records[r])));
  }
  return page;
}

}  // namespace

std::unique_ptr<Platform> NewCsvFeedPlatform() {
  return std::make_unique<Feed>(opinia::v1::CSV_FEED, "CSV feed",
                                "text/csv, */*",
                                /*json_keys=*/false, ParseCsvFeed);
}

}  // namespace opinia::core::collectors
