// Small conversions shared by the format parsers (formats.h); internal to
// the formats library.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_FORMAT_UTIL_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_FORMAT_UTIL_H_

#include <optional>
#include <string_view>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "service/core/collectors/json_value.h"

namespace opinia::core::collectors {

void ToProtoTime(absl::Time t, google::protobuf::Timestamp* out);

// A time value (ParseTimeText); nullopt when missing or unparseable (the
// caller then leaves the field unset: calling mutable_*() would set it).
std::optional<google::protobuf::Timestamp> TimeOf(const JsonValue* value);
std::optional<google::protobuf::Timestamp> TimeOfText(std::string_view text);

// A rating from a number or numeric text, rounded; 0 when absent or not a
// number (ingest validates the range).
int ParseRating(const JsonValue* value);
int ParseRatingText(std::string_view text);

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_FORMAT_UTIL_H_
