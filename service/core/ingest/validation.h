// What a ReviewInput must satisfy to be stored. Each failure is an
// INVALID_ARGUMENT whose message starts with the offending field, e.g.
// "reviews[3].text: invalid UTF-8", so a client can point at it.
#ifndef OPINIA_SERVICE_CORE_INGEST_VALIDATION_H_
#define OPINIA_SERVICE_CORE_INGEST_VALIDATION_H_

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"
#include "opinia/v1/reviews.pb.h"

namespace opinia::core {

struct IngestLimits {
  int max_batch = 1000;             // items per IngestReviews call
  size_t max_text_bytes = 64 * 1024;
  size_t max_title_bytes = 1024;
  size_t max_field_bytes = 1024;    // source, ids, author, url, hint
  int max_attributes = 64;
  size_t max_attribute_key_bytes = 128;
  size_t max_attribute_value_bytes = 2048;
  int max_rating_scale = 100;
};

// `prefix` names the item, e.g. "reviews[3]"; fields are appended to it.
// An item with neither text (after trimming whitespace) nor a rating is
// refused as "<prefix>: text or rating required". Aspect ratings in the
// attributes are checked as reviews/aspect_ratings.h says.
absl::Status ValidateReviewInput(const opinia::v1::ReviewInput& input,
                                 const IngestLimits& limits,
                                 std::string_view prefix);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_INGEST_VALIDATION_H_
