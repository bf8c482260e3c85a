// Platform formats -> ReviewInput: pure functions from one response body (a
// page) to the reviews in it, the owner replies and where the next page is.
// Used by the collectors (server) and by `opinia import` (CLI), so this
// library depends on the protos and absl only.
//
// The caller stamps `source` and `subject_id` (unless a feed maps them) and
// validates the inputs (Ingestor). An item whose id is missing is still
// returned, with an empty external_id, so ingest REJECTs it with a reason
// instead of it vanishing silently.
//
// Codes: INVALID_ARGUMENT for a body that is not the expected format
// ("malformed JSON: ...", "reviews: not a list", ...), naming what was wrong.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_FORMATS_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_FORMATS_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "opinia/v1/collectors.pb.h"
#include "opinia/v1/reviews.pb.h"

namespace opinia::core::collectors {

struct MappedReview {
  opinia::v1::ReviewInput input;
  // The owner's public reply found on the platform (recorded as the
  // review's response).
  bool has_reply = false;
  opinia::v1::ReviewResponse reply;
};

struct MappedPage {
  std::vector<MappedReview> reviews;
  // Where the next page is: GBP the nextPageToken, Trustpilot the
  // "next-page" link href, a JSON feed the value at mapping["next_page"]
  // (a URL, absolute or relative to the feed). "" on the last page.
  std::string next;
};

// Google Business Profile `accounts.locations.reviews.list` response:
// {"reviews": [{"name", "reviewId", "reviewer": {"displayName"},
// "starRating": "ONE".."FIVE", "comment", "createTime", "updateTime",
// "reviewReply": {"comment", "updateTime"}}], "nextPageToken"}. GBP appends
// Google's translation to translated comments ("(Translated by Google)
// ...\n\n(Original)\n..."); the original part is kept.
absl::StatusOr<MappedPage> ParseGbpPage(std::string_view json);

// Trustpilot business-unit reviews: {"reviews": [{"id", "stars", "title",
// "text", "language", "createdAt", "updatedAt", "consumer": {"id",
// "displayName"}, "companyReply": {"text", "createdAt", "updatedAt"}}],
// "links": [{"rel": "next-page", "href"}]}.
absl::StatusOr<MappedPage> ParseTrustpilotPage(std::string_view json);

// Field mapping of the generic feeds: key -> dotted JSON path (JSON feed)
// or column name (CSV feed). Keys:
//   items        JSON only: path of the array of reviews; default: the
//                document itself when it is an array, else "reviews", else
//                "items";
//   next_page    JSON only: path of the next page's URL;
//   external_id  required; text, title, rating, create_time, update_time,
//   author (author_name), author_id, language (language_hint), url,
//   subject_id, reply_text, reply_author, reply_time: paths/columns;
//   rating_scale a number, e.g. "10" (not a path);
//   attributes.NAME  path/column copied into attributes[NAME].
// A key without a mapping reads the path/column of its own name when one
// exists (e.g. a CSV column "text").
using FeedMapping = std::map<std::string, std::string>;

// INVALID_ARGUMENT naming `field` + "[\"key\"]" for an unknown key, an
// empty path, a non-numeric rating_scale or a JSON-only key on a CSV feed;
// and `field` itself when external_id is not mapped.
absl::Status ValidateFeedMapping(opinia::v1::CollectorKind kind,
                                 const FeedMapping& mapping,
                                 std::string_view field);

absl::StatusOr<MappedPage> ParseJsonFeed(std::string_view json,
                                         const FeedMapping& mapping);

// RFC 4180 CSV with a header row (quoted fields, "" escapes, CRLF or LF,
// newlines inside quotes, a UTF-8 BOM). INVALID_ARGUMENT for an unclosed
// quote or a mapped column missing from the header. Never has a next page.
absl::StatusOr<MappedPage> ParseCsvFeed(std::string_view csv,
                                        const FeedMapping& mapping);

// RFC 4180 records of `csv` (header included). INVALID_ARGUMENT for an
// unclosed quote.
absl::StatusOr<std::vector<std::vector<std::string>>> ParseCsvRecords(
    std::string_view csv);

// Parses a body of `kind` (feeds use `mapping`).
absl::StatusOr<MappedPage> ParsePage(opinia::v1::CollectorKind kind,
                                     std::string_view body,
                                     const FeedMapping& mapping);

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_FORMATS_H_
