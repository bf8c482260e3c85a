// Runs the real opinia-server binary for integration tests: a fresh temp dir
// with the SQLite file and the bootstrap key file, --listen=127.0.0.1:0, and
// the bound address read back from --ready-file.
#ifndef OPINIA_TESTS_INTEGRATION_SERVER_PROCESS_H_
#define OPINIA_TESTS_INTEGRATION_SERVER_PROCESS_H_

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace opinia::testing {

// Path of the opinia-server binary: $OPINIA_SERVER_BINARY, else the
// OPINIA_SERVER_BINARY define set by CMake, else
// $OPINIA_BINARY_DIR/service/server/opinia-server.
std::string ServerBinaryPath();

// Not thread-safe; one test thread drives it.
class ServerProcess {
 public:
  // Creates a temp dir and starts the server in it. `extra_args` are passed
  // as they are (a later flag wins, e.g. --db=postgresql://...). Returns
  // UNAVAILABLE when the server exits or does not become ready within
  // `ready_timeout` (its log is in the message), or when it wrote no admin
  // key and `require_admin_key` (a replica on a shared database whose keys
  // exist already writes none: admin_key() is then empty).
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      std::vector<std::string> extra_args = {},
      absl::Duration ready_timeout = absl::Seconds(60),
      bool require_admin_key = true);

  // SIGKILLs a running server and removes the temp dir.
  ~ServerProcess();

  // Sends `signal` and waits for the exit. Returns the exit code, or
  // 128 + signal number when the signal killed it.
  absl::StatusOr<int> Stop(int signal);
  // Starts again on the same database and key file (after Stop()).
  absl::Status Restart();
  // The extra arguments of later Restart()s, in place of Start()'s.
  void set_extra_args(std::vector<std::string> args) {
    extra_args_ = std::move(args);
  }

  bool running() const { return pid_ > 0; }
  // Like running(), but also notices a server that died on its own (and
  // reaps it).
  bool Alive();
  const std::string& address() const { return address_; }  // "127.0.0.1:PORT"
  const std::string& admin_key() const { return admin_key_; }
  const std::string& dir() const { return dir_; }
  std::string db_path() const { return dir_ + "/opinia.db"; }
  std::string key_file() const { return dir_ + "/admin.key"; }
  // The server's stdout+stderr so far.
  std::string Log() const;

  std::shared_ptr<grpc::Channel> NewChannel() const;

 private:
  ServerProcess(std::string dir, std::vector<std::string> extra_args,
                absl::Duration ready_timeout, bool require_admin_key)
      : dir_(std::move(dir)),
        extra_args_(std::move(extra_args)),
        ready_timeout_(ready_timeout),
        require_admin_key_(require_admin_key) {}

  absl::Status Launch();

  std::string dir_;
  std::vector<std::string> extra_args_;
  absl::Duration ready_timeout_;
  bool require_admin_key_ = true;
  pid_t pid_ = -1;
  std::string address_;
  std::string admin_key_;
};

// A ClientContext carrying `authorization: Bearer <key>` (none when `key` is
// empty) and a 30 s deadline.
std::unique_ptr<grpc::ClientContext> ContextWithKey(const std::string& key);

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_INTEGRATION_SERVER_PROCESS_H_
