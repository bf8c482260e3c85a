#include "service/storage/sqlite/sqlite_replies.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "service/storage/sqlite/statements.h"
#include "util/status_macros.h"

namespace opinia::storage::sqlite {
namespace {

constexpr char kReplyColumns[] =
    "tenant_id, review_id, generation, action, text, collector, state, "
    "attempts, next_attempt_time, in_flight, publish_time, last_error, "
    "policy_rejection, create_time, update_time";

ReplyRow ReadReply(const Statement& s) {
  ReplyRow r;
  r.tenant_id = s.ColumnString(0);
  r.review_id = s.ColumnInt64(1);
  r.generation = s.ColumnInt64(2);
  r.action = static_cast<int32_t>(s.ColumnInt64(3));
  r.text = s.ColumnString(4);
  r.collector = s.ColumnString(5);
  r.state = static_cast<int32_t>(s.ColumnInt64(6));
  r.attempts = static_cast<int32_t>(s.ColumnInt64(7));
  r.next_attempt_time = s.ColumnTime(8);
  r.in_flight = s.ColumnInt64(9) != 0;
  r.publish_time = s.ColumnTime(10);
  r.last_error = s.ColumnString(11);
  r.policy_rejection = s.ColumnInt64(12) != 0;
  r.create_time = s.ColumnTime(13);
  r.update_time = s.ColumnTime(14);
  return r;
}

// Binds the outcome columns in the order of UpdateReply's SET list.
void BindOutcome(Statement& stmt, const ReplyRow& row) {
  stmt.BindInt64(row.state)
      .BindInt64(row.attempts)
      .BindTime(row.next_attempt_time)
      .BindInt64(row.in_flight ? 1 : 0)
      .BindTime(row.publish_time)
      .BindText(row.last_error)
      .BindInt64(row.policy_rejection ? 1 : 0)
      .BindTime(row.update_time);
}

}  // namespace

absl::StatusOr<int64_t> SqliteReplies::PutReply(const ReplyRow& row) {
  RETURN_IF_ERROR(CheckWritable("PutReply"));
  // One statement: a new row at generation 1, or the old one replaced at
  // the next generation (create_time kept). changes() is 1 either way.
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(absl::StrCat(
          "INSERT INTO replies (", kReplyColumns,
          ") VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
          "?14, ?13) ON CONFLICT (review_id) DO UPDATE SET "
          "generation = replies.generation + 1, action = excluded.action, "
          "text = excluded.text, collector = excluded.collector, "
          "state = excluded.state, attempts = excluded.attempts, "
          "next_attempt_time = excluded.next_attempt_time, "
          "in_flight = excluded.in_flight, "
          "publish_time = excluded.publish_time, "
          "last_error = excluded.last_error, "
          "policy_rejection = excluded.policy_rejection, "
          "update_time = excluded.update_time "
          "WHERE replies.tenant_id = excluded.tenant_id")));
  stmt.BindText(row.tenant_id)
      .BindInt64(row.review_id)
      .BindInt64(row.action)
      .BindText(row.text)
      .BindText(row.collector);
  BindOutcome(stmt, row);  // ?6 .. ?13 (update_time last)
  stmt.BindTime(row.create_time);  // ?14
  RETURN_IF_ERROR(stmt.Run());
  if (conn_.Changes() == 0) {
    return absl::NotFoundError(
        absl::StrCat("review ", row.review_id, " not found"));
  }
  ASSIGN_OR_RETURN(ReplyRow stored, GetReply(row.tenant_id, row.review_id));
  return stored.generation;
}

absl::StatusOr<ReplyRow> SqliteReplies::GetReply(std::string_view tenant_id,
                                                 int64_t review_id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn_.Prepare(absl::StrCat(
                       "SELECT ", kReplyColumns,
                       " FROM replies WHERE review_id = ? AND tenant_id = ?")));
  stmt.BindInt64(review_id).BindText(tenant_id);
  RETURN_IF_ERROR(StepToRow(stmt, absl::StrCat("reply of review ", review_id)));
  return ReadReply(stmt);
}

absl::StatusOr<std::vector<ReplyRow>> SqliteReplies::GetReplies(
    std::string_view tenant_id, const std::vector<int64_t>& review_ids) {
  if (review_ids.empty()) return std::vector<ReplyRow>{};
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(absl::StrCat(
          "SELECT ", kReplyColumns,
          " FROM replies WHERE review_id IN (SELECT value FROM json_each(?)) "
          "AND tenant_id = ?")));
  stmt.BindText(JsonIdArray(review_ids)).BindText(tenant_id);
  return ReadAllRows(stmt, ReadReply);
}

absl::StatusOr<std::vector<ReplyRow>> SqliteReplies::ListDueReplies(
    absl::Time now, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(absl::StrCat(
          "SELECT ", kReplyColumns,
          " FROM replies WHERE state = 1 AND next_attempt_time <= ? "
          "ORDER BY next_attempt_time, review_id LIMIT ?")));
  stmt.BindTime(now).BindInt64(limit);
  return ReadAllRows(stmt, ReadReply);
}

absl::StatusOr<bool> SqliteReplies::UpdateReply(const ReplyRow& row) {
  RETURN_IF_ERROR(CheckWritable("UpdateReply"));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("UPDATE replies SET state = ?, attempts = ?, "
                    "next_attempt_time = ?, in_flight = ?, publish_time = ?, "
                    "last_error = ?, policy_rejection = ?, update_time = ? "
                    "WHERE review_id = ? AND tenant_id = ? AND generation = ?"));
  BindOutcome(stmt, row);
  stmt.BindInt64(row.review_id).BindText(row.tenant_id).BindInt64(
      row.generation);
  RETURN_IF_ERROR(stmt.Run());
  return conn_.Changes() > 0;
}

}  // namespace opinia::storage::sqlite
