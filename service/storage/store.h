// The narrow storage interface of Opinia. Plain C++ rows in and out; the
// store never interprets the serialized blobs (input, analysis, override) it
// keeps, and never calls the analyzer. Every tenant-owned row carries its
// tenant_id and every query on such rows is scoped by it.
//
// Transactions: Write() runs its function in one write transaction, commits
// when it returns OK and rolls back otherwise, and runs it again after a
// conflict (ABORTED); the result is as if writers ran one at a time. Read()
// runs on a consistent snapshot, concurrently with other readers and with a
// writer. A Txn must not escape its function.
#ifndef OPINIA_SERVICE_STORAGE_STORE_H_
#define OPINIA_SERVICE_STORAGE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/storage/insights_store.h"
#include "service/storage/alert_store.h"
#include "service/storage/webhook_store.h"
#include "service/storage/collector_store.h"
#include "service/storage/lease_store.h"
#include "service/storage/reply_store.h"

namespace opinia::storage {

struct TenantRow {
  std::string id;
  std::string display_name;
  std::string time_zone;  // IANA
  absl::Time create_time = absl::UnixEpoch();
};

struct ApiKeyRow {
  std::string id;
  std::string tenant_id;  // empty: a server operator key
  uint32_t roles = 0;     // stored as given; core gives the bits meaning
  std::string display_name;
  std::string secret_hash;  // hex SHA-256 of the secret; unique
  absl::Time create_time = absl::UnixEpoch();
  bool revoked = false;
};

// One aspect of a review. A non-finite score is stored as 0.
struct ReviewAspect {
  int32_t aspect = 0;  // opinia.v1.Aspect
  int32_t label = 0;   // opinia.v1.SentimentLabel of the aspect
  float score = 0;
  // The first evidence span, in bytes of the text; 0, 0 = none.
  int32_t begin = 0;
  int32_t end = 0;
};

// Absent times are absl::InfinitePast().
struct ReviewRow {
  int64_t id = 0;  // assigned by InsertReview
  std::string tenant_id;
  std::string source;
  std::string external_id;
  std::string subject_id;
  int32_t rating = 0;    // normalised to 1..5, 0 = none
  std::string language;  // effective (analysis) language
  int32_t label = 0;     // effective opinia.v1.SentimentLabel (override wins)
  float score = 0;       // effective sentiment score
  int32_t priority = 0;  // effective opinia.v1.Priority (override wins)
  int32_t status = 1;    // opinia.v1.ReviewStatus
  bool deleted = false;
  absl::Time create_time = absl::InfinitePast();  // from the input, else ingest
  absl::Time ingest_time = absl::InfinitePast();  // first stored
  absl::Time modify_time = absl::InfinitePast();  // last change of any kind
  absl::Time respond_by = absl::InfinitePast();
  std::string content_hash;       // title/text/rating: re-analysis trigger
  std::string input_hash;         // the whole input: UNCHANGED detection
  std::string input;              // serialized opinia.v1.ReviewInput
  std::string analysis;           // serialized opinia.v1.Analysis
  std::string override_analysis;  // serialized opinia.v1.Analysis; "" = none
  std::string response_text;
  std::string response_author;
  absl::Time response_time = absl::InfinitePast();
  std::string search_text;  // title + text, for full-text search
  // The review's aspects for insights (insights_store.h), filled by core
  // from the analysis; at most one entry per aspect (a repeated aspect is
  // indexed once, as its first entry).
  std::vector<ReviewAspect> aspects;
};

// A full-text term: words folded by FoldForSearch (text_fold.h). A backend
// splits it into tokens as it does the indexed text (the folded title and
// text); the term matches a review containing those tokens in this order,
// next to each other (a phrase; usually a single token). With `prefix` the
// last token also matches any longer token it starts.
struct SearchTerm {
  std::string text;
  bool prefix = false;
};

// A parsed full-text query (core/reviews/search_query.h owns the user syntax):
// matches when each group of `all_of` has a matching term and no term of
// `none_of` matches. Every group has at least one term; no group means no
// full-text condition at all.
struct SearchQuery {
  std::vector<std::vector<SearchTerm>> all_of;
  std::vector<SearchTerm> none_of;

  bool empty() const { return all_of.empty(); }
};

// The order of ListReviews. Every order ends with id (in the same
// direction), so it is total and keyset pages neither skip nor repeat.
enum class ReviewOrder {
  kCreateTimeDesc,  // newest first: (create_time, id) descending
  kCreateTimeAsc,   // (create_time, id) ascending
  // Most urgent first (the inbox): priority P1, P2, P3, P4, NONE, then
  // unspecified (0); within a priority the earliest respond_by, reviews
  // without a deadline (InfinitePast) last; then id ascending.
  kUrgency,
  // The earliest respond_by first, reviews without a deadline last; then
  // id ascending.
  kRespondBy,
};

// Conditions are ANDed; an empty list or an unset bound matches everything.
//
// Speed: kUrgency and kRespondBy walk an index of open reviews when the
// filter keeps to them (statuses non-empty and all NEW or ACKNOWLEDGED,
// deleted ones excluded), as the inbox asks; with any other filter the
// matching rows are sorted.
struct ReviewFilter {
  std::vector<std::string> sources;
  std::vector<std::string> subject_ids;
  std::vector<std::string> languages;
  std::vector<int32_t> labels;
  std::vector<int32_t> priorities;
  std::vector<int32_t> statuses;
  // 0 = unset. With either bound set, unrated reviews (rating 0) never match.
  int32_t min_rating = 0;
  int32_t max_rating = 0;
  absl::Time start_time = absl::InfinitePast();  // create_time >= start
  absl::Time end_time = absl::InfiniteFuture();  // create_time < end
  bool include_deleted = false;
  // Full-text condition over the title and text; no group = none.
  SearchQuery text_query;
  ReviewOrder order = ReviewOrder::kCreateTimeDesc;
};

// What InsertOrFindReview did: inserted the row (`existing` empty, `id` the
// new id), or found its identity stored (`existing` that row, `id` its id).
struct InsertOrFindResult {
  int64_t id = 0;
  std::optional<ReviewRow> existing;
};

// Keyset position: the last row of the previous page. The create_time
// orders read create_time and id, kUrgency priority, respond_by and id,
// kRespondBy respond_by and id.
struct ReviewCursor {
  absl::Time create_time;
  int64_t id = 0;
  int32_t priority = 0;
  absl::Time respond_by = absl::InfinitePast();

  // The position of `row` in every order.
  static ReviewCursor After(const ReviewRow& row) {
    return ReviewCursor{row.create_time, row.id, row.priority, row.respond_by};
  }
};

struct AuditRow {
  int64_t id = 0;  // assigned on insert
  std::string tenant_id;
  std::string actor;   // "apiKeys/{id}"
  std::string action;  // e.g. "review.override", "review.delete"
  std::string target;  // e.g. "reviews/42"
  std::string detail;  // human-readable change, e.g. JSON of old and new
  absl::Time time = absl::UnixEpoch();
};

// Operations inside one transaction. Codes: NOT_FOUND when a named row does
// not exist (or belongs to another tenant, or a referenced tenant is
// missing), ALREADY_EXISTS on a unique key clash, INVALID_ARGUMENT for a
// `limit` <= 0, FAILED_PRECONDITION for a write inside Read(), ABORTED on a
// conflict with a concurrent transaction (see Store::Write), UNAVAILABLE
// when the database is busy, INTERNAL on a database error.
//
// A failed call changes nothing, but only "no such row" answers leave the
// transaction usable for sure: NOT_FOUND from a Get*, an update, revoke or
// delete of a missing row, and std::nullopt from a Find*. After any other
// failure (ALREADY_EXISTS, NOT_FOUND for a missing referenced row, ...)
// the transaction may be unusable, as a failed statement aborts a
// PostgreSQL transaction: return the error from the function. Where a row
// may exist already, use an operation that says so instead of catching
// ALREADY_EXISTS (InsertOrFindReview).
//
// Times are kept to the microsecond (finer parts are truncated);
// InfinitePast/InfiniteFuture round-trip exactly.
class Txn {
 public:
  virtual ~Txn() = default;

  virtual absl::Status InsertTenant(const TenantRow& row) = 0;
  virtual absl::StatusOr<TenantRow> GetTenant(std::string_view id) = 0;
  // Ordered by id; rows with id > after_id, at most `limit`.
  virtual absl::StatusOr<std::vector<TenantRow>> ListTenants(
      std::string_view after_id, int limit) = 0;

  virtual absl::Status InsertApiKey(const ApiKeyRow& row) = 0;
  virtual absl::StatusOr<ApiKeyRow> GetApiKey(std::string_view id) = 0;
  virtual absl::StatusOr<ApiKeyRow> GetApiKeyByHash(
      std::string_view secret_hash) = 0;
  // Ordered by id; tenant_id std::nullopt = keys of every tenant and
  // operator keys, "" = operator keys only.
  virtual absl::StatusOr<std::vector<ApiKeyRow>> ListApiKeys(
      std::optional<std::string_view> tenant_id, std::string_view after_id,
      int limit) = 0;
  virtual absl::Status RevokeApiKey(std::string_view id) = 0;
  virtual absl::StatusOr<int64_t> CountApiKeys() = 0;

  // std::nullopt when no review has this identity in the tenant.
  virtual absl::StatusOr<std::optional<ReviewRow>> FindReview(
      std::string_view tenant_id, std::string_view source,
      std::string_view external_id) = 0;
  virtual absl::StatusOr<ReviewRow> GetReview(std::string_view tenant_id,
                                              int64_t id) = 0;
  // Returns the new id (row.id is ignored; ids are > 0, unique across
  // tenants, never reused); ALREADY_EXISTS for a duplicate
  // (tenant_id, source, external_id); NOT_FOUND for an unknown tenant.
  virtual absl::StatusOr<int64_t> InsertReview(const ReviewRow& row) = 0;
  // Inserts `row` unless its (tenant_id, source, external_id) is stored
  // already; then it changes nothing and returns that stored review.
  // Codes as InsertReview, never ALREADY_EXISTS.
  virtual absl::StatusOr<InsertOrFindResult> InsertOrFindReview(
      const ReviewRow& row) = 0;
  // Replaces every column of the row (tenant_id, id); NOT_FOUND if absent.
  virtual absl::Status UpdateReview(const ReviewRow& row) = 0;
  // One page in filter order, strictly after `after` when given.
  virtual absl::StatusOr<std::vector<ReviewRow>> ListReviews(
      std::string_view tenant_id, const ReviewFilter& filter,
      const std::optional<ReviewCursor>& after, int limit) = 0;
  virtual absl::StatusOr<int64_t> CountReviews(std::string_view tenant_id,
                                               const ReviewFilter& filter) = 0;

  virtual absl::StatusOr<int64_t> InsertAudit(const AuditRow& row) = 0;
  // Oldest first; an empty target lists every row of the tenant.
  virtual absl::StatusOr<std::vector<AuditRow>> ListAudit(
      std::string_view tenant_id, std::string_view target) = 0;

  // Alerts, rules and alert scheduler state (alert_store.h), in this same
  // transaction.
  virtual AlertTxn& alerts() = 0;
  // Webhooks and their delivery queue (webhook_store.h).
  virtual WebhookTxn& webhooks() = 0;

  // Rollups and exact sums for dashboards (insights_store.h), in this same
  // transaction.
  virtual InsightsTxn& insights() = 0;

  // Collectors and their sync state (collector_store.h).
  virtual CollectorTxn& collectors() = 0;

  // Claims of scheduled work across replicas (lease_store.h).
  virtual LeaseTxn& leases() = 0;

  // The outbox of replies to publish on review platforms (reply_store.h).
  virtual ReplyTxn& replies() = 0;

  // Queues a change notification for `tenant_id` (its alert outbox may have
  // grown), delivered to the listeners of the stores on this database
  // (Store::SetTenantListener) once this transaction commits, never when
  // it rolls back; one transaction's notifications of one tenant may come
  // as one. FAILED_PRECONDITION inside Read(), INVALID_ARGUMENT for an
  // empty tenant_id.
  virtual absl::Status NotifyTenant(std::string_view tenant_id) = 0;
};

// A store's counters since it opened, for monitoring. A backend leaves at
// zero what it does not count.
struct StoreStats {
  int64_t writes = 0;        // Write calls
  int64_t transactions = 0;  // transactions they ran in (may be shared)
  int64_t waiting = 0;       // Write calls waiting for their turn now
  // Time spent running write transactions; busy / elapsed near 1 means
  // writes are limited by the store.
  absl::Duration busy;
};

class Store {
 public:
  using TxnFn = std::function<absl::Status(Txn&)>;
  virtual ~Store() = default;

  // Commits when fn returns OK (the data is durable when Write returns OK),
  // rolls back otherwise and returns fn's status.
  //
  // ABORTED means a conflict with a concurrent transaction (a Txn call
  // reports it, or fn returns it): Write then rolls back and runs fn again
  // in a fresh transaction, a bounded number of times, and returns ABORTED
  // only when the last run still conflicts. So fn must be safe to run
  // again: no effects outside the transaction (network calls,
  // notifications, counters) and no state carried over from an earlier
  // run; only the writes of the run that commits are kept.
  virtual absl::Status Write(const TxnFn& fn) = 0;
  // A read-only snapshot; writes inside fn fail with FAILED_PRECONDITION.
  virtual absl::Status Read(const TxnFn& fn) = 0;

  // 32 random bytes made once with the database and never changed: every
  // server on one database shares them, servers on others do not. Core
  // keys its MACs (page tokens) with it.
  virtual const std::string& ServerSecret() const = 0;
  // Thread-safe; cheap enough to call on every metrics scrape.
  virtual StoreStats Stats() = 0;

  // Cross-replica wake-ups: `listener` is called with the tenant of each
  // committed Txn::NotifyTenant, by every store on the database that has a
  // listener (a backend says which stores that reaches: every replica's,
  // or only this process's). It runs on a thread of the store, after the
  // commit, possibly after Write has returned; it must not block and must
  // not call Read or Write. Calls may be coalesced and repeated, so a
  // listener only wakes readers, who read what is new themselves. An empty
  // tenant means notifications may have been lost (e.g. the backend
  // reconnected): any tenant may have news. Replaces the earlier listener;
  // nullptr stops the calls (when this returns, no call is running).
  using TenantListener = std::function<void(std::string_view tenant_id)>;
  virtual void SetTenantListener(TenantListener listener) = 0;
};

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_STORE_H_
