// The platform a collected review came from: the collector that fetched it
// (the review's attributes["collector"], set by the syncer), that
// collector's spec and Platform, and a ReplyTarget for the platform's calls
// on the review. Shared by the reply outbox (reply_outbox.h) and removal
// requests (removal.h).
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_REVIEW_PLATFORM_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_REVIEW_PLATFORM_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "opinia/v1/collectors.pb.h"
#include "service/core/collectors/platform.h"
#include "service/storage/store.h"

namespace opinia::core::collectors {

// The attribute naming the collector that fetched a review.
inline constexpr char kCollectorAttribute[] = "collector";

struct ReviewPlatform {
  std::string collector;  // "collectors/{id}"
  opinia::v1::Collector spec;
  const Platform* platform = nullptr;
  // endpoint, credentials (as stored) and the review's input; text empty.
  ReplyTarget target;
};

// FAILED_PRECONDITION "<field>: reviews/N was not fetched by a collector (it
// was pushed through the API), so there is no platform to send <what>" for
// a pushed review, "<field>: the collector collectors/M that fetched
// reviews/N no longer exists", or "<field>: kind: ..." for a kind no
// platform serves; INTERNAL for a corrupt stored input or spec.
absl::StatusOr<ReviewPlatform> PlatformOfReview(storage::Txn& txn,
                                                const storage::ReviewRow& review,
                                                std::string_view field,
                                                std::string_view what);

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_REVIEW_PLATFORM_H_
