// ReviewService.RequestReviewRemoval: asks the platform a review came from
// to take it down because it breaks the platform's rules.
//
// The request goes through the collector that fetched the review (the
// review's attributes["collector"]): its endpoint and credentials, and its
// platform's Platform::BuildRemovalRequest (platform.h; Allegro: PUT
// /sale/user-ratings/{ratingId}/removal). It is sent once, synchronously,
// on the calling thread (one HTTP exchange within `call`'s timeouts, under
// the outbound policy of `http`); the caller retries an UNAVAILABLE.
// Renewable credentials (an OAuth refresh token) get their access token
// from `tokens` like the collector's runs, and a 401 renews it and sends
// once more (token_cache.h). On
// success the review records it (Reviews::RecordRemovalRequest: the
// attribute "removal_requested_at" and an audit row). The platform decides
// on its own; a review it removes is marked deleted by the collector's next
// full run.
//
// Codes: PERMISSION_DENIED without the respond role; INVALID_ARGUMENT
// "name: ..." / "message: required" (1..2000 bytes of UTF-8); NOT_FOUND;
// FAILED_PRECONDITION for a deleted review, one no collector fetched (or
// whose collector was deleted), a platform that takes no removal requests
// ("name: reviews of TRUSTPILOT cannot be reported for removal ...;
// supported: ALLEGRO"), credentials the platform rejected or a refusal
// ("ALLEGRO: HTTP 422: <the platform's message>"); UNAVAILABLE when the
// platform could not be reached or answered 408, 429 or 5xx.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_REMOVAL_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_REMOVAL_H_

#include <functional>

#include "absl/status/statusor.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/auth/auth.h"
#include "service/core/collectors/platform.h"
#include "service/core/collectors/token_cache.h"
#include "service/core/reviews/reviews.h"
#include "service/core/util/clock.h"
#include "service/core/util/http_client.h"
#include "service/core/util/outbound_executor.h"
#include "service/storage/store.h"

namespace opinia::core::collectors {

inline constexpr size_t kMaxRemovalMessageBytes = 2000;

// Thread-safe; the pointees must outlive it.
class ReviewRemovals {
 public:
  // `tokens` may be null: credentials are then used as given. `executor`
  // may be null: the request is then sent on the calling thread.
  ReviewRemovals(storage::Store* store, const Reviews* reviews,
                 HttpClient* http, const Clock* clock,
                 TokenCache* tokens = nullptr, HttpCallOptions call = {},
                 OutboundExecutor* executor = nullptr)
      : store_(store),
        reviews_(reviews),
        http_(http),
        clock_(clock),
        tokens_(tokens),
        call_(std::move(call)),
        executor_(executor) {}

  using Done = std::function<void(absl::StatusOr<opinia::v1::Review>)>;

  // Checks the request, then sends it on the executor; `done` gets the
  // outcome exactly once, from an executor thread or (for a request refused
  // up front, or one the stopping executor never ran: UNAVAILABLE) from
  // the calling thread.
  void RequestAsync(const Principal& caller,
                    const opinia::v1::RequestReviewRemovalRequest& request,
                    Done done) const;

  // RequestAsync, waited for.
  absl::StatusOr<opinia::v1::Review> Request(
      const Principal& caller,
      const opinia::v1::RequestReviewRemovalRequest& request) const;

 private:
  // What RequestAsync checked and found: the platform of the review.
  struct Checked;

  absl::StatusOr<Checked> Check(
      const Principal& caller,
      const opinia::v1::RequestReviewRemovalRequest& request) const;
  // Sends the checked request and records the platform's acceptance.
  absl::StatusOr<opinia::v1::Review> SendAndRecord(const Principal& caller,
                                                   const std::string& name,
                                                   Checked checked) const;

  // Builds the platform's request for `target` with the collector's current
  // credentials and sends it; after a 401 with renewable credentials, once
  // more with fresh ones.
  absl::StatusOr<HttpResult> Send(const Platform& platform,
                                  const std::string& token_key,
                                  const opinia::v1::Collector& spec,
                                  ReplyTarget target) const;

  storage::Store* store_;
  const Reviews* reviews_;
  HttpClient* http_;
  const Clock* clock_;
  TokenCache* tokens_;
  const HttpCallOptions call_;
  OutboundExecutor* executor_;
};

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_REMOVAL_H_
