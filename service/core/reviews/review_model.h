// How a review is kept: the stored row <-> the API message, the hashes that
// drive UNCHANGED detection and re-analysis, and the "effective" columns
// (a human override wins over the analysis) that filters run on.
#ifndef OPINIA_SERVICE_CORE_REVIEWS_REVIEW_MODEL_H_
#define OPINIA_SERVICE_CORE_REVIEWS_REVIEW_MODEL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/tenants/sla.h"
#include "service/storage/store.h"

namespace opinia::core {

// rating on 1..scale (0 = none) mapped onto 1..5; scale 0 means 5.
int NormalizeRating(int rating, int rating_scale);

// Hash of the deterministic serialization of the whole input.
std::string InputHash(const opinia::v1::ReviewInput& input);
// Hash of what the analysis depends on: title, text, rating and scale,
// and the stated aspect ratings (aspect_ratings.h).
std::string ContentHash(const opinia::v1::ReviewInput& input);

// Sets row->analysis and the effective columns (language, label, score,
// priority, respond_by) from `analysis` and row->override_analysis.
// `received` is when the SLA clock of the analysis started; a priority set
// by a person gets its deadline from `sla` (the tenant's policy).
void SetAnalysis(const opinia::v1::Analysis& analysis, absl::Time received,
                 storage::ReviewRow* row, const SlaPolicy& sla = {});
// Recomputes the effective columns after row->override_analysis changed.
// INTERNAL when a stored blob does not parse.
absl::Status RefreshEffective(storage::ReviewRow* row,
                              const SlaPolicy& sla = {});

// The API view of a stored row. INTERNAL when a stored blob does not parse.
absl::StatusOr<opinia::v1::Review> ReviewFromRow(const storage::ReviewRow& row);

// The machine analysis of a stored row.
absl::StatusOr<opinia::v1::Analysis> StoredAnalysis(
    const storage::ReviewRow& row);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_REVIEWS_REVIEW_MODEL_H_
