#include "service/cli/display_zone.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "opinia/v1/admin.grpc.pb.h"

namespace opinia::cli {

DisplayZone LoadDisplayZone(absl::string_view name) {
  DisplayZone zone;
  absl::TimeZone tz;
  if (!name.empty() && absl::LoadTimeZone(std::string(name), &tz)) {
    zone.name = std::string(name);
    zone.tz = tz;
  }
  return zone;
}

absl::StatusOr<DisplayZone> ResolveDisplayZone(const Args& args,
                                               const Connection& connection) {
  if (auto flag = args.Get("time-zone")) {
    DisplayZone zone = LoadDisplayZone(*flag);
    if (zone.name != *flag) {
      return absl::InvalidArgumentError(
          absl::StrCat("--time-zone: unknown IANA time zone '", *flag, "'"));
    }
    return zone;
  }
  if (args.Has("json")) return DisplayZone();
  auto stub = opinia::v1::AdminService::NewStub(connection.channel());
  opinia::v1::TenantSettings settings;
  auto context = connection.NewContext();
  if (stub->GetTenantSettings(context.get(), {}, &settings).ok()) {
    return LoadDisplayZone(settings.time_zone());
  }
  return DisplayZone();
}

}  // namespace opinia::cli
