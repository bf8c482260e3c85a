// A copy of the shipped models directory for tests that leave out or
// replace model files (symbolic links to the shipped files).
#ifndef OPINIA_TESTS_NLP_MODELS_COPY_H_
#define OPINIA_TESTS_NLP_MODELS_COPY_H_

#include <filesystem>
#include <string>
#include <system_error>

#include "gtest/gtest.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {

// The shipped models directory under the test's temporary directory, as
// `name`, without the files `skip` says to leave out; removed with the
// object.
class ModelsCopy {
 public:
  template <typename Skip>
  ModelsCopy(const std::string& name, Skip skip)
      : dir_(std::filesystem::path(::testing::TempDir()) / name) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::remove_all(dir_, ec);
    fs::create_directories(dir_);
    for (const fs::directory_entry& e : fs::directory_iterator(test_paths::ModelsDir())) {
      const std::string file = e.path().filename().string();
      if (!skip(file)) fs::create_symlink(fs::absolute(e.path()), dir_ / file);
    }
  }
  ~ModelsCopy() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  ModelsCopy(const ModelsCopy&) = delete;
  ModelsCopy& operator=(const ModelsCopy&) = delete;
  std::string dir() const { return dir_.string(); }
  std::filesystem::path path() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace opinia::nlp

#endif  // OPINIA_TESTS_NLP_MODELS_COPY_H_
