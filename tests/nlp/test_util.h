// Helpers the nlp tests share: a suite-wide Analyzer and the check that a
// table of cases covers each language.
#ifndef OPINIA_TESTS_NLP_TEST_UTIL_H_
#define OPINIA_TESTS_NLP_TEST_UTIL_H_

#include <cstdlib>
#include <initializer_list>
#include <string>

#include "gtest/gtest.h"
#include "nlp/analyzer.h"

namespace opinia::nlp::test_util {

// A test suite sharing one Analyzer, loaded from $OPINIA_MODELS_DIR (else
// ./models) before its first test and deleted after its last.
class AnalyzerSuiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* dir = std::getenv("OPINIA_MODELS_DIR");
    auto a = CreateAnalyzer(dir != nullptr ? dir : "models");
    ASSERT_TRUE(a.ok()) << a.status();
    analyzer_ = a->release();
  }
  static void TearDownTestSuite() {
    delete analyzer_;
    analyzer_ = nullptr;
  }
  inline static const Analyzer* analyzer_ = nullptr;
};

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
