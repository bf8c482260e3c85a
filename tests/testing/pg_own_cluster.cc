#include "tests/testing/pg_own_cluster.h"

#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace opinia::testing {
namespace {

// The source tree's scripts/pg.sh.
std::string PgScript() {
  const char* src = std::getenv("OPINIA_SOURCE_DIR");
  return absl::StrCat(src != nullptr ? src : ".", "/scripts/pg.sh");
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgOwnCluster>> PgOwnCluster::Start() {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir =
      absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/opinia-own-pg-XXXXXX");
  if (mkdtemp(dir.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp failed for ", dir));
  }
  std::unique_ptr<PgOwnCluster> cluster(new PgOwnCluster(std::move(dir)));
  absl::StatusOr<std::string> url = cluster->Run("start");
  if (!url.ok()) return url.status();
  cluster->url_ = std::string(absl::StripAsciiWhitespace(*url));
  return cluster;
}

PgOwnCluster::~PgOwnCluster() { (void)Run("stop"); }

absl::Status PgOwnCluster::Restart() { return Run("restart").status(); }
absl::Status PgOwnCluster::Down() { return Run("down").status(); }
absl::Status PgOwnCluster::Up() { return Run("up").status(); }

absl::StatusOr<std::string> PgOwnCluster::Run(
    const std::string& command) const {
  const std::string line =
      absl::StrCat(PgScript(), " ", command, " ", dir_, " 2>&1");
  FILE* p = popen(line.c_str(), "r");
  if (p == nullptr) {
    return absl::InternalError(absl::StrCat("cannot run ", line));
  }
  std::string out;
  char buf[256];
  while (fgets(buf, sizeof(buf), p) != nullptr) out += buf;
  const int status = pclose(p);
  if (status != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        line, " exited with status ", WEXITSTATUS(status), ": ", out));
  }
  return out;
}

}  // namespace opinia::testing
