// Helpers the nlp tests share: a suite-wide model (the Analyzer or one of
// its parts) and the check that a table of cases covers each language.
#ifndef OPINIA_TESTS_NLP_TEST_UTIL_H_
#define OPINIA_TESTS_NLP_TEST_UTIL_H_

#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <system_error>

#include "gtest/gtest.h"
#include "nlp/analyzer.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp::test_util {

// The sign of `aspect`'s score in `a` as opinia-eval reads it: +1 above
// +0.05, -1 below -0.05, 0 between; 2 when `a` does not report it.
inline int SignOf(const Analysis& a, Aspect aspect) {
  for (const AspectSentiment& as : a.aspects) {
    if (as.aspect != aspect) continue;
    return as.sentiment.score > 0.05f ? 1 : as.sentiment.score < -0.05f ? -1 : 0;
  }
  return 2;  // not found
}

// A test suite sharing one T, model_, loaded by `create` (a function of
// the models directory, test_paths::ModelsDir(), returning an
// absl::StatusOr<std::unique_ptr<T>>) before its first test and deleted
// after its last.
template <typename T, auto create>
class ModelSuiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = create(test_paths::ModelsDir());
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    model_ = loaded->release();
  }
  static void TearDownTestSuite() {
    delete model_;
    model_ = nullptr;
  }
  inline static const T* model_ = nullptr;
};

// A test suite sharing one Analyzer.
using AnalyzerSuiteTest = ModelSuiteTest<Analyzer, CreateAnalyzer>;

// Expects at least `at_least` of `cases` in each of `languages`, a case's
// language being c.*language.
template <typename Cases, typename Case>
void ExpectCasesPerLanguage(const Cases& cases, const char* Case::*language,
                            int at_least,
                            std::initializer_list<const char*> languages) {
  for (const char* want : languages) {
    int n = 0;
    for (const Case& c : cases) n += std::string(c.*language) == want;
    EXPECT_GE(n, at_least) << "cases in " << want;
  }
}

}  // namespace opinia::nlp::test_util

#endif  // OPINIA_TESTS_NLP_TEST_UTIL_H_
