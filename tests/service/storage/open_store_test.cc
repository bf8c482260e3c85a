// OpenStore picks the backend from the location: a path is SQLite, a
// postgresql:// URL PostgreSQL (opened for real in pg_store_test), a URL of
// a backend it does not know is INVALID_ARGUMENT.
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
       {"mysql://localhost/opinia", "sqlite://x.db", ""}) {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(location);
    ASSERT_FALSE(store.ok()) << location;
    EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument)
        << location;
  }
  EXPECT_THAT(OpenStore("mysql://localhost/opinia").status().message(),
              HasSubstr("unknown backend \"mysql\""));
}

TEST(OpenStoreTest, PostgresUrlsChoosePostgres) {
  // Port 1 on loopback: nothing listens, so the PostgreSQL backend's own
  // answer (UNAVAILABLE, naming the connection) shows it was chosen.
  for (const char* url : {"postgresql://opinia@127.0.0.1:1/opinia",
                          "postgres://opinia@127.0.0.1:1/opinia"}) {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(url);
    ASSERT_FALSE(store.ok()) << url;
    EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable) << url;
    EXPECT_THAT(store.status().message(), HasSubstr("PostgreSQL")) << url;
  }
}

}  // namespace
}  // namespace opinia::storage
