// A review platform a collector reads (Google Business Profile, Trustpilot,
// a JSON or CSV feed): everything that differs by CollectorKind sits behind
// one `Platform`, one implementation per file in platforms/. The syncer,
// the collector validation and `opinia import` look the platform up by kind
// and never switch on it.
//
// This library (opinia_review_formats) depends on the protos and absl only:
// the CLI maps platform exports with the same code.
//
// How to add a platform (five touch points, nothing else):
//   1. protos/opinia/v1/collectors.proto: a new CollectorKind value;
//   2. platforms/<name>.cc: a class deriving from Platform (its facts in the
//      constructor, overrides for what differs) or a Feed (platforms/feed.h)
//      with its parser, and a factory `New<Name>Platform()`; shared helpers
//      in format_util.h (URLs, credentials, headers, times, ratings, replies);
//      its format tests next to formats_test.cc;
//   3. its registration: one line in platforms/builtin.cc, and the .cc in
//      opinia_review_formats (service/core/collectors/CMakeLists.txt);
//   4. the CLI's flag table: KindFlags() in service/cli/collectors_flags.cc;
//   5. that table's test: tests/service/cli/collectors_flags_test.cc.
// registry_test.cc and collectors_flags_test.cc fail while 1, 3 and 4
// disagree.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_PLATFORM_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_PLATFORM_H_

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/map.h"
#include "opinia/v1/collectors.pb.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/collectors/auth_kind.h"
#include "service/core/collectors/reply.h"
#include "service/core/util/http_client.h"

namespace opinia::core::collectors {

struct MappedReview {
  opinia::v1::ReviewInput input;
  // The owner's public reply found on the platform (recorded as the
  // review's response).
  bool has_reply = false;
  opinia::v1::ReviewResponse reply;
};

// One response body (a page) mapped to ReviewInputs. The caller stamps
// `source` and `subject_id` (unless a feed maps them) and validates the
// inputs (Ingestor). An item whose id is missing is still returned, with an
// empty external_id, so ingest REJECTs it with a reason instead of it
// vanishing silently.
struct MappedPage {
  std::vector<MappedReview> reviews;
  // Where the next page is, as the platform said it (Platform::NextPageUrl
  // turns it into a URL). "" on the last page.
  std::string next;
};

// A feed's field mapping (Collector.mapping); platforms/feed_mapping.h
// lists the keys. Empty for platforms that take none.
using FeedMapping = std::map<std::string, std::string>;

// How a platform lists reviews. Newest first lets incremental sync stop
// paging at the synced region; kNone means every run reads everything.
enum class SortOrder { kNone, kUpdateTimeDesc, kCreateTimeDesc };

// One platform: its facts (constructor) and behaviour (the virtuals; those
// with a default suit a feed-like platform). Immutable and thread-safe; the
// registry owns one per kind for the life of the process.
class Platform {
 public:
  // The Collector.credentials keys a platform takes, the one it requires
  // (nullptr: none), and its authentication (auth_kind.h): the keys of
  // its auth kinds are allowed too, and with kinds declared exactly one
  // kind's required keys must be complete.
  struct CredentialKeys {
    CredentialKeys(std::set<std::string> allowed = {},
                   const char* required = nullptr, AuthSpec auth = {})
        : allowed(std::move(allowed)),
          required(required),
          auth(std::move(auth)) {}

    std::set<std::string> allowed;
    const char* required = nullptr;
    AuthSpec auth;
  };

  virtual ~Platform() = default;

  opinia::v1::CollectorKind kind() const { return kind_; }
  // For people, e.g. "Google Business Profile".
  std::string_view name() const { return name_; }
  SortOrder order() const { return order_; }
  // Whether Collector.mapping applies (feeds) or must be empty.
  bool uses_mapping() const { return uses_mapping_; }
  // The kinds of credentials it accepts (empty: none of auth_kind.h's).
  const AuthSpec& auth() const { return credentials_.auth; }
  // How far back the platform lists reviews (Google Play: the last 7
  // days); nullopt: everything. With a window, a review missing from the
  // listing is not deleted (it only aged out), and a sync after a longer
  // gap than the window warns that reviews may have been missed.
  virtual std::optional<absl::Duration> ListingWindow() const {
    return std::nullopt;
  }

  // Validation beyond what every collector needs (an http(s) endpoint,
  // checked by the caller). Each returns INVALID_ARGUMENT naming `field`,
  // e.g. "collector.credentials[\"api_key\"]: required for TRUSTPILOT".
  // Default: any endpoint.
  virtual absl::Status ValidateEndpoint(const std::string& endpoint,
                                        std::string_view field) const;
  // Default: no mapping at all.
  virtual absl::Status ValidateMapping(const FeedMapping& mapping,
                                       std::string_view field) const;
  // Only the keys CredentialKeys allows, non-empty, without line breaks
  // (but the multi-line key credentials, auth_kind.h), the required one
  // present, "username" only with "password"; one auth kind, complete.
  absl::Status ValidateCredentials(const Credentials& credentials,
                                   std::string_view field) const;

  // The requests of a validated collector. Default: the endpoint as given.
  virtual std::string FirstPageUrl(const std::string& endpoint) const;
  // The page after `current` given its MappedPage::next. Default: `next`
  // is a URL, absolute or relative to `current`.
  virtual std::string NextPageUrl(const std::string& current,
                                  const std::string& next) const;
  // The headers of every request: Accept and the credentials. Default:
  // JSON, and CredentialHeaders (format_util.h) with "X-Api-Key". With a
  // renewable auth kind the caller passes the credentials with
  // "bearer_token" set to the current access token (token_cache.h).
  virtual HttpHeaders RequestHeaders(const Credentials& credentials) const;

  // One response body. INVALID_ARGUMENT for a body that is not the
  // platform's format ("malformed JSON: ...", "reviews: not a list", ...),
  // naming what was wrong.
  virtual absl::StatusOr<MappedPage> ParsePage(
      std::string_view body, const FeedMapping& mapping) const = 0;

  // --- Replies (reply.h): publishing, editing and deleting the owner's
  // reply to a review this platform's collector fetched. A platform that
  // takes replies overrides SupportsReply and BuildReplyRequest (and
  // ParseReplyResponse when its answers differ from ReadReplyAnswer's
  // reading); the defaults take none.

  // Whether the platform takes `action`. Default: no.
  virtual bool SupportsReply(ReplyAction action) const;
  // Whether sending the same publish twice leaves one reply (a PUT that
  // replaces): a publish whose answer was lost (the server killed between
  // sending and recording) is then simply sent again. Otherwise the worker
  // first reads the reply on the platform (BuildReplyCheckRequest) and
  // records the publish as done when the platform already shows the text.
  virtual bool IdempotentPublish() const { return false; }
  // The request for `action` on `target`. UNIMPLEMENTED "<kind>: ... not
  // supported" when !SupportsReply(action); FAILED_PRECONDITION naming
  // what is missing, e.g. "collector.credentials[\"bearer_token\"]: ...".
  // Callers may build it once up front to validate (nothing is sent).
  virtual absl::StatusOr<ReplyHttpRequest> BuildReplyRequest(
      ReplyAction action, const ReplyTarget& target) const;
  // The answer to that request. Default: ReadReplyAnswer(status, body, "").
  virtual ReplyResult ParseReplyResponse(ReplyAction action, int status,
                                         std::string_view body) const;
  // A GET of the review on the platform, its reply included (used only
  // when !IdempotentPublish()). Default: UNIMPLEMENTED.
  virtual absl::StatusOr<ReplyHttpRequest> BuildReplyCheckRequest(
      const ReplyTarget& target) const;
  // A 2xx answer to it: the reply now on the platform. INVALID_ARGUMENT
  // for a body not in the platform's format. Default: UNIMPLEMENTED.
  virtual absl::StatusOr<PlatformReply> ParseReplyCheck(
      std::string_view body) const;

  // --- Removal requests: asking the platform to take down a review that
  // breaks its rules (ReviewService.RequestReviewRemoval, removal.h).
  // `target.text` is the owner's reason. Defaults: not supported.

  virtual bool SupportsRemovalRequest() const { return false; }
  // UNIMPLEMENTED "<kind>: ..." when !SupportsRemovalRequest();
  // FAILED_PRECONDITION naming what is missing.
  virtual absl::StatusOr<ReplyHttpRequest> BuildRemovalRequest(
      const ReplyTarget& target) const;
  // The answer to it, read like a reply's (ReplyResult::publish_time: when
  // the platform registered the request). Default: ReadReplyAnswer(.., "").
  virtual ReplyResult ParseRemovalResponse(int status,
                                           std::string_view body) const;

 protected:
  Platform(opinia::v1::CollectorKind kind, std::string_view name,
           SortOrder order, CredentialKeys credentials,
           bool uses_mapping = false)
      : kind_(kind),
        name_(name),
        order_(order),
        credentials_(std::move(credentials)),
        uses_mapping_(uses_mapping) {}

 private:
  const opinia::v1::CollectorKind kind_;
  const std::string_view name_;  // a literal
  const SortOrder order_;
  const CredentialKeys credentials_;
  const bool uses_mapping_;
};

// The platform of `kind`; INVALID_ARGUMENT "kind: ..." listing the known
// kinds for UNSPECIFIED or a kind no platform registered.
absl::StatusOr<const Platform*> PlatformFor(opinia::v1::CollectorKind kind);

// Every registered platform, by kind.
const std::vector<const Platform*>& AllPlatforms();

// The registration list (platforms/builtin.cc): one new instance of every
// built-in platform. PlatformFor and AllPlatforms read it once.
std::vector<std::unique_ptr<Platform>> BuiltinPlatforms();

// The kinds of the platforms for which `pick` holds, for messages:
// "A, B or C" (`last` = "or").
std::string KindNames(bool (*pick)(const Platform&), std::string_view last);

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_PLATFORM_H_
