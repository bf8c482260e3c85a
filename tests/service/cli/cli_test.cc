// The `opinia` binary against a real opinia-server: run as a subprocess, its
// stdout, stderr and exit code checked.
#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "opinia/v1/admin.pb.h"
#include "opinia/v1/reviews.pb.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/server_fixture.h"
#include "tests/integration/test_cert.h"

namespace opinia::testing {
namespace {

std::string CliPath() {
#ifdef OPINIA_CLI_BINARY
  return OPINIA_CLI_BINARY;
#else
  return absl::StrCat(std::getenv("OPINIA_BINARY_DIR"), "/service/cli/opinia");
#endif
}

std::string SourceDir() {
  const char* dir = std::getenv("OPINIA_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

int CountNonBlankLines(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  int n = 0;
  while (std::getline(in, line))
    n += line.find_first_not_of(" \t\r") != std::string::npos;
  return n;
}

// Summary numbers of `opinia ingest --json`.
struct IngestSummary {
  int read = -1, created = -1, updated = -1, unchanged = -1, rejected = -1;
  std::vector<int> rejected_lines;
};

// The Reviews of `reviews list --json` output (one JSON object per line);
// a line that does not parse is a test failure and left out.
std::vector<opinia::v1::Review> ParseReviews(const std::string& out) {
  std::vector<opinia::v1::Review> reviews;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    opinia::v1::Review review;
    auto status =
        google::protobuf::util::JsonStringToMessage(std::string(line), &review);
    EXPECT_TRUE(status.ok()) << status.ToString() << ": " << line;
    if (status.ok()) reviews.push_back(std::move(review));
  }
  return reviews;
}

IngestSummary ParseSummary(const std::string& json) {
  IngestSummary s;
  auto number = [&](const std::string& key) {
    std::smatch m;
    if (std::regex_search(json, m, std::regex("\"" + key + "\":(\\d+)"))) {
      return std::stoi(m[1]);
    }
    return -1;
  };
  s.read = number("read");
  s.created = number("created");
  s.updated = number("updated");
  s.unchanged = number("unchanged");
  s.rejected = number("rejected");
  const std::regex line_re("\"line\":(\\d+)");
  for (auto it = std::sregex_iterator(json.begin(), json.end(), line_re);
       it != std::sregex_iterator(); ++it) {
    s.rejected_lines.push_back(std::stoi((*it)[1]));
  }
  return s;
}

// Runs opinia with `args`; OPINIA_ADDR is `address` and OPINIA_KEY is `key`
// (unset when empty). Output goes through files in `work_dir`.
CliRun RunCli(const std::vector<std::string>& args, const std::string& address,
              const std::string& key, const std::string& work_dir) {
  return RunCliBinary(CliPath(), args, address, key, work_dir + "/cli");
}

class CliTest : public ServerTest {
 protected:
  CliRun Opinia(const std::vector<std::string>& args, const std::string& key) {
    return RunCli(args, server_->address(), key, server_->dir());
  }

  void SetUp() override {
    ServerTest::SetUp();
    if (!key_.empty()) return;
    // Operator: a tenant and a key, both through the CLI.
    CliRun tenant =
        Opinia({"tenants", "create", "--name=CLI shop", "--id=cli-shop",
                "--key-file=" + server_->key_file()},
               "");
    ASSERT_EQ(tenant.exit_code, 0) << tenant.err;
    EXPECT_NE(tenant.out.find("tenants/cli-shop"), std::string::npos)
        << tenant.out;
    CliRun key =
        Opinia({"keys", "create", "--tenant=tenants/cli-shop",
                "--roles=ingest,read,respond,admin", "--name=cli test"},
               operator_key());
    ASSERT_EQ(key.exit_code, 0) << key.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(key.out, m, std::regex("secret: (\\S+)")))
        << key.out;
    key_ = m[1];
  }

  static inline std::string key_;
};

TEST_F(CliTest, HelpListsCommandsAndOptions) {
  CliRun help = Opinia({"--help"}, "");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* word :
       {"ingest", "reviews list", "reviews get", "respond", "tenants create",
        "keys create", "keys revoke", "analyze", "--addr", "--json"}) {
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
  }
  CliRun list_help = Opinia({"reviews", "list", "--help"}, "");
  EXPECT_EQ(list_help.exit_code, 0);
  for (const char* flag :
       {"--source", "--label", "--priority", "--since", "--limit", "--all"}) {
    EXPECT_NE(list_help.out.find(flag), std::string::npos) << flag;
  }
  CliRun bad = Opinia({"reviews", "list", "--colour=red"}, key_);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--colour"), std::string::npos) << bad.err;
}

TEST_F(CliTest, IngestSampleFilesThenReingestIsUnchanged) {
  const std::string jsonl = SourceDir() + "/examples/reviews.jsonl";
  const std::string csv = SourceDir() + "/examples/reviews.csv";
  const int jsonl_n = CountNonBlankLines(jsonl);
  ASSERT_GE(jsonl_n, 40);
  CliRun first = Opinia({"ingest", jsonl, "--json"}, key_);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  IngestSummary s = ParseSummary(first.out);
  EXPECT_EQ(s.read, jsonl_n);
  EXPECT_EQ(s.created, jsonl_n);
  EXPECT_EQ(s.updated + s.unchanged + s.rejected, 0) << first.out;

  // CSV in the human format, small batches to exercise batching.
  CliRun csv_run = Opinia({"ingest", csv, "--batch=7"}, key_);
  ASSERT_EQ(csv_run.exit_code, 0) << csv_run.out << csv_run.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(csv_run.out, m, std::regex("created +(\\d+)")))
      << csv_run.out;
  const int csv_n = std::stoi(m[1]);
  EXPECT_GE(csv_n, 15);
  EXPECT_NE(csv_run.out.find("rejected          0"), std::string::npos)
      << csv_run.out;
  EXPECT_NE(csv_run.err.find("ingest:"), std::string::npos)
      << "plain progress lines when stderr is not a terminal: " << csv_run.err;

  for (const std::string& file : {jsonl, csv}) {
    CliRun again = Opinia({"ingest", file, "--json", "--batch=3"}, key_);
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    IngestSummary a = ParseSummary(again.out);
    EXPECT_EQ(a.unchanged, file == jsonl ? jsonl_n : csv_n) << again.out;
    EXPECT_EQ(a.created + a.updated + a.rejected, 0) << again.out;
  }

  // reviews list --json: one parseable Review per line, all of them.
  CliRun list = Opinia({"reviews", "list", "--json", "--all"}, key_);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const std::vector<opinia::v1::Review> all = ParseReviews(list.out);
  ASSERT_FALSE(all.empty());
  const std::string first_name = all.front().name();
  for (const auto& review : all) EXPECT_FALSE(review.name().empty());
  const int lines = static_cast<int>(all.size());
  EXPECT_EQ(lines, jsonl_n + csv_n);

  // Filters reach the server: --min-rating and --since against a local count.
  int high = 0, recent = 0;
  for (const auto& review : all) {
    high += review.input().rating() >= 4;
    recent +=
        review.input().create_time().seconds() >= 1794787200;  // 2026-11-16
  }
  CliRun rated =
      Opinia({"reviews", "list", "--json", "--all", "--min-rating=4"}, key_);
  ASSERT_EQ(rated.exit_code, 0) << rated.err;
  EXPECT_EQ(std::count(rated.out.begin(), rated.out.end(), '\n'), high);
  CliRun since = Opinia(
      {"reviews", "list", "--json", "--all", "--since=2026-11-16"}, key_);
  ASSERT_EQ(since.exit_code, 0) << since.err;
  EXPECT_EQ(std::count(since.out.begin(), since.out.end(), '\n'), recent);
  EXPECT_GT(recent, 0);
  CliRun bad_label = Opinia({"reviews", "list", "--label=grumpy"}, key_);
  EXPECT_EQ(bad_label.exit_code, 2);
  EXPECT_NE(bad_label.err.find("GRUMPY"), std::string::npos) << bad_label.err;

  CliRun limited = Opinia(
      {"reviews", "list", "--json", "--limit=5", "--source=allegro"}, key_);
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  EXPECT_EQ(std::count(limited.out.begin(), limited.out.end(), '\n'), 5);
  EXPECT_NE(limited.err.find("--page-token="), std::string::npos)
      << limited.err;

  // --order=urgency: the inbox order (priority, then the deadline) of the
  // open reviews; an unknown order is a usage error naming the values.
  CliRun urgent = Opinia({"reviews", "list", "--json", "--all",
                          "--order=urgency", "--status=NEW"},
                         key_);
  ASSERT_EQ(urgent.exit_code, 0) << urgent.err;
  int previous_priority = 0;
  const std::vector<opinia::v1::Review> by_urgency = ParseReviews(urgent.out);
  for (const auto& review : by_urgency) {
    const int priority = review.analysis().urgency().priority();
    if (priority != 0) {
      EXPECT_GE(priority, previous_priority) << review.name();
      previous_priority = priority;
    }
  }
  const int urgent_lines = static_cast<int>(by_urgency.size());
  EXPECT_EQ(urgent_lines, jsonl_n + csv_n);
  EXPECT_GT(previous_priority, 0);
  CliRun bad_order = Opinia({"reviews", "list", "--order=random"}, key_);
  EXPECT_EQ(bad_order.exit_code, 2);
  EXPECT_NE(bad_order.err.find("urgency"), std::string::npos) << bad_order.err;

  CliRun table = Opinia({"reviews", "list", "--limit=3"}, key_);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("NAME", 0), 0u) << table.out;
  EXPECT_EQ(std::count(table.out.begin(), table.out.end(), '\n'), 4)
      << table.out;

  // get, respond, get again.
  CliRun get = Opinia({"reviews", "get", first_name}, key_);
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_NE(get.out.find("name:          " + first_name), std::string::npos)
      << get.out;
  CliRun respond = Opinia({"respond", first_name,
                           "--text=Dziękujemy za opinię!", "--author=Obsługa"},
                          key_);
  ASSERT_EQ(respond.exit_code, 0) << respond.err;
  CliRun after = Opinia({"reviews", "get", first_name, "--json"}, key_);
  ASSERT_EQ(after.exit_code, 0) << after.err;
  opinia::v1::Review review;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(after.out, &review).ok())
      << after.out;
  EXPECT_EQ(review.response().text(), "Dziękujemy za opinię!");
  EXPECT_EQ(review.status(), opinia::v1::RESPONDED);
}

TEST_F(CliTest, BadLinesAreReportedWithTheirLineNumbers) {
  const std::string key_ = NewTenant("Bad lines shop").key;  // own tenant
  const std::string jsonl = server_->dir() + "/bad.jsonl";
  std::ofstream(jsonl)
      << "{\"source\":\"allegro\",\"external_id\":\"ok-1\",\"rating\":5,"
         "\"text\":\"Super\"}\n"
      << "\n"
      << "{\"source\":\"allegro\",\"external_id\":\"broken\",\n"
      << "{\"source\":\"allegro\",\"external_id\":\"ok-2\",\"text\":\"Dobrze\"}"
         "\n"
      << "{\"source\":\"allegro\",\"external_id\":\"nine\",\"rating\":9,"
         "\"text\":\"?\"}\n";
  CliRun run = Opinia({"ingest", jsonl, "--json"}, key_);
  EXPECT_EQ(run.exit_code, 3) << "some items rejected: " << run.out << run.err;
  IngestSummary s = ParseSummary(run.out);
  EXPECT_EQ(s.created, 2) << run.out;
  EXPECT_EQ(s.rejected, 2) << run.out;
  EXPECT_EQ(s.rejected_lines, (std::vector<int>{3, 5})) << run.out;

  CliRun human = Opinia({"ingest", jsonl}, key_);
  EXPECT_EQ(human.exit_code, 3);
  EXPECT_NE(human.out.find("line 3: "), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("line 5: "), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("rating"), std::string::npos)
      << "the server's reason: " << human.out;

  const std::string csv = server_->dir() + "/bad.csv";
  std::ofstream(csv) << "external_id,rating,text\n"
                     << "c1,5,\"dwie\nlinie\"\n"
                     << "c2,pięć,zła ocena\n";
  CliRun csv_run = Opinia({"ingest", csv, "--source=ceneo", "--json"}, key_);
  EXPECT_EQ(csv_run.exit_code, 3) << csv_run.out << csv_run.err;
  EXPECT_EQ(ParseSummary(csv_run.out).rejected_lines, (std::vector<int>{4}))
      << csv_run.out;

  CliRun missing = Opinia({"ingest", server_->dir() + "/no-such.jsonl"}, key_);
  EXPECT_EQ(missing.exit_code, 2);
}

TEST_F(CliTest, KeysCreateListRevoke) {
  CliRun created = Opinia(
      {"keys", "create", "--tenant=cli-shop", "--roles=read", "--json"}, key_);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  opinia::v1::CreateApiKeyResponse response;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(created.out, &response).ok())
      << created.out;
  ASSERT_FALSE(response.secret().empty());
  CliRun with_new = Opinia({"reviews", "list", "--limit=1"}, response.secret());
  EXPECT_EQ(with_new.exit_code, 0)
      << "the printed secret works: " << with_new.err;
  CliRun whoami = Opinia({"keys", "whoami"}, response.secret());
  ASSERT_EQ(whoami.exit_code, 0) << whoami.err;
  EXPECT_EQ(whoami.out, response.api_key().name() + "  tenants/cli-shop  read\n");

  CliRun list = Opinia({"keys", "list"}, key_);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find(response.api_key().name()), std::string::npos)
      << list.out;
  EXPECT_EQ(list.out.find(response.secret()), std::string::npos)
      << "secrets never listed";

  CliRun revoke = Opinia({"keys", "revoke", response.api_key().name()}, key_);
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  CliRun denied = Opinia({"reviews", "list"}, response.secret());
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_NE(denied.err.find("UNAUTHENTICATED"), std::string::npos)
      << denied.err;
}

TEST_F(CliTest, SettingsSetThenGetAsTableAndJson) {
  CliRun set = Opinia({"settings", "set", "--sla-p1=30m", "--sla-p4=4d",
                       "--spike-k=2.5", "--spike-cooldown=12h"},
                      key_);
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_NE(set.out.find("sla_policy.p1"), std::string::npos) << set.out;
  EXPECT_NE(set.out.find("30m"), std::string::npos) << set.out;
  EXPECT_NE(set.out.find("96h"), std::string::npos) << set.out;

  // The operator names the tenant; --json is the TenantSettings message.
  CliRun get = Opinia({"settings", "get", "--tenant=cli-shop", "--json",
                       "--key-file=" + server_->key_file()},
                      "");
  ASSERT_EQ(get.exit_code, 0) << get.err;
  opinia::v1::TenantSettings settings;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(get.out, &settings).ok())
      << get.out;
  EXPECT_EQ(settings.name(), "tenants/cli-shop/settings");
  EXPECT_EQ(settings.sla_policy().p1().seconds(), 30 * 60);
  EXPECT_EQ(settings.sla_policy().p2().seconds(), 4 * 3600);
  EXPECT_EQ(settings.sla_policy().p4().seconds(), 96 * 3600);
  EXPECT_EQ(settings.volume_spike_k(), 2.5);
  EXPECT_EQ(settings.volume_spike_cooldown().seconds(), 12 * 3600);

  CliRun bad = Opinia({"settings", "set", "--sla-p2=10m"}, key_);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("INVALID_ARGUMENT"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("settings.sla_policy.p2"), std::string::npos)
      << bad.err;
  EXPECT_EQ(Opinia({"settings", "set"}, key_).exit_code, 2);
  EXPECT_EQ(Opinia({"settings", "set", "--sla-p1=soon"}, key_).exit_code, 2);
}

TEST_F(CliTest, ErrorsPrintTheCodeAndExitNonZero) {
  CliRun not_found = Opinia({"reviews", "get", "reviews/999999999"}, key_);
  EXPECT_EQ(not_found.exit_code, 1);
  EXPECT_NE(not_found.err.find("NOT_FOUND"), std::string::npos)
      << not_found.err;
  CliRun no_key = Opinia({"reviews", "list"}, "");
  EXPECT_EQ(no_key.exit_code, 1);
  EXPECT_NE(no_key.err.find("UNAUTHENTICATED"), std::string::npos)
      << no_key.err;
  CliRun denied = Opinia({"tenants", "create", "--name=x"}, key_);
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_NE(denied.err.find("PERMISSION_DENIED"), std::string::npos)
      << denied.err;
  CliRun unreachable =
      Opinia({"reviews", "list", "--addr=127.0.0.1:1", "--timeout=5"}, key_);
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_NE(unreachable.err.find("UNAVAILABLE"), std::string::npos)
      << unreachable.err;
}

TEST_F(CliTest, IngestRetriesWhileUnavailableThenFails) {
  CliRun run = Opinia({"ingest", SourceDir() + "/examples/reviews.csv",
                       "--addr=127.0.0.1:1", "--retries=2", "--timeout=5"},
                      key_);
  EXPECT_EQ(run.exit_code, 1);
  size_t retries = 0;
  for (size_t at = run.err.find("retrying"); at != std::string::npos;
       at = run.err.find("retrying", at + 1)) {
    ++retries;
  }
  EXPECT_EQ(retries, 2u) << run.err;
  EXPECT_NE(run.err.find("UNAVAILABLE"), std::string::npos) << run.err;
}

TEST_F(CliTest, AnalyzeStoresNothing) {
  CliRun before = Opinia({"reviews", "list", "--json", "--all"}, key_);
  CliRun run = Opinia({"analyze", "Paczka", "przyszła", "uszkodzona,", "żądam",
                       "zwrotu", "pieniędzy!"},
                      key_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("sentiment:"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("model_version:"), std::string::npos) << run.out;
  CliRun json = Opinia({"analyze", "Great product", "--json"}, key_);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  opinia::v1::Analysis analysis;
  EXPECT_TRUE(
      google::protobuf::util::JsonStringToMessage(json.out, &analysis).ok())
      << json.out;
  CliRun after = Opinia({"reviews", "list", "--json", "--all"}, key_);
  EXPECT_EQ(before.out, after.out);
}

TEST(CliTlsTest, TlsCaFlagTrustsTheServerCertificate) {
  auto tls_server = StartTlsServer();
  ASSERT_TRUE(tls_server.ok()) << tls_server.status();
  const ServerProcess& server = *(*tls_server)->server;
  const std::string& dir = (*tls_server)->dir;
  const std::string key_file = "--key-file=" + server.key_file();
  CliRun ok = RunCli({"tenants", "list",
                      "--tls-ca=" + (*tls_server)->cert.cert_path, key_file},
                     server.address(), "", dir);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  CliRun plain = RunCli({"tenants", "list", "--timeout=5", key_file},
                        server.address(), "", dir);
  EXPECT_EQ(plain.exit_code, 1) << plain.out;
  EXPECT_NE(plain.err.find("UNAVAILABLE"), std::string::npos) << plain.err;
}

}  // namespace
}  // namespace opinia::testing
