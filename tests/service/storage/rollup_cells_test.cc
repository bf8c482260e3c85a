// The rollup description (service/storage/rollup_cells.h) evaluated in C++
// and rendered as SQLite SQL (sqlite/rollup_sql.h) agree: for every label x
// status x priority x deleted x responded combination (ratings, deadlines,
// response delays and aspects varied alongside), the C++ deltas of each
// stored row equal its rendered counter expressions, and the rollup tables
// the store keeps (rendered logging statement, deferred upserts; the
// frozen update triggers for a second pass) equal both the C++ sums over
// the rows and the rendered rebuild SELECTs.
#include "service/storage/rollup_cells.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "service/storage/sqlite/connection.h"
#include "service/storage/sqlite/migrations.h"
#include "service/storage/sqlite/rollup_sql.h"
#include "service/storage/sqlite/sqlite_txn.h"
#include "tests/service/storage/raw_db_test.h"

namespace opinia::storage::sqlite {
namespace {

constexpr char kTenant[] = "t1";
constexpr char kZone[] = "America/New_York";

// A rollup row: its key parts as text, then its counters.
using Rows = std::map<std::string, std::vector<int64_t>>;

class RollupCellsTest : public RawDbTest {
 protected:
  // Case i of the table: every label x status x priority x deleted x
  // responded combination, the rest varied with i.
  static ReviewRow Case(int i, int salt) {
    const int label = i % 5, status = i / 5 % 5, priority = i / 25 % 5;
    const bool deleted = i / 125 % 2, responded = i / 250 % 2;
    ReviewRow r;
    r.tenant_id = kTenant;
    r.source = (i + salt) % 3 == 0 ? "google" : "allegro";
    r.external_id = absl::StrCat("e", i);
    r.subject_id = absl::StrCat("p", (i + salt) % 4);
    r.language = (i + salt) % 2 ? "pl" : "en";
    r.rating = (i + salt) % 7;  // 0..6: none, 1..5, out of range
    r.label = label;
    r.status = status;
    r.priority = priority;
    r.deleted = deleted;
    r.create_time = absl::FromUnixSeconds(1'700'000'000) +
                    absl::Hours(37 * ((i * 7 + salt) % 500));
    r.ingest_time = r.create_time + absl::Seconds((i + salt) % 3 * 86'400);
    r.modify_time = r.ingest_time;
    if (responded) {
      r.response_time = r.create_time +
                        absl::Seconds((i * 131 + salt) % 300'000) -
                        absl::Seconds(100);
    }
    switch ((i + salt) % 3) {  // no deadline, before or after the response
      case 1:
        r.respond_by = r.create_time + absl::Seconds(10);
        break;
      case 2:
        r.respond_by = r.create_time + absl::Hours(200);
        break;
    }
    for (int a = 1; a <= 3; ++a) {
      if ((i + a + salt) % 2) {
        r.aspects.push_back(
            ReviewAspect{a, (i + a + salt) % 6, 0.5f, 0, 1});
      }
    }
    r.search_text = "t";
    return r;
  }
  static constexpr int kCases = 5 * 5 * 5 * 2 * 2;

  // Rows of `sql` with `keys` key columns and `values` counters; rows whose
  // counters are all 0 are left out (the store drops them, a SELECT of the
  // rows may not).
  Rows Query(const std::string& sql, int keys, int values) {
    Rows rows;
    auto stmt = conn_->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << stmt.status() << "\n" << sql;
    if (!stmt.ok()) return rows;
    while (*stmt->Step()) {
      std::vector<std::string> key;
      for (int i = 0; i < keys; ++i) key.push_back(stmt->ColumnString(i));
      std::vector<int64_t> counters;
      bool zero = true;
      for (int i = keys; i < keys + values; ++i) {
        counters.push_back(stmt->ColumnInt64(i));
        zero = zero && counters.back() == 0;
      }
      if (!zero) rows[absl::StrJoin(key, "|")] = counters;
    }
    return rows;
  }

  // The stored rows as the description's input.
  std::vector<std::pair<int64_t, RollupReview>> StoredReviews() {
    std::vector<std::pair<int64_t, RollupReview>> out;
    auto stmt = conn_->Prepare(
        "SELECT id, tenant_id, source, subject_id, language, local_day, "
        "rating, label, status, priority, deleted, create_time, ingest_time, "
        "response_time, respond_by FROM reviews ORDER BY id");
    EXPECT_TRUE(stmt.ok()) << stmt.status();
    if (!stmt.ok()) return out;
    while (*stmt->Step()) {
      RollupReview r;
      r.tenant_id = stmt->ColumnString(1);
      r.source = stmt->ColumnString(2);
      r.subject_id = stmt->ColumnString(3);
      r.language = stmt->ColumnString(4);
      r.local_day = stmt->ColumnInt64(5);
      r.rating = static_cast<int32_t>(stmt->ColumnInt64(6));
      r.label = static_cast<int32_t>(stmt->ColumnInt64(7));
      r.status = static_cast<int32_t>(stmt->ColumnInt64(8));
      r.priority = static_cast<int32_t>(stmt->ColumnInt64(9));
      r.deleted = stmt->ColumnInt64(10) != 0;
      r.create_time = stmt->ColumnInt64(11);
      r.ingest_time = stmt->ColumnInt64(12);
      r.response_time = stmt->ColumnInt64(13);
      r.respond_by = stmt->ColumnInt64(14);
      out.emplace_back(stmt->ColumnInt64(0), r);
    }
    return out;
  }

  void InsertCases(int salt) {
    Write([&](SqliteTxn& txn) -> absl::Status {
      for (int i = 0; i < kCases; ++i) {
        if (auto id = txn.InsertReview(Case(i, salt)); !id.ok()) {
          return id.status();
        }
      }
      return absl::OkStatus();
    });
  }

  // Every case again with other values: the update triggers of migrations
  // 8 and 9 log the old and new facts.
  void UpdateCases(int salt) {
    Write([&](SqliteTxn& txn) -> absl::Status {
      for (int i = 0; i < kCases; ++i) {
        ReviewRow row = Case((i * 37 + 11) % kCases, salt);
        row.id = i + 1;
        row.external_id = absl::StrCat("e", i);
        if (auto s = txn.UpdateReview(row); !s.ok()) return s;
      }
      return absl::OkStatus();
    });
  }

  // Each stored row: its C++ deltas equal its rendered counters.
  void ExpectEveryRowAgrees() {
    const std::string select = absl::StrCat(
        "SELECT ",
        absl::StrJoin(kInsightsCounters, ", ",
                      [](std::string* out, const RollupCounter& c) {
                        out->append(CounterSql(c, "r"));
                      }),
        " FROM reviews r WHERE r.id = ?");
    for (const auto& [id, review] : StoredReviews()) {
      auto stmt = conn_->Prepare(select);
      ASSERT_TRUE(stmt.ok()) << stmt.status() << "\n" << select;
      stmt->BindInt64(id);
      ASSERT_TRUE(*stmt->Step());
      const InsightsDeltas cpp = InsightsDeltasOf(FactsOf(review), 1);
      for (size_t i = 0; i < kInsightsCounters.size(); ++i) {
        EXPECT_EQ(cpp[i], stmt->ColumnInt64(static_cast<int>(i)))
            << "review " << id << " counter " << kInsightsCounters[i].column
            << ": label " << review.label << " status " << review.status
            << " priority " << review.priority << " rating " << review.rating
            << " response " << review.response_time << " respond_by "
            << review.respond_by;
      }
      if (review.deleted) {
        EXPECT_EQ(InsightsDeltasOf(review, 1), InsightsDeltas{}) << id;
      }
    }
  }

  // The rollup tables equal the C++ sums over the stored rows and the
  // rendered SELECTs over them.
  void ExpectTablesAgree() {
    Rows insights, aspects, responses;
    auto add = [](Rows& rows, const std::string& key, auto deltas) {
      auto& sum = rows[key];
      sum.resize(deltas.size());
      for (size_t i = 0; i < deltas.size(); ++i) sum[i] += deltas[i];
    };
    for (const auto& [id, r] : StoredReviews()) {
      if (r.deleted) continue;
      ForEachRollupCell(
          r.source, r.subject_id, r.language,
          [&](int dims, const std::string& source, const std::string& subject,
              const std::string& language) {
            const std::string cell = absl::StrJoin(
                {r.tenant_id, absl::StrCat(dims), source, subject, language},
                "|");
            add(insights, absl::StrCat(cell, "|", r.local_day),
                InsightsDeltasOf(r, 1));
            if (r.response_time != kNoTime) {
              add(responses,
                  absl::StrCat(cell, "|", FirstDayOfMonth(r.local_day), "|",
                               DelayBucket(ResponseDelay(r))),
                  std::array<int64_t, 1>{1});
            }
            auto stmt = conn_->Prepare(
                "SELECT aspect, label FROM review_aspects WHERE review_id = ?");
            stmt->BindInt64(id);
            while (*stmt->Step()) {
              add(aspects,
                  absl::StrCat(cell, "|", r.local_day, "|",
                               stmt->ColumnInt64(0)),
                  AspectDeltasOf(static_cast<int32_t>(stmt->ColumnInt64(1)),
                                 1));
            }
          });
    }
    for (Rows* rows : {&insights, &aspects, &responses}) {
      for (auto it = rows->begin(); it != rows->end();) {
        const bool zero = std::all_of(it->second.begin(), it->second.end(),
                                      [](int64_t v) { return v == 0; });
        it = zero ? rows->erase(it) : std::next(it);
      }
    }
    EXPECT_EQ(Query("SELECT * FROM insights_rollup", 6, 13), insights);
    EXPECT_EQ(Query(InsightsRollupSelectSql(), 6, 13), insights);
    EXPECT_EQ(Query("SELECT * FROM insights_aspect_rollup", 7, 4), aspects);
    EXPECT_EQ(Query(AspectRollupSelectSql(), 7, 4), aspects);
    EXPECT_EQ(Query("SELECT * FROM insights_response_rollup", 7, 1), responses);
    EXPECT_EQ(Query(ResponseRollupSelectSql(), 7, 1), responses);
    EXPECT_GT(insights.size(), 100u);
    EXPECT_GT(aspects.size(), 100u);
    EXPECT_GT(responses.size(), 100u);
  }
};

TEST_F(RollupCellsTest, CppDeltasAndRenderedSqlAgreeOnEveryCombination) {
  ASSERT_TRUE(ApplyMigrations(*conn_).ok());
  Write([&](SqliteTxn& txn) {
    return txn.InsertTenant({kTenant, "T", kZone, absl::UnixEpoch()});
  });
  InsertCases(/*salt=*/0);
  ExpectEveryRowAgrees();
  ExpectTablesAgree();
  UpdateCases(/*salt=*/1);
  ExpectEveryRowAgrees();
  ExpectTablesAgree();
}

TEST(RollupCellsUnitTest, DelayBucketsAndMonths) {
  EXPECT_EQ(DelayBucket(-5), 0);
  EXPECT_EQ(DelayBucket(999'999), 0);
  EXPECT_EQ(DelayBucket(1'000'000), 1'000'000);
  EXPECT_EQ(DelayBucket(1'062'499), 1'000'000);
  EXPECT_EQ(DelayBucket(1'062'500), 1'062'500);
  EXPECT_EQ(DelayBucket(int64_t{1} << 62), (int64_t{1} << 35) * 31 * 62'500);
  EXPECT_EQ(FirstDayOfMonth(0), 0);
  EXPECT_EQ(FirstDayOfMonth(58), 31);  // 1970-02-28
  EXPECT_EQ(FirstDayOfMonth(59), 59);  // 1970-03-01
  EXPECT_EQ(FirstDayOfMonth(-1), -31);
}

}  // namespace
}  // namespace opinia::storage::sqlite
