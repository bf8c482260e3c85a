// The CLI's collector kind table: every CollectorKind has a name on the
// command line, and names parse back to their kind.
#include "service/cli/collectors_flags.h"

#include <string>

#include "gtest/gtest.h"

namespace opinia::cli {
namespace {

TEST(CollectorsFlagsTest, EveryKindHasAFlagName) {
  const auto* kinds = opinia::v1::CollectorKind_descriptor();
  for (int i = 0; i < kinds->value_count(); ++i) {
    const auto kind =
        static_cast<opinia::v1::CollectorKind>(kinds->value(i)->number());
    if (kind == opinia::v1::COLLECTOR_KIND_UNSPECIFIED) continue;
    const std::string name = KindFlagName(kind);
    ASSERT_NE(name, "?") << kinds->value(i)->name() << " has no --kind name";
    auto parsed = ParseKind(name, "kind");
    ASSERT_TRUE(parsed.ok()) << name << ": " << parsed.status();
    EXPECT_EQ(*parsed, kind) << name;
  }
  EXPECT_EQ(KindFlagName(opinia::v1::COLLECTOR_KIND_UNSPECIFIED), "?");
}

TEST(CollectorsFlagsTest, NamesAliasesAndErrors) {
  EXPECT_EQ(KindFlagNames(), "gbp|trustpilot|json|csv|play|appstore|allegro");
  auto google = ParseKind("google", "kind");
  ASSERT_TRUE(google.ok());
  EXPECT_EQ(*google, opinia::v1::GOOGLE_BUSINESS_PROFILE);
  auto bad = ParseKind("yelp", "format");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(),
            "--format: gbp, trustpilot, json, csv, play, appstore or allegro, "
            "got \"yelp\"");
}

TEST(CollectorsFlagsTest, MappingPairs) {
  auto mapping = ParseMapping("external_id=id,text=body.text");
  ASSERT_TRUE(mapping.ok()) << mapping.status();
  EXPECT_EQ(mapping->at("text"), "body.text");
  EXPECT_EQ(ParseMapping("text").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace opinia::cli
