// Aspect ratings a platform states itself: stars the customer gave to one
// step of the journey (Allegro rates delivery, delivery cost, the item's
// description and the seller's service separately from the overall
// verdict). They travel as ReviewInput attributes
//
//   attributes["aspect_rating.<aspect>"] = "<1..rating_scale>"
//
// where <aspect> is an Aspect enum name in lower case ("delivery",
// "customer_service", ...) and the value an integer on the review's rating
// scale (rating_scale, 0 meaning 5). Any client or collector may send them.
//
// The analysis reports every stated aspect as an AspectSentiment, also
// when the text never mentions it (a 1-star delivery rate under "OK" is a
// negative DELIVERY opinion) and also without an analyzer (the customer
// stated it; nothing is invented): score = the stars mapped linearly onto
// [-1, 1], label NEGATIVE below -0.25, POSITIVE above 0.25, else NEUTRAL,
// confidence 1. When the text analysis found the same aspect, the stated
// stars set its sentiment and the text's evidence spans stay.
#ifndef OPINIA_SERVICE_CORE_REVIEWS_ASPECT_RATINGS_H_
#define OPINIA_SERVICE_CORE_REVIEWS_ASPECT_RATINGS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "opinia/v1/common.pb.h"
#include "opinia/v1/reviews.pb.h"

namespace opinia::core {

inline constexpr char kAspectRatingPrefix[] = "aspect_rating.";

// "aspect_rating.delivery" for DELIVERY.
std::string AspectRatingKey(opinia::v1::Aspect aspect);

// INVALID_ARGUMENT "<prefix>.attributes[\"aspect_rating.x\"]: ..." for an
// unknown aspect name or a value that is not an integer in 1..scale.
absl::Status ValidateAspectRatings(const opinia::v1::ReviewInput& input,
                                   std::string_view prefix);

// The aspect-rating attributes as "key=value;" in key order ("" when there
// are none): what ContentHash adds so that a changed rate is re-analysed.
std::string AspectRatingsText(const opinia::v1::ReviewInput& input);

// Adds (or sets the sentiment of) one AspectSentiment per stated aspect, in
// Aspect enum order. Skips entries ValidateAspectRatings refuses.
void ApplyAspectRatings(const opinia::v1::ReviewInput& input,
                        opinia::v1::Analysis* analysis);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_REVIEWS_ASPECT_RATINGS_H_
