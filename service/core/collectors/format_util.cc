#include "service/core/collectors/format_util.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace opinia::core::collectors {

void ToProtoTime(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(t);
  int64_t seconds = micros / 1000000;
  int64_t rem = micros % 1000000;
  if (rem < 0) {
    rem += 1000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rem * 1000));
}

std::optional<google::protobuf::Timestamp> TimeOfText(std::string_view text) {
  std::optional<absl::Time> t = ParseTimeText(text);
  if (!t.has_value()) return std::nullopt;
  google::protobuf::Timestamp out;
  ToProtoTime(*t, &out);
  return out;
}

std::optional<google::protobuf::Timestamp> TimeOf(const JsonValue* value) {
  std::optional<std::string> text = ScalarText(value);
  if (!text.has_value()) return std::nullopt;
  return TimeOfText(*text);
}

int ParseRatingText(std::string_view raw) {
  const std::string text(
      absl::StripAsciiWhitespace(absl::string_view(raw.data(), raw.size())));
  double d = 0;
  if (text.empty() || !absl::SimpleAtod(text, &d) || !std::isfinite(d) ||
      d < 0 || d > 1e6) {
    return 0;
  }
  return static_cast<int>(std::lround(d));
}

int ParseRating(const JsonValue* value) {
  return ParseRatingText(ScalarText(value).value_or(""));
}

}  // namespace opinia::core::collectors
