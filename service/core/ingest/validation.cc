#include "service/core/ingest/validation.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "service/core/reviews/aspect_ratings.h"
#include "service/core/util/absl_sv.h"
#include "service/core/util/time_proto.h"
#include "service/core/util/utf8.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

absl::Status Invalid(std::string_view prefix, std::string_view field,
                     std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(Av(prefix), ".", Av(field), ": ", Av(why)));
}

absl::Status CheckString(std::string_view value, size_t max_bytes,
                         std::string_view prefix, std::string_view field) {
  if (!IsValidUtf8(value)) return Invalid(prefix, field, "invalid UTF-8");
  if (value.size() > max_bytes) {
    return Invalid(prefix, field,
                   absl::StrCat(value.size(), " bytes, at most ", max_bytes));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateReviewInput(const opinia::v1::ReviewInput& input,
                                 const IngestLimits& limits,
                                 std::string_view prefix) {
  const std::pair<std::string_view, const std::string*> short_fields[] = {
      {"source", &input.source()},           {"external_id", &input.external_id()},
      {"subject_id", &input.subject_id()},   {"author_name", &input.author_name()},
      {"author_id", &input.author_id()},     {"language_hint", &input.language_hint()},
      {"url", &input.url()},
  };
  for (const auto& [field, value] : short_fields) {
    RETURN_IF_ERROR(CheckString(*value, limits.max_field_bytes, prefix, field));
  }
  RETURN_IF_ERROR(
      CheckString(input.title(), limits.max_title_bytes, prefix, "title"));
  RETURN_IF_ERROR(
      CheckString(input.text(), limits.max_text_bytes, prefix, "text"));
  if (input.source().empty()) return Invalid(prefix, "source", "required");
  if (input.external_id().empty()) {
    return Invalid(prefix, "external_id", "required");
  }
  const int scale = input.rating_scale() == 0 ? 5 : input.rating_scale();
  if (scale < 2 || scale > limits.max_rating_scale) {
    return Invalid(prefix, "rating_scale",
                   absl::StrCat(input.rating_scale(), " is outside 2..",
                                limits.max_rating_scale, " (0 means 5)"));
  }
  if (input.rating() < 0 || input.rating() > scale) {
    return Invalid(prefix, "rating",
                   absl::StrCat(input.rating(), " is outside 0..", scale,
                                " (0 = no rating)"));
  }
  // Nothing to analyse and nothing to count: such an item is a mapping or
  // export mistake on the client's side, not a review.
  if (input.rating() == 0 && absl::StripAsciiWhitespace(input.text()).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Av(prefix), ": text or rating required"));
  }
  if (input.has_create_time()) {
    RETURN_IF_ERROR(ValidateTimestamp(
        input.create_time(), absl::StrCat(Av(prefix), ".create_time")));
  }
  if (input.has_update_time()) {
    RETURN_IF_ERROR(ValidateTimestamp(
        input.update_time(), absl::StrCat(Av(prefix), ".update_time")));
  }
  if (input.attributes_size() > limits.max_attributes) {
    return Invalid(prefix, "attributes",
                   absl::StrCat(input.attributes_size(), " entries, at most ",
                                limits.max_attributes));
  }
  for (const auto& [key, value] : input.attributes()) {
    if (!IsValidUtf8(key)) return Invalid(prefix, "attributes", "key is invalid UTF-8");
    const std::string field = absl::StrCat("attributes[\"", key.substr(0, 64), "\"]");
    if (key.empty() || key.size() > limits.max_attribute_key_bytes) {
      return Invalid(prefix, field,
                     absl::StrCat("key must have 1..",
                                  limits.max_attribute_key_bytes, " bytes"));
    }
    RETURN_IF_ERROR(
        CheckString(value, limits.max_attribute_value_bytes, prefix, field));
  }
  return ValidateAspectRatings(input, prefix);
}

}  // namespace opinia::core
