#include "service/core/tenants/admin.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "service/core/auth/authorization.h"
#include "service/core/util/absl_sv.h"
#include "service/core/util/crypto.h"
#include "service/core/util/names.h"
#include "service/core/util/paging.h"
#include "service/core/util/time_proto.h"
#include "service/core/util/utf8.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

constexpr size_t kMaxDisplayName = 200;

absl::Status CheckDisplayName(std::string_view name, std::string_view field) {
  if (!IsValidUtf8(name)) {
    return absl::InvalidArgumentError(absl::StrCat(Av(field), ": invalid UTF-8"));
  }
  if (name.size() > kMaxDisplayName) {
    return absl::InvalidArgumentError(
        absl::StrCat(Av(field), ": longer than ", kMaxDisplayName, " bytes"));
  }
  return absl::OkStatus();
}

// Passes the first `page_size` of `rows` (fetched with one extra) to `add`;
// the id of the last one passed when there is a next page.
template <typename Rows, typename Add>
std::optional<std::string> TakePage(const Rows& rows, int page_size, Add add) {
  for (int i = 0; i < static_cast<int>(rows.size()) && i < page_size; ++i) {
    add(rows[i]);
  }
  if (static_cast<int>(rows.size()) <= page_size) return std::nullopt;
  return rows[page_size - 1].id;
}

}  // namespace

opinia::v1::Tenant TenantToProto(const storage::TenantRow& row) {
  opinia::v1::Tenant t;
  t.set_name(TenantName(row.id));
  t.set_display_name(row.display_name);
  t.set_time_zone(row.time_zone);
  ToTimestamp(row.create_time, t.mutable_create_time());
  return t;
}

opinia::v1::ApiKey ApiKeyToProto(const storage::ApiKeyRow& row) {
  opinia::v1::ApiKey k;
  k.set_name(ApiKeyName(row.id));
  if (!row.tenant_id.empty()) k.set_tenant(TenantName(row.tenant_id));
  for (int role : {opinia::v1::ROLE_INGEST, opinia::v1::ROLE_READ,
                   opinia::v1::ROLE_RESPOND, opinia::v1::ROLE_ADMIN}) {
    if (row.roles & RoleBit(role)) {
      k.add_roles(static_cast<opinia::v1::Role>(role));
    }
  }
  k.set_display_name(row.display_name);
  ToTimestamp(row.create_time, k.mutable_create_time());
  k.set_revoked(row.revoked);
  return k;
}

absl::StatusOr<opinia::v1::Tenant> Admin::CreateTenant(
    const Principal& caller, const opinia::v1::CreateTenantRequest& request) {
  RETURN_IF_ERROR(Authorize(caller, Action::kCreateTenant));
  storage::TenantRow row;
  row.id = request.tenant_id();
  if (row.id.empty()) {
    row.id = NewResourceId('t', 12);
  } else if (!IsValidResourceId(row.id)) {
    return absl::InvalidArgumentError(
        "tenant_id: must match [a-z][a-z0-9-]{0,62} and not end in '-'");
  }
  RETURN_IF_ERROR(
      CheckDisplayName(request.tenant().display_name(), "tenant.display_name"));
  row.display_name = request.tenant().display_name();
  row.time_zone = request.tenant().time_zone().empty()
                      ? kDefaultTimeZone
                      : request.tenant().time_zone();
  absl::TimeZone tz;
  if (!IsValidUtf8(row.time_zone) || !absl::LoadTimeZone(row.time_zone, &tz)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tenant.time_zone: unknown IANA time zone \"",
        row.time_zone.substr(0, 64), "\""));
  }
  row.create_time = clock_->Now();
  absl::Status status = store_->Write(
      [&](storage::Txn& txn) { return txn.InsertTenant(row); });
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(
        absl::StrCat("tenant_id: tenant \"", row.id, "\" already exists"));
  }
  if (!status.ok()) return status;
  return TenantToProto(row);
}

absl::StatusOr<opinia::v1::ListTenantsResponse> Admin::ListTenants(
    const Principal& caller, const opinia::v1::ListTenantsRequest& request) {
  RETURN_IF_ERROR(Authorize(caller, Action::kListTenants));
  ASSIGN_OR_RETURN(auto page_size, PageSize(request.page_size()));
  const std::string query = absl::StrCat("tenants\n", caller.tenant_id);
  ASSIGN_OR_RETURN(auto after, DecodePageToken(store_->ServerSecret(), query,
                                               request.page_token()));

  opinia::v1::ListTenantsResponse response;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    if (!caller.is_operator()) {
      ASSIGN_OR_RETURN(auto row, txn.GetTenant(caller.tenant_id));
      *response.add_tenants() = TenantToProto(row);
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(auto rows, txn.ListTenants(after, page_size + 1));
    if (auto last = TakePage(rows, page_size, [&](const auto& row) {
          *response.add_tenants() = TenantToProto(row);
        })) {
      response.set_next_page_token(
          EncodePageToken(store_->ServerSecret(), query, *last));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<std::string> Admin::ScopeTenant(const Principal& caller,
                                               std::string_view tenant_name,
                                               std::string_view field) {
  if (tenant_name.empty()) return caller.tenant_id;
  ASSIGN_OR_RETURN(auto id, ParseTenantName(tenant_name, field));
  if (!caller.is_operator() && id != caller.tenant_id) {
    return absl::NotFoundError(
        absl::StrCat(Av(field), ": ", Av(tenant_name), " not found"));
  }
  return id;
}

absl::StatusOr<opinia::v1::CreateApiKeyResponse> Admin::CreateApiKey(
    const Principal& caller, const opinia::v1::CreateApiKeyRequest& request) {
  RETURN_IF_ERROR(Authorize(caller, Action::kCreateApiKey));
  const opinia::v1::ApiKey& in = request.api_key();
  auto tenant_id = ScopeTenant(caller, in.tenant(), "api_key.tenant");
  if (!tenant_id.ok()) return tenant_id.status();
  RETURN_IF_ERROR(CheckDisplayName(in.display_name(), "api_key.display_name"));
  storage::ApiKeyRow row;
  row.tenant_id = *tenant_id;
  for (int role : in.roles()) {
    uint32_t bit = RoleBit(role);
    if (bit == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("api_key.roles: unknown role ", role));
    }
    row.roles |= bit;
  }
  if (row.roles == 0) {
    return absl::InvalidArgumentError("api_key.roles: at least one role");
  }
  if (row.tenant_id.empty() && row.roles != kRoleAdmin) {
    return absl::InvalidArgumentError(
        "api_key.roles: a key without a tenant is an operator key and can "
        "only have ROLE_ADMIN; set api_key.tenant for tenant roles");
  }
  row.id = NewResourceId('k', 16);
  row.display_name = in.display_name();
  const std::string secret = NewApiKeySecret();
  row.secret_hash = Sha256Hex(secret);
  row.create_time = clock_->Now();
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    if (!row.tenant_id.empty()) {
      auto tenant = txn.GetTenant(row.tenant_id);
      if (absl::IsNotFound(tenant.status())) {
        return absl::NotFoundError(
            absl::StrCat("api_key.tenant: ", in.tenant(), " not found"));
      }
      if (!tenant.ok()) return tenant.status();
    }
    return txn.InsertApiKey(row);
  }));
  opinia::v1::CreateApiKeyResponse response;
  *response.mutable_api_key() = ApiKeyToProto(row);
  response.set_secret(secret);
  return response;
}

absl::StatusOr<opinia::v1::ListApiKeysResponse> Admin::ListApiKeys(
    const Principal& caller, const opinia::v1::ListApiKeysRequest& request) {
  RETURN_IF_ERROR(Authorize(caller, Action::kListApiKeys));
  auto tenant_id = ScopeTenant(caller, request.tenant(), "tenant");
  if (!tenant_id.ok()) return tenant_id.status();
  ASSIGN_OR_RETURN(auto page_size, PageSize(request.page_size()));
  // Operators without a tenant filter see every key.
  std::optional<std::string_view> scope;
  if (!(caller.is_operator() && request.tenant().empty())) scope = *tenant_id;
  const std::string query =
      absl::StrCat("apiKeys\n", caller.tenant_id, "\n", request.tenant());
  ASSIGN_OR_RETURN(auto after, DecodePageToken(store_->ServerSecret(), query,
                                               request.page_token()));

  opinia::v1::ListApiKeysResponse response;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    if (caller.is_operator() && !tenant_id->empty()) {
      ASSIGN_OR_RETURN(auto tenant, txn.GetTenant(*tenant_id));
    }
    ASSIGN_OR_RETURN(auto rows, txn.ListApiKeys(scope, after, page_size + 1));
    if (auto last = TakePage(rows, page_size, [&](const auto& row) {
          *response.add_api_keys() = ApiKeyToProto(row);
        })) {
      response.set_next_page_token(
          EncodePageToken(store_->ServerSecret(), query, *last));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<opinia::v1::ApiKey> Admin::RevokeApiKey(
    const Principal& caller, const opinia::v1::RevokeApiKeyRequest& request) {
  RETURN_IF_ERROR(Authorize(caller, Action::kRevokeApiKey));
  auto id = ParseApiKeyName(request.name(), "name");
  if (!id.ok()) return id.status();
  storage::ApiKeyRow row;
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    auto found = txn.GetApiKey(*id);
    if (found.ok() && !caller.is_operator() &&
        found->tenant_id != caller.tenant_id) {
      found = absl::NotFoundError("");
    }
    if (absl::IsNotFound(found.status())) {
      return absl::NotFoundError(
          absl::StrCat("name: ", request.name(), " not found"));
    }
    if (!found.ok()) return found.status();
    row = *std::move(found);
    if (row.revoked) return absl::OkStatus();
    row.revoked = true;
    return txn.RevokeApiKey(row.id);
  }));
  // Streams opened with the key end now, not at the watch's next pass.
  if (key_watch_ != nullptr) key_watch_->Recheck(row.id);
  return ApiKeyToProto(row);
}

absl::StatusOr<opinia::v1::ApiKey> Admin::GetCallerApiKey(
    const Principal& caller, const opinia::v1::GetCallerApiKeyRequest&) {
  RETURN_IF_ERROR(Authorize(caller, Action::kGetCallerApiKey));
  storage::ApiKeyRow row;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    auto found = txn.GetApiKey(caller.key_id);
    if (absl::IsNotFound(found.status()) || (found.ok() && found->revoked)) {
      return absl::UnauthenticatedError("the key was revoked");
    }
    if (!found.ok()) return found.status();
    row = *std::move(found);
    return absl::OkStatus();
  }));
  return ApiKeyToProto(row);
}

}  // namespace opinia::core
