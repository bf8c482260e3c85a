// Runs the `opinia` CLI binary as a subprocess for the tests that drive it
// against a real server: its exit code, stdout and stderr.
#ifndef OPINIA_TESTS_INTEGRATION_CLI_RUN_H_
#define OPINIA_TESTS_INTEGRATION_CLI_RUN_H_

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

extern char** environ;

namespace opinia::testing {

// The whole content of the file at `path` ("" when it cannot be read).
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `binary` with `args` and stdin from /dev/null, in this process's
// environment but with OPINIA_ADDR `address` and OPINIA_KEY `key` (unset
// when empty). Its stdout and stderr go through the files
// `<out_stem>.out` and `<out_stem>.err`. A run killed by signal s exits
// 128 + s.
inline CliRun RunCliBinary(const std::string& binary,
                           const std::vector<std::string>& args,
                           const std::string& address, const std::string& key,
                           const std::string& out_stem) {
  const std::string out_path = out_stem + ".out";
  const std::string err_path = out_stem + ".err";
  std::vector<std::string> argv_storage = {binary};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string(*e).rfind("OPINIA_KEY", 0) == 0) continue;
    if (std::string(*e).rfind("OPINIA_ADDR=", 0) == 0) continue;
    env_storage.push_back(*e);
  }
  env_storage.push_back("OPINIA_ADDR=" + address);
  if (!key.empty()) env_storage.push_back("OPINIA_KEY=" + key);
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid;
  CliRun run;
  const int rc =
      posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    ADD_FAILURE() << "cannot run " << argv[0];
    return run;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  run.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = ReadFile(out_path);
  run.err = ReadFile(err_path);
  return run;
}

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_INTEGRATION_CLI_RUN_H_
