// ReplyTxn (reply_store.h) on PostgreSQL (migrations/007_replies.sql).
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_REPLIES_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_REPLIES_H_

#include <string_view>
#include <vector>

#include "service/storage/postgres/pg_txn_part.h"
#include "service/storage/reply_store.h"

namespace opinia::storage::pg {

class PgReplies final : public ReplyTxn, private PgTxnPart {
 public:
  using PgTxnPart::PgTxnPart;

  absl::StatusOr<int64_t> PutReply(const ReplyRow& row) override;
  absl::StatusOr<ReplyRow> GetReply(std::string_view tenant_id,
                                    int64_t review_id) override;
  absl::StatusOr<std::vector<ReplyRow>> GetReplies(
      std::string_view tenant_id,
      const std::vector<int64_t>& review_ids) override;
  absl::StatusOr<std::vector<ReplyRow>> ListDueReplies(absl::Time now,
                                                       int limit) override;
  absl::StatusOr<bool> UpdateReply(const ReplyRow& row) override;
};

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_REPLIES_H_
