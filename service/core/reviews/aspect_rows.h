// The aspects of an analysis in the form the store indexes for insights
// (storage::ReviewRow::aspects): one row per aspect with opinia.v1 enum
// numbers and the first evidence span (byte offsets into the review text;
// 0, 0 when the analysis gave none). When an analysis lists an aspect twice
// the first entry wins, so a review counts once per aspect.
#ifndef OPINIA_SERVICE_CORE_REVIEWS_ASPECT_ROWS_H_
#define OPINIA_SERVICE_CORE_REVIEWS_ASPECT_ROWS_H_

#include <vector>

#include "opinia/v1/reviews.pb.h"
#include "service/storage/store.h"

namespace opinia::core {

std::vector<storage::ReviewAspect> AspectRows(
    const opinia::v1::Analysis& analysis);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_REVIEWS_ASPECT_ROWS_H_
