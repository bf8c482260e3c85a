// Reader for the labelled data format of ../shared/data: UTF-8 TSV with the
// header `lang label stars text`.
#ifndef OPINIA_NLP_TOOLS_TSV_H_
#define OPINIA_NLP_TOOLS_TSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace opinia::nlp::tools {

struct Example {
  std::string lang;
  std::string label;  // positive, negative, neutral, mixed
  int stars = 0;      // 0 = none
  std::string text;
};

// NOT_FOUND when the file cannot be opened; INVALID_ARGUMENT on a bad header.
// Lines with fewer than 4 fields are skipped.
absl::StatusOr<std::vector<Example>> ReadTsv(const std::string& path);

}  // namespace opinia::nlp::tools

#endif  // OPINIA_NLP_TOOLS_TSV_H_
