#include "service/core/collectors/removal.h"

#include <memory>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "service/core/auth/authorization.h"
#include "service/core/collectors/collectors.h"
#include "service/core/collectors/platform.h"
#include "service/core/collectors/review_platform.h"
#include "service/core/util/names.h"
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

struct ReviewRemovals::Checked {
  ReviewPlatform found;
  std::string kind;  // "ALLEGRO"
};

absl::StatusOr<ReviewRemovals::Checked> ReviewRemovals::Check(
    const Principal& caller,
    const opinia::v1::RequestReviewRemovalRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kRequestReviewRemoval));
  RETURN_IF_ERROR(CheckMessage(request.message()));
  ASSIGN_OR_RETURN(const int64_t review_id,
                   ParseReviewName(request.name(), "name"));
  Checked checked;
  ReviewPlatform& found = checked.found;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    absl::StatusOr<storage::ReviewRow> review =
        txn.GetReview(caller.tenant_id, review_id);
    if (absl::IsNotFound(review.status())) {
      return absl::NotFoundError(
          absl::StrCat("name: ", request.name(), " not found"));
    }
    RETURN_IF_ERROR(review.status());
    if (review->deleted) {
      return absl::FailedPreconditionError(
          absl::StrCat("name: ", request.name(), " is deleted"));
    }
    ASSIGN_OR_RETURN(found, PlatformOfReview(txn, *review, "name",
                                             "a removal request to"));
    return absl::OkStatus();
  }));
  checked.kind = opinia::v1::CollectorKind_Name(found.spec.kind());
  if (!found.platform->SupportsRemovalRequest()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "name: reviews of ", checked.kind,
        " cannot be reported for removal through its API; supported: ",
        KindNames([](const Platform& p) { return p.SupportsRemovalRequest(); },
                  "and")));
  }
  found.target.text = request.message();
  return checked;
}

absl::StatusOr<opinia::v1::Review> ReviewRemovals::SendAndRecord(
    const Principal& caller, const std::string& name, Checked checked) const {
  const Platform& platform = *checked.found.platform;
  const std::string& kind = checked.kind;
  const std::string& collector = checked.found.collector;
  const size_t message_bytes = checked.found.target.text.size();
  absl::StatusOr<HttpResult> answer =
      Send(platform, CollectorTokenKey(caller.tenant_id, collector),
           checked.found.spec, std::move(checked.found.target));
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
          why, ": the credentials of ", collector,
          " were rejected; update them"));
    }
    return absl::FailedPreconditionError(why);
  }
  const ReplyResult result =
      platform.ParseRemovalResponse(answer->status, answer->body);
  RETURN_IF_ERROR(Outcome(kind, collector, *answer, result));
  return reviews_->RecordRemovalRequest(
      caller, name, kind, result.publish_time.value_or(clock_->Now()),
      message_bytes);
}

void ReviewRemovals::RequestAsync(
    const Principal& caller,
    const opinia::v1::RequestReviewRemovalRequest& request, Done done) const {
  absl::StatusOr<Checked> checked = Check(caller, request);
  if (!checked.ok()) return done(checked.status());
  if (executor_ == nullptr) {
    return done(SendAndRecord(caller, request.name(), *std::move(checked)));
  }
  const std::string destination =
      OutboundDestination(checked->found.spec.endpoint());
  auto task = [this, caller, name = request.name(),
               checked = std::make_shared<Checked>(*std::move(checked)),
               done = std::move(done)](bool run) {
    if (!run) {
      return done(absl::UnavailableError(
          "the server is stopping; the removal request was not sent, try "
          "again"));
    }
    done(SendAndRecord(caller, name, std::move(*checked)));
  };
  executor_->Submit(caller.tenant_id, destination, std::move(task));
}

absl::StatusOr<opinia::v1::Review> ReviewRemovals::Request(
    const Principal& caller,
    const opinia::v1::RequestReviewRemovalRequest& request) const {
  absl::StatusOr<opinia::v1::Review> result;
  absl::Notification finished;
  RequestAsync(caller, request, [&](absl::StatusOr<opinia::v1::Review> r) {
    result = std::move(r);
    finished.Notify();
  });
  finished.WaitForNotification();
  return result;
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
