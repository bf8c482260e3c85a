// LeaseTxn (lease_store.h) over the connection of one SqliteTxn. One
// writer at a time (BEGIN IMMEDIATE) makes every TryAcquireLease see the
// lease as the last commit left it.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_LEASES_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_LEASES_H_

#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "service/storage/lease_store.h"
#include "service/storage/sqlite/connection.h"

namespace opinia::storage::sqlite {

// The schema (table leases) is migration 12 in migrations.sql.
class SqliteLeases final : public LeaseTxn, private TxnPart {
 public:
  using TxnPart::TxnPart;

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
  // Checks the arguments of write `op`, runs `sql` with ?1 = name,
  // ?2 = holder and `times` after them; true when it changed a row.
  absl::StatusOr<bool> WriteLease(const char* op, const char* sql,
                                  std::string_view name,
                                  std::string_view holder,
                                  std::optional<absl::Duration> ttl,
                                  std::initializer_list<absl::Time> times);
};

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_LEASES_H_
