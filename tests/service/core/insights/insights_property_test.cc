// Property test of the insights rollups: random data sets, written through
// the real store and core paths (insert, re-ingest style updates, human
// overrides, status changes, responses, soft deletes), then every answer of
// core::Insights computed from rollups is compared with (a) the same
// computation from review rows only (Mode::kRowsOnly) and (b) an independent
// brute force in C++ over all rows, with absl's time zones instead of ICU.
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "opinia/v1/insights.pb.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/insights/insights.h"
#include "service/core/reviews/review_model.h"
#include "service/core/reviews/reviews.h"
#include "service/core/util/clock.h"
#include "service/core/util/names.h"
#include "service/core/util/time_proto.h"
#include "service/storage/local_time.h"
#include "tests/service/core/test_env.h"

namespace opinia::core {
namespace {

using google::protobuf::util::MessageDifferencer;

const char* const kSources[] = {"google", "allegro", "ceneo"};
const char* const kSubjects[] = {"p1", "p2", "p3", ""};
const char* const kLanguages[] = {"pl", "en", "de"};
constexpr char kTenant[] = "t1";

struct Env {
  std::unique_ptr<storage::Store> store;
  FakeClock clock{absl::FromCivil(absl::CivilSecond(2026, 6, 15, 12, 0, 0),
                                  absl::UTCTimeZone())};
  std::mt19937 rng;
  absl::Time lo = absl::FromCivil(absl::CivilSecond(2025, 9, 25, 0, 0, 0),
                                  absl::UTCTimeZone());
  absl::Time hi = absl::FromCivil(absl::CivilSecond(2026, 6, 20, 0, 0, 0),
                                  absl::UTCTimeZone());
  absl::TimeZone tz;
  std::string tz_name;

  int Uniform(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
  absl::Time RandomTime() {
    // Now and then exactly at a local midnight (rollup/edge boundaries).
    absl::Time t = lo + absl::Seconds(std::uniform_int_distribution<int64_t>(
                            0, absl::ToInt64Seconds(hi - lo))(rng)) +
                   absl::Microseconds(Uniform(1000000));
    if (Uniform(8) == 0) t = absl::FromCivil(absl::ToCivilDay(t, tz), tz);
    return t;
  }
};

opinia::v1::Analysis RandomAnalysis(Env& env, const std::string& text,
                                    absl::Time received) {
  opinia::v1::Analysis a;
  a.set_language(kLanguages[env.Uniform(3)]);
  a.mutable_sentiment()->set_label(
      static_cast<opinia::v1::SentimentLabel>(env.Uniform(5)));
  a.mutable_sentiment()->set_score(env.Uniform(201) / 100.0f - 1);
  for (int aspect = 1; aspect <= 8; ++aspect) {
    if (env.Uniform(3) != 0) continue;
    for (int copies = 1 + (env.Uniform(6) == 0); copies > 0; --copies) {
      auto* as = a.add_aspects();
      as->set_aspect(static_cast<opinia::v1::Aspect>(aspect));
      as->mutable_sentiment()->set_label(
          static_cast<opinia::v1::SentimentLabel>(1 + env.Uniform(4)));
      as->mutable_sentiment()->set_score(env.Uniform(201) / 100.0f - 1);
      const int b = env.Uniform(static_cast<int>(text.size()));
      auto* span = as->add_evidence();
      span->set_begin(b);
      span->set_end(b + 1 + env.Uniform(static_cast<int>(text.size()) - b));
    }
  }
  const int p = env.Uniform(6);
  if (p >= 1 && p <= 4) {
    a.mutable_urgency()->set_priority(static_cast<opinia::v1::Priority>(p));
    // Deadlines around "now" so that some are open and some breached.
    ToTimestamp(received + absl::Hours(env.Uniform(24 * 400)),
                a.mutable_urgency()->mutable_respond_by());
  } else {
    a.mutable_urgency()->set_priority(opinia::v1::NONE);
  }
  return a;
}

// Fills the input columns of `row` like ingest does.
void RandomInput(Env& env, int i, storage::ReviewRow* row) {
  opinia::v1::ReviewInput in;
  in.set_source(kSources[env.Uniform(3)]);
  in.set_external_id(absl::StrCat("e", i));
  in.set_subject_id(kSubjects[env.Uniform(4)]);
  in.set_rating(env.Uniform(6));
  in.set_text(absl::StrCat("Opinia numer ", i, " o żółtej paczce, dostałem ",
                           env.Uniform(1000)));
  ToTimestamp(env.RandomTime(), in.mutable_create_time());
  row->source = in.source();
  row->external_id = in.external_id();
  row->subject_id = in.subject_id();
  row->rating = in.rating();
  row->create_time = FromTimestamp(in.create_time());
  row->input = in.SerializeAsString();
  row->search_text = in.text();
  SetAnalysis(RandomAnalysis(env, in.text(), row->ingest_time),
              row->ingest_time, row);
}

// ---- the independent brute force ----

struct Expected {
  int64_t count = 0, ratings[5] = {}, labels[5] = {}, responded = 0;
  int64_t open = 0, breached = 0;
  std::vector<int64_t> delays;
  std::map<int, std::array<int64_t, 5>> aspects;
};

bool InFilter(const storage::ReviewRow& r, const opinia::v1::SummaryRequest& q) {
  auto in = [](const auto& list, const std::string& v) {
    return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
  };
  return !r.deleted && in(q.sources(), r.source) &&
         in(q.subject_ids(), r.subject_id) && in(q.languages(), r.language);
}

void Add(const storage::ReviewRow& r, absl::Time now, Expected* e) {
  ++e->count;
  if (r.rating >= 1) ++e->ratings[r.rating - 1];
  ++e->labels[r.label];
  const bool responded = r.response_time != absl::InfinitePast();
  const bool deadline = r.respond_by != absl::InfinitePast();
  if (responded) {
    ++e->responded;
    // From when Opinia showed the review, or from create_time for a reply
    // recorded before Opinia saw it (insights.proto).
    const absl::Time from = r.response_time < r.ingest_time
                                ? r.create_time
                                : std::max(r.create_time, r.ingest_time);
    e->delays.push_back(std::max<int64_t>(
        0, absl::ToInt64Microseconds(r.response_time - from)));
  }
  const bool pending = deadline && !responded &&
                       (r.status == opinia::v1::NEW ||
                        r.status == opinia::v1::ACKNOWLEDGED);
  if (pending && r.respond_by > now) ++e->open;
  if ((pending && r.respond_by <= now) ||
      (deadline && responded && r.response_time > r.respond_by)) {
    ++e->breached;
  }
  auto analysis = StoredAnalysis(r);
  std::set<int> seen;
  for (const auto& a : analysis->aspects()) {
    if (!seen.insert(a.aspect()).second) continue;
    ++e->aspects[a.aspect()][a.sentiment().label()];
  }
}

double Median(std::vector<int64_t> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return (v.size() % 2 ? v[m] : (v[m] + v[m - 1]) / 2.0) / 1e6;
}

class InsightsPropertyTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    env_.tz_name = GetParam();
    ASSERT_TRUE(absl::LoadTimeZone(env_.tz_name, &env_.tz));
    env_.rng.seed(20261123);
    env_.store = testing::OpenTestStore();
    ASSERT_NE(env_.store, nullptr);
    ASSERT_TRUE(env_.store
                    ->Write([&](storage::Txn& txn) {
                      for (const char* id : {kTenant, "other"}) {
                        storage::TenantRow t{id, id, env_.tz_name,
                                             absl::UnixEpoch()};
                        if (auto s = txn.InsertTenant(t); !s.ok()) return s;
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  }

  void InsertReviews(const char* tenant, int n) {
    ASSERT_TRUE(env_.store
                    ->Write([&](storage::Txn& txn) -> absl::Status {
                      for (int i = 0; i < n; ++i) {
                        storage::ReviewRow row;
                        row.tenant_id = tenant;
                        row.ingest_time = env_.RandomTime();
                        row.modify_time = row.ingest_time;
                        RandomInput(env_, next_id_++, &row);
                        auto id = txn.InsertReview(row);
                        if (!id.ok()) return id.status();
                        ids_.push_back(*id);
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  }

  // One random change of a random review through core or the store.
  void Mutate(Reviews& reviews) {
    const int64_t id = ids_[env_.Uniform(static_cast<int>(ids_.size()))];
    const std::string name = ReviewName(id);
    switch (env_.Uniform(6)) {
      case 0: {  // override sentiment and/or priority
        opinia::v1::UpdateReviewRequest req;
        req.mutable_review()->set_name(name);
        auto* ov = req.mutable_review()->mutable_override();
        ov->mutable_sentiment()->set_label(
            static_cast<opinia::v1::SentimentLabel>(env_.Uniform(5)));
        ov->mutable_urgency()->set_priority(
            static_cast<opinia::v1::Priority>(env_.Uniform(6)));
        req.mutable_update_mask()->add_paths("override");
        reviews.Update(testing::Caller(kTenant, "test"), req).IgnoreError();
        break;
      }
      case 1: {  // status
        opinia::v1::UpdateReviewRequest req;
        req.mutable_review()->set_name(name);
        req.mutable_review()->set_status(
            static_cast<opinia::v1::ReviewStatus>(1 + env_.Uniform(4)));
        req.mutable_update_mask()->add_paths("status");
        reviews.Update(testing::Caller(kTenant, "test"), req).IgnoreError();
        break;
      }
      case 2: {  // response, before or after the deadline
        opinia::v1::RecordResponseRequest req;
        req.set_name(name);
        req.mutable_response()->set_text("Dziękujemy");
        ToTimestamp(env_.RandomTime(),
                    req.mutable_response()->mutable_response_time());
        reviews.RecordResponse(testing::Caller(kTenant, "test"), req).IgnoreError();
        break;
      }
      case 3:  // soft delete
        if (env_.Uniform(3) == 0) {
          reviews.Delete(testing::Caller(kTenant, "test"), name).IgnoreError();
        }
        break;
      default: {  // re-ingest: new input and analysis (moves day, source...)
        ASSERT_TRUE(env_.store
                        ->Write([&](storage::Txn& txn) -> absl::Status {
                          auto row = txn.GetReview(kTenant, id);
                          if (!row.ok()) return row.status();
                          row->deleted = env_.Uniform(5) == 0 && row->deleted;
                          RandomInput(env_, static_cast<int>(id) + 100000,
                                      &*row);
                          return txn.UpdateReview(*row);
                        })
                        .ok());
      }
    }
  }

  opinia::v1::SummaryRequest RandomRequest() {
    opinia::v1::SummaryRequest q;
    for (const char* s : kSources) {
      if (env_.Uniform(3) == 0) q.add_sources(s);
    }
    for (const char* s : kSubjects) {
      if (*s && env_.Uniform(4) == 0) q.add_subject_ids(s);
    }
    for (const char* s : kLanguages) {
      if (env_.Uniform(4) == 0) q.add_languages(s);
    }
    const int kind = env_.Uniform(6);
    absl::Time a = env_.RandomTime(), b = env_.RandomTime();
    if (a > b) std::swap(a, b);
    if (kind == 0) b = a + absl::Hours(env_.Uniform(40) + 1);  // < 2 days
    if (kind == 1) {  // whole local days
      a = absl::FromCivil(absl::ToCivilDay(a, env_.tz), env_.tz);
      b = absl::FromCivil(absl::ToCivilDay(b, env_.tz) + 1, env_.tz);
    }
    if (b <= a) b = a + absl::Seconds(1);
    if (kind != 2) ToTimestamp(a, q.mutable_start_time());
    if (kind != 3) ToTimestamp(b, q.mutable_end_time());
    return q;
  }

  std::vector<storage::ReviewRow> AllRows() {
    std::vector<storage::ReviewRow> rows;
    storage::ReviewFilter f;
    f.include_deleted = true;
    EXPECT_TRUE(env_.store
                    ->Read([&](storage::Txn& txn) -> absl::Status {
                      auto page = txn.ListReviews(kTenant, f, std::nullopt,
                                                  100000);
                      if (!page.ok()) return page.status();
                      rows = *std::move(page);
                      return absl::OkStatus();
                    })
                    .ok());
    return rows;
  }

  int64_t CivilDayNumber(absl::Time t) {
    return absl::ToCivilDay(t, env_.tz) - absl::CivilDay(1970, 1, 1);
  }

  // The response delay histograms of random whole local months against the
  // same counts from the rows (brute force SQL), for a random filter.
  void CheckResponseRollups(const opinia::v1::SummaryRequest& q) {
    storage::ReviewFilter f;
    f.sources.assign(q.sources().begin(), q.sources().end());
    f.subject_ids.assign(q.subject_ids().begin(), q.subject_ids().end());
    f.languages.assign(q.languages().begin(), q.languages().end());
    const absl::CivilMonth first(2025, 8);
    absl::CivilMonth a = first + env_.Uniform(12), b = first + env_.Uniform(12);
    if (b < a) std::swap(a, b);
    b += 1;
    const absl::CivilDay epoch(1970, 1, 1);
    const int64_t first_month = absl::CivilDay(a) - epoch;
    const int64_t end_month = absl::CivilDay(b) - epoch;
    f.start_time = storage::LocalDayStart(first_month, env_.tz_name);
    f.end_time = storage::LocalDayStart(end_month, env_.tz_name);
    ASSERT_TRUE(env_.store
                    ->Read([&](storage::Txn& txn) -> absl::Status {
                      auto rollup = txn.insights().ListMonthResponseCounts(
                          kTenant, f, first_month, end_month);
                      auto rows = txn.insights().SumResponseCounts(kTenant, f);
                      if (!rollup.ok()) return rollup.status();
                      if (!rows.ok()) return rows.status();
                      EXPECT_EQ(*rollup, *rows);
                      int64_t total = 0;
                      for (const auto& c : *rows) total += c.count;
                      responded_checked_ += total;
                      return absl::OkStatus();
                    })
                    .ok());
  }

  void CheckAll(int requests) {
    Insights rollups(env_.store.get(), &env_.clock);
    Insights rows_only(env_.store.get(), &env_.clock,
                       Insights::Mode::kRowsOnly);
    const std::vector<storage::ReviewRow> rows = AllRows();
    const absl::Time now = env_.clock.Now();
    for (int i = 0; i < requests; ++i) {
      const opinia::v1::SummaryRequest q = RandomRequest();
      SCOPED_TRACE(q.ShortDebugString());
      CheckResponseRollups(q);
      auto fast = rollups.Summary(testing::Caller(kTenant), q);
      auto slow = rows_only.Summary(testing::Caller(kTenant), q);
      ASSERT_TRUE(fast.ok()) << fast.status();
      ASSERT_TRUE(slow.ok()) << slow.status();
      EXPECT_TRUE(MessageDifferencer::Equals(*fast, *slow))
          << fast->ShortDebugString() << "\nvs rows only\n"
          << slow->ShortDebugString();

      const absl::Time start = q.has_start_time()
                                   ? FromTimestamp(q.start_time())
                                   : absl::InfinitePast();
      const absl::Time end = q.has_end_time() ? FromTimestamp(q.end_time())
                                              : absl::InfiniteFuture();
      Expected e;
      for (const auto& r : rows) {
        if (InFilter(r, q) && r.create_time >= start && r.create_time < end) {
          Add(r, now, &e);
        }
      }
      EXPECT_EQ(fast->review_count(), e.count);
      for (int k = 0; k < 5; ++k) EXPECT_EQ(fast->rating_counts(k), e.ratings[k]);
      EXPECT_EQ(fast->negative_count(), e.labels[1]);
      EXPECT_EQ(fast->neutral_count(), e.labels[2]);
      EXPECT_EQ(fast->positive_count(), e.labels[3]);
      EXPECT_EQ(fast->mixed_count(), e.labels[4]);
      EXPECT_DOUBLE_EQ(fast->response_rate(),
                       e.count ? double(e.responded) / e.count : 0.0);
      EXPECT_DOUBLE_EQ(fast->median_response_seconds(), Median(e.delays));
      EXPECT_EQ(fast->open_sla_count(), e.open);
      EXPECT_EQ(fast->breached_sla_count(), e.breached);
      for (const auto& top : fast->top_negative_aspects()) {
        EXPECT_EQ(top.count(), e.aspects[top.aspect()][opinia::v1::NEGATIVE]);
      }

      auto fast_aspects = rollups.AspectInsights(testing::Caller(kTenant), q);
      auto slow_aspects = rows_only.AspectInsights(testing::Caller(kTenant), q);
      ASSERT_TRUE(fast_aspects.ok()) << fast_aspects.status();
      ASSERT_TRUE(slow_aspects.ok()) << slow_aspects.status();
      EXPECT_TRUE(MessageDifferencer::Equals(*fast_aspects, *slow_aspects));
      for (const auto& a : fast_aspects->aspects()) {
        EXPECT_EQ(a.negative_count(), e.aspects[a.aspect()][1]);
        EXPECT_EQ(a.neutral_count(), e.aspects[a.aspect()][2]);
        EXPECT_EQ(a.positive_count(), e.aspects[a.aspect()][3]);
        EXPECT_EQ(a.mixed_count(), e.aspects[a.aspect()][4]);
        for (const auto& quote : a.negative_quotes()) {
          EXPECT_FALSE(quote.text().empty());
        }
      }

      if (!q.has_start_time() || !q.has_end_time()) continue;
      for (auto interval : {opinia::v1::DAY, opinia::v1::WEEK, opinia::v1::MONTH}) {
        opinia::v1::TrendsRequest t;
        *t.mutable_filter() = q;
        t.set_interval(interval);
        auto fast_t = rollups.Trends(testing::Caller(kTenant), t);
        auto slow_t = rows_only.Trends(testing::Caller(kTenant), t);
        ASSERT_TRUE(fast_t.ok()) << fast_t.status();
        ASSERT_TRUE(slow_t.ok()) << slow_t.status();
        EXPECT_TRUE(MessageDifferencer::Equals(*fast_t, *slow_t))
            << opinia::v1::Interval_Name(interval);
        // Brute force per bucket with absl civil time.
        auto bucket_first = [&](absl::Time t) {
          absl::CivilDay d = absl::ToCivilDay(t, env_.tz);
          if (interval == opinia::v1::WEEK) {
            while (absl::GetWeekday(d) != absl::Weekday::monday) d -= 1;
          } else if (interval == opinia::v1::MONTH) {
            d = absl::CivilDay(absl::CivilMonth(d));
          }
          return d;
        };
        std::map<absl::CivilDay, int64_t> counts;
        for (const auto& r : rows) {
          if (InFilter(r, q) && r.create_time >= start && r.create_time < end) {
            ++counts[bucket_first(r.create_time)];
          }
        }
        int64_t total = 0;
        absl::CivilDay previous;
        for (int p = 0; p < fast_t->points_size(); ++p) {
          const auto& point = fast_t->points(p);
          const absl::Time s = FromTimestamp(point.start_time());
          const absl::CivilDay d = absl::ToCivilDay(s, env_.tz);
          EXPECT_EQ(d, bucket_first(s));
          if (p > 0) {
            EXPECT_GT(d, previous);
          }
          previous = d;
          EXPECT_EQ(point.summary().review_count(), counts[d]);
          total += point.summary().review_count();
        }
        ASSERT_GT(fast_t->points_size(), 0);
        EXPECT_EQ(absl::ToCivilDay(FromTimestamp(fast_t->points(0).start_time()),
                                   env_.tz),
                  bucket_first(start));
        EXPECT_EQ(total, e.count);
      }
    }
  }

  Env env_;
  int64_t responded_checked_ = 0;  // reviews counted by CheckResponseRollups
  std::vector<int64_t> ids_;
  int next_id_ = 0;
};

TEST_P(InsightsPropertyTest, RollupsMatchBruteForceThroughChanges) {
  InsertReviews("other", 50);  // another tenant's rows never count
  ids_.clear();
  InsertReviews(kTenant, 300);
  CheckAll(25);
  Reviews reviews(env_.store.get(), &env_.clock);
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 300; ++i) Mutate(reviews);
    InsertReviews(kTenant, 50);
    env_.clock.Advance(absl::Hours(24 * 20));
    CheckAll(25);
  }
  EXPECT_GT(responded_checked_, 100);  // the histograms held data
}

INSTANTIATE_TEST_SUITE_P(Zones, InsightsPropertyTest,
                         ::testing::Values("Europe/Warsaw", "America/St_Johns",
                                           "Asia/Kathmandu", "UTC"));

}  // namespace
}  // namespace opinia::core
