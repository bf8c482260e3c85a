#include "service/core/reviews/reviews.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "service/core/auth/authorization.h"
#include "service/core/reviews/review_model.h"
#include "service/core/reviews/search_query.h"
#include "service/core/tenants/tenant_settings.h"
#include "service/core/util/absl_sv.h"
#include "service/core/util/names.h"
#include "service/core/util/paging.h"
#include "service/core/util/time_proto.h"
#include "service/core/util/utf8.h"
#include "service/storage/review_order.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

using opinia::v1::Review;

constexpr size_t kMaxResponseBytes = 64 * 1024;
constexpr size_t kMaxAuthorBytes = 1024;

// order_by: a comma-separated list of "field [asc|desc]" (a field alone is
// ascending); case and extra spaces do not matter.
absl::StatusOr<storage::ReviewOrder> ParseOrderBy(std::string_view order_by) {
  if (absl::StripAsciiWhitespace(Av(order_by)).empty()) {
    return storage::ReviewOrder::kCreateTimeDesc;
  }
  std::vector<std::string> keys;
  for (absl::string_view item :
       absl::StrSplit(absl::AsciiStrToLower(Av(order_by)), ',')) {
    std::vector<absl::string_view> words =
        absl::StrSplit(item, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (words.size() == 1) words.push_back("asc");
    keys.push_back(absl::StrJoin(words, " "));
  }
  const std::string normal = absl::StrJoin(keys, ", ");
  if (normal == "create_time desc") return storage::ReviewOrder::kCreateTimeDesc;
  if (normal == "create_time asc") return storage::ReviewOrder::kCreateTimeAsc;
  if (normal == "priority asc, respond_by asc") {
    return storage::ReviewOrder::kUrgency;
  }
  if (normal == "respond_by asc") return storage::ReviewOrder::kRespondBy;
  return absl::InvalidArgumentError(
      "order_by: supported are \"create_time desc\" (default), "
      "\"create_time asc\", \"priority asc, respond_by asc\" (most urgent "
      "first) and \"respond_by asc\"");
}

absl::StatusOr<storage::ReviewFilter> FilterOf(
    const opinia::v1::ListReviewsRequest& r) {
  storage::ReviewFilter f;
  if (!r.query().empty()) {
    ASSIGN_OR_RETURN(f.text_query, ParseSearchQuery(r.query()));
  }
  ASSIGN_OR_RETURN(f.order, ParseOrderBy(r.order_by()));
  f.sources.assign(r.sources().begin(), r.sources().end());
  f.subject_ids.assign(r.subject_ids().begin(), r.subject_ids().end());
  f.languages.assign(r.languages().begin(), r.languages().end());
  f.labels.assign(r.labels().begin(), r.labels().end());
  f.priorities.assign(r.priorities().begin(), r.priorities().end());
  f.statuses.assign(r.statuses().begin(), r.statuses().end());
  if (r.min_rating() < 0 || r.min_rating() > 5) {
    return absl::InvalidArgumentError("min_rating: outside 0..5");
  }
  if (r.max_rating() < 0 || r.max_rating() > 5) {
    return absl::InvalidArgumentError("max_rating: outside 0..5");
  }
  if (r.min_rating() && r.max_rating() && r.min_rating() > r.max_rating()) {
    return absl::InvalidArgumentError("min_rating: greater than max_rating");
  }
  f.min_rating = r.min_rating();
  f.max_rating = r.max_rating();
  if (r.has_start_time()) {
    RETURN_IF_ERROR(ValidateTimestamp(r.start_time(), "start_time"));
    f.start_time = FromTimestamp(r.start_time());
  }
  if (r.has_end_time()) {
    RETURN_IF_ERROR(ValidateTimestamp(r.end_time(), "end_time"));
    f.end_time = FromTimestamp(r.end_time());
    if (f.end_time == absl::InfinitePast()) f.end_time = absl::InfiniteFuture();
  }
  f.include_deleted = r.show_deleted();
  return f;
}

// A keyset position as page token text. The create_time orders keep the
// form "seconds:nanos:id" of the tokens made before the other orders
// existed; the inbox orders write "u:priority:respond_by:id", respond_by in
// Unix microseconds or "none".
std::string EncodeCursor(storage::ReviewOrder order,
                         const storage::ReviewRow& row) {
  if (storage::IsInboxOrder(order)) {
    const std::string due = row.respond_by == absl::InfinitePast()
                                ? "none"
                                : absl::StrCat(absl::ToUnixMicros(row.respond_by));
    return absl::StrCat("u:", row.priority, ":", due, ":", row.id);
  }
  const int64_t seconds = absl::ToUnixSeconds(row.create_time);
  const int64_t nanos = absl::ToInt64Nanoseconds(
      row.create_time - absl::FromUnixSeconds(seconds));
  return absl::StrCat(seconds, ":", nanos, ":", row.id);
}

absl::StatusOr<std::optional<storage::ReviewCursor>> DecodeCursor(
    storage::ReviewOrder order, std::string_view cursor) {
  if (cursor.empty()) return std::nullopt;
  std::vector<absl::string_view> parts = absl::StrSplit(Av(cursor), ':');
  storage::ReviewCursor c;
  if (storage::IsInboxOrder(order)) {
    int64_t micros = 0;
    if (parts.size() != 4 || parts[0] != "u" ||
        !absl::SimpleAtoi(parts[1], &c.priority) ||
        !(parts[2] == "none" || absl::SimpleAtoi(parts[2], &micros)) ||
        !absl::SimpleAtoi(parts[3], &c.id)) {
      return absl::InvalidArgumentError("page_token: malformed");
    }
    c.respond_by = parts[2] == "none" ? absl::InfinitePast()
                                      : absl::FromUnixMicros(micros);
    return c;
  }
  int64_t seconds = 0, nanos = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &seconds) ||
      !absl::SimpleAtoi(parts[1], &nanos) || !absl::SimpleAtoi(parts[2], &c.id)) {
    return absl::InvalidArgumentError("page_token: malformed");
  }
  c.create_time = absl::FromUnixSeconds(seconds) + absl::Nanoseconds(nanos);
  return c;
}

// Identity of a result set for page tokens: tenant + request sans paging.
std::string QueryKey(std::string_view tenant_id,
                     opinia::v1::ListReviewsRequest request) {
  request.clear_page_token();
  request.clear_page_size();
  std::string bytes;
  request.SerializeToString(&bytes);
  return absl::StrCat("reviews\n", Av(tenant_id), "\n", bytes);
}

std::string Describe(const opinia::v1::Analysis& ov, int32_t status) {
  return absl::StrCat(
      "{\"override.sentiment\":\"",
      opinia::v1::SentimentLabel_Name(ov.sentiment().label()),
      "\",\"override.urgency.priority\":\"",
      opinia::v1::Priority_Name(ov.urgency().priority()), "\",\"status\":\"",
      opinia::v1::ReviewStatus_Name(static_cast<opinia::v1::ReviewStatus>(status)),
      "\"}");
}

// The publication state of `reply` on the review's response.
void ApplyReply(const storage::ReplyRow& reply, Review* review) {
  opinia::v1::ReviewResponse* r = review->mutable_response();
  const bool publish = reply.action == storage::kReplyPublish;
  switch (reply.state) {
    case storage::kReplyPending:
      r->set_state(publish ? opinia::v1::REPLY_PENDING
                           : opinia::v1::REPLY_DELETE_PENDING);
      break;
    case storage::kReplyDone:
      r->set_state(publish ? opinia::v1::REPLY_PUBLISHED
                           : opinia::v1::REPLY_DELETED);
      break;
    default:
      r->set_state(opinia::v1::REPLY_FAILED);
  }
  if (reply.state == storage::kReplyDone &&
      reply.publish_time != absl::InfinitePast()) {
    ToTimestamp(reply.publish_time, r->mutable_publish_time());
  }
  r->set_publish_error(reply.last_error);
  r->set_publish_attempts(reply.attempts);
}

// The review `row` as the API shows it, with its reply's state when it has
// a reply row (`txn` is the transaction that read `row`).
absl::StatusOr<Review> ReviewWithReply(storage::Txn& txn,
                                       const storage::ReviewRow& row) {
  ASSIGN_OR_RETURN(Review review, ReviewFromRow(row));
  absl::StatusOr<storage::ReplyRow> reply =
      txn.replies().GetReply(row.tenant_id, row.id);
  if (absl::IsNotFound(reply.status())) return review;
  if (!reply.ok()) return reply.status();
  ApplyReply(*reply, &review);
  return review;
}

}  // namespace

absl::StatusOr<Review> Reviews::Get(const Principal& caller,
                                    std::string_view name) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kGetReview));
  const std::string& tenant_id = caller.tenant_id;
  ASSIGN_OR_RETURN(auto id, ParseReviewName(name, "name"));
  Review review;
  absl::Status status = store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(storage::ReviewRow row, txn.GetReview(tenant_id, id));
    ASSIGN_OR_RETURN(review, ReviewWithReply(txn, row));
    return absl::OkStatus();
  });
  if (absl::IsNotFound(status)) {
    return absl::NotFoundError(absl::StrCat("name: ", Av(name), " not found"));
  }
  if (!status.ok()) return status;
  return review;
}

absl::StatusOr<opinia::v1::ListReviewsResponse> Reviews::List(
    const Principal& caller,
    const opinia::v1::ListReviewsRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kListReviews));
  const std::string& tenant_id = caller.tenant_id;
  ASSIGN_OR_RETURN(auto filter, FilterOf(request));
  ASSIGN_OR_RETURN(auto page_size, PageSize(request.page_size()));
  ASSIGN_OR_RETURN(
      auto cursor_bytes,
      DecodePageToken(store_->ServerSecret(), QueryKey(tenant_id, request),
                      request.page_token()));
  ASSIGN_OR_RETURN(auto cursor, DecodeCursor(filter.order, cursor_bytes));

  std::vector<storage::ReviewRow> rows;
  std::vector<storage::ReplyRow> replies;
  int64_t total = 0;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(rows,
                     txn.ListReviews(tenant_id, filter, cursor, page_size + 1));
    ASSIGN_OR_RETURN(total, txn.CountReviews(tenant_id, filter));
    std::vector<int64_t> ids;
    for (const storage::ReviewRow& row : rows) ids.push_back(row.id);
    ASSIGN_OR_RETURN(replies, txn.replies().GetReplies(tenant_id, ids));
    return absl::OkStatus();
  }));

  opinia::v1::ListReviewsResponse response;
  const bool more = static_cast<int>(rows.size()) > page_size;
  if (more) rows.resize(page_size);
  std::map<int64_t, const storage::ReplyRow*> reply_of;
  for (const storage::ReplyRow& reply : replies) {
    reply_of[reply.review_id] = &reply;
  }
  for (const auto& row : rows) {
    ASSIGN_OR_RETURN(auto review, ReviewFromRow(row));
    if (auto it = reply_of.find(row.id); it != reply_of.end()) {
      ApplyReply(*it->second, &review);
    }
    *response.add_reviews() = std::move(review);
  }
  if (more) {
    response.set_next_page_token(EncodePageToken(store_->ServerSecret(),
                                                 QueryKey(tenant_id, request),
                                                 EncodeCursor(filter.order,
                                                              rows.back())));
  }
  response.set_total_size(static_cast<int32_t>(total));
  return response;
}

absl::StatusOr<Review> Reviews::Update(
    const Principal& caller,
    const opinia::v1::UpdateReviewRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kUpdateReview));
  const std::string& tenant_id = caller.tenant_id;
  const std::string actor = caller.actor();
  bool set_sentiment = false, set_priority = false, set_status = false;
  if (request.update_mask().paths().empty()) {
    return absl::InvalidArgumentError(
        "update_mask: required; paths: override.sentiment, "
        "override.urgency.priority, override, status");
  }
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "override.sentiment") {
      set_sentiment = true;
    } else if (path == "override.urgency.priority") {
      set_priority = true;
    } else if (path == "override") {
      set_sentiment = set_priority = true;
    } else if (path == "status") {
      set_status = true;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: path \"", path.substr(0, 100),
          "\" cannot be updated; paths: override.sentiment, "
          "override.urgency.priority, override, status"));
    }
  }
  const Review& in = request.review();
  const opinia::v1::Sentiment& sentiment = in.override().sentiment();
  if (set_sentiment) {
    if (!opinia::v1::SentimentLabel_IsValid(sentiment.label())) {
      return absl::InvalidArgumentError(
          "review.override.sentiment.label: unknown value");
    }
    if (sentiment.score() < -1 || sentiment.score() > 1) {
      return absl::InvalidArgumentError(
          "review.override.sentiment.score: outside [-1, 1]");
    }
  }
  const opinia::v1::Priority priority = in.override().urgency().priority();
  if (set_priority && !opinia::v1::Priority_IsValid(priority)) {
    return absl::InvalidArgumentError(
        "review.override.urgency.priority: unknown value");
  }
  if (set_status && (!opinia::v1::ReviewStatus_IsValid(in.status()) ||
                     in.status() == opinia::v1::REVIEW_STATUS_UNSPECIFIED)) {
    return absl::InvalidArgumentError(
        "review.status: must be NEW, ACKNOWLEDGED, RESPONDED or RESOLVED");
  }
  std::vector<std::string> paths(request.update_mask().paths().begin(),
                                 request.update_mask().paths().end());
  // A priority set by a person gets its deadline from the tenant's policy.
  SlaPolicy sla;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(sla, LoadSlaPolicy(txn, tenant_id));
    return absl::OkStatus();
  }));
  return Mutate(
      tenant_id, actor, in.name(), "review.name", "review.update",
      [&](storage::ReviewRow& row, std::string& detail) -> absl::Status {
        opinia::v1::Analysis ov;
        if (!ov.ParseFromString(row.override_analysis)) {
          return absl::InternalError("stored override is corrupt");
        }
        const std::string before = Describe(ov, row.status);
        if (set_sentiment) {
          if (sentiment.label() == opinia::v1::SENTIMENT_LABEL_UNSPECIFIED) {
            ov.clear_sentiment();
          } else {
            *ov.mutable_sentiment() = sentiment;
          }
        }
        if (set_priority) {
          ov.mutable_urgency()->set_priority(priority);
          if (ov.urgency().ByteSizeLong() == 0) ov.clear_urgency();
        }
        if (set_status) row.status = in.status();
        row.override_analysis =
            ov.ByteSizeLong() == 0 ? "" : ov.SerializeAsString();
        RETURN_IF_ERROR(RefreshEffective(&row, sla));
        detail = absl::StrCat("{\"paths\":[\"", absl::StrJoin(paths, "\",\""),
                              "\"],\"old\":", before,
                              ",\"new\":", Describe(ov, row.status), "}");
        return absl::OkStatus();
      });
}

absl::StatusOr<Review> Reviews::Delete(const Principal& caller,
                                       std::string_view name) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kDeleteReview));
  const std::string& tenant_id = caller.tenant_id;
  const std::string actor = caller.actor();
  return Mutate(tenant_id, actor, name, "name", "review.delete",
                [](storage::ReviewRow& row, std::string& detail) {
                  if (row.deleted) return absl::OkStatus();  // no change
                  row.deleted = true;
                  detail = "{\"deleted\":true}";
                  return absl::OkStatus();
                });
}

absl::StatusOr<Review> Reviews::RecordResponse(
    const Principal& caller,
    const opinia::v1::RecordResponseRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kRecordResponse));
  const std::string& tenant_id = caller.tenant_id;
  const std::string actor = caller.actor();
  const opinia::v1::ReviewResponse& response = request.response();
  if (response.text().empty()) {
    return absl::InvalidArgumentError("response.text: required");
  }
  if (!IsValidUtf8(response.text())) {
    return absl::InvalidArgumentError("response.text: invalid UTF-8");
  }
  if (response.text().size() > kMaxResponseBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "response.text: longer than ", kMaxResponseBytes, " bytes"));
  }
  if (!IsValidUtf8(response.author()) ||
      response.author().size() > kMaxAuthorBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "response.author: invalid UTF-8 or longer than ", kMaxAuthorBytes,
        " bytes"));
  }
  absl::Time when = clock_->Now();
  if (response.has_response_time()) {
    RETURN_IF_ERROR(
        ValidateTimestamp(response.response_time(), "response.response_time"));
    when = FromTimestamp(response.response_time());
  }
  if (request.publish() && reply_queue_ == nullptr) {
    return absl::FailedPreconditionError(
        "publish: this server publishes no replies");
  }
  AlsoWrite queue;
  if (request.publish()) {
    queue = [&](storage::Txn& txn, const storage::ReviewRow& row) {
      return reply_queue_->Queue(txn, row, storage::kReplyPublish,
                                 response.text(), clock_->Now(), "publish");
    };
  }
  return MutateAndQueue(
      tenant_id, actor, request.name(), "review.respond",
      [&](storage::ReviewRow& row, std::string& detail) {
        detail = absl::StrCat(
            "{\"old_status\":\"",
            opinia::v1::ReviewStatus_Name(
                static_cast<opinia::v1::ReviewStatus>(row.status)),
            "\",\"new_status\":\"RESPONDED\",\"response_bytes\":",
            response.text().size(), "}");
        if (request.publish()) {
          detail.insert(detail.size() - 1, ",\"publish\":true");
        }
        row.response_text = response.text();
        row.response_author = response.author();
        row.response_time = when;
        row.status = opinia::v1::RESPONDED;
        return absl::OkStatus();
      },
      queue);
}

absl::StatusOr<Review> Reviews::DeleteResponse(const Principal& caller,
                                               std::string_view name) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kDeleteResponse));
  if (reply_queue_ == nullptr) {
    return absl::FailedPreconditionError(
        "name: this server deletes no replies on platforms");
  }
  return MutateAndQueue(
      caller.tenant_id, caller.actor(), name, "review.reply_delete",
      [&](storage::ReviewRow& row, std::string& detail) {
        if (row.response_text.empty()) {
          return absl::FailedPreconditionError(absl::StrCat(
              "name: ", Av(name), " has no reply to delete"));
        }
        detail = "{\"delete_reply\":true}";
        return absl::OkStatus();
      },
      [&](storage::Txn& txn, const storage::ReviewRow& row) {
        return reply_queue_->Queue(txn, row, storage::kReplyDelete, "",
                                   clock_->Now(), "name");
      });
}

absl::StatusOr<Review> Reviews::RecordRemovalRequest(
    const Principal& caller, std::string_view name, std::string_view platform,
    absl::Time requested_at, size_t message_bytes) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kRequestReviewRemoval));
  const std::string when = absl::FormatTime(
      "%Y-%m-%dT%H:%M:%E*SZ", requested_at, absl::UTCTimeZone());
  return Mutate(
      caller.tenant_id, caller.actor(), name, "name", "review.request_removal",
      [&](storage::ReviewRow& row, std::string& detail) {
        opinia::v1::ReviewInput input;
        if (!input.ParseFromString(row.input)) {
          return absl::DataLossError(
              absl::StrCat(ReviewName(row.id), ": stored input is corrupt"));
        }
        (*input.mutable_attributes())["removal_requested_at"] = when;
        row.input = input.SerializeAsString();
        detail = absl::StrCat("{\"platform\":\"", Av(platform),
                              "\",\"requested_at\":\"", when,
                              "\",\"message_bytes\":", message_bytes, "}");
        return absl::OkStatus();
      });
}

absl::StatusOr<Review> Reviews::MutateAndQueue(
    std::string_view tenant_id, std::string_view actor, std::string_view name,
    std::string_view action, const Mutation& mutate,
    const AlsoWrite& queue) const {
  absl::StatusOr<Review> review =
      Mutate(tenant_id, actor, name, "name", action, mutate, queue);
  if (review.ok() && queue) reply_queue_->Queued();
  return review;
}

absl::StatusOr<Review> Reviews::Mutate(std::string_view tenant_id,
                                       std::string_view actor,
                                       std::string_view name,
                                       std::string_view name_field,
                                       std::string_view action,
                                       const Mutation& mutate,
                                       const AlsoWrite& also) const {
  auto id = ParseReviewName(name, name_field);
  if (!id.ok()) return id.status();
  const absl::Time now = clock_->Now();
  storage::ReviewRow row;
  Review out;
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    auto found = txn.GetReview(tenant_id, *id);
    if (absl::IsNotFound(found.status())) {
      return absl::NotFoundError(
          absl::StrCat(Av(name_field), ": ", Av(name), " not found"));
    }
    if (!found.ok()) return found.status();
    row = *std::move(found);
    if (row.deleted && action != "review.delete") {
      return absl::FailedPreconditionError(
          absl::StrCat(Av(name_field), ": ", Av(name), " is deleted"));
    }
    std::string detail;
    const storage::ReviewRow before = row;
    RETURN_IF_ERROR(mutate(row, detail));
    if (detail.empty()) {
      ASSIGN_OR_RETURN(out, ReviewWithReply(txn, row));
      return absl::OkStatus();
    }
    row.modify_time = now;
    RETURN_IF_ERROR(txn.UpdateReview(row));
    if (observer_ != nullptr) {
      ReviewChange change;
      if (action == "review.delete") {
        change.kind = ReviewChange::Kind::kDeleted;
      } else if (action == "review.respond") {
        change.kind = ReviewChange::Kind::kResponded;
      } else if (before.override_analysis != row.override_analysis) {
        change.kind = ReviewChange::Kind::kOverridden;
      } else {
        change.kind = ReviewChange::Kind::kStatusChanged;
      }
      change.before = &before;
      change.after = &row;
      change.now = now;
      RETURN_IF_ERROR(observer_->OnReviewChanged(txn, change));
    }
    storage::AuditRow audit;
    audit.tenant_id = std::string(tenant_id);
    audit.actor = std::string(actor);
    audit.action = std::string(action);
    audit.target = ReviewName(row.id);
    audit.detail = std::move(detail);
    audit.time = now;
    RETURN_IF_ERROR(txn.InsertAudit(audit).status());
    if (also) RETURN_IF_ERROR(also(txn, row));
    ASSIGN_OR_RETURN(out, ReviewWithReply(txn, row));
    return absl::OkStatus();
  }));
  if (observer_ != nullptr) observer_->OnCommitted(tenant_id);
  return out;
}

}  // namespace opinia::core
