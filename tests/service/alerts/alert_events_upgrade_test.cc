// Migration 6 (tenant settings columns, the alert event log, per-event
// webhook deliveries) upgrades a database written at schema 5 with alerts,
// tenant settings, a webhook and deliveries: existing alerts keep their
// stream positions (event id = alert id, so resume tokens and webhook
// cursors from before stay valid), deliveries keep their ids, state and the
// AUTOINCREMENT high-water mark, and what is written afterwards follows on.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "service/storage/sqlite/connection.h"
#include "service/storage/sqlite/migrations.h"
#include "service/storage/sqlite/sqlite_txn.h"
#include "tests/service/storage/raw_db_test.h"

namespace opinia::storage::sqlite {
namespace {

using AlertEventsUpgradeTest = RawDbTest;

TEST_F(AlertEventsUpgradeTest, Migration6KeepsStreamPositionsAndDeliveries) {
  ASSERT_TRUE(ApplyMigrationsUpTo(*conn_, 5).ok());
  ASSERT_EQ(*SchemaVersion(*conn_), 5);
  // Schema-5 rows, as the previous binary wrote them: three alerts, k = 2,
  // a webhook that has considered alert 3, deliveries 1..3 (one delivered)
  // and deleted deliveries up to id 10.
  ASSERT_TRUE(conn_->Exec(R"sql(
INSERT INTO tenants VALUES ('t1', 'T', 'Europe/Warsaw', 0);
INSERT INTO alerts (id, tenant_id, kind, priority, review_id, rule_id,
  reasons, state, snooze_until, create_time, update_time, summary, source,
  dedup_key) VALUES
  (1, 't1', 1, 1, 0, 0, 'r', 1, 0, 1000, 1000, 'a1', 'allegro', 'k1'),
  (2, 't1', 1, 2, 0, 0, 'r', 2, 0, 2000, 2000, 'a2', 'allegro', 'k2'),
  (3, 't1', 2, 2, 0, 0, 'r', 1, 0, 3000, 3000, 'a3', '', 'spike:');
INSERT INTO alert_settings VALUES ('t1', 1, 2.0);
INSERT INTO webhooks (id, tenant_id, url, secret, priorities, kinds,
  create_time, cursor) VALUES (1, 't1', 'http://h/', 's', '', '', 0, 3);
INSERT INTO webhook_deliveries (webhook_id, tenant_id, alert_id, state,
  attempts, next_attempt_time, create_time, update_time, last_error,
  last_status) VALUES
  (1, 't1', 1, 2, 1, 0, 0, 0, '', 200),
  (1, 't1', 2, 1, 3, 0, 0, 0, 'HTTP 500', 500),
  (1, 't1', 3, 1, 0, 0, 0, 0, '', 0);
UPDATE sqlite_sequence SET seq = 10 WHERE name = 'webhook_deliveries';
)sql")
                  .ok());

  ASSERT_TRUE(ApplyMigrations(*conn_).ok());
  ASSERT_EQ(*SchemaVersion(*conn_), LatestSchemaVersion());

  Write([&](SqliteTxn& txn) -> absl::Status {
    AlertTxn& alerts = txn.alerts();
    // Every old alert has its creation event at its own id.
    auto all = alerts.ListAlertEventsAfter("t1", 0, 100);
    EXPECT_TRUE(all.ok()) << all.status();
    EXPECT_EQ(all->size(), 3u);
    for (size_t i = 0; i < all->size(); ++i) {
      const AlertEventRow& e = (*all)[i];
      EXPECT_EQ(e.id, static_cast<int64_t>(i + 1));
      EXPECT_EQ(e.alert.id, e.id);
      EXPECT_EQ(e.type, kAlertEventCreated);
      EXPECT_EQ(e.time, e.alert.create_time);
    }
    // A token issued for alert 2 resumes with alert 3 only.
    auto after2 = alerts.ListAlertEventsAfter("t1", 2, 100);
    EXPECT_EQ(after2->size(), 1u);
    EXPECT_EQ(after2->at(0).alert.summary, "a3");
    EXPECT_EQ(*alerts.MaxAlertEventId(), 3);

    // Settings: k kept, the new columns at their defaults.
    auto settings = alerts.GetAlertSettings("t1");
    EXPECT_TRUE(settings->defaults_created);
    EXPECT_EQ(settings->spike_k, 2.0);
    EXPECT_EQ(settings->spike_cooldown, absl::Hours(24));
    EXPECT_EQ(settings->sla_p1, absl::Hours(1));
    EXPECT_EQ(settings->sla_p2, absl::Hours(4));
    EXPECT_EQ(settings->sla_p3, absl::Hours(24));
    EXPECT_EQ(settings->sla_p4, absl::Hours(72));

    // Deliveries kept, now naming the creation events.
    auto deliveries = txn.webhooks().ListDeliveries(1, 0, 100);
    EXPECT_EQ(deliveries->size(), 3u);
    for (const DeliveryRow& d : *deliveries) {
      EXPECT_EQ(d.event_id, d.alert_id);
    }
    EXPECT_EQ(deliveries->at(0).state, kDeliveryDelivered);
    EXPECT_EQ(deliveries->at(1).attempts, 3);
    EXPECT_EQ(deliveries->at(1).last_error, "HTTP 500");

    // New alerts and events follow; a reopen of an old alert is an event
    // of its own and gets a delivery of its own.
    AlertRow a;
    a.tenant_id = "t1";
    a.kind = 1;
    a.priority = 1;
    a.create_time = a.update_time = absl::FromUnixSeconds(10);
    a.dedup_key = "k4";
    EXPECT_EQ(*alerts.InsertAlert(a), 4);
    auto reopen = alerts.InsertAlertEvent("t1", 2, kAlertEventReopened,
                                          absl::FromUnixSeconds(11));
    EXPECT_EQ(*reopen, 5);
    EXPECT_EQ(alerts.InsertAlertEvent("t2", 2, kAlertEventReopened,
                                      absl::FromUnixSeconds(11))
                  .status()
                  .code(),
              absl::StatusCode::kNotFound);  // not that tenant's alert
    DeliveryRow d;
    d.webhook_id = 1;
    d.tenant_id = "t1";
    d.alert_id = 2;
    d.event_id = *reopen;
    auto id = txn.webhooks().InsertDelivery(d);
    EXPECT_EQ(*id, 11);  // deleted ids 4..10 are never reused
    EXPECT_EQ(txn.webhooks().InsertDelivery(d).status().code(),
              absl::StatusCode::kAlreadyExists);
    auto event = alerts.GetAlertEvent("t1", *reopen);
    EXPECT_EQ(event->type, kAlertEventReopened);
    EXPECT_EQ(event->alert.summary, "a2");
    EXPECT_EQ(alerts.GetAlertEvent("t2", *reopen).status().code(),
              absl::StatusCode::kNotFound);
    return absl::OkStatus();
  });
}

}  // namespace
}  // namespace opinia::storage::sqlite
