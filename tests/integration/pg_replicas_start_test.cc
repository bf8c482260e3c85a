// Three opinia-server processes started at the same moment on one empty
// PostgreSQL database (issue 18): each of them starts and serves, the
// migrations ran once (under their advisory lock), exactly one operator key
// was made and written by exactly one server, and the three share one
// secrets key file made by one of them.
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/storage/postgres/pg_connection.h"
#include "service/storage/postgres/pg_migrations.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_process.h"
#include "tests/testing/pg_test_db.h"

namespace opinia::testing {
namespace {

using storage::pg::Connection;
using storage::pg::Result;

int64_t QueryInt(Connection& conn, const char* sql) {
  absl::StatusOr<Result> r = conn.ExecOnce(sql);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.status();
  return r.ok() && r->rows() > 0 ? r->Int(0, 0) : -1;
}

TEST(PgReplicasStartTest, ThreeServersAtOnceOnAnEmptyDatabase) {
  absl::StatusOr<std::unique_ptr<PgTestDb>> db = PgTestDb::Create();
  ASSERT_TRUE(db.ok()) << db.status();
  std::string shared = ::testing::TempDir() + "/pg_replicas_XXXXXX";
  ASSERT_NE(mkdtemp(shared.data()), nullptr);
  const std::vector<std::string> args = {
      absl::StrCat("--db=", (*db)->url()),
      absl::StrCat("--secrets-key-file=", shared, "/secrets.key"),
      "--alert-tick-seconds=0"};

  constexpr int kServers = 3;
  std::vector<absl::StatusOr<std::unique_ptr<ServerProcess>>> servers;
  for (int i = 0; i < kServers; ++i) {
    servers.emplace_back(absl::UnknownError("not started"));
  }
  std::vector<std::thread> starters;
  for (int i = 0; i < kServers; ++i) {
    starters.emplace_back([&, i] {
      servers[i] = ServerProcess::Start(args, absl::Seconds(60),
                                        /*require_admin_key=*/false);
    });
  }
  for (std::thread& t : starters) t.join();

  std::string admin_key;
  int key_writers = 0;
  for (int i = 0; i < kServers; ++i) {
    ASSERT_TRUE(servers[i].ok())
        << "server " << i << ": " << servers[i].status();
    if (!(*servers[i])->admin_key().empty()) {
      ++key_writers;
      admin_key = (*servers[i])->admin_key();
    }
  }
  EXPECT_EQ(key_writers, 1) << "servers that wrote an operator key";

  absl::StatusOr<std::unique_ptr<Connection>> conn =
      Connection::Open((*db)->url());
  ASSERT_TRUE(conn.ok()) << conn.status();
  EXPECT_EQ(
      QueryInt(**conn, "SELECT count(*) FROM api_keys WHERE tenant_id IS NULL"),
      1);
  const int64_t migrations = storage::pg::Migrations().back().version;
  EXPECT_EQ(QueryInt(**conn, "SELECT count(*) FROM opinia_schema_version"),
            migrations);
  EXPECT_EQ(QueryInt(**conn, "SELECT max(version) FROM opinia_schema_version"),
            migrations);
  EXPECT_TRUE(std::filesystem::exists(shared + "/secrets.key"));

  // Every server answers with the one operator key, from the shared
  // database.
  for (int i = 0; i < kServers; ++i) {
    auto stub = opinia::v1::AdminService::NewStub((*servers[i])->NewChannel());
    opinia::v1::ListApiKeysRequest request;
    opinia::v1::ListApiKeysResponse response;
    const grpc::Status status =
        stub->ListApiKeys(ContextWithKey(admin_key).get(), request, &response);
    ASSERT_TRUE(status.ok())
        << "server " << i << ": " << status.error_message();
    EXPECT_EQ(response.api_keys_size(), 1) << "server " << i;
  }
  // One tenant made through one server is seen by another.
  absl::StatusOr<std::string> tenant =
      CreateTenant((*servers[0])->NewChannel(), admin_key, "Shop");
  ASSERT_TRUE(tenant.ok()) << tenant.status();
  auto stub = opinia::v1::AdminService::NewStub((*servers[2])->NewChannel());
  opinia::v1::ListTenantsRequest list;
  opinia::v1::ListTenantsResponse tenants;
  const grpc::Status status =
      stub->ListTenants(ContextWithKey(admin_key).get(), list, &tenants);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(tenants.tenants_size(), 1);
  EXPECT_EQ(tenants.tenants(0).name(), *tenant);
  EXPECT_EQ(tenants.tenants(0).display_name(), "Shop");

  servers.clear();  // SIGKILLs them before the schema is dropped
  std::filesystem::remove_all(shared);
}

}  // namespace
}  // namespace opinia::testing
