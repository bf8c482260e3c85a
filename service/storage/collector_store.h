// Storage of collectors (scheduled pulls of reviews from platforms) and
// their sync state. Reached from a transaction as `txn.collectors()`.
//
// The configuration is an opaque blob (`spec`, a serialized
// opinia.v1.Collector without state, credentials included: they must be
// kept to be sent to the platform; the API never returns them). The store
// keeps the bytes as given; core keeps them sealed
// (core/secrets/sealed_store.h).
// `cursor` is opaque too (core's sync position). The scheduler reads
// `poll_interval_seconds` and `next_run_time`, so they are columns.
//
// Codes as for Txn (store.h): NOT_FOUND for a missing row or one of another
// tenant, INVALID_ARGUMENT for limit <= 0, FAILED_PRECONDITION for a write
// in a read-only transaction, INTERNAL on database errors.
#ifndef OPINIA_SERVICE_STORAGE_COLLECTOR_STORE_H_
#define OPINIA_SERVICE_STORAGE_COLLECTOR_STORE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace opinia::storage {

struct CollectorRow {
  int64_t id = 0;  // assigned by InsertCollector; never reused
  std::string tenant_id;
  std::string spec;  // serialized opinia.v1.Collector (no state)
  int32_t poll_interval_seconds = 0;  // 0 = never scheduled
  absl::Time create_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();
  // Sync state.
  absl::Time next_run_time = absl::InfiniteFuture();
  absl::Time last_run_time = absl::InfinitePast();
  absl::Time last_success_time = absl::InfinitePast();
  absl::Time last_full_time = absl::InfinitePast();  // last full re-crawl
  std::string last_error;                            // "" = none
  int64_t reviews_fetched = 0;                       // total, all runs
  int32_t runs_since_full = 0;  // successful incremental runs since full
  std::string cursor;           // opaque; "" = never synced
};

class CollectorTxn {
 public:
  virtual ~CollectorTxn() = default;

  // Returns the new id; NOT_FOUND for an unknown tenant.
  virtual absl::StatusOr<int64_t> InsertCollector(const CollectorRow& row) = 0;
  virtual absl::StatusOr<CollectorRow> GetCollector(std::string_view tenant_id,
                                                    int64_t id) = 0;
  // The tenant's collectors ordered by id, id > after_id.
  virtual absl::StatusOr<std::vector<CollectorRow>> ListCollectors(
      std::string_view tenant_id, int64_t after_id, int limit) = 0;
  // Every tenant's collectors with poll_interval_seconds > 0 and
  // next_run_time <= now, ordered by (next_run_time, id).
  virtual absl::StatusOr<std::vector<CollectorRow>> ListDueCollectors(
      absl::Time now, int limit) = 0;
  // The same without the collectors whose ids are in `skip` (those the
  // scheduler queued already, so that they cannot hide the others).
  virtual absl::StatusOr<std::vector<CollectorRow>> ListDueCollectorsExcept(
      absl::Time now, int limit, const std::vector<int64_t>& skip) = 0;
  // Replaces every column of (tenant_id, id) but id, tenant_id and
  // create_time.
  virtual absl::Status UpdateCollector(const CollectorRow& row) = 0;
  virtual absl::Status DeleteCollector(std::string_view tenant_id,
                                       int64_t id) = 0;
};

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_COLLECTOR_STORE_H_
