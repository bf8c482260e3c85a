#include "service/core/collectors/json_value.h"

#include <cmath>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"

namespace opinia::core::collectors {

namespace {

// protobuf's reason without the excerpt of the input it appends on the
// following lines: "Unexpected token.", "Expected a value.", ... Nothing
// when the first line is not such a fixed phrase.
std::string ParseErrorClass(std::string_view message) {
  const std::string_view line = message.substr(0, message.find('\n'));
  if (line.empty() || line.size() > 100) return "";
  for (char c : line) {
    if (!absl::ascii_isalnum(c) &&
        absl::string_view(" .,:;/-[]{}").find(c) == absl::string_view::npos) {
      return "";
    }
  }
  return std::string(line);
}

}  // namespace

absl::StatusOr<JsonValue> ParseJson(std::string_view text) {
  JsonValue value;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), &value);
  if (!status.ok()) {
    // Never quote the input: it may be whatever a URL served.
    const std::string message(status.message());
    const std::string why = ParseErrorClass(message);
    return absl::InvalidArgumentError(
        absl::StrCat("malformed JSON", why.empty() ? "" : ": ", why, " (",
                     text.size(), " bytes)"));
  }
  return value;
}

const JsonValue* FindPath(const JsonValue& value, std::string_view path) {
  const JsonValue* at = &value;
  if (!path.empty()) {
    for (absl::string_view part :
         absl::StrSplit(absl::string_view(path.data(), path.size()), '.')) {
      if (at->has_struct_value()) {
        const auto& fields = at->struct_value().fields();
        auto it = fields.find(std::string(part));
        if (it == fields.end()) return nullptr;
        at = &it->second;
      } else if (at->has_list_value()) {
        size_t index = 0;
        if (!absl::SimpleAtoi(part, &index) ||
            index >= static_cast<size_t>(at->list_value().values_size())) {
          return nullptr;
        }
        at = &at->list_value().values(static_cast<int>(index));
      } else {
        return nullptr;
      }
    }
  }
  if (at->kind_case() == JsonValue::kNullValue ||
      at->kind_case() == JsonValue::KIND_NOT_SET) {
    return nullptr;
  }
  return at;
}

std::optional<std::string> ScalarText(const JsonValue* value) {
  if (value == nullptr) return std::nullopt;
  switch (value->kind_case()) {
    case JsonValue::kStringValue:
      return value->string_value();
    case JsonValue::kBoolValue:
      return value->bool_value() ? "true" : "false";
    case JsonValue::kNumberValue: {
      const double d = value->number_value();
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) {
        return absl::StrCat(static_cast<int64_t>(d));
      }
      return absl::StrCat(d);
    }
    default:
      return std::nullopt;
  }
}

std::optional<absl::Time> ParseTimeText(std::string_view raw) {
  const std::string text(
      absl::StripAsciiWhitespace(absl::string_view(raw.data(), raw.size())));
  if (text.empty()) return std::nullopt;
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err)) return t;
  if (absl::ParseTime("%Y-%m-%d %H:%M:%E*S", text, absl::UTCTimeZone(), &t,
                      &err)) {
    return t;
  }
  if (absl::ParseTime("%Y-%m-%dT%H:%M:%E*S", text, absl::UTCTimeZone(), &t,
                      &err)) {
    return t;
  }
  if (absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &t, &err)) {
    return t;
  }
  double seconds = 0;
  if (absl::SimpleAtod(text, &seconds) && std::isfinite(seconds) &&
      seconds >= 0 && seconds < 1e11) {
    return absl::FromUnixMicros(static_cast<int64_t>(seconds * 1e6));
  }
  return std::nullopt;
}

}  // namespace opinia::core::collectors
