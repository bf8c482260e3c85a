#include "nlp/tools/training_tables.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/strip.h"
#include "nlp/tools/eval_cases.h"

namespace opinia::nlp::tools {

std::vector<std::string> ReviewTableFiles(const TableSources& tables,
                                          const std::vector<std::string>& spent_off,
                                          const SentimentModelRow& row) {
  std::vector<std::string> files;
  if (row.domain != TextDomain::kReview) return files;
  const std::string model(absl::StripPrefix(row.name, "sentiment_"));
  const TableSources kept =
      std::find(spent_off.begin(), spent_off.end(), model) == spent_off.end()
          ? tables
          : tables.Without({std::begin(kSpentOffTables), std::end(kSpentOffTables)});
  for (const std::string& lang : row.languages) {
    if (std::find(std::begin(kTuningLanguages), std::end(kTuningLanguages), lang) ==
        std::end(kTuningLanguages)) {
      continue;  // no case table (pt)
    }
    for (std::string& f : kept.Files(lang, model)) files.push_back(std::move(f));
    for (std::string& f : kept.TranslatedFiles(lang, model)) files.push_back(std::move(f));
  }
  return files;
}

bool FoldKeepsTableFiles(const TableSources& tables, const std::vector<std::string>& spent_off,
                         const SentimentModelRow& row, const std::vector<std::string>& held_out) {
  return ReviewTableFiles(tables, spent_off, row) ==
         ReviewTableFiles(tables.Without(held_out), spent_off, row);
}

}  // namespace opinia::nlp::tools
