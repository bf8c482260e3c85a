// Where the nlp tests find the shipped models and the labelled data.
#ifndef OPINIA_TESTS_NLP_TEST_PATHS_H_
#define OPINIA_TESTS_NLP_TEST_PATHS_H_

#include <cstdlib>
#include <string>

namespace opinia::nlp::test_paths {

// $OPINIA_MODELS_DIR, else $OPINIA_SOURCE_DIR/models, else ./models.
inline std::string ModelsDir() {
  if (const char* d = std::getenv("OPINIA_MODELS_DIR"); d && *d) return d;
  if (const char* s = std::getenv("OPINIA_SOURCE_DIR"); s && *s) {
    return std::string(s) + "/models";
  }
  return "models";
}

// The labelled data sits beside the checkout (../shared/data), not in it:
// $OPINIA_DATA_DIR, else $OPINIA_SOURCE_DIR/../shared/data, else
// /work/shared/data.
inline std::string DataDir() {
  if (const char* d = std::getenv("OPINIA_DATA_DIR"); d && *d) return d;
  if (const char* s = std::getenv("OPINIA_SOURCE_DIR"); s && *s) {
    return std::string(s) + "/../shared/data";
  }
  return "/work/shared/data";
}

// The hand-written convention cases the label arbiter's training and the
// tests share: $OPINIA_SOURCE_DIR/nlp/eval/conventions.tsv, else
// nlp/eval/conventions.tsv.
inline std::string ConventionsFile() {
  if (const char* s = std::getenv("OPINIA_SOURCE_DIR"); s && *s) {
    return std::string(s) + "/nlp/eval/conventions.tsv";
  }
  return "nlp/eval/conventions.tsv";
}

}  // namespace opinia::nlp::test_paths

#endif  // OPINIA_TESTS_NLP_TEST_PATHS_H_
