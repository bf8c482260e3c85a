// One sync run of one collector: page through the platform, map each page,
// ingest it through the Ingestor (so collected reviews are validated,
// analysed, alerted and rolled up exactly like pushed ones), record owner
// replies as responses, and on a full re-crawl soft-delete the reviews this
// collector stored that the platform no longer lists.
//
// Correctness:
// - Every page is committed (Ingestor) before the next is fetched; the
//   cursor is returned to the caller, who persists it only after the run
//   succeeded. A run that fails half-way re-fetches from the top next time:
//   ingest is idempotent by (source, external_id), so nothing duplicates,
//   and nothing is skipped because the cursor did not move.
// - Incremental runs on platforms listing newest first stop paging after
//   the page that reaches the synced region (SyncCursor::Covers); other
//   sources are read in full each run.
// - A review appearing twice in one run (pages shifting while paging) is
//   ingested once.
// - An empty page where reviews are expected (a page with a next link, or
//   the first page of a collector that had reviews) is refetched with
//   back-off; still empty fails the run (so a glitch never mass-deletes).
// - A full re-crawl only deletes after every page was read, and never
//   when the platform listed nothing at all, nor on a platform that lists
//   only a recent window (Platform::ListingWindow).
//
// - Request headers come from the TokenCache (token_cache.h) when one is
//   given: a renewable token is refreshed before it expires; a page
//   answered 401 invalidates it and is fetched once more with a fresh one
//   (a second 401 fails the run). Without a cache, the credentials are
//   used as they are (Platform::RequestHeaders).
// - Credentials stay with their origin: a next-page link is followed only
//   to the endpoint's own scheme, host and port; a link elsewhere fails
//   the run before anything is sent to it.
// - Messages never quote what was fetched (no body, no next-page link, no
//   external id of a rejected item).
//
// Each review is stamped with the collector's source, its subject_id
// (unless the feed maps one) and attributes["collector"] = the collector's
// name, which is how the deletion pass knows which reviews it owns.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_SYNCER_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_SYNCER_H_

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "opinia/v1/collectors.pb.h"
#include "service/core/collectors/cursor.h"
#include "service/core/collectors/fetcher.h"
#include "service/core/collectors/platform.h"
#include "service/core/collectors/token_cache.h"
#include "service/core/ingest/ingest.h"
#include "service/core/reviews/reviews.h"
#include "service/storage/store.h"

namespace opinia::core::collectors {

struct SyncOptions {
  int max_pages = 10000;       // a platform that pages forever is cut off
  int empty_page_retries = 2;  // refetches of a suspicious empty page
};

struct SyncRequest {
  std::string tenant_id;
  std::string collector_name;  // "collectors/{id}": actor and ownership tag
  opinia::v1::Collector spec;
  SyncCursor cursor;
  bool full = false;
  bool had_reviews = false;  // the collector fetched reviews before
  // Called before each page is stored and before the deletion pass (the
  // run's claim, collectors.h); an error ends the sync with it. Unset: no
  // claim.
  std::function<absl::Status()> keep_claim;
};

struct SyncReport {
  opinia::v1::RunCollectorResponse counts;  // what was committed so far
  SyncCursor cursor;    // the new position (valid when Sync is OK)
  std::string warning;  // e.g. the first rejection reason; "" = none
};

// Thread-safe; the pointees must outlive it.
class Syncer {
 public:
  // `tokens` may be null (credentials used as given).
  Syncer(storage::Store* store, const Ingestor* ingestor,
         const Reviews* reviews, Fetcher* fetcher, SyncOptions options = {},
         TokenCache* tokens = nullptr)
      : store_(store),
        ingestor_(ingestor),
        reviews_(reviews),
        fetcher_(fetcher),
        options_(options),
        tokens_(tokens) {}

  // Fills *report also on failure (the counts of what was committed).
  // Codes: those of Fetcher::Get and TokenCache::Headers; INVALID_ARGUMENT "page N: ..." for a body
  // that is not the platform's format (bad JSON), and "kind: ..." for a
  // kind no platform registered (PlatformFor); FAILED_PRECONDITION for a
  // suspicious empty page, too many pages or a next-page link to another
  // origin; storage errors.
  absl::Status Sync(const SyncRequest& request, SyncReport* report) const;

 private:
  // One run's fixed inputs and the external ids the platform listed so far.
  struct PageRun {
    const Platform& platform;
    const SyncRequest& request;
    std::string token_key;  // CollectorTokenKey
    HttpHeaders headers;
    FeedMapping mapping;
    std::set<std::string> seen;
  };
  // Fetches and parses one page, refetching a suspicious empty one.
  absl::StatusOr<MappedPage> FetchPage(PageRun& run,
                                       const std::string& url,
                                       int page_number) const;
  // One GET with the run's headers; after a 401, once more with fresh
  // ones when the token is renewable.
  absl::StatusOr<std::string> Get(PageRun& run, const std::string& url) const;
  // Stamps the page's reviews, counts them and moves out those not seen
  // before in this run; sets *reached_synced when one is at or below the
  // cursor.
  std::vector<MappedReview> TakeFresh(PageRun& run, MappedPage& page,
                                      SyncReport* report,
                                      bool* reached_synced) const;
  // Ingests `reviews` (already stamped) and records their replies.
  absl::Status Store(const SyncRequest& request,
                     std::vector<MappedReview>& reviews,
                     SyncReport* report) const;
  absl::Status DeleteMissing(const SyncRequest& request,
                             const std::set<std::string>& seen,
                             SyncReport* report) const;

  storage::Store* store_;
  const Ingestor* ingestor_;
  const Reviews* reviews_;
  Fetcher* fetcher_;
  SyncOptions options_;
  TokenCache* tokens_;
};

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_SYNCER_H_
