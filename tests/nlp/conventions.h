// The hand-written convention cases (nlp/eval/conventions.tsv, the case
// table's format): the labels the analyzer keeps by construction, shared by
// the label arbiter's training (nlp/tools/label_arbiter_train.h) and the
// tests.
#ifndef OPINIA_TESTS_NLP_CONVENTIONS_H_
#define OPINIA_TESTS_NLP_CONVENTIONS_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlp/analyzer.h"
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

// Every convention case of `category` (shared with the label arbiter's
// training, which keeps them by construction) gets its label from the
// shipped analyzer, read as the training reads it (the case's rating, no
// language hint); `count` guards against a case silently dropped from the
// file.
inline void ExpectConventionLabels(const std::string& category, size_t count) {
  auto analyzer = CreateAnalyzer(test_paths::ModelsDir());
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  const std::vector<tools::EvalCase> cases = ConventionCases(category);
  EXPECT_EQ(cases.size(), count) << category;
  for (const tools::EvalCase& c : cases) {
    AnalyzeOptions o;
    o.rating = c.rating;
    const Analysis a = (*analyzer)->Analyze(c.text, o);
    EXPECT_EQ(a.sentiment.label, c.labels[0])
        << c.id << ": \"" << c.text << "\" score " << a.sentiment.score;
  }
}

}  // namespace opinia::nlp

#endif  // OPINIA_TESTS_NLP_CONVENTIONS_H_
