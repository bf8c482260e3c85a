// ReplyTxn (reply_store.h) over the connection of one SqliteTxn.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_REPLIES_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_REPLIES_H_

#include <string_view>
#include <vector>

#include "service/storage/reply_store.h"
#include "service/storage/sqlite/connection.h"

namespace opinia::storage::sqlite {

// The schema (table replies) is migration 14 in migrations.sql.
class SqliteReplies final : public ReplyTxn, private TxnPart {
 public:
  using TxnPart::TxnPart;

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

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_REPLIES_H_
