#include "service/storage/postgres/pg_collectors.h"

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace opinia::storage::pg {

absl::StatusOr<int64_t> PgCollectors::InsertCollector(const CollectorRow& row) {
  return NotImplemented("CollectorTxn::InsertCollector");
}

absl::StatusOr<CollectorRow> PgCollectors::GetCollector(
    std::string_view tenant_id, int64_t id) {
  return absl::NotFoundError(absl::StrCat("collector ", id, " not found"));
}

absl::StatusOr<std::vector<CollectorRow>> PgCollectors::ListCollectors(
    std::string_view tenant_id, int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return std::vector<CollectorRow>();
}

absl::StatusOr<std::vector<CollectorRow>> PgCollectors::ListDueCollectors(
    absl::Time now, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return std::vector<CollectorRow>();
}

absl::StatusOr<std::vector<CollectorRow>> PgCollectors::ListDueCollectorsExcept(
    absl::Time now, int limit, const std::vector<int64_t>& skip) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return std::vector<CollectorRow>();
}

absl::Status PgCollectors::UpdateCollector(const CollectorRow& row) {
  return NotImplemented("CollectorTxn::UpdateCollector");
}

absl::StatusOr<int64_t> PgCollectors::CountCollectors(
    std::string_view tenant_id) {
  return 0;
}

absl::Status PgCollectors::DeleteCollector(std::string_view tenant_id,
                                           int64_t id) {
  return NotImplemented("CollectorTxn::DeleteCollector");
}

}  // namespace opinia::storage::pg
