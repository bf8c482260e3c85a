// Formatting and parsing shared by the CLI commands: proto JSON lines,
// timestamps, enum names.
#ifndef OPINIA_SERVICE_CLI_FORMAT_H_
#define OPINIA_SERVICE_CLI_FORMAT_H_

#include <google/protobuf/message.h>
#include <google/protobuf/repeated_field.h>
#include <google/protobuf/timestamp.pb.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "opinia/v1/insights.pb.h"
#include "service/cli/args.h"

namespace opinia::cli {

// One line of proto JSON with the .proto field names (snake_case, the same
// names `opinia ingest` reads), enums by name.
std::string ToJsonLine(const google::protobuf::Message& message);

// What a command prints of `message`: with --json, its JSON line
// (ToJsonLine) on stdout; else what `text` prints, the human-readable form.
void PrintJsonOr(const Args& args, const google::protobuf::Message& message,
                 const std::function<void()>& text);

// "2026-11-20 14:03" in `zone` (name it in the header), or "-" when unset.
std::string ShortTime(const google::protobuf::Timestamp& ts,
                      const absl::TimeZone& zone = absl::UTCTimeZone());
// "2026-11-20" in `zone`, or "-" when unset.
std::string ShortDate(const google::protobuf::Timestamp& ts,
                      const absl::TimeZone& zone);
// RFC 3339 with the offset of `zone`, or "-" when unset.
std::string LongTime(const google::protobuf::Timestamp& ts,
                     const absl::TimeZone& zone = absl::UTCTimeZone());

// A trend bucket's first day in `zone` (the Trends.time_zone the server cut
// it in): "2026-11-20" for DAY and WEEK (a Monday), "2026-11" for MONTH.
std::string BucketLabel(const opinia::v1::TrendPoint& point,
                        opinia::v1::Interval interval,
                        const absl::TimeZone& zone);
// "DAY (Europe/Warsaw)", "WEEK FROM (...)", "MONTH (...)".
std::string BucketHeader(opinia::v1::Interval interval,
                         absl::string_view zone_name);

absl::Time ToAbslTime(const google::protobuf::Timestamp& ts);
google::protobuf::Timestamp ToProtoTime(absl::Time t);

// Accepts RFC 3339 ("2026-11-20T14:03:00Z"), a date ("2026-11-20", UTC
// midnight) or an age relative to `now` ("7d", "36h", "90m").
// INVALID_ARGUMENT otherwise.
absl::StatusOr<absl::Time> ParseTimeArg(absl::string_view text, absl::Time now);

// Normalizes a resource name: "abc" -> "<collection>/abc"; a name that
// already has the collection prefix (or any '/') is returned unchanged.
std::string QualifyName(absl::string_view collection, absl::string_view name);

// A comma-separated flag value split at the commas (empty parts dropped),
// each part trimmed.
std::vector<std::string> SplitList(absl::string_view text);

// Parses a comma-separated list of enum names with the generated *_Parse
// (`parse`), case-insensitively; a name is also tried with `prefix` before
// it and with `suffix` after it ("admin" as ROLE_ADMIN, "open" as
// OPEN_ALERT). Appends the values to `out`; false with *bad the part (as
// typed) that names no value.
template <typename Enum>
bool ParseEnumList(absl::string_view text,
                   bool (*parse)(const std::string&, Enum*),
                   std::vector<Enum>* out, std::string* bad,
                   absl::string_view prefix = "",
                   absl::string_view suffix = "") {
  for (std::string& part : SplitList(text)) {
    const std::string name = absl::AsciiStrToUpper(part);
    Enum value;
    if (!parse(name, &value) && !parse(absl::StrCat(prefix, name), &value) &&
        !parse(absl::StrCat(name, suffix), &value)) {
      *bad = std::move(part);
      return false;
    }
    out->push_back(value);
  }
  return true;
}

// Adds the enum values that `text` lists (ParseEnumList) to the repeated
// enum field `field` of a request; std::nullopt, or the name (as typed)
// that names no value, and then nothing is added.
template <typename Enum>
std::optional<std::string> AddEnumList(
    absl::string_view text, bool (*parse)(const std::string&, Enum*),
    google::protobuf::RepeatedField<int>* field, absl::string_view prefix = "",
    absl::string_view suffix = "") {
  std::vector<Enum> values;
  std::string bad;
  if (!ParseEnumList(text, parse, &values, &bad, prefix, suffix)) return bad;
  for (const Enum value : values) field->Add(value);
  return std::nullopt;
}

}  // namespace opinia::cli

#endif  // OPINIA_SERVICE_CLI_FORMAT_H_
