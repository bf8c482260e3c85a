#include "service/core/reviews/aspect_rows.h"

#include <cmath>
#include <set>

namespace opinia::core {

std::vector<storage::ReviewAspect> AspectRows(
    const opinia::v1::Analysis& analysis) {
  std::vector<storage::ReviewAspect> out;
  std::set<int> seen;
  for (const auto& a : analysis.aspects()) {
    if (a.aspect() == opinia::v1::ASPECT_UNSPECIFIED ||
        !seen.insert(a.aspect()).second) {
      continue;
    }
    storage::ReviewAspect row;
    row.aspect = a.aspect();
    row.label = a.sentiment().label();
    row.score = std::isfinite(a.sentiment().score()) ? a.sentiment().score()
                                                     : 0;
    if (a.evidence_size() > 0) {
      row.begin = a.evidence(0).begin();
      row.end = a.evidence(0).end();
    }
    out.push_back(row);
  }
  return out;
}

}  // namespace opinia::core
