// Conformance of WebhookTxn (webhook_store.h): webhooks, their cursors and
// the delivery queue.
#include <cstdint>
#include <optional>
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

WebhookRow Webhook(std::string tenant, std::string url) {
  WebhookRow w;
  w.tenant_id = std::move(tenant);
  w.url = std::move(url);
  w.secret = "secret";
  w.create_time = kT0;
  return w;
}

DeliveryRow Delivery(const WebhookRow& webhook, int64_t event_id) {
  DeliveryRow d;
  d.webhook_id = webhook.id;
  d.tenant_id = webhook.tenant_id;
  d.alert_id = event_id + 1000;
  d.event_id = event_id;
  d.next_attempt_time = kT0;
  d.create_time = kT0;
  d.update_time = kT0;
  return d;
}

void ExpectSameDelivery(const DeliveryRow& a, const DeliveryRow& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.webhook_id, b.webhook_id);
  EXPECT_EQ(a.tenant_id, b.tenant_id);
  EXPECT_EQ(a.alert_id, b.alert_id);
  EXPECT_EQ(a.event_id, b.event_id);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.attempts, b.attempts);
  EXPECT_EQ(a.next_attempt_time, b.next_attempt_time);
  EXPECT_EQ(a.create_time, b.create_time);
  EXPECT_EQ(a.update_time, b.update_time);
  EXPECT_EQ(a.last_error, b.last_error);
  EXPECT_EQ(a.last_status, b.last_status);
}

// Inserts the rows and sets their ids.
void InsertWebhooks(Store& store, const std::vector<WebhookRow*>& rows) {
  InsertEach(store, rows, [](Txn& txn, const WebhookRow& w) {
    return txn.webhooks().InsertWebhook(w);
  });
}
void InsertDeliveries(Store& store, const std::vector<DeliveryRow*>& rows) {
  InsertEach(store, rows, [](Txn& txn, const DeliveryRow& d) {
    return txn.webhooks().InsertDelivery(d);
  });
}

TEST_P(StoreConformanceTest, WebhooksInsertGetListDeleteAndCursor) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  WebhookRow w1 = Webhook("a", "https://a.example/1");
  w1.secret = std::string("k\0\xff", 3);  // kept as given
  w1.priorities = {1, 3};
  w1.kinds = {2};
  w1.cursor = 17;
  WebhookRow wb = Webhook("b", "https://b.example");
  WebhookRow w2 = Webhook("a", "https://a.example/2");
  WebhookRow w3 = Webhook("a", "https://a.example/3");
  InsertWebhooks(*store_, {&w1, &wb, &w2, &w3});
  EXPECT_GT(w1.id, 0);
  EXPECT_LT(w1.id, wb.id);
  EXPECT_LT(wb.id, w2.id);
  ASSERT_OK(store_->Write([](Txn& txn) {
    EXPECT_CODE(txn.webhooks().InsertWebhook(Webhook("nope", "u")), kNotFound);
    return absl::OkStatus();
  }));

  ASSERT_OK(store_->Read([&](Txn& txn) {
    WebhookTxn& webhooks = txn.webhooks();
    const WebhookRow got = VALUE(webhooks.GetWebhook("a", w1.id));
    EXPECT_EQ(got.id, w1.id);
    EXPECT_EQ(got.tenant_id, "a");
    EXPECT_EQ(got.url, w1.url);
    EXPECT_EQ(got.secret, w1.secret);
    EXPECT_EQ(got.priorities, w1.priorities);
    EXPECT_EQ(got.kinds, w1.kinds);
    EXPECT_EQ(got.create_time, kT0);
    EXPECT_EQ(got.cursor, 17);
    const WebhookRow any = VALUE(webhooks.GetWebhook("a", w2.id));
    EXPECT_THAT(any.priorities, IsEmpty());
    EXPECT_THAT(any.kinds, IsEmpty());
    EXPECT_CODE(webhooks.GetWebhook("b", w1.id), kNotFound);
    EXPECT_CODE(webhooks.GetWebhook("a", w3.id + 100), kNotFound);

    EXPECT_THAT(IdsOf(VALUE(webhooks.ListWebhooks("a", 0, 10))),
                ElementsAre(w1.id, w2.id, w3.id));
    EXPECT_THAT(IdsOf(VALUE(webhooks.ListWebhooks("a", w1.id, 1))),
                ElementsAre(w2.id));
    EXPECT_THAT(IdsOf(VALUE(webhooks.ListWebhooks("b", 0, 10))),
                ElementsAre(wb.id));
    EXPECT_THAT(VALUE(webhooks.ListWebhooks("c", 0, 10)), IsEmpty());
    EXPECT_EQ(VALUE(webhooks.CountWebhooks("a")), 3);
    EXPECT_EQ(VALUE(webhooks.CountWebhooks("b")), 1);
    EXPECT_EQ(VALUE(webhooks.CountWebhooks("c")), 0);
    EXPECT_THAT(IdsOf(VALUE(webhooks.ListAllWebhooks(0, 10))),
                ElementsAre(w1.id, wb.id, w2.id, w3.id));
    EXPECT_THAT(IdsOf(VALUE(webhooks.ListAllWebhooks(w1.id, 2))),
                ElementsAre(wb.id, w2.id));
    return absl::OkStatus();
  }));

  ASSERT_OK(store_->Write([&](Txn& txn) {
    EXPECT_OK(txn.webhooks().SetWebhookCursor(w2.id, 42));
    EXPECT_CODE(txn.webhooks().SetWebhookCursor(w3.id + 100, 1), kNotFound);
    EXPECT_CODE(txn.webhooks().DeleteWebhook("b", w3.id), kNotFound);
    EXPECT_CODE(txn.webhooks().DeleteWebhook("a", w3.id + 100), kNotFound);
    return txn.webhooks().DeleteWebhook("a", w3.id);
  }));
  WebhookRow w4 = Webhook("a", "https://a.example/4");
  InsertWebhooks(*store_, {&w4});
  EXPECT_GT(w4.id, w3.id);  // ids are never reused
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_EQ(VALUE(txn.webhooks().GetWebhook("a", w2.id)).cursor, 42);
    EXPECT_CODE(txn.webhooks().GetWebhook("a", w3.id), kNotFound);
    EXPECT_EQ(VALUE(txn.webhooks().CountWebhooks("a")), 3);  // w1, w2, w4
    EXPECT_THAT(IdsOf(VALUE(txn.webhooks().ListAllWebhooks(0, 10))),
                ElementsAre(w1.id, wb.id, w2.id, w4.id));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, DeliveriesInsertOncePerEventUpdateAndList) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  WebhookRow w1 = Webhook("a", "u1");
  WebhookRow w2 = Webhook("b", "u2");
  InsertWebhooks(*store_, {&w1, &w2});
  DeliveryRow d1 = Delivery(w1, 1);
  d1.state = kDeliveryPending;
  d1.attempts = 2;
  d1.next_attempt_time = kT0 + absl::Minutes(5);
  d1.update_time = kT0 + absl::Minutes(1);
  d1.last_error = "HTTP 503";
  d1.last_status = 503;
  DeliveryRow d2 = Delivery(w1, 2);
  DeliveryRow d3 = Delivery(w2, 1);  // the same event to another webhook
  DeliveryRow d4 = Delivery(w1, 3);
  InsertDeliveries(*store_, {&d1, &d2, &d3, &d4});
  EXPECT_GT(d1.id, 0);
  EXPECT_LT(d1.id, d2.id);
  ASSERT_OK(store_->Write([&](Txn& txn) {
    EXPECT_CODE(txn.webhooks().InsertDelivery(Delivery(w1, 1)),
                kAlreadyExists);
    WebhookRow gone = w1;
    gone.id = w2.id + 100;
    EXPECT_CODE(txn.webhooks().InsertDelivery(Delivery(gone, 9)), kNotFound);
    return absl::OkStatus();
  }));

  ASSERT_OK(store_->Read([&](Txn& txn) {
    WebhookTxn& webhooks = txn.webhooks();
    ExpectSameDelivery(VALUE(webhooks.GetDelivery(d1.id)), d1);
    ExpectSameDelivery(VALUE(webhooks.GetDelivery(d3.id)), d3);
    EXPECT_CODE(webhooks.GetDelivery(d4.id + 100), kNotFound);
    EXPECT_THAT(IdsOf(VALUE(webhooks.ListDeliveries(w1.id, 0, 10))),
                ElementsAre(d1.id, d2.id, d4.id));
    EXPECT_THAT(IdsOf(VALUE(webhooks.ListDeliveries(w1.id, d1.id, 1))),
                ElementsAre(d2.id));
    EXPECT_THAT(IdsOf(VALUE(webhooks.ListDeliveries(w2.id, 0, 10))),
                ElementsAre(d3.id));
    return absl::OkStatus();
  }));

  DeliveryRow want = d2;
  want.state = kDeliveryDelivered;
  want.attempts = 1;
  want.next_attempt_time = kT0 + absl::Hours(1);
  want.update_time = kT0 + absl::Hours(2);
  want.last_error = "";
  want.last_status = 204;
  DeliveryRow sent = want;  // identity columns are not replaced
  sent.webhook_id = w2.id;
  sent.tenant_id = "b";
  sent.alert_id = 1;
  sent.event_id = 99;
  sent.create_time = kT0 + absl::Hours(9);
  ASSERT_OK(store_->Write([&](Txn& txn) {
    DeliveryRow missing = sent;
    missing.id = d4.id + 100;
    EXPECT_CODE(txn.webhooks().UpdateDelivery(missing), kNotFound);
    return txn.webhooks().UpdateDelivery(sent);
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    ExpectSameDelivery(VALUE(txn.webhooks().GetDelivery(d2.id)), want);
    return absl::OkStatus();
  }));

  // Deleting a webhook deletes its deliveries, and only its.
  ASSERT_OK(store_->Write(
      [&](Txn& txn) { return txn.webhooks().DeleteWebhook("a", w1.id); }));
  ASSERT_OK(store_->Write([&](Txn& txn) {
    WebhookTxn& webhooks = txn.webhooks();
    EXPECT_CODE(webhooks.GetDelivery(d1.id), kNotFound);
    EXPECT_CODE(webhooks.UpdateDelivery(want), kNotFound);
    EXPECT_THAT(VALUE(webhooks.ListDeliveries(w1.id, 0, 10)), IsEmpty());
    EXPECT_THAT(IdsOf(VALUE(webhooks.ListDueDeliveries(kT0, 10))),
                ElementsAre(d3.id));
    ExpectSameDelivery(VALUE(webhooks.GetDelivery(d3.id)), d3);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, DueDeliveriesArePendingOnesInDueOrder) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  WebhookRow w1 = Webhook("a", "u1");
  WebhookRow w2 = Webhook("b", "u2");
  InsertWebhooks(*store_, {&w1, &w2});
  const absl::Time now = kT0 + absl::Hours(1);
  auto at = [](DeliveryRow d, absl::Time next, int32_t state) {
    d.next_attempt_time = next;
    d.state = state;
    return d;
  };
  DeliveryRow late = at(Delivery(w1, 1), now - absl::Minutes(1),
                        kDeliveryPending);
  DeliveryRow tie = at(Delivery(w2, 1), now - absl::Minutes(1),
                       kDeliveryPending);
  DeliveryRow first = at(Delivery(w1, 2), now - absl::Hours(1),
                         kDeliveryPending);
  DeliveryRow due_now = at(Delivery(w1, 3), now, kDeliveryPending);
  DeliveryRow future = at(Delivery(w1, 4), now + absl::Microseconds(1),
                          kDeliveryPending);
  DeliveryRow delivered = at(Delivery(w1, 5), kT0, kDeliveryDelivered);
  DeliveryRow dead = at(Delivery(w2, 6), kT0, kDeliveryDead);
  InsertDeliveries(*store_,
                   {&late, &tie, &first, &due_now, &future, &delivered, &dead});
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_THAT(IdsOf(VALUE(txn.webhooks().ListDueDeliveries(now, 10))),
                ElementsAre(first.id, late.id, tie.id, due_now.id));
    EXPECT_THAT(IdsOf(VALUE(txn.webhooks().ListDueDeliveries(now, 2))),
                ElementsAre(first.id, late.id));
    EXPECT_THAT(VALUE(txn.webhooks().ListDueDeliveries(kT0 - absl::Hours(1),
                                                       10)),
                IsEmpty());
    // The deliveries of webhooks being delivered to are left out, so the
    // limit reaches the other webhooks'.
    EXPECT_THAT(IdsOf(VALUE(txn.webhooks().ListDueDeliveriesExcept(
                    now, 2, {w1.id}))),
                ElementsAre(tie.id));
    EXPECT_THAT(IdsOf(VALUE(txn.webhooks().ListDueDeliveriesExcept(
                    now, 10, {w2.id, 999}))),
                ElementsAre(first.id, late.id, due_now.id));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, DeliveryStatsCountStatesAndShowTheLatest) {
  InsertTenants(*store_, {Tenant("a")});
  WebhookRow w1 = Webhook("a", "u1");
  WebhookRow w2 = Webhook("a", "u2");
  InsertWebhooks(*store_, {&w1, &w2});
  ASSERT_OK(store_->Read([&](Txn& txn) {
    const DeliveryStats none = VALUE(txn.webhooks().GetDeliveryStats(w1.id));
    EXPECT_EQ(none.pending, 0);
    EXPECT_EQ(none.retrying, 0);
    EXPECT_EQ(none.delivered, 0);
    EXPECT_EQ(none.dead, 0);
    EXPECT_EQ(none.last_finished_state, 0);
    EXPECT_EQ(none.last_error, "");
    return absl::OkStatus();
  }));
  // (state, attempts, update time in minutes, last_error)
  struct Spec {
    int32_t state;
    int32_t attempts;
    int minute;
    const char* error;
  };
  const Spec specs[] = {
      {kDeliveryPending, 0, 1, ""},
      {kDeliveryPending, 2, 7, "timeout"},      // the latest error
      {kDeliveryDead, 5, 5, "HTTP 500"},        // the latest finished
      {kDeliveryDelivered, 1, 3, ""},
      {kDeliveryDelivered, 3, 2, "HTTP 502"},
      {kDeliveryPending, 0, 9, ""},             // latest update, no error
  };
  std::vector<DeliveryRow> rows;
  int64_t event = 0;
  for (const Spec& s : specs) {
    DeliveryRow d = Delivery(w1, ++event);
    d.state = s.state;
    d.attempts = s.attempts;
    d.update_time = kT0 + absl::Minutes(s.minute);
    d.last_error = s.error;
    rows.push_back(d);
  }
  DeliveryRow other = Delivery(w2, 1);
  other.state = kDeliveryDelivered;
  other.update_time = kT0 + absl::Hours(1);
  other.last_error = "other webhook";
  std::vector<DeliveryRow*> ptrs = {&other};
  for (DeliveryRow& d : rows) ptrs.push_back(&d);
  InsertDeliveries(*store_, ptrs);
  ASSERT_OK(store_->Read([&](Txn& txn) {
    const DeliveryStats s = VALUE(txn.webhooks().GetDeliveryStats(w1.id));
    EXPECT_EQ(s.pending, 3);
    EXPECT_EQ(s.retrying, 1);
    EXPECT_EQ(s.delivered, 2);
    EXPECT_EQ(s.dead, 1);
    EXPECT_EQ(s.last_finished_state, kDeliveryDead);
    EXPECT_EQ(s.last_error, "timeout");
    return absl::OkStatus();
  }));
  // A later delivery finishes: it is the latest finished now.
  ASSERT_OK(store_->Write([&](Txn& txn) {
    DeliveryRow d = rows[0];
    d.state = kDeliveryDelivered;
    d.attempts = 1;
    d.update_time = kT0 + absl::Minutes(10);
    return txn.webhooks().UpdateDelivery(d);
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    const DeliveryStats s = VALUE(txn.webhooks().GetDeliveryStats(w1.id));
    EXPECT_EQ(s.pending, 2);
    EXPECT_EQ(s.delivered, 3);
    EXPECT_EQ(s.last_finished_state, kDeliveryDelivered);
    EXPECT_EQ(s.last_error, "timeout");
    return absl::OkStatus();
  }));
}

// Core seals a new webhook's secret once the id is known, and re-seals
// secrets under a new key: SetWebhookSecret replaces exactly those bytes.
TEST_P(StoreConformanceTest, WebhookSecretIsReplacedInItsTenantOnly) {
  InsertTenants(*store_, {Tenant("a"), Tenant("b")});
  WebhookRow w = Webhook("a", "https://a.example");
  w.cursor = 5;
  WebhookRow other = Webhook("a", "https://a.example/2");
  InsertWebhooks(*store_, {&w, &other});
  const std::string sealed("\0SB\x01\x7f\xff", 6);
  ASSERT_OK(store_->Write([&](Txn& txn) {
    EXPECT_CODE(txn.webhooks().SetWebhookSecret("b", w.id, "x"), kNotFound);
    EXPECT_CODE(txn.webhooks().SetWebhookSecret("a", other.id + 100, "x"),
                kNotFound);
    return txn.webhooks().SetWebhookSecret("a", w.id, sealed);
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    const WebhookRow got = VALUE(txn.webhooks().GetWebhook("a", w.id));
    EXPECT_EQ(got.secret, sealed);
    EXPECT_EQ(got.url, w.url);
    EXPECT_EQ(got.cursor, 5);
    EXPECT_EQ(VALUE(txn.webhooks().GetWebhook("a", other.id)).secret,
              "secret");
    EXPECT_CODE(txn.webhooks().SetWebhookSecret("a", w.id, "y"),
                kFailedPrecondition);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, WebhookWritesInsideReadFailAndChangeNothing) {
  InsertTenants(*store_, {Tenant("a")});
  WebhookRow w = Webhook("a", "u");
  InsertWebhooks(*store_, {&w});
  DeliveryRow d = Delivery(w, 1);
  InsertDeliveries(*store_, {&d});
  DeliveryRow changed = d;
  changed.state = kDeliveryDead;
  ASSERT_OK(store_->Read([&](Txn& txn) {
    WebhookTxn& webhooks = txn.webhooks();
    EXPECT_CODE(webhooks.InsertWebhook(Webhook("a", "v")),
                kFailedPrecondition);
    EXPECT_CODE(webhooks.DeleteWebhook("a", w.id), kFailedPrecondition);
    EXPECT_CODE(webhooks.SetWebhookCursor(w.id, 5), kFailedPrecondition);
    EXPECT_CODE(webhooks.InsertDelivery(Delivery(w, 2)), kFailedPrecondition);
    EXPECT_CODE(webhooks.UpdateDelivery(changed), kFailedPrecondition);
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_THAT(IdsOf(VALUE(txn.webhooks().ListAllWebhooks(0, 10))),
                ElementsAre(w.id));
    EXPECT_EQ(VALUE(txn.webhooks().GetWebhook("a", w.id)).cursor, 0);
    EXPECT_THAT(IdsOf(VALUE(txn.webhooks().ListDeliveries(w.id, 0, 10))),
                ElementsAre(d.id));
    EXPECT_EQ(VALUE(txn.webhooks().GetDelivery(d.id)).state, kDeliveryPending);
    return absl::OkStatus();
  }));
}

// The dispatcher's transaction: queue a delivery per event and advance the
// cursor, all or nothing; a duplicate is refused without spoiling the rest.
TEST_P(StoreConformanceTest, DispatchTransactionIsAllOrNothing) {
  InsertTenants(*store_, {Tenant("a")});
  WebhookRow w = Webhook("a", "u");
  InsertWebhooks(*store_, {&w});
  const absl::Status failure = absl::AbortedError("crash");
  EXPECT_EQ(store_->Write([&](Txn& txn) {
    EXPECT_OK(txn.webhooks().InsertDelivery(Delivery(w, 1)));
    EXPECT_OK(txn.webhooks().InsertDelivery(Delivery(w, 2)));
    EXPECT_OK(txn.webhooks().SetWebhookCursor(w.id, 2));
    EXPECT_OK(txn.webhooks().InsertWebhook(Webhook("a", "v")));
    return failure;
  }),
            failure);
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_EQ(VALUE(txn.webhooks().GetWebhook("a", w.id)).cursor, 0);
    EXPECT_THAT(VALUE(txn.webhooks().ListDeliveries(w.id, 0, 10)), IsEmpty());
    EXPECT_THAT(IdsOf(VALUE(txn.webhooks().ListAllWebhooks(0, 10))),
                ElementsAre(w.id));
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Write([&](Txn& txn) {
    const std::optional<int64_t> first =
        VALUE(txn.webhooks().InsertDeliveryIfAbsent(Delivery(w, 1)));
    EXPECT_TRUE(first.has_value());
    // A second delivery of the event: nothing changes, the transaction
    // goes on.
    EXPECT_EQ(VALUE(txn.webhooks().InsertDeliveryIfAbsent(Delivery(w, 1))),
              std::nullopt);
    EXPECT_OK(txn.webhooks().InsertDelivery(Delivery(w, 2)));
    return txn.webhooks().SetWebhookCursor(w.id, 2);
  }));
  // InsertDelivery of a queued event is ALREADY_EXISTS (its own Write: after
  // a failed statement only the error may be returned).
  EXPECT_CODE(store_->Write([&](Txn& txn) {
                return txn.webhooks().InsertDelivery(Delivery(w, 1)).status();
              }),
              kAlreadyExists);
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_EQ(VALUE(txn.webhooks().GetWebhook("a", w.id)).cursor, 2);
    const std::vector<DeliveryRow> rows =
        VALUE(txn.webhooks().ListDeliveries(w.id, 0, 10));
    std::vector<int64_t> events;
    for (const DeliveryRow& d : rows) events.push_back(d.event_id);
    EXPECT_THAT(events, ElementsAre(1, 2));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, WebhookListsRejectNonPositiveLimits) {
  ForEachNonPositiveLimit(*store_, [](Txn& txn, int limit) {
    WebhookTxn& webhooks = txn.webhooks();
    EXPECT_CODE(webhooks.ListWebhooks("a", 0, limit), kInvalidArgument);
    EXPECT_CODE(webhooks.ListAllWebhooks(0, limit), kInvalidArgument);
    EXPECT_CODE(webhooks.ListDueDeliveries(kT0, limit), kInvalidArgument);
    EXPECT_CODE(webhooks.ListDueDeliveriesExcept(kT0, limit, {1}),
                kInvalidArgument);
    EXPECT_CODE(webhooks.ListDeliveries(1, 0, limit), kInvalidArgument);
  });
}

}  // namespace
}  // namespace opinia::storage::conformance
