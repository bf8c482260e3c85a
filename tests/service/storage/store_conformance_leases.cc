// Conformance of the replica coordination a backend provides: leases
// (lease_store.h, txn.leases()) and change notifications
// (Txn::NotifyTenant, Store::SetTenantListener).
#include <atomic>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "tests/service/storage/store_conformance.h"
#include "tests/service/storage/store_conformance_util.h"

namespace opinia::storage::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

absl::StatusOr<bool> Acquire(Store& store, std::string_view name,
                             std::string_view holder, absl::Time now,
                             absl::Duration ttl) {
  bool held = false;
  absl::Status s = store.Write([&](Txn& txn) -> absl::Status {
    absl::StatusOr<bool> r =
        txn.leases().TryAcquireLease(name, holder, now, ttl);
    if (!r.ok()) return r.status();
    held = *r;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return held;
}

absl::StatusOr<bool> Renew(Store& store, std::string_view name,
                           std::string_view holder, absl::Time now,
                           absl::Duration ttl) {
  bool held = false;
  absl::Status s = store.Write([&](Txn& txn) -> absl::Status {
    absl::StatusOr<bool> r = txn.leases().RenewLease(name, holder, now, ttl);
    if (!r.ok()) return r.status();
    held = *r;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return held;
}

absl::StatusOr<bool> Release(Store& store, std::string_view name,
                             std::string_view holder) {
  bool released = false;
  absl::Status s = store.Write([&](Txn& txn) -> absl::Status {
    absl::StatusOr<bool> r = txn.leases().ReleaseLease(name, holder);
    if (!r.ok()) return r.status();
    released = *r;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return released;
}

std::vector<LeaseRow> Leases(Store& store, std::string_view prefix = "",
                             int limit = 100) {
  std::vector<LeaseRow> rows;
  EXPECT_OK(store.Read([&](Txn& txn) -> absl::Status {
    absl::StatusOr<std::vector<LeaseRow>> r =
        txn.leases().ListLeases(prefix, limit);
    if (!r.ok()) return r.status();
    rows = *std::move(r);
    return absl::OkStatus();
  }));
  return rows;
}

std::vector<std::string> NamesOf(const std::vector<LeaseRow>& rows) {
  std::vector<std::string> names;
  for (const LeaseRow& r : rows) names.push_back(r.name);
  return names;
}

void ExpectLease(const std::vector<LeaseRow>& rows, const std::string& holder,
                 absl::Time acquire, absl::Time expire) {
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].holder, holder);
  EXPECT_EQ(rows[0].acquire_time, acquire);
  EXPECT_EQ(rows[0].expire_time, expire);
}

TEST_P(StoreConformanceTest, LeaseIsTakenExtendedExpiresAndIsReleased) {
  const absl::Duration ttl = absl::Seconds(10);
  EXPECT_THAT(Leases(*store_), IsEmpty());
  EXPECT_TRUE(VALUE(Acquire(*store_, "job", "r1", kT0, ttl)));
  ExpectLease(Leases(*store_), "r1", kT0, kT0 + ttl);
  // Another holder cannot take a live lease; nothing changes.
  EXPECT_FALSE(VALUE(Acquire(*store_, "job", "r2", kT0 + absl::Seconds(9),
                             absl::Hours(1))));
  ExpectLease(Leases(*store_), "r1", kT0, kT0 + ttl);
  // The holder extends it (taking it again, or renewing); acquire_time
  // stays.
  EXPECT_TRUE(VALUE(Acquire(*store_, "job", "r1", kT0 + absl::Seconds(4), ttl)));
  ExpectLease(Leases(*store_), "r1", kT0, kT0 + absl::Seconds(14));
  EXPECT_TRUE(VALUE(Renew(*store_, "job", "r1", kT0 + absl::Seconds(5), ttl)));
  ExpectLease(Leases(*store_), "r1", kT0, kT0 + absl::Seconds(15));
  EXPECT_FALSE(VALUE(Renew(*store_, "job", "r2", kT0 + absl::Seconds(5), ttl)));
  ExpectLease(Leases(*store_), "r1", kT0, kT0 + absl::Seconds(15));
  EXPECT_FALSE(VALUE(Acquire(*store_, "job", "r2",
                             kT0 + absl::Seconds(15) - absl::Microseconds(1),
                             ttl)));
  // Expired (expire_time <= now): anyone's.
  const absl::Time t2 = kT0 + absl::Seconds(15);
  EXPECT_TRUE(VALUE(Acquire(*store_, "job", "r2", t2, ttl)));
  ExpectLease(Leases(*store_), "r2", t2, t2 + ttl);
  // r1's term ended: it cannot renew, however it tries.
  EXPECT_FALSE(VALUE(Renew(*store_, "job", "r1", t2, ttl)));
  ExpectLease(Leases(*store_), "r2", t2, t2 + ttl);
  // Released only by its holder; then free at once.
  EXPECT_FALSE(VALUE(Release(*store_, "job", "r1")));
  EXPECT_FALSE(VALUE(Acquire(*store_, "job", "r1", t2, ttl)));
  EXPECT_TRUE(VALUE(Release(*store_, "job", "r2")));
  EXPECT_THAT(Leases(*store_), IsEmpty());
  EXPECT_FALSE(VALUE(Release(*store_, "job", "r2")));
  // Released: renewing does not bring it back.
  EXPECT_FALSE(VALUE(Renew(*store_, "job", "r2", t2, ttl)));
  EXPECT_THAT(Leases(*store_), IsEmpty());
  EXPECT_TRUE(VALUE(Acquire(*store_, "job", "r1", t2, ttl)));
  ExpectLease(Leases(*store_), "r1", t2, t2 + ttl);
  // Its own expired lease, not taken by anyone meanwhile: the holder
  // extends it like a live one (acquire_time stays).
  const absl::Time t3 = t2 + absl::Minutes(5);
  EXPECT_TRUE(VALUE(Renew(*store_, "job", "r1", t3, ttl)));
  ExpectLease(Leases(*store_), "r1", t2, t3 + ttl);
  const absl::Time t4 = t3 + absl::Minutes(5);
  EXPECT_TRUE(VALUE(Acquire(*store_, "job", "r1", t4, ttl)));
  ExpectLease(Leases(*store_), "r1", t2, t4 + ttl);
}

TEST_P(StoreConformanceTest, LeasesAreIndependentAndListedByPrefix) {
  const absl::Duration ttl = absl::Minutes(1);
  for (const char* name : {"webhook:2", "collector:10", "collector:9",
                           "alert-scheduler", "collector:1"}) {
    EXPECT_TRUE(VALUE(Acquire(*store_, name, "r1", kT0, ttl))) << name;
  }
  EXPECT_TRUE(VALUE(Acquire(*store_, "webhook:3", "r2", kT0, ttl)));
  EXPECT_FALSE(VALUE(Acquire(*store_, "collector:9", "r2", kT0, ttl)));
  EXPECT_THAT(NamesOf(Leases(*store_)),
              ElementsAre("alert-scheduler", "collector:1", "collector:10",
                          "collector:9", "webhook:2", "webhook:3"));
  EXPECT_THAT(NamesOf(Leases(*store_, "collector:")),
              ElementsAre("collector:1", "collector:10", "collector:9"));
  EXPECT_THAT(NamesOf(Leases(*store_, "collector:1")),
              ElementsAre("collector:1", "collector:10"));
  EXPECT_THAT(NamesOf(Leases(*store_, "collector:", 2)),
              ElementsAre("collector:1", "collector:10"));
  EXPECT_THAT(Leases(*store_, "nothing"), IsEmpty());
  // Expired leases are listed too (the caller judges them).
  const std::vector<LeaseRow> later = Leases(*store_, "webhook:3");
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].holder, "r2");
  EXPECT_TRUE(VALUE(Release(*store_, "collector:10", "r1")));
  EXPECT_THAT(NamesOf(Leases(*store_, "collector:")),
              ElementsAre("collector:1", "collector:9"));
}

TEST_P(StoreConformanceTest, LeaseCallsCheckTheirArguments) {
  auto write = [&](auto fn) {
    return store_->Write([&](Txn& txn) { return StatusOf(fn(txn.leases())); });
  };
  for (auto [name, holder] : {std::pair{"", "r1"}, std::pair{"job", ""}}) {
    EXPECT_CODE(write([&](LeaseTxn& l) {
                  return l.TryAcquireLease(name, holder, kT0, absl::Seconds(1));
                }),
                kInvalidArgument);
    EXPECT_CODE(write([&](LeaseTxn& l) { return l.ReleaseLease(name, holder); }),
                kInvalidArgument);
    EXPECT_CODE(write([&](LeaseTxn& l) {
                  return l.RenewLease(name, holder, kT0, absl::Seconds(1));
                }),
                kInvalidArgument);
  }
  for (absl::Duration ttl : {absl::ZeroDuration(), absl::Seconds(-1)}) {
    EXPECT_CODE(write([&](LeaseTxn& l) {
                  return l.TryAcquireLease("job", "r1", kT0, ttl);
                }),
                kInvalidArgument);
    EXPECT_CODE(write([&](LeaseTxn& l) {
                  return l.RenewLease("job", "r1", kT0, ttl);
                }),
                kInvalidArgument);
  }
  ForEachNonPositiveLimit(*store_, [](Txn& txn, int limit) {
    EXPECT_CODE(txn.leases().ListLeases("", limit), kInvalidArgument);
  });
  EXPECT_CODE(store_->Read([](Txn& txn) {
    return txn.leases()
        .TryAcquireLease("job", "r1", kT0, absl::Seconds(1))
        .status();
  }),
              kFailedPrecondition);
  EXPECT_CODE(store_->Read([](Txn& txn) {
    return txn.leases().ReleaseLease("job", "r1").status();
  }),
              kFailedPrecondition);
  EXPECT_CODE(store_->Read([](Txn& txn) {
    return txn.leases()
        .RenewLease("job", "r1", kT0, absl::Seconds(1))
        .status();
  }),
              kFailedPrecondition);
  EXPECT_THAT(Leases(*store_), IsEmpty());
}

TEST_P(StoreConformanceTest, LeaseTakenInARolledBackWriteStaysFree) {
  EXPECT_CODE(store_->Write([](Txn& txn) -> absl::Status {
    EXPECT_TRUE(VALUE(txn.leases().TryAcquireLease("job", "r1", kT0,
                                                   absl::Minutes(1))));
    return absl::InternalError("the work failed");
  }),
              kInternal);
  EXPECT_THAT(Leases(*store_), IsEmpty());
  EXPECT_TRUE(VALUE(Acquire(*store_, "job", "r2", kT0, absl::Minutes(1))));
}

// Replicas racing for one free lease: exactly one wins, and what a winner
// writes in the same transaction is the only such write.
TEST_P(StoreConformanceTest, ConcurrentAcquiresOfOneLeaseHaveOneWinner) {
  InsertTenants(*store_, {Tenant("t")});
  constexpr int kReplicas = 6;
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    const std::string name = absl::StrCat("job-", round);
    std::atomic<int> winners{0};
    std::vector<std::thread> replicas;
    for (int r = 0; r < kReplicas; ++r) {
      replicas.emplace_back([&, r] {
        EXPECT_OK(store_->Write([&](Txn& txn) -> absl::Status {
          absl::StatusOr<bool> held = txn.leases().TryAcquireLease(
              name, absl::StrCat("replica-", r), kT0, absl::Minutes(1));
          if (!held.ok()) return held.status();
          if (!*held) return absl::OkStatus();
          // The work done under the claim, once per round.
          absl::StatusOr<int64_t> id = txn.InsertAudit(AuditRow{
              0, "t", absl::StrCat("replica-", r), "lease.won", name, "",
              kT0});
          if (!id.ok()) return id.status();
          ++winners;
          return absl::OkStatus();
        }));
      });
    }
    for (std::thread& t : replicas) t.join();
    // A Write may have run its function again after a conflict: count the
    // rows that committed, not the runs.
    int64_t committed = 0;
    EXPECT_OK(store_->Read([&](Txn& txn) -> absl::Status {
      absl::StatusOr<std::vector<AuditRow>> rows = txn.ListAudit("t", name);
      if (!rows.ok()) return rows.status();
      committed = static_cast<int64_t>(rows->size());
      return absl::OkStatus();
    }));
    EXPECT_EQ(committed, 1) << name;
    EXPECT_GE(winners.load(), 1) << name;
    const std::vector<LeaseRow> lease = Leases(*store_, name);
    ASSERT_EQ(lease.size(), 1u);
    EXPECT_EQ(lease[0].expire_time, kT0 + absl::Minutes(1));
  }
}

// What a store's tenant listener heard; stops listening when destroyed.
class Heard {
 public:
  explicit Heard(Store& store) : store_(store) {
    store_.SetTenantListener([this](std::string_view tenant) {
      absl::MutexLock lock(&mutex_);
      ++count_[std::string(tenant)];
    });
  }
  ~Heard() { store_.SetTenantListener(nullptr); }

  // Waits up to 10 s (a backend may deliver asynchronously).
  bool WaitFor(const std::string& tenant) {
    absl::MutexLock lock(&mutex_);
    auto heard = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return count_.count(tenant) != 0;
    };
    return mutex_.AwaitWithTimeout(absl::Condition(&heard), absl::Seconds(10));
  }
  int Count(const std::string& tenant) {
    absl::MutexLock lock(&mutex_);
    auto it = count_.find(tenant);
    return it == count_.end() ? 0 : it->second;
  }

 private:
  Store& store_;
  absl::Mutex mutex_;
  std::map<std::string, int> count_ ABSL_GUARDED_BY(mutex_);
};

absl::Status Notify(Store& store, const std::string& tenant,
                    absl::Status outcome = absl::OkStatus()) {
  return store.Write([&](Txn& txn) -> absl::Status {
    if (absl::Status s = txn.NotifyTenant(tenant); !s.ok()) return s;
    return outcome;
  });
}

TEST_P(StoreConformanceTest, TenantNotificationsArriveAfterCommitOnly) {
  Heard heard(*store_);
  EXPECT_CODE(Notify(*store_, "rolled-back", absl::InternalError("undo")),
              kInternal);
  // A function run again after a conflict: only the run that commits
  // notifies.
  int runs = 0;
  EXPECT_OK(store_->Write([&](Txn& txn) -> absl::Status {
    ++runs;
    if (absl::Status s = txn.NotifyTenant(absl::StrCat("run-", runs));
        !s.ok()) {
      return s;
    }
    return runs == 1 ? absl::AbortedError("conflict") : absl::OkStatus();
  }));
  ASSERT_EQ(runs, 2);
  // Twice in one transaction: heard at least once.
  EXPECT_OK(store_->Write([](Txn& txn) -> absl::Status {
    if (absl::Status s = txn.NotifyTenant("shop"); !s.ok()) return s;
    return txn.NotifyTenant("shop");
  }));
  EXPECT_TRUE(heard.WaitFor("run-2"));
  EXPECT_TRUE(heard.WaitFor("shop"));
  EXPECT_GE(heard.Count("shop"), 1);
  // Concurrent writers, every other one failing (a backend may commit them
  // together).
  std::vector<std::thread> writers;
  for (int i = 0; i < 8; ++i) {
    writers.emplace_back([&, i] {
      const absl::Status outcome =
          i % 2 ? absl::InternalError("undo") : absl::OkStatus();
      EXPECT_EQ(Notify(*store_, absl::StrCat("w", i), outcome).code(),
                outcome.code());
    });
  }
  for (std::thread& t : writers) t.join();
  for (int i = 0; i < 8; i += 2) {
    EXPECT_TRUE(heard.WaitFor(absl::StrCat("w", i))) << i;
  }
  // A marker committed after everything above: once it is heard, anything
  // that was going to arrive has.
  ASSERT_OK(Notify(*store_, "marker"));
  ASSERT_TRUE(heard.WaitFor("marker"));
  EXPECT_EQ(heard.Count("rolled-back"), 0);
  EXPECT_EQ(heard.Count("run-1"), 0);
  for (int i = 1; i < 8; i += 2) {
    EXPECT_EQ(heard.Count(absl::StrCat("w", i)), 0) << i;
  }
}

TEST_P(StoreConformanceTest, TenantNotificationChecksAndListenerReplacement) {
  EXPECT_CODE(store_->Read([](Txn& txn) { return txn.NotifyTenant("shop"); }),
              kFailedPrecondition);
  EXPECT_CODE(Notify(*store_, ""), kInvalidArgument);
  // No listener: a notification is no error.
  EXPECT_OK(Notify(*store_, "nobody"));
  {
    Heard first(*store_);
    ASSERT_OK(Notify(*store_, "one"));
    EXPECT_TRUE(first.WaitFor("one"));
    Heard second(*store_);  // replaces the first
    ASSERT_OK(Notify(*store_, "two"));
    EXPECT_TRUE(second.WaitFor("two"));
    EXPECT_EQ(first.Count("two"), 0);
  }
  // Stopped: a late notification reaches no one (and nothing crashes).
  ASSERT_OK(Notify(*store_, "late"));
  absl::SleepFor(absl::Milliseconds(100));
}

}  // namespace
}  // namespace opinia::storage::conformance
