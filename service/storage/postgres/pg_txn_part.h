// What PgTxn and each of its parts (PgAlerts, PgWebhooks, PgCollectors,
// PgInsights) work on: the transaction's connection, whether it is
// read-only, and the store's shared state; plus small helpers they share.
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_TXN_PART_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_TXN_PART_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "service/storage/postgres/pg_connection.h"

namespace opinia::storage::pg {

// State of one PgStore that its transactions share (thread-safe). Parts may
// add members here for caches of their own.
class PgStoreState {
 public:
  // (tenant id, time zone) pairs a transaction read.
  using Zones = std::vector<std::pair<std::string, std::string>>;

  // A tenant's time zone, cached: tenants are never changed nor deleted.
  // A zone read from the database is added to `learned`, and enters the
  // cache only once its transaction has committed (Remember): a tenant
  // inserted by a transaction that rolls back is never cached. NOT_FOUND
  // for an unknown tenant.
  absl::StatusOr<std::string> TenantTimeZone(Connection& conn,
                                             std::string_view tenant_id,
                                             Zones& learned);
  void Remember(const Zones& learned);

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::string> zones_ ABSL_GUARDED_BY(mu_);
};

// One transaction's context, handed to every part of a PgTxn.
struct PgTxnContext {
  Connection& conn;
  bool read_only;
  PgStoreState& state;
  // What the transaction learned for the store's caches; the store hands
  // it to PgStoreState::Remember after a commit (or after a Read).
  PgStoreState::Zones& learned_zones;
};

class PgTxnPart {
 public:
  explicit PgTxnPart(const PgTxnContext& context)
      : conn_(context.conn),
        state_(context.state),
        learned_zones_(context.learned_zones),
        read_only_(context.read_only) {}

 protected:
  // OK, or FAILED_PRECONDITION "<op> inside a read-only transaction".
  absl::Status CheckWritable(const char* op) const;

  Connection& conn_;
  PgStoreState& state_;
  PgStoreState::Zones& learned_zones_;

 private:
  const bool read_only_;
};

// INVALID_ARGUMENT "limit must be > 0" for limit <= 0.
absl::Status CheckLimit(int limit);

// UNIMPLEMENTED "<op> is not implemented by the PostgreSQL backend yet".
absl::Status NotImplemented(const char* op);

// read(result, row) of every row.
template <typename Read>
auto ReadRows(const Result& result, Read read)
    -> std::vector<decltype(read(result, 0))> {
  std::vector<decltype(read(result, 0))> out;
  out.reserve(result.rows());
  for (int i = 0; i < result.rows(); ++i) out.push_back(read(result, i));
  return out;
}

// NOT_FOUND `not_found` when `result` has no row.
absl::Status ExpectRow(const Result& result, absl::string_view not_found);

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_TXN_PART_H_
