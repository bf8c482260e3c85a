// The outbox trap on PostgreSQL, provoked on purpose. Readers of the
// outbox (streams, resume tokens, the webhook dispatcher) ask for "ids
// after the last one I saw", so ids must be in commit order
// (alert_store.h, webhook_store.h). A sequence hands out ids at insert:
// transaction A takes id 1, B takes id 2 and commits, a reader sees 2 and
// moves past 1, then A commits 1, which that reader never sees.
//
// Each test runs that race deterministically: A takes an id and stays
// open; B then takes an id and tries to commit; a reader polls; only then
// A commits, and the reader polls again. With a bare sequence (raw SQL)
// the reader loses A's row, which shows that the race is real and that
// these tests can fail; through the store, B waits for A's commit on the
// outbox lock (pg_alerts.h, pg_webhooks.h), so the reader sees every row.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/storage/postgres/pg_connection.h"
#include "service/storage/postgres/pg_store.h"
#include "tests/testing/pg_test_db.h"

namespace opinia::storage {
namespace {

using pg::Connection;
using pg::Params;
using pg::Result;
using ::testing::ElementsAre;
using testing::PgTestDb;

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);
constexpr absl::Duration kPatience = absl::Seconds(20);

// A flag one thread sets (maybe more than once: a Write may run its
// function again) and others wait for.
class Flag {
 public:
  void Set() {
    absl::MutexLock lock(&mu_);
    set_ = true;
  }
  bool IsSet() {
    absl::MutexLock lock(&mu_);
    return set_;
  }
  bool WaitFor(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(&set_), timeout);
  }

 private:
  absl::Mutex mu_;
  bool set_ ABSL_GUARDED_BY(mu_) = false;
};

// One writer's transaction: takes an id, runs `before_commit`, commits;
// returns the id it took.
using Writer =
    std::function<int64_t(const std::function<void()>& before_commit)>;

struct Race {
  int64_t a_id = 0;
  int64_t b_id = 0;
  bool b_committed_before_a = false;  // B committed while A was open
  bool b_waited = false;              // B was seen waiting for an advisory lock
};

// A takes an id and stays open; B takes one and tries to commit; once B
// has committed or waits for a lock, `poll` runs (the reader between the
// two commits); then A commits, B finishes, and `poll` runs again.
// `b_waits` tells whether B waits for an advisory lock now.
Race RunRace(const Writer& writer_a, const Writer& writer_b,
             const std::function<void()>& poll,
             const std::function<bool()>& b_waits) {
  Race race;
  Flag a_has_id, release_a, b_done;
  std::thread a([&] {
    race.a_id = writer_a([&] {
      a_has_id.Set();
      EXPECT_TRUE(release_a.WaitFor(kPatience));
    });
  });
  if (!a_has_id.WaitFor(kPatience)) {
    ADD_FAILURE() << "A never took an id";
    release_a.Set();
    a.join();
    return race;
  }
  std::thread b([&] {
    race.b_id = writer_b([] {});
    b_done.Set();
  });
  const absl::Time deadline = absl::Now() + kPatience;
  while (absl::Now() < deadline) {
    if (b_done.IsSet()) break;
    if (b_waits()) {
      race.b_waited = true;
      break;
    }
    absl::SleepFor(absl::Milliseconds(2));
  }
  race.b_committed_before_a = b_done.IsSet();
  poll();
  release_a.Set();
  a.join();
  b.join();
  poll();
  return race;
}

class PgOutboxOrderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<PgTestDb>> db = PgTestDb::Create();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    absl::StatusOr<std::unique_ptr<Store>> store = OpenPgStore(db_->url());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    admin_ = Connect();
    ASSERT_NE(admin_, nullptr);
    ASSERT_TRUE(store_
                    ->Write([](Txn& txn) -> absl::Status {
                      for (const char* id : {"a", "b"}) {
                        absl::Status s =
                            txn.InsertTenant(TenantRow{id, id, "UTC", kT0});
                        if (!s.ok()) return s;
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  }

  void TearDown() override {
    admin_.reset();
    store_.reset();  // before the schema is dropped
  }

  std::unique_ptr<Connection> Connect() {
    absl::StatusOr<std::unique_ptr<Connection>> conn =
        Connection::Open(db_->url());
    EXPECT_TRUE(conn.ok()) << conn.status();
    return conn.ok() ? *std::move(conn) : nullptr;
  }

  // Whether a connection of this test waits for an advisory lock now.
  bool SomeoneWaitsForAdvisoryLock() {
    absl::StatusOr<Result> r = admin_->Exec(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 "
        "AND wait_event_type = 'Lock' AND wait_event = 'advisory'",
        Params().Text(db_->schema()));
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() && r->Int(0, 0) > 0;
  }

  // A store transaction that runs `insert` (taking an id) and commits.
  Writer StoreWriter(std::function<absl::StatusOr<int64_t>(Txn&)> insert) {
    return [this, insert](const std::function<void()>& before_commit) {
      int64_t id = 0;
      const absl::Status status = store_->Write([&](Txn& txn) -> absl::Status {
        absl::StatusOr<int64_t> inserted = insert(txn);
        if (!inserted.ok()) return inserted.status();
        id = *inserted;
        before_commit();
        return absl::OkStatus();
      });
      EXPECT_TRUE(status.ok()) << status;
      return id;
    };
  }

  // Inserts an alert of `tenant` (and so its created event); the alert id.
  Writer AlertWriter(std::string tenant) {
    return StoreWriter([tenant](Txn& txn) {
      AlertRow alert;
      alert.tenant_id = tenant;
      alert.kind = 1;
      alert.priority = 1;
      alert.create_time = kT0;
      alert.update_time = kT0;
      alert.dedup_key = "race";
      return txn.alerts().InsertAlert(alert);
    });
  }

  std::unique_ptr<PgTestDb> db_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Connection> admin_;  // the main thread's
};

// The trap, then the design against it: the same race on a bare sequence
// (raw SQL, no lock) loses A's row; through the store, neither an alert
// event nor a webhook delivery is lost.
TEST_F(PgOutboxOrderTest, LowerIdCommittingLastIsNeverSkipped) {
  // 1. A bare sequence: the reader skips A's row for good.
  ASSERT_TRUE(admin_
                  ->ExecScript("CREATE TABLE bare_outbox (id bigint "
                               "GENERATED ALWAYS AS IDENTITY PRIMARY KEY)")
                  .ok());
  auto bare_writer = [this](const std::function<void()>& before_commit) {
    std::unique_ptr<Connection> conn = Connect();
    if (conn == nullptr) return int64_t{0};
    EXPECT_TRUE(conn->ExecScript("BEGIN").ok());
    absl::StatusOr<Result> r =
        conn->Exec("INSERT INTO bare_outbox DEFAULT VALUES RETURNING id");
    EXPECT_TRUE(r.ok()) << r.status();
    before_commit();
    EXPECT_TRUE(conn->ExecScript("COMMIT").ok());
    return r.ok() ? r->Int(0, 0) : int64_t{0};
  };
  std::vector<int64_t> bare_seen;
  int64_t bare_cursor = 0;
  auto bare_poll = [&] {
    absl::StatusOr<Result> r =
        admin_->Exec("SELECT id FROM bare_outbox WHERE id > $1 ORDER BY id",
                     Params().Int(bare_cursor));
    ASSERT_TRUE(r.ok()) << r.status();
    for (int i = 0; i < r->rows(); ++i) bare_seen.push_back(r->Int(i, 0));
    if (!bare_seen.empty()) bare_cursor = bare_seen.back();
  };
  const Race bare = RunRace(bare_writer, bare_writer, bare_poll,
                            [this] { return SomeoneWaitsForAdvisoryLock(); });
  EXPECT_LT(bare.a_id, bare.b_id);
  EXPECT_TRUE(bare.b_committed_before_a);
  EXPECT_THAT(bare_seen, ElementsAre(bare.b_id))
      << "the reader was expected to skip A's id " << bare.a_id;

  // 2. Alert events through the store: B waits for A's commit.
  std::vector<std::pair<int64_t, int64_t>> seen;  // (event id, alert id)
  int64_t cursor = 0;
  auto poll_events = [&] {
    ASSERT_TRUE(store_
                    ->Read([&](Txn& txn) -> absl::Status {
                      absl::StatusOr<std::vector<AlertEventRow>> events =
                          txn.alerts().ListAlertEventsAfter("a", cursor, 100);
                      if (!events.ok()) return events.status();
                      for (const AlertEventRow& e : *events) {
                        seen.emplace_back(e.id, e.alert.id);
                        cursor = e.id;
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  };
  const Race alerts = RunRace(AlertWriter("a"), AlertWriter("a"), poll_events,
                              [this] { return SomeoneWaitsForAdvisoryLock(); });
  EXPECT_TRUE(alerts.b_waited);
  EXPECT_FALSE(alerts.b_committed_before_a);
  EXPECT_LT(alerts.a_id, alerts.b_id);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].second, alerts.a_id);
  EXPECT_EQ(seen[1].second, alerts.b_id);
  EXPECT_LT(seen[0].first, seen[1].first);

  // 3. Deliveries of one webhook: the same.
  int64_t webhook = 0;
  ASSERT_TRUE(store_
                  ->Write([&](Txn& txn) -> absl::Status {
                    WebhookRow w;
                    w.tenant_id = "a";
                    w.url = "http://127.0.0.1:1/hook";
                    w.secret = "s";
                    w.create_time = kT0;
                    absl::StatusOr<int64_t> id =
                        txn.webhooks().InsertWebhook(w);
                    webhook = id.value_or(0);
                    return id.status();
                  })
                  .ok());
  auto delivery_writer = [&](int64_t event_id) {
    return StoreWriter([&, event_id](Txn& txn) {
      DeliveryRow d;
      d.webhook_id = webhook;
      d.tenant_id = "a";
      d.alert_id = event_id;
      d.event_id = event_id;
      d.create_time = kT0;
      d.update_time = kT0;
      return txn.webhooks().InsertDelivery(d);
    });
  };
  std::vector<int64_t> deliveries;
  int64_t delivery_cursor = 0;
  auto poll_deliveries = [&] {
    ASSERT_TRUE(store_
                    ->Read([&](Txn& txn) -> absl::Status {
                      absl::StatusOr<std::vector<DeliveryRow>> rows =
                          txn.webhooks().ListDeliveries(webhook,
                                                        delivery_cursor, 100);
                      if (!rows.ok()) return rows.status();
                      for (const DeliveryRow& d : *rows) {
                        deliveries.push_back(d.id);
                        delivery_cursor = d.id;
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  };
  const Race queued =
      RunRace(delivery_writer(1), delivery_writer(2), poll_deliveries,
              [this] { return SomeoneWaitsForAdvisoryLock(); });
  EXPECT_TRUE(queued.b_waited);
  EXPECT_FALSE(queued.b_committed_before_a);
  EXPECT_LT(queued.a_id, queued.b_id);
  EXPECT_THAT(deliveries, ElementsAre(queued.a_id, queued.b_id));
}

// Why the outbox lock is global, not per tenant: a stream (or webhook)
// starts "from now" at MaxAlertEventId() over every tenant. If tenant b's
// event could commit while tenant a's lower one is in flight, a stream of
// a started in between would begin past a's event and never see it.
TEST_F(PgOutboxOrderTest, StreamStartedFromNowSeesAnotherTenantsLateEvent) {
  int64_t start = -1;
  auto start_stream = [&] {
    if (start >= 0) return;  // started once, between the two commits
    ASSERT_TRUE(store_
                    ->Read([&](Txn& txn) -> absl::Status {
                      absl::StatusOr<int64_t> max =
                          txn.alerts().MaxAlertEventId();
                      start = max.value_or(-1);
                      return max.status();
                    })
                    .ok());
  };
  const Race race = RunRace(AlertWriter("a"), AlertWriter("b"), start_stream,
                            [this] { return SomeoneWaitsForAdvisoryLock(); });
  EXPECT_TRUE(race.b_waited);
  EXPECT_FALSE(race.b_committed_before_a);
  std::vector<int64_t> alerts_of_a;
  ASSERT_TRUE(store_
                  ->Read([&](Txn& txn) -> absl::Status {
                    absl::StatusOr<std::vector<AlertEventRow>> events =
                        txn.alerts().ListAlertEventsAfter("a", start, 100);
                    if (!events.ok()) return events.status();
                    for (const AlertEventRow& e : *events) {
                      alerts_of_a.push_back(e.alert.id);
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_THAT(alerts_of_a, ElementsAre(race.a_id));
}

// The lock's cost stays with alert writers: while a transaction holds the
// outbox lock, a review without an alert commits at once.
TEST_F(PgOutboxOrderTest, ReviewsWithoutAlertsDoNotWaitForTheOutboxLock) {
  const Writer review_writer = StoreWriter([](Txn& txn) {
    ReviewRow r;
    r.tenant_id = "b";
    r.source = "google";
    r.external_id = "r1";
    r.language = "pl";
    r.create_time = kT0;
    r.ingest_time = kT0;
    r.modify_time = kT0;
    return txn.InsertReview(r);
  });
  const Race race = RunRace(
      AlertWriter("a"), review_writer, [] {},
      [this] { return SomeoneWaitsForAdvisoryLock(); });
  EXPECT_FALSE(race.b_waited);
  EXPECT_TRUE(race.b_committed_before_a);
}

}  // namespace
}  // namespace opinia::storage
