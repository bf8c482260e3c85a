#include "service/storage/postgres/pg_collectors.h"

namespace opinia::storage::pg {

absl::StatusOr<int64_t> PgCollectors::InsertCollector(const CollectorRow& row) {
  return NotImplemented("CollectorTxn::InsertCollector");
}

absl::StatusOr<CollectorRow> PgCollectors::GetCollector(
    std::string_view tenant_id, int64_t id) {
  return NotImplemented("CollectorTxn::GetCollector");
}

absl::StatusOr<std::vector<CollectorRow>> PgCollectors::ListCollectors(
    std::string_view tenant_id, int64_t after_id, int limit) {
  return NotImplemented("CollectorTxn::ListCollectors");
}

absl::StatusOr<std::vector<CollectorRow>> PgCollectors::ListDueCollectors(
    absl::Time now, int limit) {
  return NotImplemented("CollectorTxn::ListDueCollectors");
}

absl::StatusOr<std::vector<CollectorRow>> PgCollectors::ListDueCollectorsExcept(
    absl::Time now, int limit, const std::vector<int64_t>& skip) {
  return NotImplemented("CollectorTxn::ListDueCollectorsExcept");
}

absl::Status PgCollectors::UpdateCollector(const CollectorRow& row) {
  return NotImplemented("CollectorTxn::UpdateCollector");
}

absl::StatusOr<int64_t> PgCollectors::CountCollectors(
    std::string_view tenant_id) {
  return NotImplemented("CollectorTxn::CountCollectors");
}

absl::Status PgCollectors::DeleteCollector(std::string_view tenant_id,
                                           int64_t id) {
  return NotImplemented("CollectorTxn::DeleteCollector");
}

}  // namespace opinia::storage::pg
