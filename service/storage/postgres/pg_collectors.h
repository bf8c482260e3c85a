// CollectorTxn (collector_store.h) over the connection of one PgTxn.
// Not written yet (another part of issue 18): its reads answer as for a
// database where nothing of it was ever stored (empty lists, 0, NOT_FOUND,
// defaults), which is true while its writes return UNIMPLEMENTED.
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_COLLECTORS_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_COLLECTORS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/storage/collector_store.h"
#include "service/storage/postgres/pg_txn_part.h"

namespace opinia::storage::pg {

class PgCollectors final : public CollectorTxn, private PgTxnPart {
 public:
  using PgTxnPart::PgTxnPart;

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
};

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_COLLECTORS_H_
