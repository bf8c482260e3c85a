// The base of the PostgreSQL store tests' fixtures: a fresh schema per test
// (tests/testing/pg_test_db.h), stores opened on it, and sessions of the
// test's own for looking at the tables.
#ifndef OPINIA_TESTS_SERVICE_STORAGE_PG_STORE_FIXTURE_H_
#define OPINIA_TESTS_SERVICE_STORAGE_PG_STORE_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "service/storage/postgres/pg_connection.h"
#include "service/storage/postgres/pg_store.h"
#include "tests/testing/pg_test_db.h"

namespace opinia::testing {

class PgStoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<PgTestDb>> db = PgTestDb::Create();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
  }

  // A store on the test schema; nullptr (and a failure) when it cannot
  // open.
  std::unique_ptr<storage::Store> Open(const storage::PgOptions& options = {}) {
    absl::StatusOr<std::unique_ptr<storage::Store>> store =
        storage::OpenPgStore(db_->url(), options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  // A connection of our own to the test schema.
  std::unique_ptr<storage::pg::Connection> Connect() {
    absl::StatusOr<std::unique_ptr<storage::pg::Connection>> conn =
        storage::pg::Connection::Open(db_->url());
    EXPECT_TRUE(conn.ok()) << conn.status();
    return conn.ok() ? *std::move(conn) : nullptr;
  }

  // The first column of the first row of `sql`, -1 (and a failure) on an
  // error or no row.
  static int64_t QueryInt(storage::pg::Connection& conn,
                          const std::string& sql) {
    absl::StatusOr<storage::pg::Result> r = conn.ExecOnce(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status();
    return r.ok() && r->rows() > 0 ? r->Int(0, 0) : -1;
  }
  // The same on a connection of its own.
  int64_t QueryInt(const std::string& sql) {
    std::unique_ptr<storage::pg::Connection> conn = Connect();
    return conn == nullptr ? -1 : QueryInt(*conn, sql);
  }

  std::unique_ptr<PgTestDb> db_;
};

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_SERVICE_STORAGE_PG_STORE_FIXTURE_H_
