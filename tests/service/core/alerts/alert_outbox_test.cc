// The outbox filter and paging shared by StreamAlerts and the webhook
// dispatcher: the filter table, then pages over a real SQLite store.
#include "service/core/alerts/alert_outbox.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "opinia/v1/alerts.pb.h"
#include "opinia/v1/common.pb.h"
#include "tests/service/core/alerts/alert_test_env.h"

namespace opinia::core {
namespace {

using opinia::v1::NEGATIVE_REVIEW;
using opinia::v1::P1;
using opinia::v1::P2;
using opinia::v1::P4;
using opinia::v1::SLA_BREACH;
using opinia::v1::VOLUME_SPIKE;

storage::AlertRow Alert(int32_t priority, int32_t kind, std::string source) {
  storage::AlertRow a;
  a.tenant_id = "shop-a";
  a.priority = priority;
  a.kind = kind;
  a.source = std::move(source);
  a.state = storage::kAlertOpen;
  a.summary = "s";
  return a;
}

TEST(SubscriberWantsTest, FilterTable) {
  const storage::AlertRow alert = Alert(P2, NEGATIVE_REVIEW, "allegro");
  struct Case {
    const char* name;
    SubscriberFilter filter;
    bool wants;
  };
  const Case cases[] = {
      {"empty filter: all", {}, true},
      {"priority listed", {{P1, P2}, {}, {}}, true},
      {"priority not listed", {{P1, P4}, {}, {}}, false},
      {"kind listed", {{}, {NEGATIVE_REVIEW}, {}}, true},
      {"kind not listed", {{}, {SLA_BREACH, VOLUME_SPIKE}, {}}, false},
      {"source listed", {{}, {}, {"ceneo", "allegro"}}, true},
      {"source not listed", {{}, {}, {"ceneo"}}, false},
      {"overall scope is not a source", {{}, {}, {""}}, false},
      {"all three listed", {{P2}, {NEGATIVE_REVIEW}, {"allegro"}}, true},
      {"priority and kind, wrong source",
       {{P2}, {NEGATIVE_REVIEW}, {"ceneo"}}, false},
      {"priority and source, wrong kind", {{P2}, {SLA_BREACH}, {"allegro"}},
       false},
      {"kind and source, wrong priority",
       {{P1}, {NEGATIVE_REVIEW}, {"allegro"}}, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(SubscriberWants(c.filter, alert), c.wants) << c.name;
  }
  // Sources match exactly, also the overall scope "".
  EXPECT_TRUE(SubscriberWants({{}, {}, {""}}, Alert(P2, VOLUME_SPIKE, "")));
  EXPECT_FALSE(
      SubscriberWants({{}, {}, {"Allegro"}}, Alert(P2, VOLUME_SPIKE, "allegro")));
}

// shop-a and shop-b in a real SQLite store.
class ReadOutboxTest : public testing::AlertCoreTest {
 protected:
  // Inserts the alerts in order; returns their created events' ids.
  std::vector<int64_t> Insert(const std::vector<storage::AlertRow>& alerts) {
    std::vector<int64_t> ids;
    EXPECT_TRUE(store_->Write([&](storage::Txn& txn) -> absl::Status {
                        for (const storage::AlertRow& a : alerts) {
                          auto id = txn.alerts().InsertAlert(a);
                          if (!id.ok()) return id.status();
                          auto event = txn.alerts().MaxAlertEventId();
                          if (!event.ok()) return event.status();
                          ids.push_back(*event);
                        }
                        return absl::OkStatus();
                      }).ok());
    return ids;
  }

  OutboxPage Read(int64_t after, const SubscriberFilter& filter, int limit,
                  const std::string& tenant = "shop-a") {
    OutboxPage page;
    EXPECT_TRUE(store_->Read([&](storage::Txn& txn) -> absl::Status {
                        auto p = ReadOutbox(txn.alerts(), tenant, after,
                                            filter, limit);
                        if (!p.ok()) return p.status();
                        page = *std::move(p);
                        return absl::OkStatus();
                      }).ok());
    return page;
  }

  static std::vector<int64_t> Ids(const OutboxPage& page) {
    std::vector<int64_t> ids;
    for (const auto& e : page.events) ids.push_back(e.id);
    return ids;
  }
};

TEST_F(ReadOutboxTest, EmptyFilterReadsEveryEventOfTheTenantInOrder) {
  storage::AlertRow other = Alert(P1, NEGATIVE_REVIEW, "allegro");
  other.tenant_id = "shop-b";
  const auto ids = Insert({Alert(P1, NEGATIVE_REVIEW, "allegro"), other,
                           Alert(P4, SLA_BREACH, "ceneo")});
  const OutboxPage page = Read(0, {}, 10);
  EXPECT_EQ(Ids(page), (std::vector<int64_t>{ids[0], ids[2]}));
  EXPECT_EQ(page.next_position, ids[2]);
  EXPECT_FALSE(page.more);
}

TEST_F(ReadOutboxTest, PagingMovesPastFilteredOutEvents) {
  const SubscriberFilter p1_only{{P1}, {}, {}};
  const auto ids = Insert({
      Alert(P4, NEGATIVE_REVIEW, "allegro"),  // filtered out
      Alert(P4, NEGATIVE_REVIEW, "allegro"),  // filtered out
      Alert(P1, NEGATIVE_REVIEW, "allegro"),
      Alert(P4, SLA_BREACH, "ceneo"),  // filtered out
      Alert(P1, VOLUME_SPIKE, ""),
  });

  // A full page of filtered-out events: nothing kept, the position moves.
  OutboxPage page = Read(0, p1_only, 2);
  EXPECT_TRUE(page.events.empty());
  EXPECT_EQ(page.next_position, ids[1]);
  EXPECT_TRUE(page.more);

  page = Read(page.next_position, p1_only, 2);
  EXPECT_EQ(Ids(page), (std::vector<int64_t>{ids[2]}));
  EXPECT_EQ(page.next_position, ids[3]);
  EXPECT_TRUE(page.more);

  page = Read(page.next_position, p1_only, 2);
  EXPECT_EQ(Ids(page), (std::vector<int64_t>{ids[4]}));
  EXPECT_EQ(page.next_position, ids[4]);
  EXPECT_FALSE(page.more);

  // Nothing after the end: the position stays.
  page = Read(page.next_position, p1_only, 2);
  EXPECT_TRUE(page.events.empty());
  EXPECT_EQ(page.next_position, ids[4]);
  EXPECT_FALSE(page.more);
}

TEST_F(ReadOutboxTest, InvalidLimitIsTheStoresError) {
  absl::Status status = store_->Read([&](storage::Txn& txn) {
    return ReadOutbox(txn.alerts(), "shop-a", 0, {}, 0).status();
  });
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
}

}  // namespace
}  // namespace opinia::core
