#include "service/storage/postgres/pg_replies.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "util/status_macros.h"

namespace opinia::storage::pg {
namespace {

constexpr char kReplyColumns[] =
    "tenant_id, review_id, generation, action, text, collector, state, "
    "attempts, next_attempt_time, in_flight, publish_time, last_error, "
    "policy_rejection, create_time, update_time";

ReplyRow ReadReply(const Result& r, int i) {
  ReplyRow row;
  row.tenant_id = r.String(i, 0);
  row.review_id = r.Int(i, 1);
  row.generation = r.Int(i, 2);
  row.action = static_cast<int32_t>(r.Int(i, 3));
  row.text = r.String(i, 4);
  row.collector = r.String(i, 5);
  row.state = static_cast<int32_t>(r.Int(i, 6));
  row.attempts = static_cast<int32_t>(r.Int(i, 7));
  row.next_attempt_time = r.Time(i, 8);
  row.in_flight = r.Bool(i, 9);
  row.publish_time = r.Time(i, 10);
  row.last_error = r.String(i, 11);
  row.policy_rejection = r.Bool(i, 12);
  row.create_time = r.Time(i, 13);
  row.update_time = r.Time(i, 14);
  return row;
}

// The outcome columns in the order of UpdateReply's SET list.
Params& AddOutcome(Params& p, const ReplyRow& row) {
  return p.Int(row.state)
      .Int(row.attempts)
      .Time(row.next_attempt_time)
      .Bool(row.in_flight)
      .Time(row.publish_time)
      .Text(row.last_error)
      .Bool(row.policy_rejection)
      .Time(row.update_time);
}

}  // namespace

absl::StatusOr<int64_t> PgReplies::PutReply(const ReplyRow& row) {
  RETURN_IF_ERROR(CheckWritable("PutReply"));
  static const std::string kSql = absl::StrCat(
      "INSERT INTO replies (", kReplyColumns,
      ") VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $14, "
      "$13) ON CONFLICT (review_id) DO UPDATE SET "
      "generation = replies.generation + 1, action = excluded.action, "
      "text = excluded.text, collector = excluded.collector, "
      "state = excluded.state, attempts = excluded.attempts, "
      "next_attempt_time = excluded.next_attempt_time, "
      "in_flight = excluded.in_flight, publish_time = excluded.publish_time, "
      "last_error = excluded.last_error, "
      "policy_rejection = excluded.policy_rejection, "
      "update_time = excluded.update_time "
      "WHERE replies.tenant_id = excluded.tenant_id RETURNING generation");
  Params p;
  p.Text(row.tenant_id)
      .Int(row.review_id)
      .Int(row.action)
      .Text(row.text)
      .Text(row.collector);
  AddOutcome(p, row).Time(row.create_time);
  ASSIGN_OR_RETURN(Result r, conn_.Exec(kSql, p));
  if (r.rows() == 0) {
    return absl::NotFoundError(
        absl::StrCat("review ", row.review_id, " not found"));
  }
  return r.Int(0, 0);
}

absl::StatusOr<ReplyRow> PgReplies::GetReply(std::string_view tenant_id,
                                             int64_t review_id) {
  static const std::string kSql =
      absl::StrCat("SELECT ", kReplyColumns,
                   " FROM replies WHERE review_id = $1 AND tenant_id = $2");
  ASSIGN_OR_RETURN(Result r,
                   conn_.Exec(kSql, Params().Int(review_id).Text(tenant_id)));
  RETURN_IF_ERROR(
      ExpectRow(r, absl::StrCat("reply of review ", review_id, " not found")));
  return ReadReply(r, 0);
}

absl::StatusOr<std::vector<ReplyRow>> PgReplies::GetReplies(
    std::string_view tenant_id, const std::vector<int64_t>& review_ids) {
  if (review_ids.empty()) return std::vector<ReplyRow>{};
  static const std::string kSql = absl::StrCat(
      "SELECT ", kReplyColumns,
      " FROM replies WHERE review_id = ANY($1::bigint[]) AND tenant_id = $2");
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec(kSql, Params()
                           .Text(absl::StrCat(
                               "{", absl::StrJoin(review_ids, ","), "}"))
                           .Text(tenant_id)));
  return ReadRows(r, ReadReply);
}

absl::StatusOr<std::vector<ReplyRow>> PgReplies::ListDueReplies(absl::Time now,
                                                                int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  static const std::string kSql = absl::StrCat(
      "SELECT ", kReplyColumns,
      " FROM replies WHERE state = 1 AND next_attempt_time <= $1 "
      "ORDER BY next_attempt_time, review_id LIMIT $2");
  ASSIGN_OR_RETURN(Result r, conn_.Exec(kSql, Params().Time(now).Int(limit)));
  return ReadRows(r, ReadReply);
}

absl::StatusOr<bool> PgReplies::UpdateReply(const ReplyRow& row) {
  RETURN_IF_ERROR(CheckWritable("UpdateReply"));
  Params p;
  AddOutcome(p, row).Int(row.review_id).Text(row.tenant_id).Int(
      row.generation);
  ASSIGN_OR_RETURN(
      Result r,
      conn_.Exec("UPDATE replies SET state = $1, attempts = $2, "
                 "next_attempt_time = $3, in_flight = $4, publish_time = $5, "
                 "last_error = $6, policy_rejection = $7, update_time = $8 "
                 "WHERE review_id = $9 AND tenant_id = $10 AND "
                 "generation = $11",
                 p));
  return r.affected() > 0;
}

}  // namespace opinia::storage::pg
