#include "util/spawn.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace opinia {

absl::StatusOr<pid_t> SpawnLogged(std::vector<std::string> argv,
                                  const std::string& log) {
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr,
                             args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot start ", argv[0], ": ", strerror(rc)));
  }
  return pid;
}

absl::StatusOr<std::string> AwaitReadyFile(const std::string& ready_file,
                                           pid_t pid, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::Duration wait = absl::Milliseconds(2);
  while (true) {
    std::ifstream in(ready_file, std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
    if (!content.empty() && content.back() == '\n') {
      return std::string(absl::StripAsciiWhitespace(content));
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return absl::FailedPreconditionError(absl::StrCat(
          "opinia-server exited before it was ready (status ", status, ")"));
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("opinia-server not ready after ",
                       absl::FormatDuration(timeout)));
    }
    absl::SleepFor(wait);
    wait = std::min(wait * 2, absl::Milliseconds(50));
  }
}

}  // namespace opinia
