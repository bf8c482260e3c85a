#include "service/core/collectors/reply.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/core/collectors/json_value.h"

namespace opinia::core::collectors {
namespace {

constexpr size_t kMaxErrorBytes = 300;

// The platform's own message in an error body; "" when it has none.
std::string ErrorMessage(const JsonValue& doc) {
  for (const char* path :
       {"error.message", "message", "details", "error_description"}) {
    if (auto text = ScalarText(FindPath(doc, path)); text && !text->empty()) {
      return *text;
    }
  }
  if (auto text = ScalarText(FindPath(doc, "error")); text) return *text;
  return "";
}

bool MentionsPolicy(std::string_view text) {
  const std::string lower = absl::AsciiStrToLower(std::string(text));
  return absl::StrContains(lower, "policy") ||
         absl::StrContains(lower, "abusive");
}

}  // namespace

std::string_view ReplyActionName(ReplyAction action) {
  return action == ReplyAction::kDelete ? "delete" : "publish";
}

ReplyResult ReadReplyAnswer(int status, std::string_view body,
                            std::string_view time_field) {
  ReplyResult result;
  absl::StatusOr<JsonValue> doc = ParseJson(body);
  if (status >= 200 && status < 300) {
    result.ok = true;
    if (doc.ok() && !time_field.empty()) {
      if (auto text = ScalarText(FindPath(*doc, time_field)); text) {
        result.publish_time = ParseTimeText(*text);
      }
    }
    return result;
  }
  result.retryable = status == 408 || status == 429 || status >= 500;
  std::string message = doc.ok() ? ErrorMessage(*doc) : "";
  if (message.size() > kMaxErrorBytes) {
    message = absl::StrCat(message.substr(0, kMaxErrorBytes), "...");
  }
  if (doc.ok()) {
    for (const char* path : {"error.status", "error.errors.0.reason",
                             "error.details.0.reason", "errorCode"}) {
      if (auto text = ScalarText(FindPath(*doc, path));
          text && MentionsPolicy(*text)) {
        result.policy_rejection = true;
      }
    }
  }
  if (!result.retryable && MentionsPolicy(message)) {
    result.policy_rejection = true;
  }
  if (result.retryable) result.policy_rejection = false;
  result.error = message.empty() ? absl::StrCat("HTTP ", status)
                                 : absl::StrCat("HTTP ", status, ": ", message);
  return result;
}

std::string UrlWithoutQuery(const std::string& url) {
  std::string out = url.substr(0, url.find_first_of("?#"));
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

std::string ApiBase(const std::string& url, std::string_view marker) {
  const std::string bare = UrlWithoutQuery(url);
  const size_t scheme = bare.find("://");
  if (scheme == std::string::npos) return "";
  const size_t path = bare.find('/', scheme + 3);
  if (path == std::string::npos) return bare;
  const size_t at = bare.find(marker, path);
  return bare.substr(0, at == std::string::npos ? path : at);
}

}  // namespace opinia::core::collectors
