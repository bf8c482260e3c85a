// Conformance of CollectorTxn (collector_store.h): collectors, their
// schedule and sync state.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "tests/service/storage/store_conformance.h"
#include "tests/service/storage/store_conformance_util.h"

namespace opinia::storage::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

CollectorRow Collector(std::string tenant, int32_t poll_interval_seconds,
                       absl::Time next_run_time) {
  CollectorRow c;
  c.tenant_id = std::move(tenant);
  c.spec = "spec";
  c.poll_interval_seconds = poll_interval_seconds;
  c.create_time = kT0;
  c.update_time = kT0;
  c.next_run_time = next_run_time;
  return c;
}

void ExpectSameCollector(const CollectorRow& a, const CollectorRow& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.tenant_id, b.tenant_id);
  EXPECT_EQ(a.spec, b.spec);
  EXPECT_EQ(a.poll_interval_seconds, b.poll_interval_seconds);
  EXPECT_EQ(a.create_time, b.create_time);
  EXPECT_EQ(a.update_time, b.update_time);
  EXPECT_EQ(a.next_run_time, b.next_run_time);
  EXPECT_EQ(a.last_run_time, b.last_run_time);
  EXPECT_EQ(a.last_success_time, b.last_success_time);
  EXPECT_EQ(a.last_full_time, b.last_full_time);
  EXPECT_EQ(a.last_error, b.last_error);
  EXPECT_EQ(a.reviews_fetched, b.reviews_fetched);
  EXPECT_EQ(a.runs_since_full, b.runs_since_full);
  EXPECT_EQ(a.cursor, b.cursor);
}

// Inserts the collectors and sets their ids.
void InsertCollectors(Store& store, const std::vector<CollectorRow*>& rows) {
  InsertEach(store, rows, [](Txn& txn, const CollectorRow& c) {
    return txn.collectors().InsertCollector(c);
  });
}

TEST_P(StoreConformanceTest, CollectorsInsertGetListUpdateDelete) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  // A fresh collector: every sync field at its default.
  CollectorRow c1 = Collector("a", 0, absl::InfiniteFuture());
  c1.spec = std::string("creds\0\xff", 7);  // opaque, kept as given
  CollectorRow cb = Collector("b", 60, kT0);
  CollectorRow c2 = Collector("a", 60, kT0);
  CollectorRow c3 = Collector("a", 60, kT0);
  InsertCollectors(*store_, {&c1, &cb, &c2, &c3});
  EXPECT_GT(c1.id, 0);
  EXPECT_LT(c1.id, cb.id);
  EXPECT_LT(cb.id, c2.id);
  ASSERT_OK(store_->Write([](Txn& txn) {
    EXPECT_CODE(txn.collectors().InsertCollector(Collector("nope", 1, kT0)),
                kNotFound);
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    CollectorTxn& collectors = txn.collectors();
    ExpectSameCollector(VALUE(collectors.GetCollector("a", c1.id)), c1);
    EXPECT_CODE(collectors.GetCollector("b", c1.id), kNotFound);
    EXPECT_CODE(collectors.GetCollector("a", c3.id + 100), kNotFound);
    EXPECT_THAT(IdsOf(VALUE(collectors.ListCollectors("a", 0, 10))),
                ElementsAre(c1.id, c2.id, c3.id));
    EXPECT_THAT(IdsOf(VALUE(collectors.ListCollectors("a", c1.id, 1))),
                ElementsAre(c2.id));
    EXPECT_THAT(IdsOf(VALUE(collectors.ListCollectors("b", 0, 10))),
                ElementsAre(cb.id));
    EXPECT_THAT(VALUE(collectors.ListCollectors("c", 0, 10)), IsEmpty());
    EXPECT_EQ(VALUE(collectors.CountCollectors("a")), 3);
    EXPECT_EQ(VALUE(collectors.CountCollectors("b")), 1);
    EXPECT_EQ(VALUE(collectors.CountCollectors("c")), 0);
    return absl::OkStatus();
  }));

  // A run: every column but id, tenant_id and create_time is replaced.
  CollectorRow run = c1;
  run.spec = "spec-2";
  run.poll_interval_seconds = 300;
  run.update_time = kT0 + absl::Hours(1);
  run.next_run_time = kT0 + absl::Hours(2);
  run.last_run_time = kT0 + absl::Hours(1);
  run.last_success_time = kT0 + absl::Minutes(59);
  run.last_full_time = kT0 + absl::Minutes(30);
  run.last_error = "HTTP 429";
  run.reviews_fetched = 1234;
  run.runs_since_full = 3;
  run.cursor = std::string("pos\0", 4);
  CollectorRow sent = run;
  sent.create_time = kT0 + absl::Hours(9);
  ASSERT_OK(store_->Write([&](Txn& txn) {
    ExpectUpdateNotFound(sent, "b", c3.id + 100, [&](const CollectorRow& c) {
      return txn.collectors().UpdateCollector(c);
    });
    EXPECT_OK(txn.collectors().UpdateCollector(sent));
    EXPECT_CODE(txn.collectors().DeleteCollector("b", c2.id), kNotFound);
    EXPECT_CODE(txn.collectors().DeleteCollector("a", c3.id + 100),
                kNotFound);
    return txn.collectors().DeleteCollector("a", c3.id);
  }));
  CollectorRow c4 = Collector("a", 0, kT0);
  InsertCollectors(*store_, {&c4});
  EXPECT_GT(c4.id, c3.id);  // ids are never reused
  ASSERT_OK(store_->Read([&](Txn& txn) {
    ExpectSameCollector(VALUE(txn.collectors().GetCollector("a", c1.id)), run);
    EXPECT_CODE(txn.collectors().GetCollector("a", c3.id), kNotFound);
    EXPECT_THAT(IdsOf(VALUE(txn.collectors().ListCollectors("a", 0, 10))),
                ElementsAre(c1.id, c2.id, c4.id));
    ExpectSameCollector(VALUE(txn.collectors().GetCollector("b", cb.id)), cb);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, DueCollectorsAreScheduledOnesInDueOrder) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  const absl::Time now = kT0 + absl::Hours(1);
  CollectorRow late = Collector("a", 60, now - absl::Minutes(1));
  CollectorRow tie = Collector("b", 60, now - absl::Minutes(1));
  CollectorRow first = Collector("b", 3600, now - absl::Hours(1));
  CollectorRow due_now = Collector("a", 60, now);
  CollectorRow future = Collector("a", 60, now + absl::Microseconds(1));
  CollectorRow unscheduled = Collector("a", 0, kT0);
  CollectorRow never = Collector("a", 60, absl::InfiniteFuture());
  InsertCollectors(*store_,
                   {&late, &tie, &first, &due_now, &future, &unscheduled,
                    &never});
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_THAT(IdsOf(VALUE(txn.collectors().ListDueCollectors(now, 10))),
                ElementsAre(first.id, late.id, tie.id, due_now.id));
    EXPECT_THAT(IdsOf(VALUE(txn.collectors().ListDueCollectors(now, 2))),
                ElementsAre(first.id, late.id));
    EXPECT_THAT(VALUE(txn.collectors().ListDueCollectors(
                    now - absl::Hours(2), 10)),
                IsEmpty());
    // Those already queued are left out, so the limit reaches the others.
    EXPECT_THAT(IdsOf(VALUE(txn.collectors().ListDueCollectorsExcept(
                    now, 2, {first.id, tie.id, 999}))),
                ElementsAre(late.id, due_now.id));
    EXPECT_THAT(IdsOf(VALUE(txn.collectors().ListDueCollectorsExcept(
                    now, 10, {}))),
                ElementsAre(first.id, late.id, tie.id, due_now.id));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, CollectorWritesFailInReadAndRollBackInWrite) {
  InsertTenants(*store_, {Tenant("a")});
  CollectorRow c = Collector("a", 60, kT0);
  InsertCollectors(*store_, {&c});
  CollectorRow changed = c;
  changed.last_error = "changed";
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_CODE(txn.collectors().InsertCollector(Collector("a", 1, kT0)),
                kFailedPrecondition);
    EXPECT_CODE(txn.collectors().UpdateCollector(changed),
                kFailedPrecondition);
    EXPECT_CODE(txn.collectors().DeleteCollector("a", c.id),
                kFailedPrecondition);
    return absl::OkStatus();
  }));
  const absl::Status failure = absl::AbortedError("no");
  EXPECT_EQ(store_->Write([&](Txn& txn) {
    EXPECT_OK(txn.collectors().InsertCollector(Collector("a", 1, kT0)));
    EXPECT_OK(txn.collectors().UpdateCollector(changed));
    return failure;
  }),
            failure);
  EXPECT_EQ(store_->Write([&](Txn& txn) {
    EXPECT_OK(txn.collectors().DeleteCollector("a", c.id));
    return failure;
  }),
            failure);
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_THAT(IdsOf(VALUE(txn.collectors().ListCollectors("a", 0, 10))),
                ElementsAre(c.id));
    ExpectSameCollector(VALUE(txn.collectors().GetCollector("a", c.id)), c);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, CollectorListsRejectNonPositiveLimits) {
  ForEachNonPositiveLimit(*store_, [](Txn& txn, int limit) {
    CollectorTxn& collectors = txn.collectors();
    EXPECT_CODE(collectors.ListCollectors("a", 0, limit), kInvalidArgument);
    EXPECT_CODE(collectors.ListDueCollectors(kT0, limit), kInvalidArgument);
    EXPECT_CODE(collectors.ListDueCollectorsExcept(kT0, limit, {1}),
                kInvalidArgument);
  });
}

}  // namespace
}  // namespace opinia::storage::conformance
