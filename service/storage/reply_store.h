// Storage of the replies to publish on review platforms: the reply outbox.
// Reached from a transaction as `txn.replies()`.
//
// One row per review: the latest thing asked of the platform for it (a
// publish of a text, which also edits, or a delete of the reply there),
// and how that went. RecordResponse with publish writes the row in the same
// transaction as the response (PutReply), so a reply is queued exactly when
// it is recorded. The worker (core/reviews/reply_outbox.h) sends due rows
// and records the outcome with UpdateReply, which only writes while the
// row's generation is the one it sent: an edit or delete made meanwhile
// (PutReply bumps the generation) is never overwritten by the outcome of
// the older request, and is sent in turn.
//
// Codes as for Txn (store.h): NOT_FOUND for a missing row or one of another
// tenant, INVALID_ARGUMENT for limit <= 0, FAILED_PRECONDITION for a write
// in a read-only transaction, INTERNAL on database errors.
#ifndef OPINIA_SERVICE_STORAGE_REPLY_STORE_H_
#define OPINIA_SERVICE_STORAGE_REPLY_STORE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace opinia::storage {

// What is asked of the platform.
inline constexpr int32_t kReplyPublish = 1;  // create or replace the reply
inline constexpr int32_t kReplyDelete = 2;   // remove it

// Where the request is.
inline constexpr int32_t kReplyPending = 1;  // to be sent (again)
inline constexpr int32_t kReplyDone = 2;     // the platform accepted it
inline constexpr int32_t kReplyFailed = 3;   // refused, or dead-lettered

struct ReplyRow {
  std::string tenant_id;
  int64_t review_id = 0;
  // Set by PutReply: 1 for the review's first row, then +1 per PutReply.
  int64_t generation = 0;
  int32_t action = kReplyPublish;
  std::string text;       // the reply (kReplyPublish)
  std::string collector;  // "collectors/{id}": whose endpoint and credentials
  int32_t state = kReplyPending;
  int32_t attempts = 0;  // requests sent for this generation
  absl::Time next_attempt_time = absl::UnixEpoch();
  // An attempt started (written before the request is sent) whose outcome
  // is not recorded yet: after a crash the next attempt knows the platform
  // may have the reply already.
  bool in_flight = false;
  // kReplyDone: the platform's time of the publish/delete.
  absl::Time publish_time = absl::InfinitePast();
  std::string last_error;  // the platform's error; "" = none
  bool policy_rejection = false;  // the platform refused the content
  absl::Time create_time = absl::UnixEpoch();  // of the first generation
  absl::Time update_time = absl::UnixEpoch();
};

class ReplyTxn {
 public:
  virtual ~ReplyTxn() = default;

  // Inserts the review's row, or replaces everything but create_time of
  // the one there with `row`, at the next generation; returns it.
  // NOT_FOUND for an unknown tenant.
  virtual absl::StatusOr<int64_t> PutReply(const ReplyRow& row) = 0;
  virtual absl::StatusOr<ReplyRow> GetReply(std::string_view tenant_id,
                                            int64_t review_id) = 0;
  // The rows of those of `review_ids` that have one (any order).
  virtual absl::StatusOr<std::vector<ReplyRow>> GetReplies(
      std::string_view tenant_id, const std::vector<int64_t>& review_ids) = 0;
  // Pending rows of every tenant with next_attempt_time <= now, ordered by
  // (next_attempt_time, review_id).
  virtual absl::StatusOr<std::vector<ReplyRow>> ListDueReplies(
      absl::Time now, int limit) = 0;
  // Writes state, attempts, next_attempt_time, in_flight, publish_time,
  // last_error, policy_rejection and update_time of the review's row when
  // its generation is still row.generation: true. false (nothing written)
  // when the row was replaced since, or is gone.
  virtual absl::StatusOr<bool> UpdateReply(const ReplyRow& row) = 0;
};

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_REPLY_STORE_H_
