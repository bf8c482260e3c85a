// The SQLite store's migrations as compiled in: the text of migrations.sql,
// split as its first lines say, with the shipped migrations unchanged.
#include "service/storage/sqlite/migrations.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"

namespace opinia::storage::sqlite {
namespace {

// FNV-1a, 64 bits: enough to notice an edit.
uint64_t Fingerprint(absl::string_view text) {
  uint64_t h = 0xcbf29ce484222325u;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3u;
  }
  return h;
}

TEST(MigrationsTest, CompiledInTextIsTheSqlFile) {
  const char* source = std::getenv("OPINIA_SOURCE_DIR");
  ASSERT_NE(source, nullptr) << "run through ctest (it sets OPINIA_SOURCE_DIR)";
  const std::string path =
      absl::StrCat(source, "/service/storage/sqlite/migrations.sql");
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path;
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_TRUE(file.str() == kMigrationsSql)
      << "the build's copy of " << path << " is stale: re-run cmake";
}

// The text of every migration that has shipped, as the binaries that
// shipped it applied it. A mismatch means a shipped migration was edited:
// databases already past it would not get the change. Undo the edit and
// add a new migration instead. Add a line here when a migration ships.
TEST(MigrationsTest, ShippedMigrationsAreUnchanged) {
  const std::vector<std::pair<int, uint64_t>> shipped = {
      {1, 0x4d85a561572d8402u},  {2, 0x0ed370ad78e42a98u},
      {3, 0xb8614edea68aec75u},  {4, 0xb580c451d3c9f14fu},
      {5, 0xb059e549e0a508c5u},  {6, 0x55f8e8082eec157fu},
      {7, 0x2ea105a5a49b1fbfu},  {8, 0xcfe3d61d025cb611u},
      {9, 0xdf7c59ae5d9211e7u},  {10, 0x4f4bbcdd35d0c403u},
      {11, 0x1c6b27e7fb875f20u},  {12, 0x44c006320a358f1au},
  };
  auto migrations = SplitMigrations(kMigrationsSql);
  ASSERT_TRUE(migrations.ok()) << migrations.status();
  ASSERT_GE(migrations->size(), shipped.size());
  EXPECT_EQ(LatestSchemaVersion(), static_cast<int64_t>(migrations->size()));
  for (const auto& [n, fingerprint] : shipped) {
    EXPECT_EQ(absl::StrFormat("%016x", Fingerprint((*migrations)[n - 1])),
              absl::StrFormat("%016x", fingerprint))
        << "migration " << n << " changed:\n"
        << (*migrations)[n - 1];
  }
}

TEST(MigrationsTest, SplitTakesTheSqlBelowEachHeader) {
  auto migrations = SplitMigrations(
      "-- prologue\n"
      "\n"
      "-- migration 1: first\n"
      "-- why\n"
      "\n"
      "CREATE TABLE a (x);\n"
      "-- migration 2: second\n"
      "CREATE TABLE b (x);\n"
      "-- a comment inside 2; a line like '-- migration 3 ...' is not one\n"
      "-- migration 3 without a colon is not a header either\n");
  ASSERT_TRUE(migrations.ok()) << migrations.status();
  EXPECT_EQ(*migrations,
            (std::vector<absl::string_view>{
                "\nCREATE TABLE a (x);\n",
                "CREATE TABLE b (x);\n"
                "-- a comment inside 2; a line like '-- migration 3 ...' is "
                "not one\n"
                "-- migration 3 without a colon is not a header either\n"}));
}

TEST(MigrationsTest, SplitRefusesGapsAndEmptyMigrations) {
  EXPECT_EQ(SplitMigrations("-- migration 2: x\n\nSELECT 1;\n").status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(SplitMigrations("-- migration 1: x\n\nSELECT 1;\n"
                            "-- migration 1: again\n\nSELECT 1;\n")
                .status()
                .code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(
      SplitMigrations("-- migration 1: x\n-- only words\n").status().code(),
      absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace opinia::storage::sqlite
