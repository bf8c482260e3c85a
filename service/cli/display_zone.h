// The time zone a person reads CLI times in. Insights cut days, weeks and
// months at the tenant's local midnight, so its dates only make sense in the
// tenant's zone; every table header that shows times names the zone.
#ifndef OPINIA_SERVICE_CLI_DISPLAY_ZONE_H_
#define OPINIA_SERVICE_CLI_DISPLAY_ZONE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "service/cli/args.h"
#include "service/cli/connection.h"

namespace opinia::cli {

struct DisplayZone {
  std::string name = "UTC";  // IANA, for headers
  absl::TimeZone tz = absl::UTCTimeZone();
};

// The zone called `name`; UTC when `name` is empty or unknown here.
DisplayZone LoadDisplayZone(absl::string_view name);

// --time-zone=IANA when given (INVALID_ARGUMENT when unknown), else the
// tenant's zone from GetTenantSettings, else UTC: only admin keys may read
// the settings, and a time labelled UTC is still read right. With --json
// nothing is asked: JSON times are RFC 3339 in UTC.
absl::StatusOr<DisplayZone> ResolveDisplayZone(const Args& args,
                                               const Connection& connection);

}  // namespace opinia::cli

#endif  // OPINIA_SERVICE_CLI_DISPLAY_ZONE_H_
