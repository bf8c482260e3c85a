#include "service/server/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"

namespace opinia::server {
namespace {

absl::Status Errno(const std::string& what, const std::string& path) {
  return absl::InternalError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

}  // namespace

absl::Status EnsureParentDir(const std::string& path) {
  namespace fs = std::filesystem;
  std::vector<fs::path> missing;  // innermost first
  std::error_code ec;
  for (fs::path dir = fs::path(path).parent_path();
       !dir.empty() && !fs::exists(dir, ec); dir = dir.parent_path()) {
    missing.push_back(dir);
    if (dir == dir.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    const std::string dir = it->string();
    if (mkdir(dir.c_str(), 0700) != 0) {
      if (errno == EEXIST) continue;  // made meanwhile by someone else
      return Errno("cannot create directory", dir);
    }
    // The umask may have narrowed 0700; make it exact.
    chmod(dir.c_str(), 0700);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> MakeDatabaseFilesPrivate(
    const std::string& db_path) {
  int fd = open(db_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                0600);
  if (fd >= 0) {
    fchmod(fd, 0600);
    close(fd);
  } else if (errno != EEXIST) {
    return Errno("cannot create", db_path);
  }
  std::vector<std::string> narrowed;
  for (const std::string& file :
       {db_path, db_path + "-wal", db_path + "-shm"}) {
    struct stat st;
    if (stat(file.c_str(), &st) != 0) continue;
    if ((st.st_mode & 077) == 0) continue;
    if (chmod(file.c_str(), st.st_mode & 0700) != 0) {
      return Errno("cannot chmod", file);
    }
    narrowed.push_back(file);
  }
  return narrowed;
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& content, int mode,
                                 bool replace) {
  if (absl::Status s = EnsureParentDir(path); !s.ok()) return s;
  const std::string tmp = absl::StrCat(path, ".tmp.", getpid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Errno("cannot create", tmp);
  // The umask may have narrowed `mode`; make it exact.
  fchmod(fd, mode);
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      absl::Status s = Errno("cannot write", tmp);
      close(fd);
      unlink(tmp.c_str());
      return s;
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    absl::Status s = Errno("cannot sync", tmp);
    unlink(tmp.c_str());
    return s;
  }
  if (!replace) {
    // link() fails when `path` exists: of several processes making the
    // same file at once, exactly one succeeds.
    const int rc = link(tmp.c_str(), path.c_str());
    const int error = errno;
    unlink(tmp.c_str());
    if (rc == 0) return absl::OkStatus();
    if (error == EEXIST) {
      return absl::AlreadyExistsError(absl::StrCat(path, " exists already"));
    }
    errno = error;
    return Errno("cannot link to", path);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    absl::Status s = Errno("cannot rename to", path);
    unlink(tmp.c_str());
    return s;
  }
  return absl::OkStatus();
}

}  // namespace opinia::server
