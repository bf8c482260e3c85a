// absl::Time <-> google.protobuf.Timestamp. An unset Timestamp is
// absl::InfinitePast() (the store's "absent"), and back.
#ifndef OPINIA_SERVICE_CORE_UTIL_TIME_PROTO_H_
#define OPINIA_SERVICE_CORE_UTIL_TIME_PROTO_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace opinia::core {

// Infinite times clear `out` (the field stays unset).
void ToTimestamp(absl::Time t, google::protobuf::Timestamp* out);
// Unset (nullptr or all-zero) gives InfinitePast.
absl::Time FromTimestamp(const google::protobuf::Timestamp& ts);
// INVALID_ARGUMENT naming `field` when outside 0001-01-01..9999-12-31 or
// nanos outside [0, 1e9).
absl::Status ValidateTimestamp(const google::protobuf::Timestamp& ts,
                               absl::string_view field);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_TIME_PROTO_H_
