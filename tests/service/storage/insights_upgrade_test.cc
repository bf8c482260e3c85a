// Migrations 7 (response delay histograms; sqlite/migrations.sql), 8
// (rollups and full-text changes deferred to the end of the transaction;
// sqlite/deferred_writes.h), 9 (no triggers on insert) and 10 (response
// delays from when Opinia first saw a review) upgrade a database written at
// an older schema with reviews, aspects, responses and deletes: afterwards
// every rollup equals the brute-force SQL sum over the rows and the rollups
// of a fresh database holding the same rows, the response delays follow
// their definition, the full-text index holds each row's current text, and
// later inserts, updates and deletes keep it so.
#include <algorithm>
#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "service/storage/local_time.h"
#include "service/storage/sqlite/connection.h"
#include "service/storage/sqlite/migrations.h"
#include "service/storage/sqlite/sqlite_txn.h"
#include "tests/service/storage/raw_db_test.h"

namespace opinia::storage::sqlite {
namespace {

constexpr char kTenant[] = "t1";
constexpr char kZone[] = "Europe/Warsaw";

class InsightsUpgradeTest : public RawDbTest {
 protected:
  ReviewRow RandomRow(int i) {
    ReviewRow r;
    r.tenant_id = kTenant;
    r.source = i % 3 == 0 ? "google" : "allegro";
    r.external_id = absl::StrCat("e", i, "-", rng_());
    r.subject_id = absl::StrCat("p", rng_() % 3);
    r.rating = static_cast<int32_t>(rng_() % 6);
    r.language = rng_() % 2 ? "pl" : "en";
    r.label = static_cast<int32_t>(rng_() % 5);
    r.create_time = absl::FromUnixSeconds(1'750'000'000) +
                    absl::Seconds(static_cast<int64_t>(rng_() % 20'000'000));
    // Seen when written, imported weeks later, or (a platform clock ahead
    // of ours) seen before its create_time.
    const int seen = static_cast<int>(rng_() % 3);
    r.ingest_time = r.create_time +
                    (seen == 0 ? absl::ZeroDuration()
                     : seen == 1
                         ? absl::Seconds(static_cast<int64_t>(rng_() % 3'000'000))
                         : -absl::Seconds(static_cast<int64_t>(rng_() % 600)));
    r.modify_time = r.ingest_time;
    if (rng_() % 3 == 0) {
      // Negative, sub-second, minutes and weeks: several buckets; before
      // and after ingest_time.
      r.response_time = r.create_time + absl::Seconds(static_cast<int64_t>(
                                            rng_() % 2'000'000)) -
                        absl::Seconds(100);
    }
    for (int a = 1; a <= 8; ++a) {
      if (rng_() % 3 == 0) {
        r.aspects.push_back(ReviewAspect{
            a, static_cast<int32_t>(1 + rng_() % 4), 0.5f, 0, 1});
      }
    }
    // A token of its own, so search can be checked row by row.
    r.search_text = absl::StrCat("tekst u", next_token_++);
    return r;
  }

  // Every rollup against the rows, for a few filters over all time.
  void ExpectRollupsMatchRows() {
    // review_aspects holds one row per aspect of every non-deleted review
    // (RandomRow lists each aspect at most once) and nothing else.
    auto expected = conn_->Prepare(
        "SELECT count(*) FROM reviews AS r, json_each(nullif(r.aspects, '')) "
        "WHERE r.deleted = 0");
    auto stored = conn_->Prepare(
        "SELECT count(*), count(DISTINCT review_id || '/' || aspect) FROM "
        "review_aspects AS a JOIN reviews AS r ON r.id = a.review_id AND "
        "r.deleted = 0 AND r.tenant_id = a.tenant_id AND "
        "r.create_time = a.create_time AND r.local_day = a.day");
    auto all = conn_->Prepare("SELECT count(*) FROM review_aspects");
    ASSERT_TRUE(expected.ok() && stored.ok() && all.ok());
    ASSERT_TRUE(*expected->Step() && *stored->Step() && *all->Step());
    EXPECT_GT(expected->ColumnInt64(0), 0);
    EXPECT_EQ(stored->ColumnInt64(0), expected->ColumnInt64(0));
    EXPECT_EQ(stored->ColumnInt64(1), expected->ColumnInt64(0));
    EXPECT_EQ(all->ColumnInt64(0), expected->ColumnInt64(0));

    SqliteInsights insights(*conn_);
    std::vector<ReviewFilter> filters(4);
    filters[1].sources = {"google"};
    filters[2].subject_ids = {"p0", "p2"};
    filters[3].languages = {"pl"};
    filters[3].sources = {"allegro", "google"};
    for (const ReviewFilter& f : filters) {
      auto days = insights.ListDayStats(kTenant, f, -100000, 100000);
      auto rows = insights.SumReviewStats(kTenant, f);
      ASSERT_TRUE(days.ok() && rows.ok());
      ReviewStats sum;
      for (const auto& d : *days) sum.Add(d.stats);
      EXPECT_EQ(sum, *rows);

      auto aspect_days =
          insights.ListDayAspectStats(kTenant, f, -100000, 100000);
      auto aspect_rows = insights.SumAspectStats(kTenant, f);
      ASSERT_TRUE(aspect_days.ok() && aspect_rows.ok());
      std::map<int, std::array<int64_t, 5>> a, b;
      for (const auto& s : *aspect_days) {
        for (int l = 1; l < 5; ++l) a[s.aspect][l] += s.labels[l];
      }
      for (const auto& s : *aspect_rows) {
        for (int l = 1; l < 5; ++l) b[s.aspect][l] += s.labels[l];
      }
      EXPECT_EQ(a, b);
      EXPECT_FALSE(b.empty());

      auto months = insights.ListMonthResponseCounts(kTenant, f, -100000, 100000);
      auto buckets = insights.SumResponseCounts(kTenant, f);
      ASSERT_TRUE(months.ok() && buckets.ok());
      EXPECT_EQ(*months, *buckets);
      EXPECT_GT(buckets->size(), 3u);
    }
  }

  // reviews.response_delay against its definition (insights_store.h),
  // computed here in C++: from the later of create_time and ingest_time,
  // or from create_time for a response before ingest_time; at least 0.
  void ExpectDelaysFollowTheDefinition() {
    auto rows = conn_->Prepare(
        "SELECT create_time, ingest_time, response_time, response_delay "
        "FROM reviews WHERE response_time != -9223372036854775808");
    ASSERT_TRUE(rows.ok());
    int64_t n = 0, before_ingest = 0, after_ingest = 0;
    while (*rows->Step()) {
      const int64_t create = rows->ColumnInt64(0);
      const int64_t ingest = rows->ColumnInt64(1);
      const int64_t response = rows->ColumnInt64(2);
      const int64_t from =
          response < ingest ? create : std::max(create, ingest);
      EXPECT_EQ(rows->ColumnInt64(3), std::max<int64_t>(0, response - from))
          << create << " " << ingest << " " << response;
      ++n;
      ++(response < ingest ? before_ingest : after_ingest);
    }
    EXPECT_GT(before_ingest, 0);
    EXPECT_GT(after_ingest, 0);
  }

  // Every rollup table holds the same non-zero rows as in a fresh database
  // at the latest schema into which the same reviews were inserted.
  void ExpectRollupsEqualAFreshDatabase() {
    auto fresh = Connection::Open(dir_ + "/fresh.db",
                                  SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                  absl::Seconds(5));
    ASSERT_TRUE(fresh.ok()) << fresh.status();
    ASSERT_TRUE(ApplyMigrations(**fresh).ok());
    std::vector<ReviewRow> rows;
    Write([&](SqliteTxn& txn) -> absl::Status {
      auto ids = conn_->Prepare("SELECT id FROM reviews ORDER BY id");
      if (!ids.ok()) return ids.status();
      while (*ids->Step()) {
        auto row = txn.GetReview(kTenant, ids->ColumnInt64(0));
        if (!row.ok()) return row.status();
        rows.push_back(*std::move(row));
      }
      return absl::OkStatus();
    });
    Write(**fresh, [&](SqliteTxn& txn) -> absl::Status {
      if (auto s = txn.InsertTenant({kTenant, "T", kZone, absl::UnixEpoch()});
          !s.ok()) {
        return s;
      }
      for (const ReviewRow& row : rows) {
        if (auto id = txn.InsertReview(row); !id.ok()) return id.status();
      }
      return absl::OkStatus();
    });
    const std::string key =
        "tenant_id || '|' || dims || '|' || source || '|' || subject_id || "
        "'|' || language";
    const std::string queries[] = {
        absl::StrCat("SELECT ", key, " || '|' || month || '|' || lo || '|' || "
                     "n FROM insights_response_rollup WHERE n != 0"),
        absl::StrCat("SELECT ", key, " || '|' || day || '|' || n || '|' || "
                     "r1 || '|' || r2 || '|' || r3 || '|' || r4 || '|' || r5 "
                     "|| '|' || neg || '|' || neu || '|' || pos || '|' || mix "
                     "|| '|' || responded || '|' || sla_pending || '|' || "
                     "sla_late FROM insights_rollup WHERE n != 0"),
        absl::StrCat("SELECT ", key, " || '|' || day || '|' || aspect || '|' "
                     "|| neg || '|' || neu || '|' || pos || '|' || mix FROM "
                     "insights_aspect_rollup WHERE neg + neu + pos + mix != 0"),
    };
    for (const std::string& sql : queries) {
      const std::vector<std::string> upgraded = Dump(*conn_, sql);
      EXPECT_GT(upgraded.size(), 10u) << sql;
      EXPECT_EQ(upgraded, Dump(**fresh, sql)) << sql;
    }
  }

  // The first column of every row of `sql`, sorted.
  static std::vector<std::string> Dump(Connection& conn,
                                       const std::string& sql) {
    std::vector<std::string> out;
    auto stmt = conn.Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    if (!stmt.ok()) return out;
    while (*stmt->Step()) out.push_back(stmt->ColumnString(0));
    std::sort(out.begin(), out.end());
    return out;
  }

  // The full-text index holds exactly each row's current text: its own
  // token finds it and nothing else (old tokens of updated rows are gone).
  void ExpectSearchMatchesRows() {
    auto rows = conn_->Prepare("SELECT id, search_text FROM reviews");
    ASSERT_TRUE(rows.ok());
    int64_t n = 0;
    while (*rows->Step()) {
      ++n;
      const std::string text = rows->ColumnString(1);
      const std::string token = text.substr(text.find(' ') + 1);
      auto match = conn_->Prepare(
          "SELECT rowid FROM reviews_fts WHERE reviews_fts MATCH ?");
      ASSERT_TRUE(match.ok());
      match->BindText(token);
      std::vector<int64_t> found;
      while (*match->Step()) found.push_back(match->ColumnInt64(0));
      EXPECT_EQ(found, std::vector<int64_t>{rows->ColumnInt64(0)}) << token;
    }
    auto all = conn_->Prepare(
        "SELECT count(*) FROM reviews_fts WHERE reviews_fts MATCH 'tekst'");
    ASSERT_TRUE(all.ok() && *all->Step());
    EXPECT_EQ(all->ColumnInt64(0), n);
    EXPECT_GT(n, 0);
  }

  void UpgradeFrom(int64_t from);

  std::mt19937_64 rng_{7};
  int next_token_ = 0;
};

// Writes reviews at schema `from`, upgrades to the latest schema, and checks
// every rollup and the full-text index against the rows before and after
// more inserts, updates and deletes.
void InsightsUpgradeTest::UpgradeFrom(int64_t from) {
  ASSERT_TRUE(ApplyMigrationsUpTo(*conn_, from).ok());
  ASSERT_EQ(*SchemaVersion(*conn_), from);
  std::vector<int64_t> ids;
  Write([&](SqliteTxn& txn) -> absl::Status {
    if (auto s = txn.InsertTenant({kTenant, "T", kZone, absl::UnixEpoch()});
        !s.ok()) {
      return s;
    }
    for (int i = 0; i < 300; ++i) {
      auto id = from == LatestSchemaVersion()
                    ? txn.InsertReview(RandomRow(i))
                    : InsertReviewAtSchema(RandomRow(i), from);
      if (!id.ok()) return id.status();
      ids.push_back(*id);
    }
    return absl::OkStatus();
  });
  // A few soft deletes before the upgrade.
  Write([&](SqliteTxn& txn) -> absl::Status {
    for (int i = 0; i < 300; i += 17) {
      auto row = txn.GetReview(kTenant, ids[i]);
      if (!row.ok()) return row.status();
      row->deleted = true;
      if (auto s = txn.UpdateReview(*row); !s.ok()) return s;
    }
    return absl::OkStatus();
  });

  ASSERT_TRUE(ApplyMigrations(*conn_).ok());
  ASSERT_EQ(*SchemaVersion(*conn_), LatestSchemaVersion());
  ExpectRollupsMatchRows();
  ExpectDelaysFollowTheDefinition();
  ExpectRollupsEqualAFreshDatabase();
  ExpectSearchMatchesRows();

  // After the upgrade the triggers keep them: inserts, responses, moves
  // (new time, source, aspects), deletes and undeletes, a hard delete.
  Write([&](SqliteTxn& txn) -> absl::Status {
    for (int i = 300; i < 400; ++i) {
      auto id = txn.InsertReview(RandomRow(i));
      if (!id.ok()) return id.status();
      ids.push_back(*id);
    }
    for (size_t i = 0; i < ids.size(); i += 3) {
      auto row = txn.GetReview(kTenant, ids[i]);
      if (!row.ok()) return row.status();
      ReviewRow moved = RandomRow(static_cast<int>(i));
      moved.id = row->id;
      moved.external_id = row->external_id;
      moved.deleted = i % 2 == 0 ? !row->deleted : row->deleted;
      if (i % 5 == 0) moved.aspects = row->aspects;
      if (auto s = txn.UpdateReview(moved); !s.ok()) return s;
    }
    return conn_->Exec(
        absl::StrCat("DELETE FROM reviews WHERE id = ", ids[1]).c_str());
  });
  ExpectRollupsMatchRows();
  ExpectDelaysFollowTheDefinition();
  ExpectSearchMatchesRows();
}

TEST_F(InsightsUpgradeTest, Migration7KeepsEveryRollupEqualToTheRows) {
  UpgradeFrom(6);
}

// Migration 9: inserts log their index changes from SqliteTxn instead of
// triggers; rows written by the schema-8 triggers stay counted once.
TEST_F(InsightsUpgradeTest, Migration9KeepsEveryRollupEqualToTheRows) {
  UpgradeFrom(8);
}

// Migration 11: response delays from when Opinia first saw each review;
// the histograms are rebuilt and the delay index recreated.
TEST_F(InsightsUpgradeTest, Migration10KeepsEveryRollupEqualToTheRows) {
  UpgradeFrom(9);
}

// At the latest schema from the start (the server's case).
TEST_F(InsightsUpgradeTest, LatestSchemaKeepsEveryRollupEqualToTheRows) {
  UpgradeFrom(LatestSchemaVersion());
}

}  // namespace
}  // namespace opinia::storage::sqlite
