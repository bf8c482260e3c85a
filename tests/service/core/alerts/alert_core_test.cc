// The alert evaluator (outbox writes inside review transactions), rules CRUD
// and the alert workflow, against a real SQLite file.
#include <atomic>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/core/alerts/alert_model.h"
#include "service/core/util/names.h"
#include "service/core/util/time_proto.h"
#include "tests/service/core/alerts/alert_test_env.h"

namespace opinia::core {
namespace {

using opinia::v1::AlertRule;
using testing::AlertCoreTest;

class AlertEvaluatorTest : public AlertCoreTest {
 protected:
  // A shop-a key overrides the review's priority.
  absl::Status OverridePriority(const std::string& name,
                                opinia::v1::Priority p) {
    opinia::v1::UpdateReviewRequest r;
    r.mutable_review()->set_name(name);
    r.mutable_review()->mutable_override()->mutable_urgency()->set_priority(p);
    r.mutable_update_mask()->add_paths("override.urgency.priority");
    return reviews_.Update(testing::Caller("shop-a", "k"), r).status();
  }
};

TEST_F(AlertEvaluatorTest, DefaultRuleAlertsOnP2NotOnP4) {
  auto names = Ingest({Input("1", 1), Input("2", 5), Input("3", 2)});
  auto all = AllAlerts();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(ReviewName(all[0].review_id), names[0]);
  EXPECT_EQ(all[0].kind, opinia::v1::NEGATIVE_REVIEW);
  EXPECT_EQ(all[0].priority, opinia::v1::P2);
  EXPECT_EQ(all[0].state, storage::kAlertOpen);
  EXPECT_EQ(all[0].source, "allegro");
  EXPECT_FALSE(all[0].summary.empty());
  // The default rule exists and is listed.
  auto rules = alerts_.ListRules(testing::Caller("shop-a"), {});
  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->rules_size(), 1);
  EXPECT_EQ(all[0].rule_id, *ParseAlertRuleName(rules->rules(0).name(), "n"));
  // The other tenant sees nothing.
  EXPECT_TRUE(AllAlerts("shop-b").empty());
}

TEST_F(AlertEvaluatorTest, DedupReingestAndEditsWithoutPriorityRise) {
  Ingest({Input("1", 1)});
  Ingest({Input("1", 1)});                      // UNCHANGED
  Ingest({Input("1", 1, "inny tekst, wciąż zły")});  // UPDATED, still P2
  EXPECT_EQ(AllAlerts().size(), 1u);
  // Even once resolved, an edit that does not raise priority stays quiet.
  auto a = AllAlerts()[0];
  ASSERT_TRUE(alerts_.Resolve(testing::Caller("shop-a", "k"), AlertName(a.id)).ok());
  Ingest({Input("1", 1, "jeszcze inny tekst")});
  EXPECT_EQ(AllAlerts().size(), 1u);
}

TEST_F(AlertEvaluatorTest, OverrideLoweringPriorityClosesTheAlert) {
  auto names = Ingest({Input("1", 1)});
  ASSERT_EQ(AllAlerts().size(), 1u);
  const absl::Status s = OverridePriority(names[0], opinia::v1::P4);
  ASSERT_TRUE(s.ok()) << s;
  auto all = AllAlerts();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, storage::kAlertResolved);
}

TEST_F(AlertEvaluatorTest, PriorityRiseReAlertsAndSupersedes) {
  auto names = Ingest({Input("1", 1)});
  const absl::Status s = OverridePriority(names[0], opinia::v1::P1);
  ASSERT_TRUE(s.ok()) << s;
  auto all = AllAlerts();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].state, storage::kAlertResolved);
  EXPECT_EQ(all[1].state, storage::kAlertOpen);
  EXPECT_EQ(all[1].priority, opinia::v1::P1);
  // Lowering back to P2 does not re-alert (the P1 alert still covers it).
  ASSERT_TRUE(OverridePriority(names[0], opinia::v1::P2).ok());
  EXPECT_EQ(AllAlerts().size(), 2u);
}

TEST_F(AlertEvaluatorTest, AcknowledgedAlertIsNotReNotifiedBelowP1) {
  auto names = Ingest({Input("1", 5)});  // P4: no alert under the default
  AlertRule rule;
  rule.set_enabled(true);
  rule.add_priorities(opinia::v1::P2);
  rule.add_priorities(opinia::v1::P3);
  rule.add_priorities(opinia::v1::P4);
  ASSERT_TRUE(alerts_.CreateRule(testing::Caller("shop-a"), rule).ok());
  auto names2 = Ingest({Input("2", 5)});
  auto all = AllAlerts();
  ASSERT_EQ(all.size(), 1u);  // review 2 via the new rule
  ASSERT_TRUE(
      alerts_.Acknowledge(testing::Caller("shop-a", "k"), AlertName(all[0].id)).ok());
  ASSERT_TRUE(OverridePriority(names2[0], opinia::v1::P3).ok());
  all = AllAlerts();
  ASSERT_EQ(all.size(), 1u);  // updated in place, no new notification
  EXPECT_EQ(all[0].priority, opinia::v1::P3);
  EXPECT_EQ(all[0].state, storage::kAlertAcknowledged);
}

// The tenant's (default) rule cools down for `seconds` after it fires.
void SetDefaultRuleCooldown(Alerts& alerts, int seconds) {
  auto rules = alerts.ListRules(testing::Caller("shop-a"), {});
  ASSERT_TRUE(rules.ok());
  opinia::v1::UpdateAlertRuleRequest update;
  update.mutable_rule()->set_name(rules->rules(0).name());
  update.mutable_rule()->set_cooldown_seconds(seconds);
  update.mutable_update_mask()->add_paths("cooldown_seconds");
  ASSERT_TRUE(alerts.UpdateRule(testing::Caller("shop-a"), update).ok());
}

TEST_F(AlertEvaluatorTest, CooldownSuppressesButNeverP1) {
  // Replace the default rule with one cooling down for an hour.
  SetDefaultRuleCooldown(alerts_, 3600);

  Ingest({Input("1", 1)});
  Ingest({Input("2", 1)});  // within cooldown: suppressed
  EXPECT_EQ(AllAlerts().size(), 1u);
  auto names = Ingest({Input("3", 1)});
  ASSERT_TRUE(OverridePriority(names[0], opinia::v1::P1).ok());
  EXPECT_EQ(AllAlerts().size(), 2u);  // P1 is never suppressed
  clock_.Advance(absl::Hours(2));
  Ingest({Input("4", 1)});
  EXPECT_EQ(AllAlerts().size(), 3u);
}

// An ingest batch goes to the evaluator in one call that loads the rules
// once: every review is still evaluated, and a rule that fires on one review
// is cooling down for the next one of the same batch.
TEST_F(AlertEvaluatorTest, OneBatchIsEvaluatedLikeSeparateCalls) {
  Ingest({Input("1", 1), Input("2", 5), Input("3", 1)});
  EXPECT_EQ(AllAlerts().size(), 2u);

  SetDefaultRuleCooldown(alerts_, 3600);
  clock_.Advance(absl::Hours(2));
  Ingest({Input("4", 1), Input("5", 1), Input("6", 1)});
  EXPECT_EQ(AllAlerts().size(), 3u);  // the first fires, the rest cool down
}

TEST_F(AlertEvaluatorTest, DeleteClosesAlerts) {
  auto names = Ingest({Input("1", 1)});
  ASSERT_TRUE(reviews_.Delete(testing::Caller("shop-a", "k"), names[0]).ok());
  auto all = AllAlerts();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, storage::kAlertResolved);
}

// Reasons are codes a program can switch on; which rule matched is prose
// for people and lives in the summary (and Alert.rule).
TEST_F(AlertEvaluatorTest, ReasonsAreCodesAndTheSummaryNamesTheRule) {
  auto names = Ingest({Input("1", 1), Input("2", 1)});
  ASSERT_TRUE(reviews_.Delete(testing::Caller("shop-a", "k"), names[0]).ok());
  ASSERT_TRUE(OverridePriority(names[1], opinia::v1::P1).ok());
  auto all = AllAlerts();
  ASSERT_EQ(all.size(), 3u);
  for (const storage::AlertRow& a : all) {
    for (const std::string& r : a.reasons) {
      EXPECT_TRUE(IsReasonCode(r)) << "alert " << a.id << ": " << r;
    }
    EXPECT_NE(a.summary.find("rule \"P1 and P2 reviews\""), std::string::npos)
        << a.summary;
  }
  EXPECT_EQ(all[0].reasons.back(), kReasonReviewDeleted);
  EXPECT_EQ(all[1].reasons.back(), kReasonSuperseded);
}

TEST(AlertModelTest, ProseReasonsOfStoredRowsAreLeftOut) {
  storage::AlertRow row;
  row.id = 1;
  row.reasons = {"STRONG_NEGATIVE", "rule \"P1 and P2 reviews\"",
                 "review deleted", "HIGH_REACH", "P2", "_X", ""};
  const opinia::v1::Alert alert = AlertFromRow(row);
  EXPECT_EQ(std::vector<std::string>(alert.reasons().begin(),
                                     alert.reasons().end()),
            (std::vector<std::string>{"STRONG_NEGATIVE", "HIGH_REACH", "P2"}));
}

TEST_F(AlertEvaluatorTest, FailingObserverRollsTheReviewBack) {
  class Failing : public ReviewObserver {
   public:
    absl::Status OnReviewChanged(storage::Txn&, const ReviewChange&) override {
      return absl::InternalError("boom");
    }
  } failing;
  Ingestor ingestor(store_.get(), &analysis_, &clock_, IngestLimits{},
                    &failing);
  std::vector<opinia::v1::ReviewInput> in = {Input("x", 1)};
  EXPECT_FALSE(ingestor.Ingest(testing::Caller("shop-a"), in).ok());
  auto count = store_->Read([](storage::Txn& txn) -> absl::Status {
    auto n = txn.CountReviews("shop-a", {});
    if (!n.ok()) return n.status();
    return *n == 0 ? absl::OkStatus() : absl::InternalError("stored");
  });
  EXPECT_TRUE(count.ok()) << count;
}

TEST_F(AlertEvaluatorTest, CommitWakesSubscribersOfTheTenantOnly) {
  struct Counter : AlertHub::Subscriber {
    std::atomic<int> wakes{0};
    void Wake() override { ++wakes; }
    void Close() override {}
  } a, b;
  hub_.Subscribe("shop-a", &a);
  hub_.Subscribe("shop-b", &b);
  Ingest({Input("1", 1)});
  EXPECT_GE(a.wakes.load(), 1);
  EXPECT_EQ(b.wakes.load(), 0);
  hub_.Unsubscribe("shop-a", &a);
  hub_.Unsubscribe("shop-b", &b);
}

class AlertRulesTest : public AlertCoreTest {};

TEST_F(AlertRulesTest, CrudIsTenantScoped) {
  AlertRule rule;
  rule.set_display_name("Delivery complaints");
  rule.set_enabled(true);
  rule.add_aspects(opinia::v1::DELIVERY);
  rule.add_labels(opinia::v1::NEGATIVE);
  auto created = alerts_.CreateRule(testing::Caller("shop-a"), rule);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->has_create_time());
  auto got = alerts_.GetRule(testing::Caller("shop-a"), created->name());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->display_name(), "Delivery complaints");
  EXPECT_EQ(alerts_.GetRule(testing::Caller("shop-b"), created->name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(alerts_.DeleteRule(testing::Caller("shop-b"), created->name()).code(),
            absl::StatusCode::kNotFound);
  auto list = alerts_.ListRules(testing::Caller("shop-a"), {});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->rules_size(), 2);  // default + ours

  opinia::v1::UpdateAlertRuleRequest update;
  update.mutable_rule()->set_name(created->name());
  update.mutable_rule()->add_keywords("kurier");
  update.mutable_update_mask()->add_paths("keywords");
  auto updated = alerts_.UpdateRule(testing::Caller("shop-a"), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->keywords_size(), 1);
  EXPECT_EQ(updated->aspects_size(), 1);  // untouched
  update.mutable_update_mask()->set_paths(0, "name");
  EXPECT_EQ(alerts_.UpdateRule(testing::Caller("shop-a"), update).status().code(),
            absl::StatusCode::kInvalidArgument);
  update.mutable_rule()->set_name("alertRules/999");
  update.mutable_update_mask()->set_paths(0, "keywords");
  EXPECT_EQ(alerts_.UpdateRule(testing::Caller("shop-a"), update).status().code(),
            absl::StatusCode::kNotFound);

  ASSERT_TRUE(alerts_.DeleteRule(testing::Caller("shop-a"), created->name()).ok());
  EXPECT_EQ(alerts_.GetRule(testing::Caller("shop-a"), created->name()).status().code(),
            absl::StatusCode::kNotFound);
  AlertRule bad;
  auto s = alerts_.CreateRule(testing::Caller("shop-a"), bad);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(AlertRulesTest, DeletedDefaultRuleIsNotRecreated) {
  auto list = alerts_.ListRules(testing::Caller("shop-a"), {});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->rules_size(), 1);
  ASSERT_TRUE(alerts_.DeleteRule(testing::Caller("shop-a"), list->rules(0).name()).ok());
  Ingest({Input("1", 1)});
  EXPECT_TRUE(AllAlerts().empty());
  EXPECT_EQ(alerts_.ListRules(testing::Caller("shop-a"), {})->rules_size(), 0);
}

class AlertWorkflowTest : public AlertCoreTest {};

TEST_F(AlertWorkflowTest, AcknowledgeResolveSnoozeAndList) {
  Ingest({Input("1", 1), Input("2", 1), Input("3", 1)});
  auto all = AllAlerts();
  ASSERT_EQ(all.size(), 3u);
  const std::string n0 = AlertName(all[0].id), n1 = AlertName(all[1].id),
                    n2 = AlertName(all[2].id);
  auto acked = alerts_.Acknowledge(testing::Caller("shop-a", "k"), n0);
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(acked->state(), opinia::v1::ACKNOWLEDGED_ALERT);
  ASSERT_TRUE(alerts_.Resolve(testing::Caller("shop-a", "k"), n1).ok());
  EXPECT_EQ(alerts_.Acknowledge(testing::Caller("shop-a", "k"), n1).status().code(),
            absl::StatusCode::kFailedPrecondition);

  opinia::v1::SnoozeAlertRequest snooze;
  snooze.set_name(n2);
  ToTimestamp(clock_.Now() - absl::Minutes(1), snooze.mutable_snooze_until());
  auto past = alerts_.Snooze(testing::Caller("shop-a", "k"), snooze);
  EXPECT_EQ(past.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(past.status().message().find("snooze_until"), std::string::npos);
  ToTimestamp(clock_.Now() + absl::Hours(1), snooze.mutable_snooze_until());
  auto snoozed = alerts_.Snooze(testing::Caller("shop-a", "k"), snooze);
  ASSERT_TRUE(snoozed.ok()) << snoozed.status();
  EXPECT_EQ(snoozed->state(), opinia::v1::SNOOZED);

  // Another tenant: NOT_FOUND, like a missing alert.
  EXPECT_EQ(alerts_.Get(testing::Caller("shop-b"), n0).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(alerts_.Resolve(testing::Caller("shop-b", "k"), n0).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(alerts_.Get(testing::Caller("shop-a"), "alerts/x").status().code(),
            absl::StatusCode::kInvalidArgument);

  // Pagination, newest first, filter by state.
  opinia::v1::ListAlertsRequest req;
  req.set_page_size(2);
  auto page1 = alerts_.List(testing::Caller("shop-a"), req);
  ASSERT_TRUE(page1.ok()) << page1.status();
  ASSERT_EQ(page1->alerts_size(), 2);
  EXPECT_EQ(page1->alerts(0).name(), n2);
  ASSERT_FALSE(page1->next_page_token().empty());
  req.set_page_token(page1->next_page_token());
  auto page2 = alerts_.List(testing::Caller("shop-a"), req);
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->alerts_size(), 1);
  EXPECT_EQ(page2->alerts(0).name(), n0);
  EXPECT_TRUE(page2->next_page_token().empty());
  opinia::v1::ListAlertsRequest resolved;
  resolved.add_states(opinia::v1::RESOLVED_ALERT);
  auto only = alerts_.List(testing::Caller("shop-a"), resolved);
  ASSERT_TRUE(only.ok());
  ASSERT_EQ(only->alerts_size(), 1);
  EXPECT_EQ(only->alerts(0).name(), n1);
  // A token replayed with other filters is refused.
  resolved.set_page_token(page1->next_page_token());
  EXPECT_EQ(alerts_.List(testing::Caller("shop-a"), resolved).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// The review view finds its review's alert: ListAlerts(review), in every
// state, scoped by the tenant; a malformed name is INVALID_ARGUMENT naming
// `review`.
TEST_F(AlertWorkflowTest, ListAlertsOfOneReview) {
  const auto names = Ingest({Input("1", 1), Input("2", 1), Input("3", 4)});
  ASSERT_EQ(names.size(), 3u);
  Ingest({Input("1", 1)}, "shop-b");
  auto of = [&](const std::string& tenant, const std::string& review) {
    opinia::v1::ListAlertsRequest req;
    req.set_review(review);
    return alerts_.List(testing::Caller(tenant), req);
  };
  auto first = of("shop-a", names[0]);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->alerts_size(), 1);
  EXPECT_EQ(first->alerts(0).review(), names[0]);
  // Still listed once resolved (the view shows what was done).
  ASSERT_TRUE(
      alerts_.Resolve(testing::Caller("shop-a", "k"), first->alerts(0).name())
          .ok());
  auto resolved = of("shop-a", names[0]);
  ASSERT_TRUE(resolved.ok());
  ASSERT_EQ(resolved->alerts_size(), 1);
  EXPECT_EQ(resolved->alerts(0).state(), opinia::v1::RESOLVED_ALERT);
  // With a state filter: the open ones of that review only.
  opinia::v1::ListAlertsRequest open;
  open.set_review(names[1]);
  open.add_states(opinia::v1::OPEN);
  auto second = alerts_.List(testing::Caller("shop-a"), open);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->alerts_size(), 1);
  EXPECT_EQ(second->alerts(0).review(), names[1]);
  // A P4 review has no alert; another tenant's review has none here.
  EXPECT_EQ(of("shop-a", names[2])->alerts_size(), 0);
  EXPECT_EQ(of("shop-b", names[0])->alerts_size(), 0);
  EXPECT_EQ(of("shop-a", "reviews/999999")->alerts_size(), 0);
  for (const char* bad : {"reviews/", "reviews/x", "reviews/0", "alerts/1",
                          "reviews/1/alerts"}) {
    auto r = of("shop-a", bad);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(r.status().message().rfind("review:", 0), 0u) << r.status();
  }
}

TEST_F(AlertWorkflowTest, ResumeTokensAreTenantBound) {
  const std::string token = alerts_.ResumeToken("shop-a", 5);
  EXPECT_EQ(*alerts_.StreamStart(testing::Caller("shop-a"),
                                    testing::ResumeFrom(token)), 5);
  for (const std::string& bad :
       {alerts_.ResumeToken("shop-b", 5), std::string("!!!"),
        std::string("AAAA")}) {
    auto s = alerts_.StreamStart(testing::Caller("shop-a"),
                                    testing::ResumeFrom(bad));
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.status().message().find("resume_token"), std::string::npos);
  }
  Ingest({Input("1", 1)});
  EXPECT_EQ(*alerts_.StreamStart(testing::Caller("shop-a"),
                                    testing::ResumeFrom("")), AllEvents().back().id);
}

}  // namespace
}  // namespace opinia::core
