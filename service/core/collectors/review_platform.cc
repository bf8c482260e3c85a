#include "service/core/collectors/review_platform.h"

#include "absl/strings/str_cat.h"
#include "service/core/collectors/collectors.h"
#include "service/core/util/names.h"

namespace opinia::core::collectors {

absl::StatusOr<ReviewPlatform> PlatformOfReview(storage::Txn& txn,
                                                const storage::ReviewRow& review,
                                                std::string_view field,
                                                std::string_view what) {
  const std::string f(field);
  const std::string name = ReviewName(review.id);
  ReviewPlatform r;
  if (!r.target.review.ParseFromString(review.input)) {
    return absl::InternalError(absl::StrCat(name, ": stored input is corrupt"));
  }
  auto it = r.target.review.attributes().find(kCollectorAttribute);
  if (it == r.target.review.attributes().end() || it->second.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        f, ": ", name,
        " was not fetched by a collector (it was pushed through the API), so "
        "there is no platform to send ",
        std::string(what)));
  }
  r.collector = it->second;
  absl::StatusOr<int64_t> id = ParseCollectorName(r.collector, "collector");
  absl::StatusOr<storage::CollectorRow> row =
      id.ok() ? txn.collectors().GetCollector(review.tenant_id, *id)
              : absl::StatusOr<storage::CollectorRow>(id.status());
  if (absl::IsNotFound(row.status()) || absl::IsInvalidArgument(row.status())) {
    return absl::FailedPreconditionError(
        absl::StrCat(f, ": the collector ", r.collector, " that fetched ", name,
                     " no longer exists"));
  }
  if (!row.ok()) return row.status();
  if (!r.spec.ParseFromString(row->spec)) {
    return absl::InternalError(
        absl::StrCat(r.collector, ": stored spec is corrupt"));
  }
  absl::StatusOr<const Platform*> platform = PlatformFor(r.spec.kind());
  if (!platform.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(f, ": ", platform.status().message()));
  }
  r.platform = *platform;
  r.target.endpoint = r.spec.endpoint();
  r.target.credentials = r.spec.credentials();
  return r;
}

}  // namespace opinia::core::collectors
