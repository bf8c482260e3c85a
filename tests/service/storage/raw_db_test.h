// Fixture for schema-upgrade tests: a fresh SQLite file opened as a raw
// Connection (no Store, so a test can stop at any schema version with
// ApplyMigrationsUpTo; InsertReviewAtSchema writes reviews there), and
// Write() running a function in one transaction
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
#include "service/storage/sqlite/aspects_json.h"
#include "service/storage/sqlite/connection.h"
#include "service/storage/sqlite/review_query.h"
#include "service/storage/sqlite/rollup_sql.h"
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

  // Inserts `row` into conn_ at its current schema `schema` (older than the
  // latest: SqliteTxn writes new reviews for the latest schema only) as
  // SqliteTxn::InsertReview did at that schema: up to migration 8 the
  // insert triggers log the rollup, response and full-text changes and add
  // the aspect rows; from migration 9 the statements of rollup_sql.h
  // do, with the response bucket of response_time - create_time before
  // migration 11. Call inside Write.
  absl::StatusOr<int64_t> InsertReviewAtSchema(const ReviewRow& row,
                                               int64_t schema) {
    auto insert = conn_->Prepare(kInsertReview);
    if (!insert.ok()) return insert.status();
    BindReviewColumns(*insert, row);
    if (absl::Status s = insert->Run(); !s.ok()) return s;
    const int64_t id = conn_->LastInsertRowId();
    if (schema < 9) return id;
    const std::string log_review = LogInsertedReviewSql(
        /*has_response_delay=*/schema >= 11);
    auto log = conn_->Prepare(log_review);
    if (!log.ok()) return log.status();
    log->BindInt64(id);
    if (absl::Status s = log->Run(); !s.ok()) return s;
    for (const ReviewAspect& a : row.aspects) {
      auto aspect = conn_->Prepare(kInsertAspectRow);
      if (!aspect.ok()) return aspect.status();
      aspect->BindInt64(id)
          .BindInt64(a.aspect)
          .BindInt64(a.label)
          .BindDouble(StoredScore(a.score))
          .BindInt64(a.begin)
          .BindInt64(a.end);
      if (absl::Status s = aspect->Run(); !s.ok()) return s;
    }
    if (row.aspects.empty()) return id;
    auto aspects = conn_->Prepare(kLogInsertedAspects);
    if (!aspects.ok()) return aspects.status();
    aspects->BindInt64(id);
    if (absl::Status s = aspects->Run(); !s.ok()) return s;
    return id;
  }

  std::string dir_;
  std::unique_ptr<Connection> conn_;
};

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_TESTS_SERVICE_STORAGE_RAW_DB_TEST_H_
