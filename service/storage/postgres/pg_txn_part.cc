#include "service/storage/postgres/pg_txn_part.h"

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace opinia::storage::pg {

absl::StatusOr<std::string> PgStoreState::TenantTimeZone(
    Connection& conn, std::string_view tenant_id, Zones& learned) {
  {
    absl::MutexLock lock(&mu_);
    auto it = zones_.find(AsAbsl(tenant_id));
    if (it != zones_.end()) return it->second;
  }
  ASSIGN_OR_RETURN(Result result,
                   conn.Exec("SELECT time_zone FROM tenants WHERE id = $1",
                             Params().Text(tenant_id)));
  RETURN_IF_ERROR(ExpectRow(
      result, absl::StrCat("tenant ", AsAbsl(tenant_id), " not found")));
  std::string zone = result.String(0, 0);
  learned.emplace_back(std::string(tenant_id), zone);
  return zone;
}

void PgStoreState::Remember(const Zones& learned) {
  if (learned.empty()) return;
  absl::MutexLock lock(&mu_);
  for (const auto& [tenant, zone] : learned) zones_.emplace(tenant, zone);
}

absl::Status PgTxnPart::CheckWritable(const char* op) const {
  if (read_only_) {
    return absl::FailedPreconditionError(
        absl::StrCat(op, " inside a read-only transaction"));
  }
  return absl::OkStatus();
}

absl::Status CheckLimit(int limit) {
  if (limit <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit must be > 0, got ", limit));
  }
  return absl::OkStatus();
}

absl::Status NotImplemented(const char* op) {
  return absl::UnimplementedError(
      absl::StrCat(op, " is not implemented by the PostgreSQL backend yet"));
}

absl::Status ExpectRow(const Result& result, absl::string_view not_found) {
  if (result.rows() == 0) return absl::NotFoundError(not_found);
  return absl::OkStatus();
}

}  // namespace opinia::storage::pg
