#include "service/cli/review_reader.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/util/json_util.h>

#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "service/cli/csv.h"
#include "service/cli/format.h"
#include "service/cli/table.h"

namespace opinia::cli {
namespace {

using google::protobuf::FieldDescriptor;
using opinia::v1::ReviewInput;

class JsonlReader : public ReviewReader {
 public:
  explicit JsonlReader(std::istream* in) : in_(in) {}

  ReadItem Next() override {
    std::string line;
    while (std::getline(*in_, line)) {
      bytes_read_ += line.size() + 1;
      ++line_;
      if (line_ == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
      if (absl::StripAsciiWhitespace(line).empty()) continue;
      ReadItem item;
      item.line = line_;
      google::protobuf::util::JsonParseOptions options;
      options.ignore_unknown_fields = false;
      auto status = google::protobuf::util::JsonStringToMessage(
          line, &item.review, options);
      if (status.ok()) {
        item.kind = ReadItem::Kind::kReview;
      } else {
        item.kind = ReadItem::Kind::kBadLine;
        item.error = absl::StrCat("not a ReviewInput JSON object: ",
                                  std::string(status.message()));
      }
      return item;
    }
    return ReadItem{};
  }

  uint64_t bytes_read() const override { return bytes_read_; }

 private:
  std::istream* in_;
  int line_ = 0;
  uint64_t bytes_read_ = 0;
};

// Where a CSV column goes: a ReviewInput field, or one attributes entry.
struct CsvColumn {
  const FieldDescriptor* field = nullptr;
  std::string attribute;
};

class CsvReviewReader : public ReviewReader {
 public:
  CsvReviewReader(std::istream* in) : csv_(in) {}

  absl::Status ReadHeader() {
    std::vector<std::string> header;
    if (csv_.Next(&header) != CsvReader::Result::kRecord) {
      return absl::InvalidArgumentError("CSV file has no header row");
    }
    const auto* descriptor = ReviewInput::descriptor();
    absl::flat_hash_set<std::string> seen;
    for (const std::string& raw : header) {
      const std::string name =
          absl::AsciiStrToLower(absl::StripAsciiWhitespace(raw));
      if (!seen.insert(name).second) {
        return absl::InvalidArgumentError(
            absl::StrCat("CSV header names column '", name, "' twice"));
      }
      CsvColumn column;
      if (absl::StartsWith(name, "attributes.") && name.size() > 11) {
        column.attribute =
            std::string(absl::StripAsciiWhitespace(raw)).substr(11);
      } else {
        column.field = descriptor->FindFieldByName(name);
        if (column.field == nullptr) {
          column.field = descriptor->FindFieldByLowercaseName(name);
        }
        if (column.field == nullptr || column.field->is_map() ||
            column.field->is_repeated()) {
          std::vector<std::string> known;
          for (int i = 0; i < descriptor->field_count(); ++i) {
            if (!descriptor->field(i)->is_map()) {
              known.push_back(descriptor->field(i)->name());
            }
          }
          return absl::InvalidArgumentError(absl::StrCat(
              "CSV header: unknown column '", raw, "'; known columns: ",
              absl::StrJoin(known, ", "), ", attributes.KEY"));
        }
      }
      columns_.push_back(std::move(column));
    }
    return absl::OkStatus();
  }

  ReadItem Next() override {
    std::vector<std::string> fields;
    const CsvReader::Result result = csv_.Next(&fields);
    if (result == CsvReader::Result::kEnd) return ReadItem{};
    ReadItem item;
    item.line = csv_.record_line();
    if (result == CsvReader::Result::kUnterminatedQuote) {
      item.kind = ReadItem::Kind::kBadLine;
      item.error = "quoted field is not closed before the end of the file";
      return item;
    }
    if (fields.size() != columns_.size()) {
      item.kind = ReadItem::Kind::kBadLine;
      item.error =
          absl::StrCat("expected ", columns_.size(),
                       " fields as in the header, found ", fields.size());
      return item;
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      if (auto status = SetColumn(columns_[i], fields[i], &item.review);
          !status.ok()) {
        item.kind = ReadItem::Kind::kBadLine;
        item.error = std::string(status.message());
        return item;
      }
    }
    item.kind = ReadItem::Kind::kReview;
    return item;
  }

  uint64_t bytes_read() const override { return csv_.bytes_read(); }

 private:
  static absl::Status SetColumn(const CsvColumn& column,
                                const std::string& value, ReviewInput* review) {
    if (value.empty()) return absl::OkStatus();
    if (!IsValidUtf8(value)) {
      // Spreadsheets on Polish Windows often save CSV as Windows-1250.
      return absl::InvalidArgumentError(absl::StrCat(
          "column ",
          column.field != nullptr ? column.field->name()
                                  : "attributes." + column.attribute,
          ": not valid UTF-8 (convert the file, e.g. iconv -f cp1250 -t "
          "utf-8)"));
    }
    if (column.field == nullptr) {
      (*review->mutable_attributes())[column.attribute] = value;
      return absl::OkStatus();
    }
    const auto* reflection = review->GetReflection();
    const FieldDescriptor* field = column.field;
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        reflection->SetString(review, field, value);
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_INT32: {
        int n = 0;
        if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(value), &n)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "column ", field->name(), ": not an integer: '", value, "'"));
        }
        reflection->SetInt32(review, field, n);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        if (field->message_type()->full_name() != "google.protobuf.Timestamp") {
          break;
        }
        absl::Time t;
        std::string err;
        const std::string s(absl::StripAsciiWhitespace(value));
        if (!absl::ParseTime(absl::RFC3339_full, s, &t, &err) &&
            !absl::ParseTime("%Y-%m-%d", s, absl::UTCTimeZone(), &t, &err)) {
          return absl::InvalidArgumentError(
              absl::StrCat("column ", field->name(),
                           ": not an RFC 3339 time: '", value, "'"));
        }
        reflection->MutableMessage(review, field)->CopyFrom(ToProtoTime(t));
        return absl::OkStatus();
      }
      default:
        break;
    }
    return absl::InvalidArgumentError(
        absl::StrCat("column ", field->name(), " cannot be set from CSV"));
  }

  CsvReader csv_;
  std::vector<CsvColumn> columns_;
};

}  // namespace

absl::StatusOr<FileFormat> DetectFormat(absl::string_view path,
                                        absl::string_view format_flag) {
  std::string format = absl::AsciiStrToLower(format_flag);
  if (format.empty()) {
    const std::string lower = absl::AsciiStrToLower(path);
    for (const char* ext : {".jsonl", ".ndjson", ".json"}) {
      if (absl::EndsWith(lower, ext)) format = "jsonl";
    }
    if (absl::EndsWith(lower, ".csv")) format = "csv";
  }
  if (format == "jsonl" || format == "json" || format == "ndjson") {
    return FileFormat::kJsonl;
  }
  if (format == "csv") return FileFormat::kCsv;
  return absl::InvalidArgumentError(
      absl::StrCat("cannot tell the format of '", path,
                   "': name it *.jsonl or *.csv, or pass --format=jsonl|csv"));
}

absl::StatusOr<std::unique_ptr<ReviewReader>> ReviewReader::Create(
    std::istream* in, FileFormat format) {
  if (format == FileFormat::kJsonl) return std::make_unique<JsonlReader>(in);
  auto reader = std::make_unique<CsvReviewReader>(in);
  if (auto status = reader->ReadHeader(); !status.ok()) return status;
  return std::unique_ptr<ReviewReader>(std::move(reader));
}

}  // namespace opinia::cli
