#include "service/cli/args.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"
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

}  // namespace
}  // namespace opinia::cli
