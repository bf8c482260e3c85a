// OpenStore picks the backend from the location: a path is SQLite, a URL
// of a backend it does not know is INVALID_ARGUMENT.
#include "service/storage/open/open_store.h"

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace opinia::storage {
namespace {

using ::testing::HasSubstr;

TEST(OpenStoreTest, PathOpensSqlite) {
  std::string dir = ::testing::TempDir() + "/open_store_XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  {
    absl::StatusOr<std::unique_ptr<Store>> store =
        OpenStore(dir + "/opinia.db");
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_TRUE((*store)
                    ->Write([](Txn& txn) {
                      return txn.InsertTenant(TenantRow{"t", "T", "UTC"});
                    })
                    .ok());
  }
  EXPECT_TRUE(std::filesystem::exists(dir + "/opinia.db"));
  std::filesystem::remove_all(dir);
}

TEST(OpenStoreTest, UnknownBackendOrEmptyIsInvalidArgument) {
  for (const char* location :
       {"postgresql://localhost/opinia", "sqlite://x.db", ""}) {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(location);
    ASSERT_FALSE(store.ok()) << location;
    EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument)
        << location;
  }
  EXPECT_THAT(OpenStore("postgresql://localhost/opinia").status().message(),
              HasSubstr("unknown backend \"postgresql\""));
}

}  // namespace
}  // namespace opinia::storage
