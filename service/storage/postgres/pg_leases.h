// LeaseTxn (lease_store.h) over the connection of one PgTxn. Every write is
// one conflict-free statement (an upsert whose DO UPDATE has a WHERE, an
// UPDATE or DELETE naming the holder), so a lost race never fails a
// statement: two transactions taking one free lease meet on its row (the
// second waits for the first and, under SERIALIZABLE, conflicts: ABORTED,
// and Store::Write runs it again, now seeing the first holder).
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_LEASES_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_LEASES_H_

#include <optional>
#include <string_view>
#include <vector>

#include "service/storage/lease_store.h"
#include "service/storage/postgres/pg_txn_part.h"

namespace opinia::storage::pg {

class PgLeases final : public LeaseTxn, private PgTxnPart {
 public:
  using PgTxnPart::PgTxnPart;

  absl::StatusOr<bool> TryAcquireLease(std::string_view name,
                                       std::string_view holder, absl::Time now,
                                       absl::Duration ttl) override;
  absl::StatusOr<bool> RenewLease(std::string_view name,
                                  std::string_view holder, absl::Time now,
                                  absl::Duration ttl) override;
  absl::StatusOr<bool> ReleaseLease(std::string_view name,
                                    std::string_view holder) override;
  absl::StatusOr<std::vector<LeaseRow>> ListLeases(std::string_view prefix,
                                                   int limit) override;

 private:
  // Checks the arguments, runs `sql` with (name, holder, times...) and
  // says whether it changed a row.
  absl::StatusOr<bool> WriteLease(const char* op, const char* sql,
                                  std::string_view name,
                                  std::string_view holder,
                                  std::optional<absl::Duration> ttl,
                                  std::initializer_list<absl::Time> times);
};

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_LEASES_H_
