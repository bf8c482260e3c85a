// The publication of replies on review platforms, as the review layer sees
// it: RecordResponse with publish and DeleteResponse hand the reply to a
// ReplyQueue inside the transaction that records them, so a reply is queued
// exactly when it is recorded. The implementation (the reply outbox,
// core/collectors/reply_outbox.h) knows the platforms and collectors; this
// layer does not.
#ifndef OPINIA_SERVICE_CORE_REVIEWS_REPLY_QUEUE_H_
#define OPINIA_SERVICE_CORE_REVIEWS_REPLY_QUEUE_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "service/storage/store.h"

namespace opinia::core {

class ReplyQueue {
 public:
  virtual ~ReplyQueue() = default;

  // Queues `action` (storage::kReplyPublish of `text`, or
  // storage::kReplyDelete) for `review` in `txn`, replacing what was queued
  // for it before. FAILED_PRECONDITION naming `field` ("publish" or
  // "name") when the review cannot be answered on its platform: no
  // collector fetched it, its collector is gone, the platform takes no
  // such request through its API, or a credential it needs is missing.
  virtual absl::Status Queue(storage::Txn& txn,
                             const storage::ReviewRow& review, int32_t action,
                             std::string_view text, absl::Time now,
                             std::string_view field) = 0;
  // After the transaction committed: the queue may start at once.
  virtual void Queued() = 0;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_REVIEWS_REPLY_QUEUE_H_
