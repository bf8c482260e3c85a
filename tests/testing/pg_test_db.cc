#include "tests/testing/pg_test_db.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "service/storage/postgres/pg_connection.h"

namespace opinia::testing {
namespace {

using storage::pg::Connection;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  absl::StripAsciiWhitespace(&s);
  return s;
}

std::string StateDir() {
  if (const char* dir = std::getenv("OPINIA_PG_STATE_DIR"); dir && *dir) {
    return dir;
  }
  if (const char* build = std::getenv("OPINIA_BINARY_DIR"); build && *build) {
    return absl::StrCat(build, "/pg_test_cluster");
  }
  return "";
}

}  // namespace

absl::StatusOr<std::string> PgTestClusterUrl() {
  if (const char* url = std::getenv("OPINIA_TEST_PG"); url && *url) {
    return std::string(url);
  }
  const std::string state = StateDir();
  if (state.empty()) {
    return absl::FailedPreconditionError(
        "no PostgreSQL for this test: set OPINIA_TEST_PG to a cluster's "
        "maintenance URL, or run it through ctest (the pg_cluster_start "
        "fixture starts one)");
  }
  if (std::string url = ReadFile(state + "/url"); !url.empty()) return url;
  if (std::string error = ReadFile(state + "/error"); !error.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the test PostgreSQL cluster could not start: ", error));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "no PostgreSQL for this test: ", state,
      "/url is missing; run it through ctest (the pg_cluster_start fixture "
      "starts a cluster) or set OPINIA_TEST_PG to a cluster's maintenance "
      "URL"));
}

std::string SchemaUrl(const std::string& url, const std::string& schema) {
  const char sep = url.find('?') == std::string::npos ? '?' : '&';
  return absl::StrCat(url, std::string(1, sep), "options=-csearch_path%3D",
                      schema, "&application_name=", schema);
}

absl::StatusOr<std::unique_ptr<PgTestDb>> PgTestDb::Create() {
  absl::StatusOr<std::string> cluster = PgTestClusterUrl();
  if (!cluster.ok()) return cluster.status();
  static std::atomic<int> counter{0};
  absl::BitGen gen;
  const std::string schema = absl::StrCat("test_", getpid(), "_", counter++,
                                          "_", absl::Uniform<uint32_t>(gen));
  absl::StatusOr<std::unique_ptr<Connection>> conn = Connection::Open(*cluster);
  if (!conn.ok()) return conn.status();
  // The name is ours (letters, digits, '_'): safe to put in the text.
  if (absl::Status s =
          (*conn)->ExecScript(absl::StrCat("CREATE SCHEMA ", schema).c_str());
      !s.ok()) {
    return s;
  }
  return std::unique_ptr<PgTestDb>(new PgTestDb(*std::move(cluster), schema));
}

PgTestDb::PgTestDb(std::string cluster_url, std::string schema)
    : cluster_url_(std::move(cluster_url)),
      schema_(std::move(schema)),
      url_(SchemaUrl(cluster_url_, schema_)) {}

PgTestDb::~PgTestDb() {
  absl::StatusOr<std::unique_ptr<Connection>> conn =
      Connection::Open(cluster_url_);
  if (!conn.ok()) return;  // the cluster is gone: nothing left to drop
  (*conn)
      ->ExecScript(
          absl::StrCat("DROP SCHEMA IF EXISTS ", schema_, " CASCADE").c_str())
      .IgnoreError();
}

}  // namespace opinia::testing
