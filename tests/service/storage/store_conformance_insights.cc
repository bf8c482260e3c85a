// Conformance of InsightsTxn (insights_store.h): every rollup read and
// every row computation against a model the test computes from the rows
// it wrote, after inserts, updates, soft deletes and a rolled-back write.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "service/storage/local_time.h"
#include "tests/service/storage/store_conformance.h"
#include "tests/service/storage/store_conformance_util.h"

namespace opinia::storage::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Far from the UTC day, so local days are not UTC days.
constexpr char kZone[] = "America/New_York";
constexpr int64_t kAllDays = 1'000'000;  // day -kAllDays .. kAllDays

// The test's copy of a tenant's reviews and their aspects.
struct Model {
  std::vector<ReviewRow> rows;
  std::map<int64_t, std::vector<AspectMention>> aspects;  // by review id

  static bool Matches(const ReviewFilter& f, const ReviewRow& r) {
    auto in = [](const std::vector<std::string>& set, const std::string& v) {
      return set.empty() || absl::c_linear_search(set, v);
    };
    return !r.deleted && in(f.sources, r.source) &&
           in(f.subject_ids, r.subject_id) && in(f.languages, r.language) &&
           r.create_time >= f.start_time && r.create_time < f.end_time;
  }
  static bool Responded(const ReviewRow& r) {
    return r.response_time != absl::InfinitePast();
  }
  static bool Pending(const ReviewRow& r) {
    return r.respond_by != absl::InfinitePast() && !Responded(r) &&
           (r.status == 1 || r.status == 2);
  }
  // As insights_store.h defines it: from when the shop could first answer
  // in Opinia, or from create_time for a reply that predates ingest;
  // clamped at 0.
  static int64_t Delay(const ReviewRow& r) {
    const absl::Time from = r.response_time < r.ingest_time
                                ? r.create_time
                                : std::max(r.create_time, r.ingest_time);
    return std::max<int64_t>(0,
                             absl::ToInt64Microseconds(r.response_time - from));
  }
  static int64_t Day(const ReviewRow& r) { return LocalDay(r.create_time, kZone); }
  // The local day of the first of the review's month.
  static int64_t Month(const ReviewRow& r) {
    absl::TimeZone tz;
    EXPECT_TRUE(absl::LoadTimeZone(kZone, &tz));
    return Day(r) - (absl::ToCivilDay(r.create_time, tz).day() - 1);
  }

  std::vector<const ReviewRow*> Select(const ReviewFilter& f) const {
    std::vector<const ReviewRow*> out;
    for (const ReviewRow& r : rows) {
      if (Matches(f, r)) out.push_back(&r);
    }
    return out;
  }

  ReviewStats Stats(const ReviewFilter& f, int64_t day = kAllDays) const {
    ReviewStats s;
    for (const ReviewRow* r : Select(f)) {
      if (day != kAllDays && Day(*r) != day) continue;
      ++s.count;
      if (r->rating >= 1 && r->rating <= 5) ++s.ratings[r->rating - 1];
      ++s.labels[r->label >= 1 && r->label <= 4 ? r->label : 0];
      s.responded += Responded(*r);
      s.sla_pending += Pending(*r);
      s.sla_late += Responded(*r) && r->respond_by != absl::InfinitePast() &&
                    r->response_time > r->respond_by;
    }
    return s;
  }

  // Mention counts by (day or kAllDays, aspect).
  std::map<std::pair<int64_t, int32_t>, std::array<int64_t, 5>> AspectCounts(
      const ReviewFilter& f, bool by_day) const {
    std::map<std::pair<int64_t, int32_t>, std::array<int64_t, 5>> out;
    for (const ReviewRow* r : Select(f)) {
      auto it = aspects.find(r->id);
      if (it == aspects.end()) continue;
      for (const AspectMention& m : it->second) {
        ++out[{by_day ? Day(*r) : kAllDays, m.aspect}][m.label];
      }
    }
    return out;
  }

  std::vector<int64_t> Delays(const ReviewFilter& f) const {
    std::vector<int64_t> out;
    for (const ReviewRow* r : Select(f)) {
      if (Responded(*r)) out.push_back(Delay(*r));
    }
    absl::c_sort(out);
    return out;
  }

  std::vector<BucketCount> Buckets(const ReviewFilter& f,
                                   const std::vector<int64_t>& los,
                                   int64_t month = kAllDays) const {
    std::map<int64_t, int64_t> n;
    for (const ReviewRow* r : Select(f)) {
      if (!Responded(*r) || (month != kAllDays && Month(*r) != month)) {
        continue;
      }
      const int64_t delay = Delay(*r);
      int64_t lo = los.front();
      for (int64_t b : los) {
        if (b <= delay) lo = b;
      }
      ++n[lo];
    }
    std::vector<BucketCount> out;
    for (const auto& [lo, count] : n) out.push_back({lo, count});
    return out;
  }

  std::vector<AspectMention> Mentions(const ReviewFilter& f, int32_t aspect,
                                      int32_t label, bool ascending) const {
    std::vector<AspectMention> out;
    for (const ReviewRow* r : Select(f)) {
      auto it = aspects.find(r->id);
      if (it == aspects.end()) continue;
      for (AspectMention m : it->second) {
        m.review_id = r->id;
        if (m.aspect == aspect && m.label == label) out.push_back(m);
      }
    }
    absl::c_sort(out, [&](const AspectMention& x, const AspectMention& y) {
      if (x.score != y.score) {
        return ascending ? x.score < y.score : x.score > y.score;
      }
      return x.review_id < y.review_id;
    });
    return out;
  }
};

// The i-th review of a tenant: every dimension, rating, label, deadline,
// response (some before the review: delay 0), status, deletion and
// aspects varies; create times span three local months.
ReviewRow MakeReview(const std::string& tenant, int i,
                     std::vector<AspectMention>* aspects) {
  ReviewRow r = Review(tenant, absl::StrCat("r", i),
                       kT0 + absl::Hours(37 * i) + absl::Minutes(7 * i));
  r.source = i % 3 == 0 ? "allegro" : "google";
  r.subject_id = i % 4 < 2 ? "s1" : "s2";
  r.language = i % 5 == 0 ? "en" : "pl";
  r.rating = i % 6;
  r.label = i % 5;
  r.status = 1 + i % 4;
  r.deleted = i % 9 == 8;
  if (i % 3 != 1) r.respond_by = r.create_time + absl::Hours(4 + i % 7);
  if (i % 4 != 0) {
    r.response_time = r.create_time + absl::Minutes(13 * i) -
                      (i % 7 == 0 ? absl::Hours(30) : absl::ZeroDuration());
  }
  aspects->clear();
  if (i % 2 == 0) {
    aspects->push_back({0, 1 + i % 3, 1 + i % 4, (i % 5) / 4.0f - 0.5f, i,
                        i + 3});
    aspects->push_back({0, 4, 1 + (i / 2) % 4, 0.25f, 0, 2});
  }
  SetAspects(r, *aspects);
  return r;
}

// Inserts (row.id == 0) or updates the rows in one transaction, keeping the
// model.
void Put(Store& store, Model& model, std::vector<ReviewRow> rows,
         std::vector<std::vector<AspectMention>> aspects) {
  EXPECT_OK(store.Write([&](Txn& txn) {
    for (size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].id == 0) {
        rows[i].id = VALUE(txn.InsertReview(rows[i]));
      } else {
        EXPECT_OK(txn.UpdateReview(rows[i]));
      }
    }
    return absl::OkStatus();
  }));
  for (size_t i = 0; i < rows.size(); ++i) {
    auto it = absl::c_find_if(model.rows, [&](const ReviewRow& r) {
      return r.id == rows[i].id;
    });
    if (it == model.rows.end()) {
      model.rows.push_back(rows[i]);
    } else {
      *it = rows[i];
    }
    model.aspects[rows[i].id] = aspects[i];
  }
}

struct NamedFilter {
  const char* name;
  ReviewFilter filter;
};

std::vector<NamedFilter> Filters() {
  std::vector<NamedFilter> out = {{"none", {}}};
  ReviewFilter f;
  f.sources = {"allegro"};
  out.push_back({"source", f});
  f.sources = {"allegro", "google"};
  out.push_back({"both sources", f});
  f = {};
  f.subject_ids = {"s2"};
  f.languages = {"pl"};
  out.push_back({"subject and language", f});
  f.sources = {"google"};
  out.push_back({"all three", f});
  f = {};
  f.labels = {1};  // ignored by insights
  f.min_rating = 5;
  f.statuses = {4};
  f.include_deleted = true;
  out.push_back({"ignored fields", f});
  return out;
}

// The rollup reads and row sums of `tenant` against the model.
void ExpectInsightsMatch(Store& store, const std::string& tenant,
                         const Model& model) {
  ASSERT_OK(store.Read([&](Txn& txn) {
    InsightsTxn& insights = txn.insights();
    const std::vector<int64_t> los = VALUE(insights.ListDelayBuckets());
    EXPECT_FALSE(los.empty());
    if (los.empty()) return absl::OkStatus();
    EXPECT_EQ(los.front(), 0);
    EXPECT_TRUE(absl::c_adjacent_find(los, std::greater_equal<>()) ==
                los.end())
        << "bucket bounds not strictly ascending";

    for (const NamedFilter& nf : Filters()) {
      SCOPED_TRACE(nf.name);
      const ReviewFilter& f = nf.filter;
      const ReviewStats total = model.Stats(f);
      EXPECT_EQ(VALUE(insights.SumReviewStats(tenant, nf.filter)), total);

      // Day rollups: one entry per day with data, ascending.
      const std::vector<DayStats> days =
          VALUE(insights.ListDayStats(tenant, nf.filter, -kAllDays,
                                      kAllDays));
      ReviewStats sum;
      int64_t previous = -kAllDays - 1;
      for (const DayStats& d : days) {
        EXPECT_GT(d.day, previous);
        previous = d.day;
        EXPECT_EQ(d.stats, model.Stats(f, d.day)) << "day " << d.day;
        EXPECT_GT(d.stats.count, 0);
        sum.Add(d.stats);
      }
      EXPECT_EQ(sum, total);

      // Aspect rollups by day (entries without mentions may be listed:
      // the contract does not promise "days with data" here), and exact
      // sums.
      std::map<std::pair<int64_t, int32_t>, std::array<int64_t, 5>> got;
      for (const AspectStats& a : VALUE(insights.ListDayAspectStats(
               tenant, nf.filter, -kAllDays, kAllDays))) {
        if (a.labels != std::array<int64_t, 5>{}) {
          got[{a.day, a.aspect}] = a.labels;
        }
      }
      EXPECT_EQ(got, model.AspectCounts(f, /*by_day=*/true));
      got.clear();
      for (const AspectStats& a : VALUE(insights.SumAspectStats(tenant, nf.filter))) {
        got[{kAllDays, a.aspect}] = a.labels;
      }
      EXPECT_EQ(got, model.AspectCounts(f, /*by_day=*/false));

      std::vector<int64_t> delays =
          VALUE(insights.ListResponseDelays(tenant, nf.filter));
      absl::c_sort(delays);
      EXPECT_EQ(delays, model.Delays(f));
      EXPECT_EQ(VALUE(insights.SumResponseCounts(tenant, nf.filter)),
                model.Buckets(f, los));
      EXPECT_EQ(VALUE(insights.ListMonthResponseCounts(tenant, nf.filter,
                                                       -kAllDays, kAllDays)),
                model.Buckets(f, los));
    }
    return absl::OkStatus();
  }));
}

// Inserts reviews [first, end) of `tenant` (MakeReview).
void InsertReviews(Store& store, Model& model, const std::string& tenant,
                   int first, int end) {
  std::vector<ReviewRow> rows;
  std::vector<std::vector<AspectMention>> aspects;
  for (int i = first; i < end; ++i) {
    aspects.emplace_back();
    rows.push_back(MakeReview(tenant, i, &aspects.back()));
  }
  Put(store, model, rows, aspects);
}

constexpr int kReviews = 48;

// Tenant "a" with kReviews reviews, "b" with a few on the same days.
class Data {
 public:
  explicit Data(Store& store) {
    InsertTenants(store, {Tenant("a", kZone), Tenant("b", kZone)});
    InsertReviews(store, a, "a", 0, kReviews);
    InsertReviews(store, b, "b", 0, 6);
  }
  Model a;
  Model b;
};

TEST_P(StoreConformanceTest, InsightsAgreeWithTheRowsAfterEveryKindOfChange) {
  Data data(*store_);
  {
    SCOPED_TRACE("after inserts");
    ExpectInsightsMatch(*store_, "a", data.a);
    ExpectInsightsMatch(*store_, "b", data.b);
  }

  // Every third review changes in one way or another.
  std::vector<ReviewRow> rows;
  std::vector<std::vector<AspectMention>> aspects;
  for (int i = 0; i < kReviews; i += 3) {
    ReviewRow r = data.a.rows[i];
    std::vector<AspectMention> as = data.a.aspects[r.id];
    switch ((i / 3) % 6) {
      case 0:  // another day and month
        r.create_time += absl::Hours(24 * 20 + 5);
        break;
      case 1:  // other dimensions, rating and label
        r.source = r.source == "google" ? "allegro" : "google";
        r.language = "de";
        r.rating = 5 - r.rating;
        r.label = (r.label + 1) % 5;
        break;
      case 2:  // soft delete or undelete
        r.deleted = !r.deleted;
        break;
      case 3:  // response recorded or withdrawn
        r.response_time = Model::Responded(r)
                              ? absl::InfinitePast()
                              : r.create_time + absl::Hours(50);
        break;
      case 4:  // aspects replaced
        as = {{0, 2, 3, -0.125f, 1, 4}};
        break;
      case 5:  // status and deadline
        r.status = r.status == 1 ? 3 : 1;
        r.respond_by = r.create_time + absl::Minutes(1);
        break;
    }
    SetAspects(r, as);
    rows.push_back(r);
    aspects.push_back(as);
  }
  Put(*store_, data.a, rows, aspects);
  {
    SCOPED_TRACE("after updates");
    ExpectInsightsMatch(*store_, "a", data.a);
    ExpectInsightsMatch(*store_, "b", data.b);
  }

  // A failed write leaves rollups and rows as they were.
  const absl::Status failure = absl::AbortedError("no");
  EXPECT_EQ(store_->Write([&](Txn& txn) {
    std::vector<AspectMention> as;
    EXPECT_OK(txn.InsertReview(MakeReview("a", kReviews, &as)));
    ReviewRow r = data.a.rows[1];
    r.deleted = !r.deleted;
    r.response_time = absl::InfinitePast();
    r.source = "other";
    SetAspects(r, {});
    EXPECT_OK(txn.UpdateReview(r));
    return failure;
  }),
            failure);
  {
    SCOPED_TRACE("after a rolled-back write");
    ExpectInsightsMatch(*store_, "a", data.a);
  }
}

TEST_P(StoreConformanceTest, InsightsRangesAreHalfOpen) {
  Data data(*store_);
  const Model& m = data.a;
  const ReviewRow& r10 = m.rows[10];
  const ReviewRow& r20 = m.rows[20];
  ASSERT_OK(store_->Read([&](Txn& txn) {
    InsightsTxn& insights = txn.insights();
    // Rows: create_time in [start, end).
    ReviewFilter f;
    f.start_time = r10.create_time;
    f.end_time = r20.create_time;
    const ReviewStats want = m.Stats(f);
    EXPECT_EQ(want.count, 10 - 1);  // r10..r19, one of them deleted (r17)
    EXPECT_EQ(VALUE(insights.SumReviewStats("a", f)), want);

    // Rollups: days [first, end); the filter's times are ignored.
    const int64_t first = Model::Day(r10);
    const int64_t end = Model::Day(r20);
    std::vector<int64_t> want_days;
    for (const ReviewRow& r : m.rows) {
      const int64_t d = Model::Day(r);
      if (!r.deleted && d >= first && d < end) want_days.push_back(d);
    }
    want_days.erase(std::unique(want_days.begin(), want_days.end()),
                    want_days.end());
    ReviewFilter far;
    far.start_time = kT0 + absl::Hours(24 * 1000);
    std::vector<int64_t> days;
    for (const DayStats& d : VALUE(insights.ListDayStats("a", far, first, end))) {
      days.push_back(d.day);
    }
    EXPECT_EQ(days, want_days);
    for (const AspectStats& a :
         VALUE(insights.ListDayAspectStats("a", far, first, end))) {
      EXPECT_GE(a.day, first);
      EXPECT_LT(a.day, end);
    }
    EXPECT_THAT(VALUE(insights.ListDayStats("a", {}, first, first)),
                IsEmpty());

    // Months: [first_month, end_month), each the local day of its 1st.
    const std::vector<int64_t> los = VALUE(insights.ListDelayBuckets());
    std::vector<int64_t> months;
    for (const ReviewRow& r : m.rows) months.push_back(Model::Month(r));
    absl::c_sort(months);
    months.erase(std::unique(months.begin(), months.end()), months.end());
    EXPECT_GE(months.size(), 3u);
    for (const int64_t month : months) {
      SCOPED_TRACE(absl::StrCat("month ", month));
      EXPECT_EQ(VALUE(insights.ListMonthResponseCounts("a", far, month,
                                                       month + 1)),
                m.Buckets({}, los, month));
    }
    EXPECT_THAT(VALUE(insights.ListMonthResponseCounts("a", {}, months[0],
                                                       months[0])),
                IsEmpty());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, ResponseDelaysBetweenPageInDelayOrder) {
  Data data(*store_);
  const std::vector<int64_t> all = data.a.Delays({});
  ASSERT_GT(all.size(), 12u);
  EXPECT_EQ(all.front(), 0);  // responses before the review count as 0
  const int64_t lo = all[2];
  const int64_t hi = all[11];
  std::vector<int64_t> in_range;
  for (int64_t d : all) {
    if (d >= lo && d < hi) in_range.push_back(d);
  }
  ReviewFilter google;
  google.sources = {"google"};
  std::vector<int64_t> google_all = data.a.Delays(google);
  ASSERT_OK(store_->Read([&](Txn& txn) {
    InsightsTxn& insights = txn.insights();
    EXPECT_EQ(VALUE(insights.ListResponseDelaysBetween("a", {}, lo, hi, 0,
                                                       100)),
              in_range);
    EXPECT_EQ(VALUE(insights.ListResponseDelaysBetween("a", {}, lo, hi, 2, 3)),
              std::vector<int64_t>(in_range.begin() + 2,
                                   in_range.begin() + 5));
    EXPECT_EQ(VALUE(insights.ListResponseDelaysBetween(
                  "a", google, INT64_MIN, INT64_MAX, 0, 1000)),
              google_all);
    EXPECT_THAT(VALUE(insights.ListResponseDelaysBetween("a", {}, hi, hi, 0,
                                                         10)),
                IsEmpty());
    EXPECT_THAT(VALUE(insights.ListResponseDelaysBetween(
                    "c", {}, INT64_MIN, INT64_MAX, 0, 10)),
                IsEmpty());
    EXPECT_CODE(insights.ListResponseDelaysBetween("a", {}, lo, hi, 0, 0),
                kInvalidArgument);
    EXPECT_CODE(insights.ListResponseDelaysBetween("a", {}, lo, hi, -1, 10),
                kInvalidArgument);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, CountOpenSlaCountsPendingDeadlinesAfterNow) {
  Data data(*store_);
  std::vector<absl::Time> deadlines;
  for (const ReviewRow& r : data.a.rows) {
    if (!r.deleted && Model::Pending(r)) deadlines.push_back(r.respond_by);
  }
  ASSERT_GT(deadlines.size(), 4u);
  absl::c_sort(deadlines);
  ReviewFilter range;
  range.start_time = data.a.rows[5].create_time;
  range.end_time = data.a.rows[40].create_time;
  range.subject_ids = {"s1"};
  ASSERT_OK(store_->Read([&](Txn& txn) {
    for (const ReviewFilter& f : {ReviewFilter{}, range}) {
      for (const absl::Time now :
           {absl::InfinitePast(), deadlines[0], deadlines[3],
            deadlines[3] + absl::Microseconds(1), deadlines.back()}) {
        int64_t want = 0;
        for (const ReviewRow* r : data.a.Select(f)) {
          want += Model::Pending(*r) && r->respond_by > now;
        }
        EXPECT_EQ(VALUE(txn.insights().CountOpenSla("a", f, now)), want)
            << "now " << now;
      }
    }
    EXPECT_EQ(VALUE(txn.insights().CountOpenSla("c", {}, absl::InfinitePast())),
              0);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, AspectMentionsByScoreThenReviewId) {
  Data data(*store_);
  auto same = [](const std::vector<AspectMention>& got,
                 const std::vector<AspectMention>& want) {
    EXPECT_EQ(got.size(), want.size());
    for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
      SCOPED_TRACE(i);
      EXPECT_EQ(got[i].review_id, want[i].review_id);
      EXPECT_EQ(got[i].aspect, want[i].aspect);
      EXPECT_EQ(got[i].label, want[i].label);
      EXPECT_EQ(got[i].score, want[i].score);
      EXPECT_EQ(got[i].begin, want[i].begin);
      EXPECT_EQ(got[i].end, want[i].end);
    }
  };
  ReviewFilter google;
  google.sources = {"google"};
  google.start_time = data.a.rows[4].create_time;
  ASSERT_OK(store_->Read([&](Txn& txn) {
    InsightsTxn& insights = txn.insights();
    for (const ReviewFilter& f : {ReviewFilter{}, google}) {
      for (int32_t aspect : {1, 2, 4}) {  // 4: every score ties
        for (int32_t label = 1; label <= 4; ++label) {
          for (bool ascending : {true, false}) {
            SCOPED_TRACE(absl::StrCat("aspect ", aspect, " label ", label,
                                      ascending ? " ascending" : ""));
            const std::vector<AspectMention> want =
                data.a.Mentions(f, aspect, label, ascending);
            same(VALUE(insights.ListAspectMentions("a", f, aspect, label,
                                                   ascending, 100)),
                 want);
            same(VALUE(insights.ListAspectMentions("a", f, aspect, label,
                                                   ascending, 2)),
                 std::vector<AspectMention>(
                     want.begin(), want.begin() + std::min<size_t>(
                                                      2, want.size())));
          }
        }
      }
    }
    EXPECT_FALSE(data.a.Mentions({}, 4, 1, true).empty());
    EXPECT_THAT(VALUE(insights.ListAspectMentions("c", {}, 4, 1, true, 10)),
                IsEmpty());
    EXPECT_CODE(insights.ListAspectMentions("a", {}, 4, 1, true, 0),
                kInvalidArgument);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, InsightsOfAnUnknownTenantAreEmpty) {
  Data data(*store_);
  ASSERT_OK(store_->Read([](Txn& txn) {
    InsightsTxn& insights = txn.insights();
    EXPECT_EQ(VALUE(insights.SumReviewStats("c", {})), ReviewStats{});
    EXPECT_THAT(VALUE(insights.ListDayStats("c", {}, -kAllDays, kAllDays)),
                IsEmpty());
    EXPECT_THAT(
        VALUE(insights.ListDayAspectStats("c", {}, -kAllDays, kAllDays)),
        IsEmpty());
    EXPECT_THAT(VALUE(insights.SumAspectStats("c", {})), IsEmpty());
    EXPECT_THAT(VALUE(insights.ListResponseDelays("c", {})), IsEmpty());
    EXPECT_THAT(VALUE(insights.SumResponseCounts("c", {})), IsEmpty());
    EXPECT_THAT(VALUE(insights.ListMonthResponseCounts("c", {}, -kAllDays,
                                                       kAllDays)),
                IsEmpty());
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace opinia::storage::conformance
