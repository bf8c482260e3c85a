// The owner's reply to a review, as a platform takes it: the types of the
// Platform reply interface (platform.h, "Replies") and the helpers the
// platforms share to build and read reply calls.
//
// The reply worker (core/reviews/reply_outbox.h) is the only caller: for a
// review a collector fetched it finds the collector (the review's
// attributes["collector"]), builds the request with
// Platform::BuildReplyRequest from the collector's endpoint and
// credentials and the review as the collector stored it (external_id and
// the platform's own ids in attributes), sends it, and reads the answer
// with Platform::ParseReplyResponse. Retry-After and back-off are the
// worker's; the platform only says whether a failure is worth retrying.
//
// Part of opinia_review_formats: protos, absl and the header types of
// util/http_client.h, no HTTP client.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_REPLY_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_REPLY_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "google/protobuf/map.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/util/http_client.h"

namespace opinia::core::collectors {

// kPublish creates the reply or replaces the one there (an edit is a
// publish of the new text); kDelete removes it.
enum class ReplyAction { kPublish, kDelete };

// "publish" / "delete", for messages.
std::string_view ReplyActionName(ReplyAction action);

// What a reply call is built from.
struct ReplyTarget {
  std::string endpoint;  // the collector's endpoint (its reviews list)
  google::protobuf::Map<std::string, std::string> credentials;
  // The review as the collector stored it: external_id is the platform's
  // review id; attributes hold the platform's other ids (e.g. gbp_name).
  opinia::v1::ReviewInput review;
  std::string text;  // the reply (kPublish); "" for kDelete
};

// One HTTP request, complete: every header (Accept, Content-Type and the
// credentials) is in `headers`.
struct ReplyHttpRequest {
  std::string method;  // "PUT", "POST", "DELETE", "GET"
  std::string url;
  HttpHeaders headers;
  std::string body;  // sent when method is PUT or POST
};

// What the platform said to a reply call.
struct ReplyResult {
  bool ok = false;
  // ok: when the platform says the reply was published (nullopt when its
  // answer has no time: the worker then uses its own clock).
  std::optional<absl::Time> publish_time;
  // !ok: the platform's own error message (never the request), e.g.
  // "HTTP 400: Reply violates the content policy".
  std::string error;
  // !ok: worth trying again (network, 408, 429, 5xx); else final.
  bool retryable = false;
  // !ok: the platform refused the reply's content (a policy rejection).
  bool policy_rejection = false;
};

// The reply currently on the platform (Platform::ParseReplyCheck).
struct PlatformReply {
  bool exists = false;
  std::string text;
  std::optional<absl::Time> update_time;
};

// --- Helpers for the platforms' implementations.

// The generic reading of an answer: 2xx is ok; 408, 429 and 5xx are
// retryable; the error is "HTTP <status>" and the platform's message found
// in the JSON body at "error.message" (Google), "message", "details",
// "error_description" or "error" (a string), cut to 300 bytes; a message,
// status or reason containing "policy" or "abusive" (any case) marks a
// policy rejection. `time_field` (dotted path, "" none) is the publish
// time in a 2xx body.
ReplyResult ReadReplyAnswer(int status, std::string_view body,
                            std::string_view time_field);

// `url` without its query and fragment, and without a trailing '/'.
std::string UrlWithoutQuery(const std::string& url);
// scheme://host[:port] of `url`, plus the part of the path before
// `marker` when the path contains it (an API mounted under a prefix, as
// on a test server): ApiBase("http://h:1/x/v1/a", "/v1/") ->
// "http://h:1/x". "" for a URL without "://".
std::string ApiBase(const std::string& url, std::string_view marker);

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_REPLY_H_
