// A PostgreSQL cluster of one test's own (scripts/pg.sh in a fresh temp
// dir), for the tests that crash, stop or restart PostgreSQL itself: the
// shared cluster of the ctest run (pg_test_db.h) must stay up for the
// others.
#ifndef OPINIA_TESTS_TESTING_PG_OWN_CLUSTER_H_
#define OPINIA_TESTS_TESTING_PG_OWN_CLUSTER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace opinia::testing {

class PgOwnCluster {
 public:
  // initdb and start (pg.sh start); FAILED_PRECONDITION with pg.sh's
  // output when it cannot.
  static absl::StatusOr<std::unique_ptr<PgOwnCluster>> Start();
  // Stops it and deletes its folder (pg.sh stop).
  ~PgOwnCluster();
  PgOwnCluster(const PgOwnCluster&) = delete;
  PgOwnCluster& operator=(const PgOwnCluster&) = delete;

  // postgresql://postgres@127.0.0.1:PORT/postgres
  const std::string& url() const { return url_; }

  // pg_ctl restart -m immediate: a crash and recovery (pg.sh restart).
  absl::Status Restart();
  // pg_ctl stop -m immediate, data kept (pg.sh down); Up() starts it again
  // on the same port.
  absl::Status Down();
  absl::Status Up();

 private:
  explicit PgOwnCluster(std::string dir) : dir_(std::move(dir)) {}
  // `pg.sh <command> <dir>`; its output, or FAILED_PRECONDITION with it.
  absl::StatusOr<std::string> Run(const std::string& command) const;

  std::string dir_;
  std::string url_;
};

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_TESTING_PG_OWN_CLUSTER_H_
