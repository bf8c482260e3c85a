// PostgreSQL for tests: each test gets a fresh, empty schema in the one
// cluster of the ctest run, and drops it afterwards.
//
// The cluster: $OPINIA_TEST_PG (the maintenance URL of an existing
// cluster, e.g. postgresql://postgres@127.0.0.1:5432/postgres), else the one
// the pg_cluster_start fixture started (tests/testing/pg_cluster_fixture.sh;
// its URL is in $OPINIA_PG_STATE_DIR/url). Neither: Create fails, naming
// the reason (the fixture's error when it could not start one), so a
// PostgreSQL test fails instead of passing without having run.
//
// Why a schema, not a database: CREATE SCHEMA and DROP SCHEMA ... CASCADE
// take ~15 ms together, while DROP DATABASE forces a checkpoint (with fsync
// on, ~0.85 s each on the 2-core CI machine) and CREATE DATABASE copies
// template0 (~70 ms). The schema is selected by the URL
// (options=-csearch_path%3D<schema>), so a store under test creates its
// tables there and finds nothing else. Advisory locks and NOTIFY channels
// are per database, not per schema: code using them keys them by
// current_schema() (see pg_migrations.h), which also lets two deployments
// share one database in different schemas.
#ifndef OPINIA_TESTS_TESTING_PG_TEST_DB_H_
#define OPINIA_TESTS_TESTING_PG_TEST_DB_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace opinia::testing {

// The test cluster's maintenance URL, or FAILED_PRECONDITION with the
// reason there is none.
absl::StatusOr<std::string> PgTestClusterUrl();

class PgTestDb {
 public:
  // A new empty schema; FAILED_PRECONDITION/UNAVAILABLE with the reason
  // when there is no cluster or it cannot be reached.
  static absl::StatusOr<std::unique_ptr<PgTestDb>> Create();
  // Drops the schema and everything in it. Close every connection that
  // uses it first (a store under test) or the drop waits for them.
  ~PgTestDb();
  PgTestDb(const PgTestDb&) = delete;
  PgTestDb& operator=(const PgTestDb&) = delete;

  // The cluster URL with search_path set to the schema (SchemaUrl): what a
  // server's --db or OpenPgStore takes.
  const std::string& url() const { return url_; }
  const std::string& schema() const { return schema_; }
  const std::string& cluster_url() const { return cluster_url_; }

 private:
  PgTestDb(std::string cluster_url, std::string schema);

  std::string cluster_url_;
  std::string schema_;
  std::string url_;
};

// `url` with libpq's `options` set to `-csearch_path=<schema>` and
// application_name to the schema (appended to its query string), so
// pg_stat_activity tells a test's connections from the others'.
std::string SchemaUrl(const std::string& url, const std::string& schema);

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_TESTING_PG_TEST_DB_H_
