// Health follows the database. While another process holds the locks of
// the SQLite database's WAL index (the byte-range locks in opinia.db-shm
// that every read and write takes to start), the server's store cannot be
// read: grpc.health.v1 says NOT_SERVING within a few seconds, without a
// restart, and SERVING again once the locks are released; each transition
// is logged once.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_process.h"

namespace opinia::testing {
namespace {

// Exclusive POSIX locks on the WAL-index lock bytes of a SQLite database
// (offset 120, 8 bytes: WAL_WRITE, CKPT, RECOVER, READ0..4; see SQLite's
// "WAL-mode File Format"), held by this process, as a stuck process would.
class WalIndexLocks {
 public:
  explicit WalIndexLocks(const std::string& shm_path)
      : fd_(open(shm_path.c_str(), O_RDWR)) {}
  ~WalIndexLocks() { Release(); }

  bool Take() {
    struct flock lock = {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = 120;
    lock.l_len = 8;
    // The server takes them for short moments: try until one is free.
    for (int i = 0; i < 500 && fd_ >= 0; ++i) {
      if (fcntl(fd_, F_SETLK, &lock) == 0) return true;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return false;
  }
  void Release() {
    if (fd_ < 0) return;
    close(fd_);  // drops this process's locks on the file
    fd_ = -1;
  }

 private:
  int fd_;
};

TEST(StoreHealthTest, NotServingWhileTheDatabaseIsLockedAndBackAfter) {
  auto server = ServerProcess::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = (*server)->NewChannel();
  ASSERT_EQ(HealthStatus(channel), 1) << "SERVING at start";

  WalIndexLocks locks((*server)->db_path() + "-shm");
  ASSERT_TRUE(locks.Take()) << "could not lock " << (*server)->db_path()
                            << "-shm";
  EXPECT_TRUE(WaitForHealth(channel, 2, absl::Seconds(30)))
      << "still SERVING with the database locked; log:\n"
      << (*server)->Log();
  EXPECT_TRUE((*server)->Alive());
  // Calls that need the database wait and fail; health answers at once.
  const absl::Time asked = absl::Now();
  EXPECT_EQ(HealthStatus(channel), 2);
  EXPECT_LT(absl::Now() - asked, absl::Seconds(2));

  locks.Release();
  EXPECT_TRUE(WaitForHealth(channel, 1, absl::Seconds(30)))
      << "not SERVING again; log:\n"
      << (*server)->Log();
  auto tenant = CreateTenantWithKey(channel, (*server)->admin_key(), "after");
  EXPECT_TRUE(tenant.ok()) << tenant.status();
  // Health stays SERVING once the database answers: one line each way.
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(HealthStatus(channel), 1);
  const std::string log = (*server)->Log();
  EXPECT_EQ(HealthTransitionsLogged(log), std::make_pair(1, 1)) << log;
}

}  // namespace
}  // namespace opinia::testing
