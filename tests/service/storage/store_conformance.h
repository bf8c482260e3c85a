// A conformance suite for any Store backend, written only against
// service/storage/store.h. A backend's test instantiates it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
//       testing::Values(StoreFactory{"sqlite", [](const std::string& dir) {
//         return *OpenSqliteStore(dir + "/db.sqlite"); }}),
//       [](const auto& info) { return info.param.name; });
//
// and links the suite's sources (STORE_CONFORMANCE_SRCS in
// tests/service/storage/CMakeLists.txt: one file per storage interface)
// into the same test executable. The suite uses only the interfaces in
// service/storage/, never a backend's specifics.
#ifndef OPINIA_TESTS_SERVICE_STORAGE_STORE_CONFORMANCE_H_
#define OPINIA_TESTS_SERVICE_STORAGE_STORE_CONFORMANCE_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "gtest/gtest.h"
#include "service/storage/store.h"

namespace opinia::storage::conformance {

struct StoreFactory {
  std::string name;  // a valid test-name suffix, e.g. "sqlite"
  // Returns a fresh, empty store whose files live under `dir` (an empty
  // directory that the fixture deletes afterwards).
  std::function<std::unique_ptr<Store>(const std::string& dir)> make;
};

// Test names and failure messages show the backend name.
inline void PrintTo(const StoreFactory& factory, std::ostream* os) {
  *os << factory.name;
}

class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::string dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace opinia::storage::conformance

#endif  // OPINIA_TESTS_SERVICE_STORAGE_STORE_CONFORMANCE_H_
