// Secrets at rest against the real opinia-server binary: the files and
// folders it creates are private (stat), webhook secrets and collector
// credentials never reach the database files in the clear, rows stored
// before sealing are sealed at startup (once), a moved sealed value stops
// the server naming its row, and --rotate-secrets-key re-seals everything
// under a new key that the server then needs (key credentials too, and
// they still sign after it).
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "opinia/v1/collectors.grpc.pb.h"
#include "service/storage/sqlite/sqlite_store.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/server_process.h"
#include "tests/testing/http_server.h"
#include "tests/testing/test_keys.h"

namespace opinia::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;


constexpr char kWebhookSecret[] = "whsec-at-rest-0123456789abcdef";
constexpr char kBearer[] = "tok-at-rest-fedcba9876543210";

// Permission bits of `path`; -1 when it does not exist.
int Mode(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

// Everything the database consists of on disk.
std::string DatabaseBytes(const std::string& db) {
  return ReadFile(db) + ReadFile(db + "-wal") + ReadFile(db + "-shm");
}

// The last line of `log` containing `what`.
std::string LastLineWith(const std::string& log, const std::string& what) {
  std::string found;
  size_t start = 0;
  while (start < log.size()) {
    size_t end = log.find('\n', start);
    if (end == std::string::npos) end = log.size();
    const std::string line = log.substr(start, end - start);
    if (line.find(what) != std::string::npos) found = line;
    start = end + 1;
  }
  return found;
}

class SecretsAtRestTest : public ::testing::Test {
 protected:
  // Starts a server (extra args as given) with a tenant and its admin key.
  void StartServer(std::vector<std::string> args = {}) {
    auto server = ServerProcess::Start(std::move(args));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto tenant = CreateTenantWithKey(server_->NewChannel(),
                                      server_->admin_key(), "Sklep");
    ASSERT_TRUE(tenant.ok()) << tenant.status();
    tenant_ = *std::move(tenant);
  }

  std::string CreateWebhook(const std::string& url) {
    auto stub = opinia::v1::AlertService::NewStub(server_->NewChannel());
    opinia::v1::CreateWebhookRequest req;
    req.mutable_webhook()->set_url(url);
    req.mutable_webhook()->set_secret(kWebhookSecret);
    opinia::v1::Webhook created;
    grpc::Status s =
        stub->CreateWebhook(ContextWithKey(tenant_.key).get(), req, &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created.name();
  }

  // A JSON feed collector on a host name (never run here).
  static opinia::v1::Collector FeedCollector(const std::string& endpoint,
                                             const std::string& token) {
    opinia::v1::Collector c;
    c.set_kind(opinia::v1::JSON_FEED);
    c.set_endpoint(endpoint);
    (*c.mutable_credentials())["bearer_token"] = token;
    c.set_source("shopfeed");
    (*c.mutable_mapping())["external_id"] = "id";
    (*c.mutable_mapping())["text"] = "body";
    return c;
  }

  std::string CreateCollector(const std::string& endpoint) {
    auto stub = opinia::v1::CollectorService::NewStub(server_->NewChannel());
    opinia::v1::CreateCollectorRequest req;
    *req.mutable_collector() = FeedCollector(endpoint, kBearer);
    opinia::v1::Collector created;
    grpc::Status s = stub->CreateCollector(ContextWithKey(tenant_.key).get(),
                                           req, &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created.name();
  }

  // GetCollector's endpoint: read from the opened (decrypted) spec.
  std::string CollectorEndpoint(const std::string& name) {
    auto stub = opinia::v1::CollectorService::NewStub(server_->NewChannel());
    opinia::v1::GetCollectorRequest req;
    req.set_name(name);
    opinia::v1::Collector got;
    grpc::Status s =
        stub->GetCollector(ContextWithKey(tenant_.key).get(), req, &got);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(got.credentials().empty());
    return got.endpoint();
  }

  int CountWebhooks() {
    auto stub = opinia::v1::AlertService::NewStub(server_->NewChannel());
    opinia::v1::ListWebhooksResponse list;
    grpc::Status s = stub->ListWebhooks(ContextWithKey(tenant_.key).get(),
                                        opinia::v1::ListWebhooksRequest(),
                                        &list);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return list.webhooks_size();
  }

  void StopServer() {
    auto code = server_->Stop(SIGTERM);
    ASSERT_TRUE(code.ok()) << code.status();
    ASSERT_EQ(*code, 0) << server_->Log();
  }

  // The database opened directly (the server is stopped), as it is stored.
  std::unique_ptr<storage::Store> OpenRaw() {
    auto store = storage::OpenSqliteStore(server_->db_path());
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  std::string TenantId() const {
    return tenant_.tenant.substr(std::string("tenants/").size());
  }

  CliRun RunServerBinary(const std::vector<std::string>& args,
                         const std::string& stem) {
    return RunCliBinary(ServerBinaryPath(), args, "", "",
                        absl::StrCat(server_->dir(), "/", stem));
  }

  std::unique_ptr<ServerProcess> server_;
  TenantWithKey tenant_;
};

TEST_F(SecretsAtRestTest, FilesAndFoldersTheServerCreatesArePrivate) {
  char root_template[] = "/tmp/opinia-perm-XXXXXX";
  ASSERT_NE(mkdtemp(root_template), nullptr);
  const std::string root = root_template;
  const std::string db = root + "/data/db/opinia.db";
  StartServer({"--db=" + db});
  CreateWebhook("https://hooks.example.com/in");  // writes: -wal and -shm

  EXPECT_EQ(Mode(root + "/data"), 0700);
  EXPECT_EQ(Mode(root + "/data/db"), 0700);
  EXPECT_EQ(Mode(db), 0600);
  EXPECT_EQ(Mode(db + "-wal"), 0600);
  EXPECT_EQ(Mode(db + "-shm"), 0600);
  EXPECT_EQ(Mode(root + "/data/db/secrets.key"), 0600);
  EXPECT_EQ(Mode(server_->key_file()), 0600);
  EXPECT_THAT(server_->Log(), HasSubstr("made a new secrets key"));
  EXPECT_THAT(server_->Log(), HasSubstr("backups"));

  // A database left readable by others (made before this) is narrowed.
  StopServer();
  ASSERT_EQ(chmod(db.c_str(), 0644), 0);
  ASSERT_EQ(chmod((root + "/data/db/secrets.key").c_str(), 0644), 0);
  server_->set_extra_args({"--db=" + db});
  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  EXPECT_EQ(Mode(db), 0600);
  EXPECT_THAT(server_->Log(), HasSubstr("took group and other permissions off"));
  // An operator's key file is theirs: warned about, not changed.
  EXPECT_EQ(Mode(root + "/data/db/secrets.key"), 0644);
  EXPECT_THAT(server_->Log(), HasSubstr("chmod 600"));
  EXPECT_EQ(CountWebhooks(), 1);
  StopServer();
  std::filesystem::remove_all(root);
}

TEST_F(SecretsAtRestTest, SecretsNeverReachTheDatabaseInTheClear) {
  StartServer();
  CreateWebhook("https://hooks.example.com/in");
  const std::string collector =
      CreateCollector("https://feed.example.com/reviews.json");
  StopServer();
  const std::string bytes = DatabaseBytes(server_->db_path());
  // The files are the right ones: the webhook URL is a plain column.
  EXPECT_THAT(bytes, HasSubstr("https://hooks.example.com/in"));
  EXPECT_THAT(bytes, Not(HasSubstr(kWebhookSecret)));
  EXPECT_THAT(bytes, Not(HasSubstr(kBearer)));
  // The collector's spec is sealed whole: its credentials stay bound to
  // its endpoint.
  EXPECT_THAT(bytes, Not(HasSubstr("feed.example.com")));

  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  EXPECT_EQ(CollectorEndpoint(collector),
            "https://feed.example.com/reviews.json");
  EXPECT_THAT(LastLineWith(server_->Log(), "secrets sealed at rest"),
              HasSubstr("already_sealed=2"));
}

// A database from before sealing: its plaintext rows are sealed at the
// first start, and only then.
TEST_F(SecretsAtRestTest, PlaintextRowsAreSealedAtStartupOnce) {
  StartServer();
  CreateWebhook("https://hooks.example.com/new");
  StopServer();
  const std::string legacy_secret = "whsec-legacy-0123456789abcdef";
  const std::string legacy_token = "tok-legacy-0123456789";
  int64_t legacy_collector = 0;
  {
    auto raw = OpenRaw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Write([&](storage::Txn& txn) -> absl::Status {
                     storage::WebhookRow w;
                     w.tenant_id = TenantId();
                     w.url = "https://hooks.example.com/legacy";
                     w.secret = legacy_secret;
                     auto id = txn.webhooks().InsertWebhook(w);
                     if (!id.ok()) return id.status();
                     storage::CollectorRow c;
                     c.tenant_id = TenantId();
                     c.spec = FeedCollector("https://legacy.example.com/f.json",
                                            legacy_token)
                                  .SerializeAsString();
                     auto cid = txn.collectors().InsertCollector(c);
                     if (!cid.ok()) return cid.status();
                     legacy_collector = *cid;
                     return absl::OkStatus();
                   })
                    .ok());
  }
  ASSERT_THAT(DatabaseBytes(server_->db_path()), HasSubstr(legacy_token));

  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  const std::string line =
      LastLineWith(server_->Log(), "secrets sealed at rest");
  EXPECT_THAT(line, HasSubstr("sealed_now=2"));
  EXPECT_THAT(line, HasSubstr("already_sealed=1"));
  EXPECT_EQ(CollectorEndpoint(absl::StrCat("collectors/", legacy_collector)),
            "https://legacy.example.com/f.json");
  EXPECT_EQ(CountWebhooks(), 2);
  StopServer();
  const std::string bytes = DatabaseBytes(server_->db_path());
  EXPECT_THAT(bytes, Not(HasSubstr(legacy_secret)));
  EXPECT_THAT(bytes, Not(HasSubstr(legacy_token)));

  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  EXPECT_THAT(LastLineWith(server_->Log(), "secrets sealed at rest"),
              HasSubstr("sealed_now=0 resealed=0 already_sealed=3"));
}

// Someone with write access to the database file but not the key copies a
// sealed secret into another row: the server refuses to start, naming it.
TEST_F(SecretsAtRestTest, AMovedSealedValueStopsTheServer) {
  StartServer();
  const std::string first = CreateWebhook("https://hooks.example.com/1");
  const std::string second = CreateWebhook("https://hooks.example.com/2");
  StopServer();
  {
    auto raw = OpenRaw();
    ASSERT_NE(raw, nullptr);
    const int64_t id1 = std::stoll(first.substr(first.find('/') + 1));
    const int64_t id2 = std::stoll(second.substr(second.find('/') + 1));
    ASSERT_TRUE(raw->Write([&](storage::Txn& txn) -> absl::Status {
                     auto w1 = txn.webhooks().GetWebhook(TenantId(), id1);
                     if (!w1.ok()) return w1.status();
                     return txn.webhooks().SetWebhookSecret(TenantId(), id2,
                                                            w1->secret);
                   })
                    .ok());
  }
  absl::Status restarted = server_->Restart();
  EXPECT_EQ(restarted.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(restarted.message()), HasSubstr(second));
  EXPECT_THAT(std::string(restarted.message()), HasSubstr("moved"));
}

TEST_F(SecretsAtRestTest, RotateSecretsKeyResealsEverything) {
  StartServer();
  CreateWebhook("https://hooks.example.com/in");
  const std::string collector =
      CreateCollector("https://feed.example.com/reviews.json");
  StopServer();
  const std::string old_key = server_->dir() + "/secrets.key";
  const std::string new_key = server_->dir() + "/keys/new.key";
  ASSERT_EQ(Mode(old_key), 0600);
  const std::vector<std::string> rotate = {
      "--rotate-secrets-key", "--db=" + server_->db_path(),
      "--secrets-key-file=" + new_key, "--old-secrets-key-file=" + old_key};

  // Both keys are required.
  CliRun usage = RunServerBinary({"--rotate-secrets-key",
                                  "--db=" + server_->db_path(),
                                  "--secrets-key-file=" + new_key},
                                 "rotate0");
  EXPECT_EQ(usage.exit_code, 1);
  EXPECT_THAT(usage.out + usage.err, HasSubstr("--old-secrets-key-file=OLD"));

  CliRun first = RunServerBinary(rotate, "rotate1");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_THAT(first.out + first.err, HasSubstr("resealed=2"));
  EXPECT_EQ(Mode(new_key), 0600);
  EXPECT_EQ(Mode(server_->dir() + "/keys"), 0700);
  CliRun second = RunServerBinary(rotate, "rotate2");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_THAT(second.out + second.err,
              HasSubstr("sealed_now=0 resealed=0 already_sealed=2"));

  // The old key (the default file) no longer opens them.
  absl::Status with_old = server_->Restart();
  EXPECT_EQ(with_old.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(with_old.message()), HasSubstr("sealed with secrets key"));

  server_->set_extra_args({"--secrets-key-file=" + new_key});
  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  EXPECT_EQ(CollectorEndpoint(collector),
            "https://feed.example.com/reviews.json");
  EXPECT_EQ(CountWebhooks(), 1);
  StopServer();

  // The key itself in $OPINIA_SECRETS_KEY (the file's text, comments too).
  server_->set_extra_args({});
  ASSERT_EQ(setenv("OPINIA_SECRETS_KEY", ReadFile(new_key).c_str(), 1), 0);
  absl::Status from_env = server_->Restart();
  unsetenv("OPINIA_SECRETS_KEY");
  ASSERT_TRUE(from_env.ok()) << from_env;
  EXPECT_EQ(CollectorEndpoint(collector),
            "https://feed.example.com/reviews.json");
}

// The renewable credentials (issue 20) are part of the sealed spec: a
// multi-line .p8 PEM key and an OAuth refresh token never reach the
// database in the clear, rotation re-seals them, and the key still signs
// after it: the App Store Connect collector's requests carry an ES256 JWT
// that verifies with the key's public half.
TEST_F(SecretsAtRestTest, KeyCredentialsAreSealedAndSurviveRotation) {
  std::mutex mu;
  std::vector<std::string> auth;
  auto store = HttpServer::Start([&](const HttpRequest& r) {
    std::lock_guard<std::mutex> lock(mu);
    auth.push_back(r.Header("authorization"));
    return HttpResponse::Json(
        R"({"data":[{"type":"customerReviews","id":"r1","attributes":{)"
        R"("rating":5,"body":"Super","createdDate":"2025-12-01T10:00:00Z"}}],)"
        R"("links":{}})");
  });
  ASSERT_TRUE(store.ok());
  StartServer({"--outbound-allow=127.0.0.0/8"});
  const std::string pem = NewPrivateKeyPem(/*ec=*/true);
  const std::string pem_line = pem.substr(pem.find('\n') + 1, 40);
  const std::string refresh = "1//0refresh-at-rest-abcdef";
  auto stub = opinia::v1::CollectorService::NewStub(server_->NewChannel());
  opinia::v1::Collector asc;
  {
    opinia::v1::CreateCollectorRequest req;
    auto* c = req.mutable_collector();
    c->set_kind(opinia::v1::APP_STORE_CONNECT);
    c->set_endpoint((*store)->Url("/v1/apps/1/customerReviews"));
    (*c->mutable_credentials())["issuer_id"] = "issuer-at-rest";
    (*c->mutable_credentials())["key_id"] = "KEYATREST1";
    (*c->mutable_credentials())["private_key"] = pem;
    c->set_source("app_store");
    grpc::Status s =
        stub->CreateCollector(ContextWithKey(tenant_.key).get(), req, &asc);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(asc.credentials().empty()) << "input only";
    opinia::v1::CreateCollectorRequest gbp;
    auto* g = gbp.mutable_collector();
    g->set_kind(opinia::v1::GOOGLE_BUSINESS_PROFILE);
    g->set_endpoint(
        "https://mybusiness.googleapis.com/v4/accounts/1/locations/2/reviews");
    (*g->mutable_credentials())["client_id"] = "cid";
    (*g->mutable_credentials())["client_secret"] = "GOCSPX-at-rest";
    (*g->mutable_credentials())["refresh_token"] = refresh;
    g->set_source("google");
    opinia::v1::Collector created;
    s = stub->CreateCollector(ContextWithKey(tenant_.key).get(), gbp,
                              &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(created.credentials().empty());
  }
  StopServer();
  std::string bytes = DatabaseBytes(server_->db_path());
  EXPECT_THAT(bytes, Not(HasSubstr(pem_line)));
  EXPECT_THAT(bytes, Not(HasSubstr(refresh)));
  EXPECT_THAT(bytes, Not(HasSubstr("GOCSPX-at-rest")));

  const std::string old_key = server_->dir() + "/secrets.key";
  const std::string new_key = server_->dir() + "/rotated.key";
  CliRun rotated = RunServerBinary(
      {"--rotate-secrets-key", "--db=" + server_->db_path(),
       "--secrets-key-file=" + new_key, "--old-secrets-key-file=" + old_key},
      "rotate-keys");
  ASSERT_EQ(rotated.exit_code, 0) << rotated.out << rotated.err;
  EXPECT_THAT(rotated.out + rotated.err, HasSubstr("resealed=2"));
  bytes = DatabaseBytes(server_->db_path());
  EXPECT_THAT(bytes, Not(HasSubstr(pem_line)));
  EXPECT_THAT(bytes, Not(HasSubstr(refresh)));

  server_->set_extra_args(
      {"--outbound-allow=127.0.0.0/8", "--secrets-key-file=" + new_key});
  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  opinia::v1::RunCollectorRequest run;
  run.set_name(asc.name());
  opinia::v1::RunCollectorResponse ran;
  grpc::Status s = opinia::v1::CollectorService::NewStub(server_->NewChannel())
                       ->RunCollector(ContextWithKey(tenant_.key).get(), run,
                                      &ran);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(ran.created(), 1);
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(auth.size(), 1u);
  ASSERT_EQ(auth[0].rfind("Bearer ", 0), 0u);
  EXPECT_TRUE(VerifyJwt(auth[0].substr(7), pem, /*ec=*/true));
}

// Without the key file, a database with sealed values does not get a new
// key (which could not open them): the server says which key it needs.
TEST_F(SecretsAtRestTest, AMissingKeyFileIsNotReplacedWhileValuesAreSealed) {
  StartServer();
  CreateWebhook("https://hooks.example.com/in");
  StopServer();
  const std::string key_file = server_->dir() + "/secrets.key";
  const std::string kept = ReadFile(key_file);
  ASSERT_TRUE(std::filesystem::remove(key_file));
  absl::Status restarted = server_->Restart();
  EXPECT_EQ(restarted.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(restarted.message()),
              HasSubstr("does not exist, and the database holds secrets"));
  EXPECT_FALSE(std::filesystem::exists(key_file));
  const std::string elsewhere = server_->dir() + "/kept.key";
  {
    std::ofstream out(elsewhere);
    out << kept;
  }
  server_->set_extra_args({"--secrets-key-file=" + elsewhere});
  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  EXPECT_EQ(CountWebhooks(), 1);
}

}  // namespace
}  // namespace opinia::testing
