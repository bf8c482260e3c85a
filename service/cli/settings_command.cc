// `opinia settings get|set`: a tenant's SLA policy and volume-spike
// settings (AdminService GetTenantSettings / UpdateTenantSettings).
#include <cmath>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "opinia/v1/admin.grpc.pb.h"
#include "service/cli/command.h"
#include "service/cli/connection.h"
#include "service/cli/format.h"
#include "service/cli/table.h"

namespace opinia::cli {
namespace {

using google::protobuf::Duration;
using opinia::v1::AdminService;

// "tenants/ID/settings" from --tenant (ID or tenants/ID); "" = the key's
// own tenant.
std::string SettingsName(const Args& args) {
  auto tenant = args.Get("tenant");
  if (!tenant || tenant->empty()) return "";
  return QualifyName("tenants", *tenant) + "/settings";
}

// absl durations ("90m", "1h30m", "36h") plus whole days ("3d").
bool ParseDurationArg(const std::string& text, absl::Duration* out) {
  int64_t days = 0;
  if (text.size() > 1 && text.back() == 'd' &&
      absl::SimpleAtoi(text.substr(0, text.size() - 1), &days)) {
    *out = absl::Hours(24 * days);
    return true;
  }
  return absl::ParseDuration(text, out);
}

void SetDuration(absl::Duration d, Duration* out) {
  const int64_t micros = absl::ToInt64Microseconds(d);
  out->set_seconds(micros / 1000000);
  out->set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
}

std::string ShowDuration(const Duration& d) {
  return absl::FormatDuration(absl::Seconds(d.seconds()) +
                              absl::Nanoseconds(d.nanos()));
}

void Print(const Args& args, const opinia::v1::TenantSettings& s) {
  if (args.Has("json")) {
    std::cout << ToJsonLine(s) << "\n";
    return;
  }
  Table table({{"SETTING"}, {"VALUE", 40}});
  table.AddRow({"name", s.name()});
  table.AddRow({"time_zone", s.time_zone()});
  table.AddRow({"sla_policy.p1", ShowDuration(s.sla_policy().p1())});
  table.AddRow({"sla_policy.p2", ShowDuration(s.sla_policy().p2())});
  table.AddRow({"sla_policy.p3", ShowDuration(s.sla_policy().p3())});
  table.AddRow({"sla_policy.p4", ShowDuration(s.sla_policy().p4())});
  table.AddRow({"volume_spike_k", absl::StrFormat("%g", s.volume_spike_k())});
  table.AddRow(
      {"volume_spike_cooldown", ShowDuration(s.volume_spike_cooldown())});
  table.Print(std::cout, 0);
}

int RunSettingsGet(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) {
    return ReportUsageError("settings get takes no operands");
  }
  opinia::v1::GetTenantSettingsRequest request;
  request.set_name(SettingsName(args));
  opinia::v1::TenantSettings settings;
  if (int rc = CallOnce(args, &AdminService::Stub::GetTenantSettings,
                        "GetTenantSettings", request, &settings)) {
    return rc;
  }
  Print(args, settings);
  return kExitOk;
}

int RunSettingsSet(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) {
    return ReportUsageError("settings set takes no operands");
  }
  opinia::v1::UpdateTenantSettingsRequest request;
  auto* settings = request.mutable_settings();
  settings->set_name(SettingsName(args));
  auto* mask = request.mutable_update_mask();
  if (auto k = args.Get("spike-k")) {
    double v = 0;
    if (!absl::SimpleAtod(*k, &v) || !std::isfinite(v)) {
      return ReportUsageError("--spike-k: not a number");
    }
    settings->set_volume_spike_k(v);
    mask->add_paths("volume_spike_k");
  }
  if (auto c = args.Get("spike-cooldown")) {
    absl::Duration d;
    if (!ParseDurationArg(*c, &d)) {
      return ReportUsageError("--spike-cooldown: not a duration (e.g. 12h)");
    }
    SetDuration(d, settings->mutable_volume_spike_cooldown());
    mask->add_paths("volume_spike_cooldown");
  }
  auto* sla = settings->mutable_sla_policy();
  Duration* fields[] = {sla->mutable_p1(), sla->mutable_p2(), sla->mutable_p3(),
                        sla->mutable_p4()};
  for (int p = 1; p <= 4; ++p) {
    const std::string flag = absl::StrCat("sla-p", p);
    auto v = args.Get(flag);
    if (!v) continue;
    absl::Duration d;
    if (!ParseDurationArg(*v, &d)) {
      return ReportUsageError(
          absl::StrCat("--", flag, ": not a duration (e.g. 30m, 4h, 3d)"));
    }
    SetDuration(d, fields[p - 1]);
    mask->add_paths(absl::StrCat("sla_policy.p", p));
  }
  if (mask->paths().empty()) {
    return ReportUsageError(
        "settings set needs at least one of --spike-k, --spike-cooldown, "
        "--sla-p1 .. --sla-p4");
  }
  opinia::v1::TenantSettings updated;
  if (int rc = CallOnce(args, &AdminService::Stub::UpdateTenantSettings,
                        "UpdateTenantSettings", request, &updated)) {
    return rc;
  }
  Print(args, updated);
  return kExitOk;
}

}  // namespace

std::vector<Command> SettingsCommands() {
  const OptionHelp tenant = {
      "tenant", "ID",
      "the tenant (operator keys must name one; default: the key's own)"};
  return {
      {{"settings", "get"},
       "",
       "show a tenant's SLA policy and volume-spike settings (admin key)",
       {tenant},
       RunSettingsGet},
      {{"settings", "set"},
       "",
       "change a tenant's settings; applies to reviews ingested and "
       "scheduler passes from now on (admin key)",
       {tenant,
        {"sla-p1", "DURATION", "P1 response deadline, e.g. 30m (default 1h)"},
        {"sla-p2", "DURATION", "P2 deadline (default 4h)"},
        {"sla-p3", "DURATION", "P3 deadline (default 24h)"},
        {"sla-p4", "DURATION", "P4 deadline (default 72h or 3d)"},
        {"spike-k", "K",
         "VOLUME_SPIKE threshold in standard deviations, (0, 20] (default 3)"},
        {"spike-cooldown", "DURATION",
         "at most one spike alert per scope this often (default 24h)"}},
       RunSettingsSet},
  };
}

}  // namespace opinia::cli
