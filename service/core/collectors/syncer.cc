#include "service/core/collectors/syncer.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/core/collectors/platform.h"
#include "service/core/collectors/reply_outbox.h"
#include "service/core/util/outbound_policy.h"
#include "service/core/util/names.h"
#include "service/core/util/time_proto.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

// The collector acts for its tenant with the roles a sync needs; its audit
// rows name the collector.
Principal Agent(const SyncRequest& request) {
  return Principal{"", request.tenant_id,
                   kRoleIngest | kRoleRead | kRoleRespond,
                   request.collector_name};
}

using opinia::v1::IngestResult;
using opinia::v1::ReviewInput;

constexpr char kCollectorAttribute[] = "collector";
constexpr int kDeleteScanChunk = 500;

// The time a platform orders by; InfinitePast when the review has none.
absl::Time SortKey(SortOrder order, const ReviewInput& in) {
  const bool use_create =
      order == SortOrder::kCreateTimeDesc || !in.has_update_time();
  if (use_create) {
    return in.has_create_time() ? FromTimestamp(in.create_time())
                                : absl::InfinitePast();
  }
  return FromTimestamp(in.update_time());
}

// Where the page after `page_number` may be fetched: only the endpoint's
// origin gets the collector's credentials. The link itself is not quoted
// (it came from the response).
absl::Status CheckSameOrigin(const HttpUrl& endpoint, const std::string& next,
                             int page_number) {
  absl::StatusOr<HttpUrl> parsed = ParseHttpUrl(next);
  if (!parsed.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("page ", page_number,
                     ": the next-page link is not a valid http(s) URL; not "
                     "followed"));
  }
  if (!parsed->SameOrigin(endpoint)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "page ", page_number,
        ": the next-page link leads away from the endpoint's origin ",
        endpoint.Origin(),
        "; not followed (credentials are sent only to the endpoint's own "
        "scheme, host and port)"));
  }
  return absl::OkStatus();
}

absl::Status KeepClaim(const SyncRequest& request) {
  return request.keep_claim ? request.keep_claim() : absl::OkStatus();
}

}  // namespace

absl::Status Syncer::Sync(const SyncRequest& request,
                          SyncReport* report) const {
  auto platform = PlatformFor(request.spec.kind());
  if (!platform.ok()) return platform.status();
  PageRun run{
      **platform,
      request,
      CollectorTokenKey(request.tenant_id, request.collector_name),
      {},
      FeedMapping(request.spec.mapping().begin(), request.spec.mapping().end()),
      {}};
  if (tokens_ != nullptr) {
    ASSIGN_OR_RETURN(run.headers,
                     tokens_->Headers(run.token_key, run.platform,
                                      request.spec.credentials()));
  } else {
    run.headers = run.platform.RequestHeaders(request.spec.credentials());
  }
  report->cursor = request.cursor;
  std::string url = (*platform)->FirstPageUrl(request.spec.endpoint());
  absl::StatusOr<HttpUrl> origin = ParseHttpUrl(url);
  if (!origin.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("endpoint: ", origin.status().message()));
  }
  std::set<std::string> visited_urls;
  for (int page_number = 1;; ++page_number) {
    if (page_number > options_.max_pages || !visited_urls.insert(url).second) {
      return absl::FailedPreconditionError(absl::StrCat(
          "page ", page_number, ": the platform keeps paging (",
          page_number > options_.max_pages ? "too many pages"
                                           : "a next link seen before",
          "); stopped"));
    }
    ASSIGN_OR_RETURN(MappedPage page, FetchPage(run, url, page_number));
    bool reached_synced = false;
    std::vector<MappedReview> fresh =
        TakeFresh(run, page, report, &reached_synced);
    RETURN_IF_ERROR(KeepClaim(request));
    RETURN_IF_ERROR(Store(request, fresh, report));
    for (const MappedReview& r : fresh) {
      report->cursor.Advance(SortKey(run.platform.order(), r.input),
                             r.input.external_id());
    }
    if (page.next.empty()) break;
    if (!request.full && run.platform.order() != SortOrder::kNone &&
        reached_synced) {
      break;
    }
    url = run.platform.NextPageUrl(url, page.next);
    RETURN_IF_ERROR(CheckSameOrigin(*origin, url, page_number + 1));
  }
  // A platform that lists only a recent window (Google Play) forgets old
  // reviews: absence there is not deletion.
  if (!request.full || run.platform.ListingWindow().has_value()) {
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(KeepClaim(request));
  return DeleteMissing(request, run.seen, report);
}

absl::StatusOr<std::string> Syncer::Get(PageRun& run,
                                        const std::string& url) const {
  absl::StatusOr<std::string> body = fetcher_->Get(url, run.headers);
  if (tokens_ == nullptr || !IsHttpUnauthorized(body.status()) ||
      !tokens_->Invalidate(run.token_key, run.platform,
                           run.request.spec.credentials(), run.headers)) {
    return body;
  }
  ASSIGN_OR_RETURN(run.headers,
                   tokens_->Headers(run.token_key, run.platform,
                                    run.request.spec.credentials()));
  return fetcher_->Get(url, run.headers);
}

absl::StatusOr<MappedPage> Syncer::FetchPage(PageRun& run,
                                             const std::string& url,
                                             int page_number) const {
  for (int retry = 0;; ++retry) {
    ASSIGN_OR_RETURN(std::string body, Get(run, url));
    absl::StatusOr<MappedPage> page = run.platform.ParsePage(body, run.mapping);
    if (!page.ok()) {
      return absl::Status(page.status().code(),
                          absl::StrCat("page ", page_number, ": ",
                                       page.status().message()));
    }
    const bool suspicious =
        page->reviews.empty() &&
        (!page->next.empty() || (page_number == 1 && run.request.had_reviews));
    if (!suspicious) return page;
    if (retry >= options_.empty_page_retries) {
      return absl::FailedPreconditionError(
          absl::StrCat("page ", page_number,
                       " came back empty where the platform had "
                       "reviews (fetched ",
                       retry + 1,
                       " times); nothing was deleted, "
                       "will try again on the next run"));
    }
    fetcher_->Wait(fetcher_->Backoff(retry + 1));
  }
}

std::vector<MappedReview> Syncer::TakeFresh(PageRun& run, MappedPage& page,
                                            SyncReport* report,
                                            bool* reached_synced) const {
  const SyncRequest& request = run.request;
  std::vector<MappedReview> fresh;
  for (MappedReview& r : page.reviews) {
    ReviewInput& in = r.input;
    in.set_source(request.spec.source());
    if (in.subject_id().empty()) in.set_subject_id(request.spec.subject_id());
    (*in.mutable_attributes())[kCollectorAttribute] = request.collector_name;
    report->counts.set_fetched(report->counts.fetched() + 1);
    if (!run.seen.insert(in.external_id()).second) continue;  // seen this run
    const absl::Time key = SortKey(run.platform.order(), in);
    if (request.cursor.Covers(key, in.external_id())) *reached_synced = true;
    fresh.push_back(std::move(r));
  }
  return fresh;
}

absl::Status Syncer::Store(const SyncRequest& request,
                           std::vector<MappedReview>& reviews,
                           SyncReport* report) const {
  const size_t batch = static_cast<size_t>(ingestor_->limits().max_batch);
  auto& counts = report->counts;
  for (size_t start = 0; start < reviews.size(); start += batch) {
    const size_t n = std::min(batch, reviews.size() - start);
    std::vector<ReviewInput> inputs;
    inputs.reserve(n);
    for (size_t i = 0; i < n; ++i) inputs.push_back(reviews[start + i].input);
    ASSIGN_OR_RETURN(auto results,
                     ingestor_->Ingest(Agent(request), inputs));
    for (size_t i = 0; i < n; ++i) {
      const IngestResult& result = results[i];
      switch (result.outcome()) {
        case IngestResult::CREATED:
          counts.set_created(counts.created() + 1);
          break;
        case IngestResult::UPDATED:
          counts.set_updated(counts.updated() + 1);
          break;
        case IngestResult::UNCHANGED:
          counts.set_unchanged(counts.unchanged() + 1);
          break;
        default:
          counts.set_rejected(counts.rejected() + 1);
          if (report->warning.empty()) {
            // Not its id: a rejected item's fields are stored nowhere, and
            // a warning must not carry what was fetched.
            report->warning =
                absl::StrCat("a review was rejected: ", result.error());
          }
          continue;
      }
      const MappedReview& r = reviews[start + i];
      if (!r.has_reply) continue;
      ASSIGN_OR_RETURN(auto stored,
                       reviews_->Get(Agent(request), result.name()));
      if (stored.deleted()) continue;
      const opinia::v1::ReplyState state = stored.response().state();
      if (stored.response().text() == r.reply.text()) {
        if (state == opinia::v1::REPLY_PENDING) {
          // Our publish got there (its answer may have been lost).
          ASSIGN_OR_RETURN(auto id, ParseReviewName(result.name(), "name"));
          std::optional<absl::Time> when;
          if (r.reply.has_response_time()) {
            when = FromTimestamp(r.reply.response_time());
          }
          RETURN_IF_ERROR(ReconcilePlatformReply(*store_, request.tenant_id,
                                                 id, r.reply.text(), when,
                                                 absl::Now())
                              .status());
        }
        continue;
      }
      // A publish, edit or delete of ours is on its way: the platform still
      // shows what was there before; ours wins.
      if (state == opinia::v1::REPLY_PENDING ||
          state == opinia::v1::REPLY_DELETE_PENDING) {
        continue;
      }
      opinia::v1::RecordResponseRequest respond;
      respond.set_name(result.name());
      *respond.mutable_response() = r.reply;
      if (respond.response().author().empty()) {
        respond.mutable_response()->set_author("owner (" +
                                               request.spec.source() + ")");
      }
      auto recorded = reviews_->RecordResponse(Agent(request), respond);
      if (absl::IsInvalidArgument(recorded.status())) {
        // A reply we cannot store (e.g. oversize) must not stop the sync.
        if (report->warning.empty()) {
          report->warning = absl::StrCat("reply to \"", r.input.external_id(),
                                         "\" not "
                                         "recorded: ",
                                         recorded.status().message());
        }
        continue;
      }
      if (!recorded.ok()) return recorded.status();
    }
  }
  return absl::OkStatus();
}

absl::Status Syncer::DeleteMissing(const SyncRequest& request,
                                   const std::set<std::string>& seen,
                                   SyncReport* report) const {
  storage::ReviewFilter filter;
  filter.sources = {request.spec.source()};
  filter.order = storage::ReviewOrder::kCreateTimeAsc;
  std::optional<storage::ReviewCursor> after;
  std::vector<int64_t> missing;
  int64_t owned = 0;
  while (true) {
    std::vector<storage::ReviewRow> rows;
    RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(rows, txn.ListReviews(request.tenant_id, filter, after,
                                             kDeleteScanChunk));
      return absl::OkStatus();
    }));
    if (rows.empty()) break;
    after = storage::ReviewCursor::After(rows.back());
    for (const storage::ReviewRow& row : rows) {
      ReviewInput input;
      if (!input.ParseFromString(row.input)) continue;
      auto it = input.attributes().find(kCollectorAttribute);
      if (it == input.attributes().end() ||
          it->second != request.collector_name) {
        continue;
      }
      ++owned;
      if (seen.count(row.external_id) == 0) missing.push_back(row.id);
    }
  }
  if (seen.empty() && owned > 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("the platform listed no reviews at all; not marking ",
                     owned, " stored reviews deleted"));
  }
  for (int64_t id : missing) {
    auto deleted = reviews_->Delete(Agent(request), ReviewName(id));
    if (absl::IsNotFound(deleted.status())) continue;
    if (!deleted.ok()) return deleted.status();
    report->counts.set_deleted(report->counts.deleted() + 1);
  }
  return absl::OkStatus();
}

}  // namespace opinia::core::collectors
