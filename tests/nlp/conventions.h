// The hand-written convention cases (nlp/eval/conventions.tsv, the case
// table's format): the labels the analyzer keeps by construction, shared by
// the label arbiter's training (nlp/tools/label_arbiter_train.h) and the
// tests.
#ifndef OPINIA_TESTS_NLP_CONVENTIONS_H_
#define OPINIA_TESTS_NLP_CONVENTIONS_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlp/tools/eval_cases.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {

// The convention cases of `category`, in the file's order (a test fails
// when the file cannot be read).
inline std::vector<tools::EvalCase> ConventionCases(const std::string& category) {
  std::vector<tools::EvalCase> all, out;
  EXPECT_TRUE(tools::ReadCaseFile(test_paths::ConventionsFile(), &all))
      << test_paths::ConventionsFile();
  for (tools::EvalCase& c : all) {
    if (c.category == category) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace opinia::nlp

#endif  // OPINIA_TESTS_NLP_CONVENTIONS_H_
