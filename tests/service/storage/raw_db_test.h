// Fixture for schema-upgrade tests: a fresh SQLite file opened as a raw
// Connection (no Store, so a test can stop at any schema version with
// ApplyMigrationsUpTo), and Write() running a function in one transaction
// that commits through Connection::Commit (which applies what the schema-8
// triggers deferred; a plain COMMIT would be refused while it is pending).
#ifndef OPINIA_TESTS_SERVICE_STORAGE_RAW_DB_TEST_H_
#define OPINIA_TESTS_SERVICE_STORAGE_RAW_DB_TEST_H_

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "service/storage/sqlite/connection.h"
#include "service/storage/sqlite/sqlite_txn.h"

namespace opinia::storage::sqlite {

class RawDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(
        ::testing::TempDir(), "/raw-db-",
        ::testing::UnitTest::GetInstance()->current_test_info()->name(), "-",
        ::testing::UnitTest::GetInstance()->random_seed(), "-",
        reinterpret_cast<uintptr_t>(this));
    std::filesystem::create_directories(dir_);
    auto conn = Connection::Open(dir_ + "/t.db",
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                 absl::Seconds(5));
    ASSERT_TRUE(conn.ok()) << conn.status();
    conn_ = *std::move(conn);
  }
  void TearDown() override {
    conn_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs fn in one write transaction (of conn_ or of another database).
  void Write(const std::function<absl::Status(SqliteTxn&)>& fn) {
    Write(*conn_, fn);
  }
  static void Write(Connection& conn,
                    const std::function<absl::Status(SqliteTxn&)>& fn) {
    ASSERT_TRUE(conn.Exec("BEGIN IMMEDIATE").ok());
    SqliteTxn txn(conn, /*read_only=*/false);
    const absl::Status s = fn(txn);
    ASSERT_TRUE(s.ok()) << s;
    const absl::Status commit = conn.Commit();
    ASSERT_TRUE(commit.ok()) << commit;
  }

  std::string dir_;
  std::unique_ptr<Connection> conn_;
};

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_TESTS_SERVICE_STORAGE_RAW_DB_TEST_H_
