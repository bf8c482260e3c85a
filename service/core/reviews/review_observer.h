// Hook for data derived from reviews (alerts, webhooks' outbox, ...).
//
// OnReviewChanged is called INSIDE the write transaction of every review
// change (ingest create/update, rescore, override/status update, delete,
// response), after the review row was written: what the observer writes in
// `txn` commits or rolls back together with the review, so there is never
// derived data for a review that was not stored, nor a stored review whose
// derived data went missing. A non-OK status rolls the whole transaction
// back and the caller's RPC fails with it, so observers should only fail on
// storage errors. Keep it fast: it runs while holding the only writer.
//
// OnCommitted is called after a successful commit (outside any transaction)
// with the tenant whose reviews changed, e.g. to wake alert streams. It must
// not block.
#ifndef OPINIA_SERVICE_CORE_REVIEWS_REVIEW_OBSERVER_H_
#define OPINIA_SERVICE_CORE_REVIEWS_REVIEW_OBSERVER_H_

#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "absl/time/time.h"
#include "service/storage/store.h"

namespace opinia::core {

struct ReviewChange {
  enum class Kind {
    kCreated,
    kUpdated,        // ingest of a changed input
    kOverridden,     // a person changed the override (maybe status too)
    kStatusChanged,  // a person changed only the status
    kDeleted,
    kResponded,
    kRescored,
  };
  Kind kind = Kind::kCreated;
  const storage::ReviewRow* before = nullptr;  // nullptr when created
  const storage::ReviewRow* after = nullptr;   // the row as now stored
  absl::Time now;
};

// Implementations must be thread-safe (called from many RPC workers).
class ReviewObserver {
 public:
  virtual ~ReviewObserver() = default;
  virtual absl::Status OnReviewChanged(storage::Txn& txn,
                                       const ReviewChange& change) = 0;
  // Several changes of one tenant in one transaction, in order (an ingest
  // batch). The same as one OnReviewChanged each; observers override it to
  // share work across the batch.
  virtual absl::Status OnReviewsChanged(
      storage::Txn& txn, absl::Span<const ReviewChange> changes) {
    for (const ReviewChange& change : changes) {
      if (absl::Status s = OnReviewChanged(txn, change); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  virtual void OnCommitted(std::string_view /*tenant_id*/) {}
};

// Fans out to several observers in order; the first error stops the rest
// (and rolls the transaction back). The list is fixed at construction.
class ReviewObservers final : public ReviewObserver {
 public:
  explicit ReviewObservers(std::vector<ReviewObserver*> observers)
      : observers_(std::move(observers)) {}
  absl::Status OnReviewChanged(storage::Txn& txn,
                               const ReviewChange& change) override {
    for (ReviewObserver* o : observers_) {
      if (absl::Status s = o->OnReviewChanged(txn, change); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  absl::Status OnReviewsChanged(
      storage::Txn& txn, absl::Span<const ReviewChange> changes) override {
    for (ReviewObserver* o : observers_) {
      if (absl::Status s = o->OnReviewsChanged(txn, changes); !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }
  void OnCommitted(std::string_view tenant_id) override {
    for (ReviewObserver* o : observers_) o->OnCommitted(tenant_id);
  }

 private:
  const std::vector<ReviewObserver*> observers_;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_REVIEWS_REVIEW_OBSERVER_H_
