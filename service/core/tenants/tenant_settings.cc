#include "service/core/tenants/tenant_settings.h"

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/util/json_util.h"
#include "service/core/auth/authorization.h"
#include "service/core/util/absl_sv.h"
#include "service/core/util/names.h"
#include "service/storage/local_time.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

using google::protobuf::Duration;

constexpr char kSettingsSuffix[] = "/settings";
// Duration.seconds bounds of the protobuf spec (about 10,000 years).
constexpr int64_t kMaxDurationSeconds = 315576000000;

void ToDuration(absl::Duration d, Duration* out) {
  const int64_t micros = absl::ToInt64Microseconds(d);
  out->set_seconds(micros / 1000000);
  out->set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
}

// INVALID_ARGUMENT naming `field` unless `in` is a well-formed Duration;
// kept to microseconds (what is stored).
absl::StatusOr<absl::Duration> FromDuration(const Duration& in,
                                            std::string_view field) {
  const bool sign_ok = (in.seconds() >= 0 && in.nanos() >= 0) ||
                       (in.seconds() <= 0 && in.nanos() <= 0);
  if (std::abs(in.seconds()) > kMaxDurationSeconds ||
      std::abs(in.nanos()) >= 1000000000 || !sign_ok) {
    return absl::InvalidArgumentError(
        absl::StrCat(Av(field), ": not a valid Duration"));
  }
  return absl::Trunc(
      absl::Seconds(in.seconds()) + absl::Nanoseconds(in.nanos()),
      absl::Microseconds(1));
}

absl::Status Invalid(std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(Av(field), ": ", Av(why)));
}

// One settable field: how to copy it from the request into the row.
using Setter = std::function<absl::Status(
    const opinia::v1::TenantSettings& from, storage::AlertSettingsRow* to)>;

Setter SlaSetter(int priority) {
  return [priority](const opinia::v1::TenantSettings& from,
                    storage::AlertSettingsRow* to) -> absl::Status {
    const auto& p = from.sla_policy();
    const Duration* d[] = {&p.p1(), &p.p2(), &p.p3(), &p.p4()};
    absl::Duration* out[] = {&to->sla_p1, &to->sla_p2, &to->sla_p3,
                             &to->sla_p4};
    ASSIGN_OR_RETURN(
        auto v, FromDuration(*d[priority - 1],
                             absl::StrCat("settings.sla_policy.p", priority)));
    *out[priority - 1] = v;
    return absl::OkStatus();
  };
}

// Update paths -> setters. "sla_policy" sets all four deadlines.
const std::map<std::string, std::vector<Setter>>& Setters() {
  static const auto* setters = [] {
    auto* m = new std::map<std::string, std::vector<Setter>>;
    for (int p = 1; p <= 4; ++p) {
      (*m)[absl::StrCat("sla_policy.p", p)] = {SlaSetter(p)};
      (*m)["sla_policy"].push_back(SlaSetter(p));
    }
    (*m)["volume_spike_k"] = {[](const opinia::v1::TenantSettings& from,
                                 storage::AlertSettingsRow* to) {
      to->spike_k = from.volume_spike_k();
      return absl::OkStatus();
    }};
    (*m)["volume_spike_cooldown"] = {
        [](const opinia::v1::TenantSettings& from,
           storage::AlertSettingsRow* to) -> absl::Status {
          ASSIGN_OR_RETURN(auto v,
                           FromDuration(from.volume_spike_cooldown(),
                                        "settings.volume_spike_cooldown"));
          to->spike_cooldown = v;
          return absl::OkStatus();
        }};
    return m;
  }();
  return *setters;
}

// AIP-134: an empty mask means every populated field.
std::vector<std::string> ImpliedPaths(const opinia::v1::TenantSettings& s) {
  std::vector<std::string> paths;
  if (s.has_sla_policy()) {
    const auto& p = s.sla_policy();
    if (p.has_p1()) paths.push_back("sla_policy.p1");
    if (p.has_p2()) paths.push_back("sla_policy.p2");
    if (p.has_p3()) paths.push_back("sla_policy.p3");
    if (p.has_p4()) paths.push_back("sla_policy.p4");
  }
  if (s.volume_spike_k() != 0) paths.push_back("volume_spike_k");
  if (s.has_volume_spike_cooldown()) paths.push_back("volume_spike_cooldown");
  return paths;
}

}  // namespace

std::string TenantSettingsName(std::string_view tenant_id) {
  return absl::StrCat(TenantName(tenant_id), kSettingsSuffix);
}

SlaPolicy SlaPolicyOf(const storage::AlertSettingsRow& row) {
  SlaPolicy sla;
  sla.p1 = row.sla_p1;
  sla.p2 = row.sla_p2;
  sla.p3 = row.sla_p3;
  sla.p4 = row.sla_p4;
  return sla;
}

absl::StatusOr<SlaPolicy> LoadSlaPolicy(storage::Txn& txn,
                                        std::string_view tenant_id) {
  ASSIGN_OR_RETURN(auto row, txn.alerts().GetAlertSettings(tenant_id));
  return SlaPolicyOf(row);
}

opinia::v1::TenantSettings TenantSettingsToProto(
    const storage::AlertSettingsRow& row) {
  opinia::v1::TenantSettings s;
  s.set_name(TenantSettingsName(row.tenant_id));
  auto* sla = s.mutable_sla_policy();
  ToDuration(row.sla_p1, sla->mutable_p1());
  ToDuration(row.sla_p2, sla->mutable_p2());
  ToDuration(row.sla_p3, sla->mutable_p3());
  ToDuration(row.sla_p4, sla->mutable_p4());
  s.set_volume_spike_k(row.spike_k);
  ToDuration(row.spike_cooldown, s.mutable_volume_spike_cooldown());
  return s;
}

absl::Status ValidateTenantSettings(const storage::AlertSettingsRow& row) {
  if (!std::isfinite(row.spike_k) || row.spike_k <= 0 ||
      row.spike_k > kMaxSpikeK) {
    return Invalid("settings.volume_spike_k",
                   absl::StrCat(row.spike_k, " is outside (0, ", kMaxSpikeK,
                                "] standard deviations"));
  }
  if (row.spike_cooldown < kMinSpikeCooldown ||
      row.spike_cooldown > kMaxSpikeCooldown) {
    return Invalid("settings.volume_spike_cooldown",
                   absl::StrCat(absl::FormatDuration(row.spike_cooldown),
                                " is outside 1m..720h (30 days)"));
  }
  const absl::Duration sla[] = {row.sla_p1, row.sla_p2, row.sla_p3, row.sla_p4};
  for (int i = 0; i < 4; ++i) {
    const std::string field = absl::StrCat("settings.sla_policy.p", i + 1);
    if (sla[i] <= absl::ZeroDuration()) {
      return Invalid(field, "must be positive");
    }
    if (sla[i] > kMaxSlaDeadline) {
      return Invalid(field, absl::StrCat(absl::FormatDuration(sla[i]),
                                         " is over 8760h (365 days)"));
    }
    if (i > 0 && sla[i] < sla[i - 1]) {
      return Invalid(
          field, absl::StrCat(absl::FormatDuration(sla[i]),
                              " is shorter than settings.sla_policy.p", i, " (",
                              absl::FormatDuration(sla[i - 1]),
                              "); a lower priority never gets less time"));
    }
  }
  return absl::OkStatus();
}

namespace {

// The tenant's IANA zone as stored (the default when none is).
absl::Status ReadTimeZone(storage::Txn& txn, std::string_view tenant_id,
                          std::string* out) {
  ASSIGN_OR_RETURN(auto tenant, txn.GetTenant(tenant_id));
  *out = tenant.time_zone.empty() ? std::string(storage::kDefaultTimeZone)
                                  : tenant.time_zone;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> Settings::Scope(const Principal& caller,
                                            std::string_view name,
                                            std::string_view field) const {
  if (name.empty()) {
    if (caller.is_operator()) {
      return Invalid(field,
                     "required for operator keys (tenants/{id}/settings)");
    }
    return caller.tenant_id;
  }
  if (!absl::EndsWith(Av(name), kSettingsSuffix)) {
    return Invalid(field, "must be tenants/{id}/settings");
  }
  auto id = ParseTenantName(
      name.substr(0, name.size() - sizeof(kSettingsSuffix) + 1), field);
  if (!id.ok()) return Invalid(field, "must be tenants/{id}/settings");
  const auto not_found = absl::NotFoundError(
      absl::StrCat(Av(field), ": ", Av(name.substr(0, 100)), " not found"));
  if (!caller.is_operator()) {
    if (*id != caller.tenant_id) return not_found;
    return *id;
  }
  absl::Status status = store_->Read(
      [&](storage::Txn& txn) { return txn.GetTenant(*id).status(); });
  if (absl::IsNotFound(status)) return not_found;
  if (!status.ok()) return status;
  return *id;
}

absl::StatusOr<opinia::v1::TenantSettings> Settings::Get(
    const Principal& caller,
    const opinia::v1::GetTenantSettingsRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kGetTenantSettings));
  ASSIGN_OR_RETURN(auto tenant_id, Scope(caller, request.name(), "name"));
  storage::AlertSettingsRow row;
  std::string time_zone;
  RETURN_IF_ERROR(store_->Read([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(row, txn.alerts().GetAlertSettings(tenant_id));
    return ReadTimeZone(txn, tenant_id, &time_zone);
  }));
  opinia::v1::TenantSettings out = TenantSettingsToProto(row);
  out.set_time_zone(time_zone);
  return out;
}

absl::StatusOr<opinia::v1::TenantSettings> Settings::Update(
    const Principal& caller,
    const opinia::v1::UpdateTenantSettingsRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kUpdateTenantSettings));
  auto tenant_id = Scope(caller, request.settings().name(), "settings.name");
  if (!tenant_id.ok()) return tenant_id.status();
  std::vector<std::string> paths(request.update_mask().paths().begin(),
                                 request.update_mask().paths().end());
  if (paths.empty()) paths = ImpliedPaths(request.settings());
  std::vector<const Setter*> setters;
  for (const std::string& path : paths) {
    auto it = Setters().find(path);
    if (it == Setters().end()) {
      return Invalid("update_mask",
                     absl::StrCat("path \"", path.substr(0, 100),
                                  "\" is not an updatable TenantSettings "
                                  "field"));
    }
    for (const Setter& setter : it->second) setters.push_back(&setter);
  }
  storage::AlertSettingsRow row;
  std::string time_zone;
  RETURN_IF_ERROR(store_->Write([&](storage::Txn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(row, txn.alerts().GetAlertSettings(*tenant_id));
    RETURN_IF_ERROR(ReadTimeZone(txn, *tenant_id, &time_zone));
    if (setters.empty()) return absl::OkStatus();  // nothing to change
    for (const Setter* setter : setters) {
      RETURN_IF_ERROR((*setter)(request.settings(), &row));
    }
    RETURN_IF_ERROR(ValidateTenantSettings(row));
    RETURN_IF_ERROR(txn.alerts().PutAlertSettings(row));
    storage::AuditRow audit;
    audit.tenant_id = *tenant_id;
    audit.actor = caller.actor();
    audit.action = "tenant.settings.update";
    audit.target = TenantSettingsName(*tenant_id);
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    (void)google::protobuf::util::MessageToJsonString(
        TenantSettingsToProto(row), &audit.detail, options);
    audit.time = clock_->Now();
    return txn.InsertAudit(audit).status();
  }));
  opinia::v1::TenantSettings out = TenantSettingsToProto(row);
  out.set_time_zone(time_zone);
  return out;
}

}  // namespace opinia::core
