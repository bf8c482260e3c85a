// Reading and curating stored reviews of one tenant (the non-ingest part of
// ReviewService). Every function first authorizes `caller`
// (auth/authorization.h: PERMISSION_DENIED) and is scoped by the caller's
// tenant: a review of another tenant answers NOT_FOUND exactly like a
// missing one. Changes made
// by people (override, status, delete, response) write an audit row naming
// the caller's actor() in the same transaction.
#ifndef OPINIA_SERVICE_CORE_REVIEWS_REVIEWS_H_
#define OPINIA_SERVICE_CORE_REVIEWS_REVIEWS_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/auth/auth.h"
#include "service/core/reviews/reply_queue.h"
#include "service/core/reviews/review_observer.h"
#include "service/core/util/clock.h"
#include "service/storage/store.h"

namespace opinia::core {

// Thread-safe; `store`, `clock` and `observer` (optional; sees every change
// inside its transaction) must outlive it.
class Reviews {
 public:
  Reviews(storage::Store* store, const Clock* clock,
          ReviewObserver* observer = nullptr)
      : store_(store), clock_(clock), observer_(observer) {}

  // INVALID_ARGUMENT for a malformed name; NOT_FOUND. Soft-deleted reviews
  // are returned with deleted=true.
  absl::StatusOr<opinia::v1::Review> Get(const Principal& caller,
                                         std::string_view name) const;

  // Filters of ListReviewsRequest, newest first by default, keyset-paged.
  // order_by "priority asc, respond_by asc" lists the most urgent first
  // (the inbox) and "respond_by asc" the nearest deadline first
  // (storage::ReviewOrder); both are index walks when statuses keep to NEW
  // and ACKNOWLEDGED and deleted reviews are not shown.
  // INVALID_ARGUMENT naming the field for a bad page_token, page_size,
  // order_by, rating bound, time or `query` (full-text search, syntax in
  // search_query.h; combined with every other filter and paging).
  absl::StatusOr<opinia::v1::ListReviewsResponse> List(
      const Principal& caller,
      const opinia::v1::ListReviewsRequest& request) const;

  // update_mask paths: "override.sentiment", "override.urgency.priority",
  // "override" (both), "status". An unset value in a masked override field
  // clears that override. INVALID_ARGUMENT for other paths or values;
  // FAILED_PRECONDITION for a deleted review.
  absl::StatusOr<opinia::v1::Review> Update(
      const Principal& caller,
      const opinia::v1::UpdateReviewRequest& request) const;

  // Soft delete; idempotent.
  absl::StatusOr<opinia::v1::Review> Delete(const Principal& caller,
                                            std::string_view name) const;

  // Stores the response and sets status RESPONDED, which stops the SLA
  // clock (respond_by stays as the record of the deadline), published or
  // not. INVALID_ARGUMENT for empty or invalid text; FAILED_PRECONDITION for
  // a deleted review. With `publish`, the reply is also queued for the
  // review's platform in the same transaction (ReplyQueue::Queue's
  // FAILED_PRECONDITION naming `publish`; FAILED_PRECONDITION "publish: ..."
  // when this server has no reply queue).
  absl::StatusOr<opinia::v1::Review> RecordResponse(
      const Principal& caller,
      const opinia::v1::RecordResponseRequest& request) const;

  // Queues the deletion of the review's reply on its platform. The
  // recorded response stays. FAILED_PRECONDITION for a deleted review, one
  // without a response, or as ReplyQueue::Queue (naming `name`).
  absl::StatusOr<opinia::v1::Review> DeleteResponse(
      const Principal& caller, std::string_view name) const;

  // Where RecordResponse with publish and DeleteResponse queue replies
  // (the reply outbox). Set once before serving; none: they fail.
  void set_reply_queue(ReplyQueue* queue) { reply_queue_ = queue; }

  // Records that the platform registered a removal request for review
  // `name` at `requested_at` (collectors/removal.h sent it):
  // input.attributes["removal_requested_at"] = that time (RFC 3339; the
  // input hash stays the last ingested one, so the collector's next sync
  // writes what the platform shows) and an audit row
  // "review.request_removal" naming `platform`. Observers see a
  // kStatusChanged (no alert rule runs). FAILED_PRECONDITION for a deleted
  // review.
  absl::StatusOr<opinia::v1::Review> RecordRemovalRequest(
      const Principal& caller, std::string_view name,
      std::string_view platform, absl::Time requested_at,
      size_t message_bytes) const;

 private:
  using Mutation = std::function<absl::Status(storage::ReviewRow&,
                                              std::string& detail)>;
  // More writes in the mutation's transaction, after the review is stored.
  using AlsoWrite =
      std::function<absl::Status(storage::Txn&, const storage::ReviewRow&)>;
  // Loads the review `name`, applies `mutate`, stores it and an audit row
  // with `action`, then runs `also` (when set), all in one transaction. The
  // review returned carries its reply's publication state.
  absl::StatusOr<opinia::v1::Review> Mutate(std::string_view tenant_id,
                                            std::string_view actor,
                                            std::string_view name,
                                            std::string_view name_field,
                                            std::string_view action,
                                            const Mutation& mutate,
                                            const AlsoWrite& also = {}) const;
  // `queue` queues for the review after it is stored, and wakes the queue
  // after the commit.
  absl::StatusOr<opinia::v1::Review> MutateAndQueue(
      std::string_view tenant_id, std::string_view actor,
      std::string_view name, std::string_view action, const Mutation& mutate,
      const AlsoWrite& queue) const;

  storage::Store* store_;
  const Clock* clock_;
  ReviewObserver* observer_;
  ReplyQueue* reply_queue_ = nullptr;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_REVIEWS_REVIEWS_H_
