// Conformance of AlertTxn (alert_store.h): rules, alerts, the event outbox,
// settings and the scheduler's state.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "tests/service/storage/store_conformance.h"
#include "tests/service/storage/store_conformance_util.h"

namespace opinia::storage::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

AlertRuleRow Rule(std::string tenant, std::string spec) {
  AlertRuleRow r;
  r.tenant_id = std::move(tenant);
  r.spec = std::move(spec);
  r.create_time = kT0;
  r.update_time = kT0 + absl::Seconds(1);
  return r;
}

AlertRow Alert(std::string tenant, std::string dedup_key, int32_t state) {
  AlertRow a;
  a.tenant_id = std::move(tenant);
  a.kind = 1;
  a.priority = 2;
  a.state = state;
  a.create_time = kT0;
  a.update_time = kT0;
  a.summary = "summary of " + dedup_key;
  a.dedup_key = std::move(dedup_key);
  return a;
}

void ExpectSameAlert(const AlertRow& a, const AlertRow& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.tenant_id, b.tenant_id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.priority, b.priority);
  EXPECT_EQ(a.review_id, b.review_id);
  EXPECT_EQ(a.rule_id, b.rule_id);
  EXPECT_EQ(a.reasons, b.reasons);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.snooze_until, b.snooze_until);
  EXPECT_EQ(a.create_time, b.create_time);
  EXPECT_EQ(a.update_time, b.update_time);
  EXPECT_EQ(a.summary, b.summary);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.dedup_key, b.dedup_key);
}

// Inserts the alerts in one transaction; their ids, in order.
std::vector<int64_t> InsertAlerts(Store& store,
                                  const std::vector<AlertRow>& rows) {
  std::vector<int64_t> ids;
  EXPECT_OK(store.Write([&](Txn& txn) {
    for (const AlertRow& a : rows) {
      ids.push_back(VALUE(txn.alerts().InsertAlert(a)));
    }
    return absl::OkStatus();
  }));
  return ids;
}

TEST_P(StoreConformanceTest, AlertRulesInsertGetListUpdateDelete) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  AlertRuleRow r1 = Rule("a", std::string("spec\0\xff", 6));  // opaque bytes
  AlertRuleRow r2 = Rule("a", "spec-2");
  r2.last_fire_time = kT0 + absl::Hours(1);
  AlertRuleRow r3 = Rule("a", "spec-3");
  int64_t other = 0;
  ASSERT_OK(store_->Write([&](Txn& txn) {
    r1.id = VALUE(txn.alerts().InsertAlertRule(r1));
    other = VALUE(txn.alerts().InsertAlertRule(Rule("b", "other")));
    r2.id = VALUE(txn.alerts().InsertAlertRule(r2));
    r3.id = VALUE(txn.alerts().InsertAlertRule(r3));
    EXPECT_CODE(txn.alerts().InsertAlertRule(Rule("nope", "x")), kNotFound);
    return absl::OkStatus();
  }));
  EXPECT_GT(r1.id, 0);
  EXPECT_LT(r1.id, r2.id);
  EXPECT_LT(r2.id, r3.id);

  ASSERT_OK(store_->Read([&](Txn& txn) {
    const AlertRuleRow got = VALUE(txn.alerts().GetAlertRule("a", r1.id));
    EXPECT_EQ(got.id, r1.id);
    EXPECT_EQ(got.tenant_id, "a");
    EXPECT_EQ(got.spec, r1.spec);
    EXPECT_EQ(got.create_time, kT0);
    EXPECT_EQ(got.update_time, kT0 + absl::Seconds(1));
    EXPECT_EQ(got.last_fire_time, absl::InfinitePast());
    EXPECT_EQ(VALUE(txn.alerts().GetAlertRule("a", r2.id)).last_fire_time,
              r2.last_fire_time);
    EXPECT_CODE(txn.alerts().GetAlertRule("b", r1.id), kNotFound);
    EXPECT_CODE(txn.alerts().GetAlertRule("a", other), kNotFound);

    EXPECT_THAT(IdsOf(VALUE(txn.alerts().ListAlertRules("a", 0, 10))),
                ElementsAre(r1.id, r2.id, r3.id));
    EXPECT_THAT(IdsOf(VALUE(txn.alerts().ListAlertRules("a", 0, 2))),
                ElementsAre(r1.id, r2.id));
    EXPECT_THAT(IdsOf(VALUE(txn.alerts().ListAlertRules("a", r2.id, 2))),
                ElementsAre(r3.id));
    EXPECT_THAT(IdsOf(VALUE(txn.alerts().ListAlertRules("b", 0, 10))),
                ElementsAre(other));
    EXPECT_THAT(VALUE(txn.alerts().ListAlertRules("c", 0, 10)), IsEmpty());
    return absl::OkStatus();
  }));

  AlertRuleRow changed = r1;
  changed.spec = "spec-1b";
  changed.create_time = kT0 + absl::Hours(9);  // not replaced
  changed.update_time = kT0 + absl::Hours(2);
  changed.last_fire_time = kT0 + absl::Hours(3);
  ASSERT_OK(store_->Write([&](Txn& txn) {
    ExpectUpdateNotFound(changed, "b", r3.id + 100,
                         [&](const AlertRuleRow& r) {
                           return txn.alerts().UpdateAlertRule(r);
                         });
    EXPECT_OK(txn.alerts().UpdateAlertRule(changed));
    EXPECT_CODE(txn.alerts().DeleteAlertRule("b", r2.id), kNotFound);
    EXPECT_CODE(txn.alerts().DeleteAlertRule("a", r3.id + 100), kNotFound);
    return txn.alerts().DeleteAlertRule("a", r2.id);
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    const AlertRuleRow got = VALUE(txn.alerts().GetAlertRule("a", r1.id));
    EXPECT_EQ(got.spec, "spec-1b");
    EXPECT_EQ(got.create_time, kT0);
    EXPECT_EQ(got.update_time, kT0 + absl::Hours(2));
    EXPECT_EQ(got.last_fire_time, kT0 + absl::Hours(3));
    EXPECT_CODE(txn.alerts().GetAlertRule("a", r2.id), kNotFound);
    EXPECT_THAT(IdsOf(VALUE(txn.alerts().ListAlertRules("a", 0, 10))),
                ElementsAre(r1.id, r3.id));
    EXPECT_EQ(VALUE(txn.alerts().GetAlertRule("b", other)).spec, "other");
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, AlertsRoundTripAndUpdateReplacesOnlyItsFields) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  AlertRow alert = Alert("a", "review:42:rule:7", kAlertOpen);
  alert.kind = 3;
  alert.priority = 1;
  alert.review_id = 42;
  alert.rule_id = 7;
  alert.reasons = {"negative", "mentions delivery"};
  alert.snooze_until = absl::InfinitePast();
  alert.create_time = kT0 + absl::Microseconds(5);
  alert.update_time = kT0 + absl::Seconds(1);
  alert.source = "allegro";
  ASSERT_OK(store_->Write([&](Txn& txn) {
    alert.id = VALUE(txn.alerts().InsertAlert(alert));
    EXPECT_CODE(txn.alerts().InsertAlert(Alert("nope", "x", kAlertOpen)),
                kNotFound);
    return absl::OkStatus();
  }));
  EXPECT_GT(alert.id, 0);
  ASSERT_OK(store_->Read([&](Txn& txn) {
    ExpectSameAlert(VALUE(txn.alerts().GetAlert("a", alert.id)), alert);
    EXPECT_CODE(txn.alerts().GetAlert("b", alert.id), kNotFound);
    EXPECT_CODE(txn.alerts().GetAlert("a", alert.id + 1), kNotFound);
    return absl::OkStatus();
  }));

  AlertRow update = alert;
  update.state = kAlertSnoozed;
  update.priority = 4;
  update.reasons = {"one reason"};
  update.snooze_until = kT0 + absl::Hours(8);
  update.update_time = kT0 + absl::Hours(1);
  update.summary = "snoozed";
  // Not replaced by UpdateAlert:
  AlertRow sent = update;
  sent.kind = 9;
  sent.review_id = 43;
  sent.rule_id = 8;
  sent.create_time = kT0 + absl::Hours(5);
  sent.source = "other";
  sent.dedup_key = "other";
  ASSERT_OK(store_->Write([&](Txn& txn) {
    ExpectUpdateNotFound(sent, "b", alert.id + 1, [&](const AlertRow& r) {
      return txn.alerts().UpdateAlert(r);
    });
    return txn.alerts().UpdateAlert(sent);
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    ExpectSameAlert(VALUE(txn.alerts().GetAlert("a", alert.id)), update);
    return absl::OkStatus();
  }));
  // No reasons round-trip as none.
  ASSERT_OK(store_->Write([&](Txn& txn) {
    update.reasons.clear();
    return txn.alerts().UpdateAlert(update);
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_THAT(VALUE(txn.alerts().GetAlert("a", alert.id)).reasons,
                IsEmpty());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, AlertListsPageInIdOrderWithFilters) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  // (state, kind, priority) of a's alerts, b's alert in between.
  std::vector<AlertRow> rows;
  const int32_t specs[][3] = {{kAlertOpen, 1, 1},
                              {kAlertResolved, 2, 1},
                              {kAlertAcknowledged, 1, 3},
                              {kAlertSnoozed, 2, 3},
                              {kAlertOpen, 2, 4}};
  for (const auto& s : specs) {
    AlertRow a = Alert("a", absl::StrCat("k", rows.size()), s[0]);
    a.kind = s[1];
    a.priority = s[2];
    rows.push_back(a);
    if (rows.size() == 2) rows.push_back(Alert("b", "kb", kAlertOpen));
  }
  const std::vector<int64_t> all = InsertAlerts(*store_, rows);
  ASSERT_EQ(all.size(), 6u);
  const int64_t b = all[2];
  const std::vector<int64_t> ids = {all[0], all[1], all[3], all[4], all[5]};

  ASSERT_OK(store_->Read([&](Txn& txn) {
    AlertTxn& alerts = txn.alerts();
    EXPECT_THAT(IdsOf(VALUE(alerts.ListAlertsAfter("a", 0, 10))),
                ElementsAre(ids[0], ids[1], ids[2], ids[3], ids[4]));
    EXPECT_THAT(IdsOf(VALUE(alerts.ListAlertsAfter("a", ids[1], 2))),
                ElementsAre(ids[2], ids[3]));
    EXPECT_THAT(IdsOf(VALUE(alerts.ListAlertsAfter("b", 0, 10))),
                ElementsAre(b));
    EXPECT_THAT(VALUE(alerts.ListAlertsAfter("a", ids[4], 10)), IsEmpty());

    struct Case {
      const char* what;
      AlertFilter filter;
      int64_t before_id;
      int limit;
      std::vector<int64_t> want;  // newest first
    };
    const Case cases[] = {
        {"all", {}, 0, 10, {ids[4], ids[3], ids[2], ids[1], ids[0]}},
        {"limit", {}, 0, 2, {ids[4], ids[3]}},
        {"before", {}, ids[3], 2, {ids[2], ids[1]}},
        {"before the first", {}, ids[0], 10, {}},
        {"states", {{kAlertOpen, kAlertSnoozed}, {}, {}}, 0, 10,
         {ids[4], ids[3], ids[0]}},
        {"kinds", {{}, {2}, {}}, 0, 10, {ids[4], ids[3], ids[1]}},
        {"priorities", {{}, {}, {1, 4}}, 0, 10, {ids[4], ids[1], ids[0]}},
        {"anded", {{kAlertOpen}, {2}, {}}, 0, 10, {ids[4]}},
        {"anded, before", {{}, {2}, {3, 4}}, ids[4], 10, {ids[3]}},
        {"no match", {{kAlertResolved}, {1}, {}}, 0, 10, {}},
    };
    for (const Case& c : cases) {
      EXPECT_EQ(IdsOf(VALUE(alerts.ListAlerts("a", c.filter, c.before_id,
                                              c.limit))),
                c.want)
          << c.what;
    }
    EXPECT_THAT(IdsOf(VALUE(alerts.ListAlerts("b", {}, 0, 10))),
                ElementsAre(b));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, ActiveAlertsByDedupKeyAndByReview) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  auto with_review = [](AlertRow a, int64_t review_id) {
    a.review_id = review_id;
    return a;
  };
  const std::vector<int64_t> ids = InsertAlerts(
      *store_,
      {with_review(Alert("a", "sla:1", kAlertOpen), 1),
       with_review(Alert("a", "sla:1", kAlertResolved), 1),
       with_review(Alert("a", "review:1:rule:2", kAlertAcknowledged), 1),
       with_review(Alert("a", "sla:1", kAlertSnoozed), 1),
       with_review(Alert("b", "sla:1", kAlertOpen), 1),
       with_review(Alert("a", "review:2:rule:2", kAlertOpen), 2),
       Alert("a", "spike:allegro", kAlertOpen)});
  ASSERT_EQ(ids.size(), 7u);
  ASSERT_OK(store_->Read([&](Txn& txn) {
    AlertTxn& alerts = txn.alerts();
    EXPECT_THAT(IdsOf(VALUE(alerts.FindActiveAlerts("a", "sla:1"))),
                ElementsAre(ids[0], ids[3]));
    EXPECT_THAT(IdsOf(VALUE(alerts.FindActiveAlerts("b", "sla:1"))),
                ElementsAre(ids[4]));
    EXPECT_THAT(IdsOf(VALUE(alerts.FindActiveAlerts("a", "spike:allegro"))),
                ElementsAre(ids[6]));
    EXPECT_THAT(VALUE(alerts.FindActiveAlerts("a", "sla:")), IsEmpty());
    EXPECT_THAT(VALUE(alerts.FindActiveAlerts("c", "sla:1")), IsEmpty());

    EXPECT_THAT(IdsOf(VALUE(alerts.ActiveAlertsOfReview("a", 1))),
                ElementsAre(ids[0], ids[2], ids[3]));
    EXPECT_THAT(IdsOf(VALUE(alerts.ActiveAlertsOfReview("a", 2))),
                ElementsAre(ids[5]));
    EXPECT_THAT(IdsOf(VALUE(alerts.ActiveAlertsOfReview("b", 1))),
                ElementsAre(ids[4]));
    EXPECT_THAT(VALUE(alerts.ActiveAlertsOfReview("b", 2)), IsEmpty());
    return absl::OkStatus();
  }));
  // Resolving takes an alert out of both.
  ASSERT_OK(store_->Write([&](Txn& txn) {
    AlertRow row = VALUE(txn.alerts().GetAlert("a", ids[0]));
    row.state = kAlertResolved;
    return txn.alerts().UpdateAlert(row);
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_THAT(IdsOf(VALUE(txn.alerts().FindActiveAlerts("a", "sla:1"))),
                ElementsAre(ids[3]));
    EXPECT_THAT(IdsOf(VALUE(txn.alerts().ActiveAlertsOfReview("a", 1))),
                ElementsAre(ids[2], ids[3]));
    return absl::OkStatus();
  }));
}

// ListAlerts with review_id: the alerts of that review in the tenant, in
// every state, with the other filters and paging (the review view).
TEST_P(StoreConformanceTest, AlertListOfOneReviewWithFiltersAndPaging) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  auto of = [](AlertRow a, int64_t review_id, int32_t kind) {
    a.review_id = review_id;
    a.kind = kind;
    return a;
  };
  const std::vector<int64_t> ids = InsertAlerts(
      *store_, {of(Alert("a", "review:7:rule:1", kAlertOpen), 7, 1),
                of(Alert("a", "review:8:rule:1", kAlertOpen), 8, 1),
                of(Alert("a", "sla:7", kAlertResolved), 7, 3),
                // Another tenant's row naming the same review id.
                of(Alert("b", "sla:7", kAlertOpen), 7, 3),
                Alert("a", "spike:allegro", kAlertOpen),
                of(Alert("a", "sla:7", kAlertSnoozed), 7, 3)});
  ASSERT_EQ(ids.size(), 6u);
  auto review = [](int64_t id, std::vector<int32_t> states = {},
                   std::vector<int32_t> kinds = {}) {
    AlertFilter f;
    f.states = std::move(states);
    f.kinds = std::move(kinds);
    f.review_id = id;
    return f;
  };
  ASSERT_OK(store_->Read([&](Txn& txn) {
    AlertTxn& alerts = txn.alerts();
    EXPECT_THAT(IdsOf(VALUE(alerts.ListAlerts("a", review(7), 0, 10))),
                ElementsAre(ids[5], ids[2], ids[0]));
    EXPECT_THAT(IdsOf(VALUE(alerts.ListAlerts("a", review(8), 0, 10))),
                ElementsAre(ids[1]));
    EXPECT_THAT(IdsOf(VALUE(alerts.ListAlerts("b", review(7), 0, 10))),
                ElementsAre(ids[3]));
    EXPECT_THAT(VALUE(alerts.ListAlerts("b", review(8), 0, 10)), IsEmpty());
    EXPECT_THAT(VALUE(alerts.ListAlerts("a", review(9), 0, 10)), IsEmpty());
    EXPECT_THAT(IdsOf(VALUE(alerts.ListAlerts(
                    "a", review(7, {kAlertOpen, kAlertSnoozed}), 0, 10))),
                ElementsAre(ids[5], ids[0]));
    EXPECT_THAT(IdsOf(VALUE(alerts.ListAlerts("a", review(7, {}, {3}), 0,
                                              10))),
                ElementsAre(ids[5], ids[2]));
    // Pages: newest first, strictly before the last id seen.
    EXPECT_THAT(IdsOf(VALUE(alerts.ListAlerts("a", review(7), 0, 2))),
                ElementsAre(ids[5], ids[2]));
    EXPECT_THAT(IdsOf(VALUE(alerts.ListAlerts("a", review(7), ids[2], 2))),
                ElementsAre(ids[0]));
    // review_id 0: no review condition (every alert of the tenant).
    EXPECT_EQ(VALUE(alerts.ListAlerts("a", review(0), 0, 10)).size(), 5u);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, AlertEventsAreAnOutboxInCommitOrder) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  ASSERT_OK(store_->Read([](Txn& txn) {
    EXPECT_EQ(VALUE(txn.alerts().MaxAlertId()), 0);
    EXPECT_EQ(VALUE(txn.alerts().MaxAlertEventId()), 0);
    EXPECT_THAT(VALUE(txn.alerts().ListAlertEventsAfter("a", 0, 10)),
                IsEmpty());
    return absl::OkStatus();
  }));
  AlertRow a1 = Alert("a", "x", kAlertOpen);
  a1.create_time = kT0 + absl::Minutes(1);
  const std::vector<int64_t> first =
      InsertAlerts(*store_, {a1, Alert("b", "y", kAlertOpen)});
  ASSERT_EQ(first.size(), 2u);
  a1.id = first[0];
  int64_t reopened = 0;
  int64_t a2 = 0;
  ASSERT_OK(store_->Write([&](Txn& txn) {
    AlertRow snoozed = a1;
    snoozed.state = kAlertSnoozed;
    snoozed.summary = "snoozed";
    EXPECT_OK(txn.alerts().UpdateAlert(snoozed));
    reopened = VALUE(txn.alerts().InsertAlertEvent(
        "a", a1.id, kAlertEventReopened, kT0 + absl::Hours(1)));
    EXPECT_CODE(txn.alerts().InsertAlertEvent("b", a1.id, kAlertEventReopened,
                                              kT0),
                kNotFound);
    EXPECT_CODE(txn.alerts().InsertAlertEvent("a", first[1] + 100,
                                              kAlertEventReopened, kT0),
                kNotFound);
    a2 = VALUE(txn.alerts().InsertAlert(Alert("a", "z", kAlertOpen)));
    return absl::OkStatus();
  }));

  ASSERT_OK(store_->Read([&](Txn& txn) {
    AlertTxn& alerts = txn.alerts();
    const std::vector<AlertEventRow> events =
        VALUE(alerts.ListAlertEventsAfter("a", 0, 10));
    EXPECT_EQ(events.size(), 3u);
    if (events.size() != 3) return absl::OkStatus();
    // Created (time = create_time), reopened, created; ids ascending.
    EXPECT_EQ(events[0].type, kAlertEventCreated);
    EXPECT_EQ(events[0].time, a1.create_time);
    EXPECT_EQ(events[0].alert.id, a1.id);
    EXPECT_EQ(events[1].id, reopened);
    EXPECT_EQ(events[1].type, kAlertEventReopened);
    EXPECT_EQ(events[1].time, kT0 + absl::Hours(1));
    EXPECT_EQ(events[2].type, kAlertEventCreated);
    EXPECT_EQ(events[2].alert.id, a2);
    EXPECT_LT(events[0].id, events[1].id);
    EXPECT_LT(events[1].id, events[2].id);
    // Every event carries the alert as it is now.
    for (const AlertEventRow& e : events) {
      if (e.alert.id == a1.id) {
        EXPECT_EQ(e.alert.state, kAlertSnoozed);
        EXPECT_EQ(e.alert.summary, "snoozed");
        EXPECT_EQ(e.alert.tenant_id, "a");
      }
    }
    EXPECT_THAT(IdsOf(VALUE(alerts.ListAlertEventsAfter("a", events[0].id, 1))),
                ElementsAre(reopened));
    EXPECT_THAT(VALUE(alerts.ListAlertEventsAfter("a", events[2].id, 10)),
                IsEmpty());
    const std::vector<AlertEventRow> b =
        VALUE(alerts.ListAlertEventsAfter("b", 0, 10));
    EXPECT_EQ(b.size(), 1u);
    if (b.size() != 1) return absl::OkStatus();
    EXPECT_EQ(b[0].alert.id, first[1]);

    const AlertEventRow got = VALUE(alerts.GetAlertEvent("a", reopened));
    EXPECT_EQ(got.id, reopened);
    EXPECT_EQ(got.type, kAlertEventReopened);
    EXPECT_EQ(got.alert.id, a1.id);
    EXPECT_CODE(alerts.GetAlertEvent("b", reopened), kNotFound);
    EXPECT_CODE(alerts.GetAlertEvent("a", events[2].id + 100), kNotFound);

    // Of any tenant.
    EXPECT_EQ(VALUE(alerts.MaxAlertId()), a2);
    EXPECT_EQ(VALUE(alerts.MaxAlertEventId()), events[2].id);
    EXPECT_GT(events[2].id, b[0].id);
    return absl::OkStatus();
  }));
}

void ExpectSameSettings(const AlertSettingsRow& got,
                        const AlertSettingsRow& want) {
  EXPECT_EQ(got.tenant_id, want.tenant_id);
  EXPECT_EQ(got.defaults_created, want.defaults_created);
  EXPECT_EQ(got.spike_k, want.spike_k);
  EXPECT_EQ(got.spike_cooldown, want.spike_cooldown);
  EXPECT_EQ(got.sla_p1, want.sla_p1);
  EXPECT_EQ(got.sla_p2, want.sla_p2);
  EXPECT_EQ(got.sla_p3, want.sla_p3);
  EXPECT_EQ(got.sla_p4, want.sla_p4);
}

TEST_P(StoreConformanceTest, AlertSettingsDefaultAndUpsert) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  AlertSettingsRow defaults_b;
  defaults_b.tenant_id = "b";
  auto expect_settings = [&](const AlertSettingsRow& want_a) {
    ASSERT_OK(store_->Read([&](Txn& txn) {
      ExpectSameSettings(VALUE(txn.alerts().GetAlertSettings("a")), want_a);
      ExpectSameSettings(VALUE(txn.alerts().GetAlertSettings("b")),
                         defaults_b);
      return absl::OkStatus();
    }));
  };
  AlertSettingsRow row;
  row.tenant_id = "a";
  expect_settings(row);  // the defaults

  row.defaults_created = true;
  row.spike_k = 2.5;
  row.spike_cooldown = absl::Minutes(30);
  row.sla_p1 = absl::Minutes(15);
  row.sla_p2 = absl::Hours(2);
  row.sla_p3 = absl::Hours(12) + absl::Microseconds(1);
  row.sla_p4 = absl::Hours(48);
  ASSERT_OK(store_->Write([&](Txn& txn) {
    EXPECT_OK(txn.alerts().PutAlertSettings(row));
    AlertSettingsRow missing = row;
    missing.tenant_id = "nope";
    EXPECT_CODE(txn.alerts().PutAlertSettings(missing), kNotFound);
    return absl::OkStatus();
  }));
  expect_settings(row);
  row.spike_k = 4;
  row.sla_p2 = absl::Hours(3);
  row.defaults_created = false;
  ASSERT_OK(
      store_->Write([&](Txn& txn) { return txn.alerts().PutAlertSettings(row); }));
  expect_settings(row);
}

TEST_P(StoreConformanceTest, SlaCandidatesAreDueUnansweredReviewsWithoutSla) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  const absl::Time now = kT0 + absl::Hours(10);
  struct Spec {
    const char* name;
    absl::Time respond_by;
    int32_t status;
    bool deleted;
  };
  // Candidates: due, status NEW (1) or ACKNOWLEDGED (2), not deleted.
  const Spec specs[] = {
      {"due", now - absl::Hours(1), 1, false},
      {"due-now", now, 2, false},
      {"early", now - absl::Hours(2), 1, false},
      {"future", now + absl::Microseconds(1), 1, false},
      {"no-deadline", absl::InfinitePast(), 1, false},
      {"responded", now - absl::Hours(1), 3, false},
      {"deleted", now - absl::Hours(1), 1, true},
      {"has-sla", now - absl::Hours(1), 1, false},
      {"resolved-sla", now - absl::Hours(1), 2, false},
  };
  std::map<std::string, int64_t> id;
  int64_t b_id = 0;
  ASSERT_OK(store_->Write([&](Txn& txn) {
    for (const Spec& s : specs) {
      ReviewRow r = Review("a", s.name, kT0);
      r.respond_by = s.respond_by;
      r.status = s.status;
      r.deleted = s.deleted;
      r.priority = 2;
      r.source = std::string("src-") + s.name;
      id[s.name] = VALUE(txn.InsertReview(r));
    }
    ReviewRow r = Review("b", "due", kT0);
    r.respond_by = now - absl::Hours(1);
    b_id = VALUE(txn.InsertReview(r));
    // An SLA alert in any state ends candidacy; one of another tenant with
    // the same key does not.
    const std::string key = absl::StrCat("sla:", id["has-sla"]);
    EXPECT_OK(txn.alerts().InsertAlert(Alert("a", key, kAlertOpen)));
    EXPECT_OK(txn.alerts().InsertAlert(Alert(
        "a", absl::StrCat("sla:", id["resolved-sla"]), kAlertResolved)));
    EXPECT_OK(txn.alerts().InsertAlert(
        Alert("b", absl::StrCat("sla:", id["due"]), kAlertOpen)));
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    const std::vector<SlaCandidate> got =
        VALUE(txn.alerts().ListSlaCandidates("a", now, 10));
    std::vector<int64_t> ids;
    for (const SlaCandidate& c : got) ids.push_back(c.review_id);
    // Ordered by deadline.
    EXPECT_THAT(ids, ElementsAre(id["early"], id["due"], id["due-now"]));
    if (got.size() == 3) {
      EXPECT_EQ(got[0].priority, 2);
      EXPECT_EQ(got[0].source, "src-early");
      EXPECT_EQ(got[0].respond_by, now - absl::Hours(2));
    }
    EXPECT_EQ(VALUE(txn.alerts().ListSlaCandidates("a", now, 1)).size(), 1u);
    const std::vector<SlaCandidate> b =
        VALUE(txn.alerts().ListSlaCandidates("b", now, 10));
    EXPECT_EQ(b.size(), 1u);
    if (!b.empty()) {
      EXPECT_EQ(b[0].review_id, b_id);
    }
    EXPECT_THAT(VALUE(txn.alerts().ListSlaCandidates(
                    "a", now - absl::Hours(3), 10)),
                IsEmpty());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, CountReviewsBySourceCountsOneLabelInRange) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  struct Spec {
    const char* source;
    int32_t label;
    int hour;
    bool deleted;
  };
  const Spec specs[] = {
      {"google", 1, 0, false},  {"google", 1, 1, false},
      {"allegro", 1, 1, false}, {"allegro", 3, 1, false},
      {"google", 1, 2, false},  // at end: excluded
      {"google", 1, -1, false},  // before start
      {"google", 1, 1, true},   // deleted
  };
  ASSERT_OK(store_->Write([&](Txn& txn) {
    int n = 0;
    for (const Spec& s : specs) {
      ReviewRow r = Review("a", absl::StrCat("r", n++),
                           kT0 + absl::Hours(s.hour));
      r.source = s.source;
      r.label = s.label;
      r.deleted = s.deleted;
      EXPECT_OK(txn.InsertReview(r));
    }
    ReviewRow other = Review("b", "r", kT0);
    other.label = 1;
    return txn.InsertReview(other).status();
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_THAT(VALUE(txn.alerts().CountReviewsBySource(
                    "a", 1, kT0, kT0 + absl::Hours(2))),
                UnorderedElementsAre(Pair("google", 2), Pair("allegro", 1)));
    EXPECT_THAT(VALUE(txn.alerts().CountReviewsBySource(
                    "a", 3, kT0, kT0 + absl::Hours(2))),
                ElementsAre(Pair("allegro", 1)));
    EXPECT_THAT(VALUE(txn.alerts().CountReviewsBySource(
                    "b", 1, kT0, kT0 + absl::Hours(2))),
                ElementsAre(Pair("google", 1)));
    EXPECT_THAT(VALUE(txn.alerts().CountReviewsBySource(
                    "a", 2, kT0, kT0 + absl::Hours(2))),
                IsEmpty());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, SpikeFiredTimesPerTenantAndScope) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  ASSERT_OK(store_->Read([](Txn& txn) {
    EXPECT_EQ(VALUE(txn.alerts().GetSpikeFired("a", "")),
              absl::InfinitePast());
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Write([](Txn& txn) {
    EXPECT_OK(txn.alerts().SetSpikeFired("a", "", kT0));
    EXPECT_OK(txn.alerts().SetSpikeFired("a", "allegro", kT0 + absl::Hours(1)));
    return txn.alerts().SetSpikeFired("a", "", kT0 + absl::Hours(2));
  }));
  ASSERT_OK(store_->Read([](Txn& txn) {
    EXPECT_EQ(VALUE(txn.alerts().GetSpikeFired("a", "")),
              kT0 + absl::Hours(2));
    EXPECT_EQ(VALUE(txn.alerts().GetSpikeFired("a", "allegro")),
              kT0 + absl::Hours(1));
    EXPECT_EQ(VALUE(txn.alerts().GetSpikeFired("a", "google")),
              absl::InfinitePast());
    EXPECT_EQ(VALUE(txn.alerts().GetSpikeFired("b", "")),
              absl::InfinitePast());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, AlertWritesInsideReadFailAndChangeNothing) {
  InsertTenants(*store_, {Tenant("a")});
  const std::vector<int64_t> ids =
      InsertAlerts(*store_, {Alert("a", "x", kAlertOpen)});
  ASSERT_EQ(ids.size(), 1u);
  int64_t rule = 0;
  ASSERT_OK(store_->Write([&](Txn& txn) {
    rule = VALUE(txn.alerts().InsertAlertRule(Rule("a", "spec")));
    return absl::OkStatus();
  }));
  AlertRow alert = Alert("a", "x", kAlertResolved);
  alert.id = ids[0];
  AlertRuleRow rule_row = Rule("a", "changed");
  rule_row.id = rule;
  AlertSettingsRow settings;
  settings.tenant_id = "a";
  settings.spike_k = 9;
  ASSERT_OK(store_->Read([&](Txn& txn) {
    AlertTxn& alerts = txn.alerts();
    EXPECT_CODE(alerts.InsertAlertRule(Rule("a", "s")), kFailedPrecondition);
    EXPECT_CODE(alerts.UpdateAlertRule(rule_row), kFailedPrecondition);
    EXPECT_CODE(alerts.DeleteAlertRule("a", rule), kFailedPrecondition);
    EXPECT_CODE(alerts.InsertAlert(Alert("a", "y", kAlertOpen)),
                kFailedPrecondition);
    EXPECT_CODE(alerts.UpdateAlert(alert), kFailedPrecondition);
    EXPECT_CODE(alerts.InsertAlertEvent("a", ids[0], kAlertEventReopened, kT0),
                kFailedPrecondition);
    EXPECT_CODE(alerts.PutAlertSettings(settings), kFailedPrecondition);
    EXPECT_CODE(alerts.SetSpikeFired("a", "", kT0), kFailedPrecondition);
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    AlertTxn& alerts = txn.alerts();
    EXPECT_EQ(VALUE(alerts.GetAlertRule("a", rule)).spec, "spec");
    EXPECT_EQ(VALUE(alerts.GetAlert("a", ids[0])).state, kAlertOpen);
    EXPECT_EQ(VALUE(alerts.MaxAlertId()), ids[0]);
    EXPECT_EQ(VALUE(alerts.ListAlertEventsAfter("a", 0, 10)).size(), 1u);
    EXPECT_EQ(VALUE(alerts.GetAlertSettings("a")).spike_k,
              AlertSettingsRow().spike_k);
    EXPECT_EQ(VALUE(alerts.GetSpikeFired("a", "")), absl::InfinitePast());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, FailedWriteLeavesNoAlertState) {
  InsertTenants(*store_, {Tenant("a")});
  const absl::Status failure = absl::AbortedError("no");
  EXPECT_EQ(store_->Write([&](Txn& txn) {
    AlertTxn& alerts = txn.alerts();
    const int64_t alert = VALUE(alerts.InsertAlert(Alert("a", "x", kAlertOpen)));
    EXPECT_OK(alerts.InsertAlertEvent("a", alert, kAlertEventReopened, kT0));
    EXPECT_OK(alerts.InsertAlertRule(Rule("a", "spec")));
    AlertSettingsRow settings;
    settings.tenant_id = "a";
    settings.spike_k = 9;
    EXPECT_OK(alerts.PutAlertSettings(settings));
    EXPECT_OK(alerts.SetSpikeFired("a", "", kT0));
    return failure;
  }),
            failure);
  ASSERT_OK(store_->Read([](Txn& txn) {
    AlertTxn& alerts = txn.alerts();
    EXPECT_EQ(VALUE(alerts.MaxAlertId()), 0);
    EXPECT_EQ(VALUE(alerts.MaxAlertEventId()), 0);
    EXPECT_THAT(VALUE(alerts.ListAlertRules("a", 0, 10)), IsEmpty());
    EXPECT_EQ(VALUE(alerts.GetAlertSettings("a")).spike_k,
              AlertSettingsRow().spike_k);
    EXPECT_EQ(VALUE(alerts.GetSpikeFired("a", "")), absl::InfinitePast());
    return absl::OkStatus();
  }));
  // A failed call inside a successful Write changes nothing either.
  ASSERT_OK(store_->Write([](Txn& txn) {
    EXPECT_CODE(txn.alerts().InsertAlert(Alert("nope", "x", kAlertOpen)),
                kNotFound);
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Read([](Txn& txn) {
    EXPECT_EQ(VALUE(txn.alerts().MaxAlertEventId()), 0);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, AlertListsRejectNonPositiveLimits) {
  ForEachNonPositiveLimit(*store_, [](Txn& txn, int limit) {
    AlertTxn& alerts = txn.alerts();
    EXPECT_CODE(alerts.ListAlertRules("a", 0, limit), kInvalidArgument);
    EXPECT_CODE(alerts.ListAlertsAfter("a", 0, limit), kInvalidArgument);
    EXPECT_CODE(alerts.ListAlerts("a", {}, 0, limit), kInvalidArgument);
    EXPECT_CODE(alerts.ListAlertEventsAfter("a", 0, limit), kInvalidArgument);
    EXPECT_CODE(alerts.ListSlaCandidates("a", kT0, limit), kInvalidArgument);
  });
}

}  // namespace
}  // namespace opinia::storage::conformance
