#include "service/cli/args.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "opinia/v1/admin.pb.h"
#include "opinia/v1/alerts.pb.h"
#include "opinia/v1/common.pb.h"
#include "service/cli/format.h"

namespace opinia::cli {
namespace {

absl::StatusOr<Args> Parse(std::vector<const char*> argv) {
  argv.insert(argv.begin(), "opinia");
  return Args::Parse(static_cast<int>(argv.size()), argv.data(),
                     {"json", "all"});
}

TEST(ArgsTest, PositionalsAndBothOptionForms) {
  auto args = Parse({"reviews", "list", "--limit=5", "--source", "allegro",
                     "--json", "--", "--not-an-option"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->positional(),
            (std::vector<std::string>{"reviews", "list", "--not-an-option"}));
  EXPECT_EQ(*args->GetInt("limit", 50, 1, 100), 5);
  EXPECT_EQ(args->GetOr("source", ""), "allegro");
  EXPECT_TRUE(args->Has("json"));
  EXPECT_FALSE(args->Has("all"));
}

TEST(ArgsTest, Errors) {
  EXPECT_FALSE(Parse({"x", "--limit"}).ok()) << "missing value";
  EXPECT_FALSE(Parse({"--a=1", "--a=2"}).ok()) << "given twice";
  EXPECT_FALSE(Parse({"-x"}).ok()) << "short options are unknown";
  auto args = Parse({"--limit=lots"});
  ASSERT_TRUE(args.ok());
  EXPECT_FALSE(args->GetInt("limit", 50, 1, 100).ok());
}

TEST(ParseTimeArgTest, Rfc3339DatesAndAges) {
  const absl::Time now = absl::FromUnixSeconds(1795168800);
  EXPECT_EQ(*ParseTimeArg("2026-11-20T10:00:00Z", now), now);
  EXPECT_EQ(*ParseTimeArg("2026-11-20", now), now - absl::Hours(10));
  EXPECT_EQ(*ParseTimeArg("7d", now), now - absl::Hours(168));
  EXPECT_EQ(*ParseTimeArg("36h", now), now - absl::Hours(36));
  EXPECT_FALSE(ParseTimeArg("yesterday", now).ok());
}

TEST(QualifyNameTest, AddsTheCollectionOnlyToBareIds) {
  EXPECT_EQ(QualifyName("reviews", "42"), "reviews/42");
  EXPECT_EQ(QualifyName("reviews", "reviews/42"), "reviews/42");
}

TEST(SplitListTest, TrimsPartsAndDropsEmptyOnes) {
  EXPECT_EQ(SplitList(" a, b ,,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(SplitList("a, ,b"), (std::vector<std::string>{"a", "", "b"}))
      << "a blank part stays, so an enum list reports it";
  EXPECT_TRUE(SplitList("").empty());
}

TEST(ParseEnumListTest, NamesAnyCaseWithPrefixOrSuffix) {
  std::vector<opinia::v1::Priority> priorities;
  std::string bad;
  EXPECT_TRUE(
      ParseEnumList("p1, P3", opinia::v1::Priority_Parse, &priorities, &bad));
  EXPECT_EQ(priorities, (std::vector<opinia::v1::Priority>{opinia::v1::P1,
                                                           opinia::v1::P3}));

  std::vector<opinia::v1::Role> roles;
  EXPECT_TRUE(ParseEnumList("admin,ROLE_READ", opinia::v1::Role_Parse, &roles,
                            &bad, "ROLE_"));
  EXPECT_EQ(roles, (std::vector<opinia::v1::Role>{opinia::v1::ROLE_ADMIN,
                                                  opinia::v1::ROLE_READ}));

  std::vector<opinia::v1::AlertState> states;
  EXPECT_TRUE(ParseEnumList("resolved", opinia::v1::AlertState_Parse, &states,
                            &bad, "", "_ALERT"));
  EXPECT_EQ(states,
            (std::vector<opinia::v1::AlertState>{opinia::v1::RESOLVED_ALERT}));
}

TEST(ParseEnumListTest, ReportsTheUnknownPartAsTyped) {
  std::vector<opinia::v1::Priority> priorities;
  std::string bad;
  EXPECT_FALSE(ParseEnumList("p1, urgent ,p2", opinia::v1::Priority_Parse,
                             &priorities, &bad));
  EXPECT_EQ(bad, "urgent");
}

}  // namespace
}  // namespace opinia::cli
