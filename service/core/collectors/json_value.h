// Reading platform JSON: parse into google.protobuf.Value (protobuf's own
// JSON parser, already linked everywhere; no extra dependency) and look
// values up by dotted path. Numbers become doubles, so integer ids beyond
// 2^53 lose precision: platforms send ids as strings, and a feed that sends
// huge numeric ids should map a string field instead.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_JSON_VALUE_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_JSON_VALUE_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"

namespace opinia::core::collectors {

using JsonValue = google::protobuf::Value;

// Any JSON document (object, array or scalar). INVALID_ARGUMENT "malformed
// JSON: <reason> (<n> bytes)" when it does not parse; the message never
// quotes the text.
absl::StatusOr<JsonValue> ParseJson(std::string_view text);

// The value at `path` ("a.b.c"; a numeric segment indexes a list; "" is the
// value itself); nullptr when any step is missing. A JSON null counts as
// missing.
const JsonValue* FindPath(const JsonValue& value, std::string_view path);

// Scalar as text: strings as they are, numbers without a trailing ".0"
// (integers print as integers), bools as "true"/"false"; nullopt for
// missing, null, lists and objects.
std::optional<std::string> ScalarText(const JsonValue* value);

// RFC 3339 (fractional seconds and offsets allowed), "YYYY-MM-DD HH:MM:SS"
// (UTC), "YYYY-MM-DD" (UTC midnight) or Unix seconds (number or digits).
// nullopt when it is none of those.
std::optional<absl::Time> ParseTimeText(std::string_view text);

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_JSON_VALUE_H_
