// Which backend the service and integration tests run on, so one test
// binary checks one contract on both: SQLite files by default, PostgreSQL
// when OPINIA_TEST_BACKEND=postgres (the `<test>_pg` ctest entries that
// opinia_pg_variant() in cmake/opinia.cmake registers; one fresh schema per
// database a test makes, in the pg_cluster fixture's cluster,
// pg_test_db.h).
//
// A test that looks at a SQLite file itself (raw sqlite3 reads, the WAL,
// file sizes) skips that part on PostgreSQL with OPINIA_SKIP_ON_POSTGRES
// (OPINIA_SKIP_ON_POSTGRES below), which GoogleTest prints as SKIPPED with
// the reason; it never passes without having run.
#ifndef OPINIA_TESTS_TESTING_TEST_BACKEND_H_
#define OPINIA_TESTS_TESTING_TEST_BACKEND_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "service/storage/store.h"
#include "tests/testing/pg_test_db.h"

namespace opinia::testing {

// True for OPINIA_TEST_BACKEND=postgres; false when it is unset, empty or
// "sqlite". Any other value aborts the test binary with a message (a typo
// must not quietly test SQLite twice).
bool TestsOnPostgres();
// "postgres" or "sqlite", for messages.
const char* TestBackendName();

// The database of one test: a SQLite file path, or on PostgreSQL a fresh
// schema (dropped when this is destroyed: close every store and stop every
// server on it first).
class TestDb {
 public:
  // `sqlite_path` is the database on SQLite (its folder is made by whoever
  // opens it); on PostgreSQL a new schema, FAILED_PRECONDITION/UNAVAILABLE
  // with the reason when there is no cluster.
  static absl::StatusOr<std::unique_ptr<TestDb>> Create(
      const std::string& sqlite_path);
  // The SQLite file whatever the backend (a test's fallback after Create
  // failed, with the failure reported).
  static std::unique_ptr<TestDb> Sqlite(const std::string& sqlite_path) {
    return std::unique_ptr<TestDb>(new TestDb(sqlite_path, nullptr));
  }

  // What a server's --db (server::Options::db) and storage::OpenStore take.
  const std::string& location() const { return location_; }
  bool postgres() const { return pg_ != nullptr; }

 private:
  TestDb(std::string location, std::unique_ptr<PgTestDb> pg)
      : pg_(std::move(pg)), location_(std::move(location)) {}

  std::unique_ptr<PgTestDb> pg_;
  std::string location_;
};

// storage::OpenStore on `db`'s location.
absl::StatusOr<std::unique_ptr<storage::Store>> OpenTestDbStore(
    const TestDb& db);

// A store that owns its test database and drops it after closing the store
// (so a test holding only the store leaves no schema behind).
std::unique_ptr<storage::Store> StoreOwningDb(
    std::unique_ptr<TestDb> db, std::unique_ptr<storage::Store> store);
std::unique_ptr<storage::Store> StoreOwningDb(
    std::unique_ptr<PgTestDb> db, std::unique_ptr<storage::Store> store);

// A store on a fresh database (`sqlite_path` on SQLite) that owns it.
absl::StatusOr<std::unique_ptr<storage::Store>> OpenFreshTestStore(
    const std::string& sqlite_path);

// Another store object on the database of `store` (made by
// OpenFreshTestStore or StoreOwningDb): what a second replica, a process of
// its own, would open (its own connections or SQLite handles, its own
// notifications). Close it before `store`, which drops the database.
// INVALID_ARGUMENT for a store made otherwise.
absl::StatusOr<std::unique_ptr<storage::Store>> OpenAnotherStore(
    const storage::Store& store);

}  // namespace opinia::testing

// In a test body: on PostgreSQL, ends the test as skipped with `reason`
// (what of SQLite it inspects) in the output.
#define OPINIA_SKIP_ON_POSTGRES(reason)                                  \
  do {                                                                   \
    if (::opinia::testing::TestsOnPostgres()) {                          \
      GTEST_SKIP() << "SQLite only, skipped on PostgreSQL: " << (reason); \
    }                                                                    \
  } while (0)

// In a test body: on SQLite, ends the test as skipped with `reason` (what
// only PostgreSQL has); its _pg variant runs it.
#define OPINIA_SKIP_UNLESS_POSTGRES(reason)                                \
  do {                                                                     \
    if (!::opinia::testing::TestsOnPostgres()) {                           \
      GTEST_SKIP() << "PostgreSQL only (see the test's _pg variant): "     \
                   << (reason);                                            \
    }                                                                      \
  } while (0)

#endif  // OPINIA_TESTS_TESTING_TEST_BACKEND_H_
