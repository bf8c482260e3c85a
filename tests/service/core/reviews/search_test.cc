// Full-text search through core::Reviews::List on a real SQLite store:
// case and diacritics folding, prefixes, other filters, paging, updates and
// deletes keeping the index in sync, tenant scoping, bad queries.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/core/reviews/reviews.h"
#include "service/core/util/clock.h"
#include "service/core/util/names.h"
#include "tests/service/core/test_env.h"

namespace opinia::core {
namespace {

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::OpenTestStore();
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_
                    ->Write([&](storage::Txn& txn) {
                      for (const char* id : {"t1", "t2"}) {
                        storage::TenantRow t{id, id, "Europe/Warsaw",
                                             absl::UnixEpoch()};
                        if (auto s = txn.InsertTenant(t); !s.ok()) return s;
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  }

  int64_t Add(const std::string& tenant, const std::string& source,
              const std::string& text) {
    storage::ReviewRow row;
    row.tenant_id = tenant;
    row.source = source;
    row.external_id = absl::StrCat("e", ++n_);
    row.create_time = absl::FromUnixSeconds(1780000000 + n_ * 60);
    row.ingest_time = row.modify_time = row.create_time;
    opinia::v1::ReviewInput in;
    in.set_source(source);
    in.set_text(text);
    row.input = in.SerializeAsString();
    row.analysis = opinia::v1::Analysis().SerializeAsString();
    row.search_text = text;
    int64_t id = 0;
    EXPECT_TRUE(store_
                    ->Write([&](storage::Txn& txn) -> absl::Status {
                      auto got = txn.InsertReview(row);
                      if (!got.ok()) return got.status();
                      id = *got;
                      return absl::OkStatus();
                    })
                    .ok());
    return id;
  }

  // Names of every match, following page tokens.
  std::set<std::string> Search(const std::string& tenant,
                               opinia::v1::ListReviewsRequest req) {
    std::set<std::string> names;
    Reviews reviews(store_.get(), &clock_);
    for (int pages = 0; pages < 100; ++pages) {
      auto page = reviews.List(testing::Caller(tenant), req);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const auto& r : page->reviews()) {
        EXPECT_TRUE(names.insert(r.name()).second) << "twice: " << r.name();
      }
      if (page->next_page_token().empty()) break;
      req.set_page_token(page->next_page_token());
    }
    return names;
  }

  std::set<std::string> Search(const std::string& query) {
    opinia::v1::ListReviewsRequest req;
    req.set_query(query);
    return Search("t1", req);
  }

  std::unique_ptr<storage::Store> store_;
  FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  int n_ = 0;
};

TEST_F(SearchTest, FoldsCaseAndDiacriticsAndFindsPrefixes) {
  const std::string a = ReviewName(Add("t1", "google", "Żółć w paczce!"));
  const std::string b =
      ReviewName(Add("t1", "google", "Zwrotu nie dostałem do dziś."));
  const std::string c = ReviewName(Add("t1", "allegro", "ZWROT przyjęty, ok"));
  const std::string d = ReviewName(Add("t1", "allegro", "Łódź, Straße, Ørsted"));
  Add("t2", "google", "zwrot dostałem żółć");  // another tenant
  const struct {
    const char* query;
    std::set<std::string> want;
  } kCases[] = {
      {"zolc", {a}},
      {"ŻÓŁĆ", {a}},
      {"dostalem", {b}},
      {"DOSTAŁEM", {b}},
      {"zwrot*", {b, c}},
      {"zwrot", {c}},
      {"zwrot* dostalem", {b}},
      {"zwrot* -dostalem", {c}},
      {"zolc OR przyjety", {a, c}},
      {"\"nie dostalem\"", {b}},
      {"lodz", {d}},
      {"strasse", {d}},
      {"orsted", {d}},
      {"pacz*", {a}},
      {"nothinglikethis", {}},
      {"AND OR NOT", {}},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(Search(c.query), c.want) << c.query;
  }
}

TEST_F(SearchTest, CombinesWithFiltersAndPages) {
  std::set<std::string> google;
  for (int i = 0; i < 7; ++i) {
    google.insert(ReviewName(Add("t1", "google", "zwrotem " + std::to_string(i))));
    Add("t1", "allegro", "zwrotem");
    Add("t1", "google", "inne słowa");
  }
  opinia::v1::ListReviewsRequest req;
  req.set_query("zwrot*");
  req.add_sources("google");
  req.set_page_size(3);
  EXPECT_EQ(Search("t1", req), google);
  req.set_order_by("create_time asc");
  EXPECT_EQ(Search("t1", req), google);

  Reviews reviews(store_.get(), &clock_);
  auto first = reviews.List(testing::Caller("t1"), req);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->total_size(), 7);
  ASSERT_FALSE(first->next_page_token().empty());
  opinia::v1::ListReviewsRequest other = req;
  other.set_query("inne");
  other.set_page_token(first->next_page_token());
  EXPECT_EQ(reviews.List(testing::Caller("t1"), other).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SearchTest, FollowsUpdatesAndDeletes) {
  const int64_t id = Add("t1", "google", "stary tekst o kurierze");
  const int64_t gone = Add("t1", "google", "kurier zgubił paczkę");
  ASSERT_TRUE(store_
                  ->Write([&](storage::Txn& txn) -> absl::Status {
                    auto row = txn.GetReview("t1", id);
                    if (!row.ok()) return row.status();
                    row->search_text = "nowy tekst o płatności";
                    return txn.UpdateReview(*row);
                  })
                  .ok());
  Reviews reviews(store_.get(), &clock_);
  ASSERT_TRUE(reviews.Delete(testing::Caller("t1", "x"), ReviewName(gone)).ok());
  EXPECT_EQ(Search("stary"), std::set<std::string>{});
  EXPECT_EQ(Search("platnosci"), std::set<std::string>{ReviewName(id)});
  EXPECT_EQ(Search("kurier*"), std::set<std::string>{});
  opinia::v1::ListReviewsRequest req;
  req.set_query("kurier*");
  req.set_show_deleted(true);
  EXPECT_EQ(Search("t1", req), std::set<std::string>{ReviewName(gone)});
}

TEST_F(SearchTest, BadQueryNamesTheField) {
  Reviews reviews(store_.get(), &clock_);
  for (const char* q : {"\"open", "!!!", "-only"}) {
    opinia::v1::ListReviewsRequest req;
    req.set_query(q);
    auto got = reviews.List(testing::Caller("t1"), req);
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << q;
    EXPECT_NE(got.status().message().find("query"), std::string::npos) << q;
  }
}

}  // namespace
}  // namespace opinia::core
