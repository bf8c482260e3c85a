#include "tests/integration/server_process.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "util/spawn.h"

namespace opinia::testing {
namespace {

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

std::string ServerBinaryPath() {
  if (const char* env = std::getenv("OPINIA_SERVER_BINARY");
      env != nullptr && *env != '\0') {
    return env;  // e.g. a benchmark run against another build
  }
#ifdef OPINIA_SERVER_BINARY
  if (std::filesystem::exists(OPINIA_SERVER_BINARY))
    return OPINIA_SERVER_BINARY;
#endif
  const char* dir = std::getenv("OPINIA_BINARY_DIR");
  return absl::StrCat(dir != nullptr ? dir : ".",
                      "/service/server/opinia-server");
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    std::vector<std::string> extra_args, absl::Duration ready_timeout,
    bool require_admin_key) {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ =
      absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/opinia-it-XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp failed for ", templ));
  }
  absl::StatusOr<std::unique_ptr<TestDb>> db =
      TestDb::Create(templ + "/opinia.db");
  if (!db.ok()) {
    std::filesystem::remove_all(templ);
    return db.status();
  }
  std::unique_ptr<ServerProcess> server(
      new ServerProcess(templ, *std::move(db), std::move(extra_args),
                        ready_timeout, require_admin_key));
  if (absl::Status s = server->Launch(); !s.ok()) return s;
  return server;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) (void)Stop(SIGKILL);
  db_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

absl::Status ServerProcess::Launch() {
  const std::string ready_file = dir_ + "/ready";
  std::filesystem::remove(ready_file);
  const std::string binary = ServerBinaryPath();
  std::vector<std::string> argv = {
      binary,
      "--listen=127.0.0.1:0",
      absl::StrCat("--db=", db_path()),
      absl::StrCat("--bootstrap-admin-key-file=", key_file()),
      absl::StrCat("--ready-file=", ready_file),
      // No HTTP unless a test asks (extra_args: --http-listen=127.0.0.1:0):
      // the default port would be shared by every server of the suite.
      "--http-listen=",
  };
  if (db_->postgres()) {  // a URL has no folder for the default secrets.key
    argv.push_back(absl::StrCat("--secrets-key-file=", dir_, "/secrets.key"));
  }
  if (const char* models = std::getenv("OPINIA_MODELS_DIR");
      models != nullptr) {
    argv.push_back(absl::StrCat("--models=", models));
  }
  for (const std::string& a : extra_args_) argv.push_back(a);
  absl::StatusOr<pid_t> pid =
      SpawnLogged(std::move(argv), dir_ + "/server.log");
  if (!pid.ok()) return pid.status();
  pid_ = *pid;

  absl::StatusOr<std::string> address =
      AwaitReadyFile(ready_file, pid_, ready_timeout_);
  if (absl::IsFailedPrecondition(address.status())) pid_ = -1;  // reaped
  if (absl::IsDeadlineExceeded(address.status())) (void)Stop(SIGKILL);
  if (!address.ok()) {
    return absl::UnavailableError(
        absl::StrCat(address.status().message(), "; log:\n", Log()));
  }
  address_ = *std::move(address);
  std::string key = ReadWholeFile(key_file());
  admin_key_ =
      std::string(absl::StripAsciiWhitespace(key.substr(0, key.find('\n'))));
  if (admin_key_.empty() && require_admin_key_) {
    return absl::UnavailableError(
        absl::StrCat("no admin key in ", key_file(), "; log:\n", Log()));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> ServerProcess::Stop(int signal) {
  if (pid_ <= 0) return absl::FailedPreconditionError("server is not running");
  if (kill(pid_, signal) != 0) {
    return absl::InternalError(absl::StrCat("kill: ", strerror(errno)));
  }
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) {
      pid_ = -1;
      return absl::InternalError(absl::StrCat("waitpid: ", strerror(errno)));
    }
  }
  pid_ = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

bool ServerProcess::Alive() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) pid_ = -1;
  return pid_ > 0;
}

absl::Status ServerProcess::Restart() {
  if (pid_ > 0) return absl::FailedPreconditionError("server is running");
  return Launch();
}

std::string ServerProcess::Log() const {
  return ReadWholeFile(dir_ + "/server.log");
}

std::shared_ptr<grpc::Channel> ServerProcess::NewChannel() const {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(),
                                   args);
}

std::unique_ptr<grpc::ClientContext> ContextWithKey(const std::string& key) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!key.empty()) context->AddMetadata("authorization", "Bearer " + key);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
  return context;
}

}  // namespace opinia::testing
