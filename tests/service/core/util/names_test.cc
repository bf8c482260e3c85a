// Every kind of numeric resource name goes through one strict parser: one
// spelling per id, everything else INVALID_ARGUMENT naming the field.
#include "service/core/util/names.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/core/alerts/alert_model.h"
#include "service/core/alerts/webhooks.h"
#include "service/core/collectors/collectors.h"

namespace opinia::core {
namespace {

using Parser = std::function<absl::StatusOr<int64_t>(std::string_view,
                                                     std::string_view)>;

struct Kind {
  std::string collection;
  Parser parse;
  std::function<std::string(int64_t)> format;
};

std::vector<Kind> Kinds() {
  return {
      {"reviews", ParseReviewName, ReviewName},
      {"alerts", ParseAlertName, AlertName},
      {"alertRules", ParseAlertRuleName, AlertRuleName},
      {"webhooks", ParseWebhookName, WebhookName},
      {"collectors", collectors::ParseCollectorName, collectors::CollectorName},
  };
}

TEST(NamesTest, EveryKindTakesTheCanonicalSpelling) {
  for (const Kind& kind : Kinds()) {
    for (int64_t id : {int64_t{1}, int64_t{42}, int64_t{9223372036854775807}}) {
      const std::string name = kind.format(id);
      EXPECT_EQ(name, kind.collection + "/" + std::to_string(id));
      auto parsed = kind.parse(name, "name");
      ASSERT_TRUE(parsed.ok()) << name << ": " << parsed.status();
      EXPECT_EQ(*parsed, id) << name;
    }
  }
}

TEST(NamesTest, EveryKindRefusesOtherSpellings) {
  const std::vector<std::string> bad_ids = {
      "01", " 1", "1 ", "+1", "-1", "0", "1x", "0x1", "", "1.0", "١",
      "9223372036854775808", "00000000000000000001", std::string("1\0", 2),
      "1/", "1/2"};
  for (const Kind& kind : Kinds()) {
    std::vector<std::string> names;
    for (const std::string& id : bad_ids) names.push_back(kind.collection + "/" + id);
    names.push_back(kind.collection + "1");
    names.push_back("/" + kind.collection + "/1");
    names.push_back(kind.collection);
    names.push_back("other/1");
    for (const std::string& name : names) {
      auto parsed = kind.parse(name, "request.name");
      ASSERT_FALSE(parsed.ok()) << "accepted \"" << name << "\"";
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
          << name;
      EXPECT_EQ(parsed.status().message().rfind("request.name: ", 0), 0u)
          << name << ": " << parsed.status();
      EXPECT_NE(parsed.status().message().find(kind.collection + "/{id}"),
                std::string::npos)
          << parsed.status();
    }
  }
}

TEST(NamesTest, AipIdsAreStrictToo) {
  EXPECT_TRUE(ParseTenantName("tenants/shop-1", "t").ok());
  for (const char* bad : {"tenants/Shop", "tenants/ shop", "tenants/shop-",
                          "tenants/1shop", "tenants/", "shop"}) {
    EXPECT_EQ(ParseTenantName(bad, "t").status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

}  // namespace
}  // namespace opinia::core
