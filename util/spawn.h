// Runs opinia-server as a child process, for the programs that drive it
// from outside: the integration tests' ServerProcess and opinia-load
// --spawn. POSIX only.
#ifndef OPINIA_UTIL_SPAWN_H_
#define OPINIA_UTIL_SPAWN_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace opinia {

// Starts `argv` (argv[0] is the binary's path) with its stdout and stderr
// appended to the file `log`; the child's pid. UNAVAILABLE naming the
// binary when it cannot start.
absl::StatusOr<pid_t> SpawnLogged(std::vector<std::string> argv,
                                  const std::string& log);

// The "HOST:PORT" that opinia-server writes to its --ready-file once it
// serves, polled with short waits. FAILED_PRECONDITION when `pid` exits
// first (reaped; the message has its wait status), DEADLINE_EXCEEDED when
// `timeout` passes first (the child runs on).
absl::StatusOr<std::string> AwaitReadyFile(const std::string& ready_file,
                                           pid_t pid, absl::Duration timeout);

}  // namespace opinia

#endif  // OPINIA_UTIL_SPAWN_H_
