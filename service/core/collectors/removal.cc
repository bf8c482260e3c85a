#include "service/core/collectors/removal.h"

#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "service/core/auth/authorization.h"
#include "service/core/collectors/collectors.h"
#include "service/core/collectors/platform.h"
#include "service/core/util/utf8.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

absl::Status CheckMessage(const std::string& message) {
  if (absl::StripAsciiWhitespace(message).empty()) {
    return absl::InvalidArgumentError(
        "message: required (why the review breaks the platform's rules)");
  }
  if (!IsValidUtf8(message)) {
    return absl::InvalidArgumentError("message: invalid UTF-8");
  }
  if (message.size() > kMaxRemovalMessageBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("message: ", message.size(), " bytes, at most ",
                     kMaxRemovalMessageBytes));
  }
  return absl::OkStatus();
}

// The platform's answer as the call's outcome (OK when it took the request).
absl::Status Outcome(const std::string& kind, const std::string& collector,
                     const HttpResult& answer, const ReplyResult& result) {
  if (result.ok) return absl::OkStatus();
  if (answer.status == 401 || answer.status == 403) {
    return absl::FailedPreconditionError(absl::StrCat(
        kind, ": ", result.error, ": the platform rejected the credentials of ",
        collector));
  }
  if (result.retryable) {
    const std::string retry_after = answer.Header("Retry-After");
    return absl::UnavailableError(absl::StrCat(
        kind, ": ", result.error,
        retry_after.empty() ? "" : absl::StrCat(" (Retry-After: ", retry_after,
                                                ")"),
        "; try again later"));
  }
  return absl::FailedPreconditionError(absl::StrCat(kind, ": ", result.error));
}

}  // namespace

absl::StatusOr<opinia::v1::Review> ReviewRemovals::Request(
    const Principal& caller,
    const opinia::v1::RequestReviewRemovalRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kRequestReviewRemoval));
  RETURN_IF_ERROR(CheckMessage(request.message()));
  // The respond role is enough (as for RecordResponse): the review is read
  // on the caller's behalf, for its platform ids.
  Principal reader = caller;
  reader.roles |= kRoleRead;
  ASSIGN_OR_RETURN(opinia::v1::Review review,
                   reviews_->Get(reader, request.name()));
  if (review.deleted()) {
    return absl::FailedPreconditionError(
        absl::StrCat("name: ", request.name(), " is deleted"));
  }
  const auto& attributes = review.input().attributes();
  const auto collector = attributes.find("collector");
  if (collector == attributes.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "name: ", request.name(), " was not fetched by a collector (source \"",
        review.input().source(),
        "\"); removal requests go to the platform through the collector "
        "that fetched the review"));
  }
  auto id = ParseCollectorName(collector->second, "collector");
  storage::CollectorRow row;
  absl::Status loaded =
      id.ok() ? store_->Read([&](storage::Txn& txn) -> absl::Status {
        ASSIGN_OR_RETURN(row,
                         txn.collectors().GetCollector(caller.tenant_id, *id));
        return absl::OkStatus();
      })
              : id.status();
  if (absl::IsNotFound(loaded) || absl::IsInvalidArgument(loaded)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "name: the collector that fetched ", request.name(), " (",
        collector->second, ") no longer exists"));
  }
  RETURN_IF_ERROR(loaded);
  opinia::v1::Collector spec;
  if (!spec.ParseFromString(row.spec)) {
    return absl::InternalError("stored collector is corrupt");
  }
  ASSIGN_OR_RETURN(const Platform* platform, PlatformFor(spec.kind()));
  const std::string kind = opinia::v1::CollectorKind_Name(spec.kind());
  if (!platform->SupportsRemovalRequest()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "name: reviews of ", kind,
        " cannot be reported for removal through its API; supported: ",
        KindNames([](const Platform& p) { return p.SupportsRemovalRequest(); },
                  "and")));
  }

  ReplyTarget target;
  target.endpoint = spec.endpoint();
  target.review = review.input();
  target.text = request.message();
  absl::StatusOr<HttpResult> answer =
      Send(*platform, CollectorTokenKey(caller.tenant_id, collector->second),
           spec, std::move(target));
  if (!answer.ok()) {
    // The transport's and the token cache's messages name origins and
    // OAuth error codes only.
    const absl::Status& s = answer.status();
    const std::string why = absl::StrCat(kind, ": ", s.message());
    if (absl::IsUnavailable(s) || absl::IsDeadlineExceeded(s) ||
        absl::IsCancelled(s)) {
      return absl::UnavailableError(absl::StrCat(why, "; try again later"));
    }
    if (absl::IsUnauthenticated(s)) {
      return absl::FailedPreconditionError(absl::StrCat(
          why, ": the credentials of ", collector->second,
          " were rejected; update them"));
    }
    return absl::FailedPreconditionError(why);
  }
  const ReplyResult result =
      platform->ParseRemovalResponse(answer->status, answer->body);
  RETURN_IF_ERROR(Outcome(kind, collector->second, *answer, result));
  return reviews_->RecordRemovalRequest(
      caller, request.name(), kind, result.publish_time.value_or(clock_->Now()),
      request.message().size());
}

absl::StatusOr<HttpResult> ReviewRemovals::Send(
    const Platform& platform, const std::string& token_key,
    const opinia::v1::Collector& spec, ReplyTarget target) const {
  for (int attempt = 1;; ++attempt) {
    if (tokens_ != nullptr) {
      ASSIGN_OR_RETURN(target.credentials,
                       tokens_->Resolve(token_key, platform,
                                        spec.credentials()));
    } else {
      target.credentials = spec.credentials();
    }
    ASSIGN_OR_RETURN(ReplyHttpRequest call,
                     platform.BuildRemovalRequest(target));
    const std::string_view body(call.body);
    ASSIGN_OR_RETURN(HttpResult answer,
                     http_->Send(call.method, call.url, call.headers,
                                 call.body.empty() ? nullptr : &body, call_));
    if (answer.status != 401 || attempt > 1 || tokens_ == nullptr ||
        !tokens_->Invalidate(token_key, platform, spec.credentials(),
                             call.headers)) {
      return answer;
    }
  }
}

}  // namespace opinia::core::collectors
