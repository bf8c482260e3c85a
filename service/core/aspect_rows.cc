#include "service/core/aspect_rows.h"

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"

namespace opinia::core {

std::string AspectsJson(const opinia::v1::Analysis& analysis) {
  std::string out = "[";
  std::set<int> seen;
  for (const auto& a : analysis.aspects()) {
    if (a.aspect() == opinia::v1::ASPECT_UNSPECIFIED ||
        !seen.insert(a.aspect()).second) {
      continue;
    }
    float score = a.sentiment().score();
    if (!std::isfinite(score)) score = 0;
    const int begin = a.evidence_size() > 0 ? a.evidence(0).begin() : 0;
    const int end = a.evidence_size() > 0 ? a.evidence(0).end() : 0;
    absl::StrAppend(&out, out.size() > 1 ? "," : "", "{\"a\":", a.aspect(),
                    ",\"l\":", a.sentiment().label(), ",\"s\":", score,
                    ",\"b\":", begin, ",\"e\":", end, "}");
  }
  out.push_back(']');
  return out;
}

}  // namespace opinia::core
