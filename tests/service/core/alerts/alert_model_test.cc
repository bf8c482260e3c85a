// Rule validation (errors name the field) and matching, table-driven.
#include "service/core/alerts/alert_model.h"

#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace opinia::core {
namespace {

using opinia::v1::AlertRule;

storage::ReviewRow Row() {
  storage::ReviewRow r;
  r.id = 7;
  r.tenant_id = "shop-a";
  r.source = "allegro";
  r.subject_id = "seller-1";
  r.language = "pl";
  r.rating = 1;
  r.label = opinia::v1::NEGATIVE;
  r.score = -0.8f;
  r.priority = opinia::v1::P2;
  r.search_text = "Paczka przyszła ZNISZCZONA, żądam zwrotu";
  return r;
}

TEST(AlertRuleMatchTest, Table) {
  opinia::v1::Analysis analysis;
  analysis.add_aspects()->set_aspect(opinia::v1::DELIVERY);
  struct Case {
    const char* name;
    std::function<void(AlertRule&)> rule;
    bool want;
  } cases[] = {
      {"priority in list", [](AlertRule& r) { r.add_priorities(opinia::v1::P2); }, true},
      {"priority not in list", [](AlertRule& r) { r.add_priorities(opinia::v1::P1); }, false},
      {"label", [](AlertRule& r) { r.add_labels(opinia::v1::NEGATIVE); }, true},
      {"other label", [](AlertRule& r) { r.add_labels(opinia::v1::POSITIVE); }, false},
      {"score at most", [](AlertRule& r) { r.set_has_max_sentiment_score(true); r.set_max_sentiment_score(-0.5f); }, true},
      {"score above max", [](AlertRule& r) { r.set_has_max_sentiment_score(true); r.set_max_sentiment_score(-0.9f); }, false},
      {"rating at most", [](AlertRule& r) { r.set_max_rating(2); }, true},
      {"aspect", [](AlertRule& r) { r.add_aspects(opinia::v1::DELIVERY); }, true},
      {"other aspect", [](AlertRule& r) { r.add_aspects(opinia::v1::PRICE); }, false},
      {"keyword case-insensitive", [](AlertRule& r) { r.add_keywords("zniszczona"); }, true},
      {"keyword Polish capitals", [](AlertRule& r) { r.add_keywords("ŻĄDAM"); }, true},
      {"keyword absent", [](AlertRule& r) { r.add_keywords("oszustwo"); }, false},
      {"source", [](AlertRule& r) { r.add_priorities(opinia::v1::P2); r.add_sources("allegro"); }, true},
      {"other source", [](AlertRule& r) { r.add_priorities(opinia::v1::P2); r.add_sources("google"); }, false},
      {"language", [](AlertRule& r) { r.add_priorities(opinia::v1::P2); r.add_languages("de"); }, false},
      {"subject", [](AlertRule& r) { r.add_priorities(opinia::v1::P2); r.add_subject_ids("seller-1"); }, true},
      {"all conditions ANDed", [](AlertRule& r) { r.add_priorities(opinia::v1::P2); r.add_keywords("nothing"); }, false},
      {"disabled", [](AlertRule& r) { r.add_priorities(opinia::v1::P2); r.set_enabled(false); }, false},
  };
  const storage::ReviewRow row = Row();
  for (const auto& c : cases) {
    AlertRule rule;
    rule.set_enabled(true);
    c.rule(rule);
    EXPECT_EQ(RuleMatches(rule, {&row, &analysis}), c.want) << c.name;
  }
  storage::ReviewRow unrated = Row();
  unrated.rating = 0;
  AlertRule by_rating;
  by_rating.set_enabled(true);
  by_rating.set_max_rating(2);
  EXPECT_FALSE(RuleMatches(by_rating, {&unrated, &analysis}));
}

TEST(AlertRuleValidateTest, ErrorsNameTheField) {
  struct Case {
    std::function<void(AlertRule&)> rule;
    const char* field;  // nullptr = valid
  } cases[] = {
      {[](AlertRule& r) { r.add_priorities(opinia::v1::P1); }, nullptr},
      {[](AlertRule&) {}, "rule:"},
      {[](AlertRule& r) { r.add_priorities(opinia::v1::P1); r.add_priorities(static_cast<opinia::v1::Priority>(42)); }, "rule.priorities[1]"},
      {[](AlertRule& r) { r.add_labels(opinia::v1::SENTIMENT_LABEL_UNSPECIFIED); }, "rule.labels[0]"},
      {[](AlertRule& r) { r.set_has_max_sentiment_score(true); r.set_max_sentiment_score(2); }, "rule.max_sentiment_score"},
      {[](AlertRule& r) { r.set_max_rating(6); }, "rule.max_rating"},
      {[](AlertRule& r) { r.add_keywords(""); }, "rule.keywords[0]"},
      {[](AlertRule& r) { r.add_priorities(opinia::v1::P1); r.set_cooldown_seconds(-1); }, "rule.cooldown_seconds"},
      {[](AlertRule& r) { r.add_priorities(opinia::v1::P1); r.add_sources("ok"); r.add_sources(std::string("\xff")); }, "rule.sources[1]"},
  };
  for (const auto& c : cases) {
    AlertRule rule;
    c.rule(rule);
    absl::Status s = ValidateAlertRule(rule);
    if (c.field == nullptr) {
      EXPECT_TRUE(s.ok()) << s;
    } else {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.field;
      EXPECT_EQ(std::string(s.message()).rfind(c.field, 0), 0u)
          << s.message() << " should start with " << c.field;
    }
  }
  EXPECT_TRUE(ValidateAlertRule(DefaultAlertRule()).ok());
}

TEST(AlertNamesTest, ParseRejectsMalformed) {
  EXPECT_EQ(*ParseAlertName("alerts/12", "name"), 12);
  for (const char* bad : {"alerts/", "alerts/0", "alerts/-1", "alerts/x",
                          "alertRules/1", "alerts/+1"}) {
    auto id = ParseAlertName(bad, "name");
    EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(*ParseAlertRuleName("alertRules/3", "rule.name"), 3);
}

}  // namespace
}  // namespace opinia::core
