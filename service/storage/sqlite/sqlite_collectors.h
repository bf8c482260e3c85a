// CollectorTxn (collector_store.h) over the connection of one SqliteTxn.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_COLLECTORS_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_COLLECTORS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "service/storage/collector_store.h"
#include "service/storage/sqlite/connection.h"

namespace opinia::storage::sqlite {

// The schema (table collectors) is a migration in migrations.cc.
class SqliteCollectors final : public CollectorTxn, private TxnPart {
 public:
  using TxnPart::TxnPart;

  absl::StatusOr<int64_t> InsertCollector(const CollectorRow& row) override;
  absl::StatusOr<CollectorRow> GetCollector(std::string_view tenant_id,
                                            int64_t id) override;
  absl::StatusOr<std::vector<CollectorRow>> ListCollectors(
      std::string_view tenant_id, int64_t after_id, int limit) override;
  absl::StatusOr<std::vector<CollectorRow>> ListDueCollectors(
      absl::Time now, int limit) override;
  absl::StatusOr<std::vector<CollectorRow>> ListDueCollectorsExcept(
      absl::Time now, int limit, const std::vector<int64_t>& skip) override;
  absl::Status UpdateCollector(const CollectorRow& row) override;
  absl::StatusOr<int64_t> CountCollectors(std::string_view tenant_id) override;
  absl::Status DeleteCollector(std::string_view tenant_id, int64_t id) override;

 private:
};

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_SQLITE_COLLECTORS_H_
