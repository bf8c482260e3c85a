#include "service/core/reviews/reviews.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "gtest/gtest.h"
#include "service/core/ingest/ingest.h"
#include "service/core/util/paging.h"
#include "service/core/util/time_proto.h"
#include "tests/service/core/test_env.h"
#include "tests/service/core/two_shops_test.h"

namespace opinia::core {
namespace {

using opinia::v1::ListReviewsRequest;
using opinia::v1::ReviewInput;
using testing::TestEpoch;

class ReviewsTest : public testing::TwoShopsTest {
 protected:
  // Ingests `n` reviews; review i was created i minutes after TestEpoch,
  // alternating sources and ratings 1..5.
  std::vector<std::string> Seed(int n, const std::string& tenant = "shop-a") {
    std::vector<ReviewInput> batch;
    for (int i = 0; i < n; ++i) {
      ReviewInput in;
      in.set_source(i % 2 ? "google" : "allegro");
      in.set_external_id("e" + std::to_string(i));
      in.set_rating(1 + i % 5);
      in.set_text("review " + std::to_string(i));
      in.mutable_create_time()->set_seconds(
          absl::ToUnixSeconds(TestEpoch()) + 60 * i);
      batch.push_back(in);
    }
    auto r = ingestor_.Ingest(testing::Caller(tenant), batch);
    EXPECT_TRUE(r.ok()) << r.status();
    std::vector<std::string> names;
    for (const auto& x : *r) names.push_back(x.name());
    return names;
  }

  std::vector<std::string> ListAll(ListReviewsRequest r, int page_size) {
    std::vector<std::string> names;
    r.set_page_size(page_size);
    for (int i = 0; i < 1000; ++i) {
      auto page = reviews_.List(testing::Caller("shop-a"), r);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const auto& x : page->reviews()) names.push_back(x.name());
      if (page->next_page_token().empty()) break;
      r.set_page_token(page->next_page_token());
    }
    return names;
  }
};

TEST_F(ReviewsTest, GetIsTenantScopedAndValidatesNames) {
  auto names = Seed(1);
  auto got = reviews_.Get(testing::Caller("shop-a"), names[0]);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->input().external_id(), "e0");
  EXPECT_EQ(got->status(), opinia::v1::NEW);
  EXPECT_EQ(got->analysis().model_version(), "counting-1");

  EXPECT_EQ(reviews_.Get(testing::Caller("shop-b"), names[0]).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(reviews_.Get(testing::Caller("shop-a"), "reviews/999999").status().code(),
            absl::StatusCode::kNotFound);
  for (const char* bad : {"", "reviews/", "reviews/abc", "reviews/-1",
                          "reviews/0", "review/1", "reviews/1/x"}) {
    auto r = reviews_.Get(testing::Caller("shop-a"), bad);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(r.status().message().rfind("name:", 0), 0u) << r.status();
  }
}

TEST_F(ReviewsTest, PagesCoverEverythingOnceInBothOrders) {
  Seed(120);
  Seed(30, "shop-b");
  for (int page_size : {1, 7, 50, 1000}) {
    auto desc = ListAll({}, page_size);
    ASSERT_EQ(desc.size(), 120u) << page_size;
    EXPECT_EQ(std::set<std::string>(desc.begin(), desc.end()).size(), 120u);
    ListReviewsRequest asc_req;
    asc_req.set_order_by("create_time asc");
    auto asc = ListAll(asc_req, page_size);
    ASSERT_EQ(asc.size(), 120u);
    EXPECT_EQ(std::vector<std::string>(asc.rbegin(), asc.rend()), desc)
        << page_size;
  }
}

TEST_F(ReviewsTest, TiesOnCreateTimeStillPageCleanly) {
  // No create_time in the input: every review gets the same ingest time.
  std::vector<ReviewInput> batch(40);
  for (int i = 0; i < 40; ++i) {
    batch[i].set_source("allegro");
    batch[i].set_external_id("t" + std::to_string(i));
    batch[i].set_rating(4);
  }
  ASSERT_TRUE(ingestor_.Ingest(testing::Caller("shop-a"), batch).ok());
  auto names = ListAll({}, 7);
  EXPECT_EQ(names.size(), 40u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 40u);
}

// The effective priority and deadline of a review (an override wins), as
// the inbox orders by them: P1..NONE, then unspecified; no deadline last.
std::tuple<int, absl::Time, int64_t> UrgencyKey(const opinia::v1::Review& r) {
  const bool overridden =
      r.override().urgency().priority() != opinia::v1::PRIORITY_UNSPECIFIED;
  const opinia::v1::Urgency& u =
      overridden ? r.override().urgency() : r.analysis().urgency();
  const int rank = u.priority() == 0 ? 6 : u.priority();
  const absl::Time due = u.has_respond_by() ? FromTimestamp(u.respond_by())
                                            : absl::InfiniteFuture();
  int64_t id = 0;
  EXPECT_TRUE(absl::SimpleAtoi(r.name().substr(8), &id)) << r.name();
  return {rank, due, id};
}

TEST_F(ReviewsTest, InboxOrdersListTheMostUrgentFirstAcrossPages) {
  // Reviews received 7 minutes apart (so deadlines differ): rating 1 is P2
  // (4 h), others P4 (72 h) under the counting analyzer.
  std::vector<std::string> names;
  for (int i = 0; i < 24; ++i) {
    clock_.Advance(absl::Minutes(7));
    ReviewInput in;
    in.set_source("google");
    in.set_external_id("u" + std::to_string(i));
    in.set_rating(i % 3 == 0 ? 1 : 4);
    in.set_text("review " + std::to_string(i));
    auto r = ingestor_.Ingest(testing::Caller("shop-a"), {in});
    ASSERT_TRUE(r.ok()) << r.status();
    names.push_back((*r)[0].name());
  }
  Seed(5, "shop-b");  // another tenant's reviews never show
  auto set_priority = [&](int i, opinia::v1::Priority p) {
    opinia::v1::UpdateReviewRequest u;
    u.mutable_review()->set_name(names[i]);
    u.mutable_review()->mutable_override()->mutable_urgency()->set_priority(p);
    u.mutable_update_mask()->add_paths("override.urgency.priority");
    ASSERT_TRUE(reviews_.Update(testing::Caller("shop-a"), u).ok());
  };
  set_priority(5, opinia::v1::P1);
  set_priority(11, opinia::v1::P1);
  set_priority(4, opinia::v1::P3);
  set_priority(7, opinia::v1::NONE);  // no deadline
  opinia::v1::RecordResponseRequest respond;
  respond.set_name(names[0]);
  respond.mutable_response()->set_text("Dziękujemy");
  ASSERT_TRUE(reviews_.RecordResponse(testing::Caller("shop-a"), respond).ok());
  opinia::v1::UpdateReviewRequest ack;
  ack.mutable_review()->set_name(names[3]);
  ack.mutable_review()->set_status(opinia::v1::ACKNOWLEDGED);
  ack.mutable_update_mask()->add_paths("status");
  ASSERT_TRUE(reviews_.Update(testing::Caller("shop-a"), ack).ok());
  ASSERT_TRUE(reviews_.Delete(testing::Caller("shop-a"), names[6]).ok());

  // An overridden priority shows its own deadline (ingest + the policy's).
  auto p1 = reviews_.Get(testing::Caller("shop-a"), names[5]);
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(FromTimestamp(p1->override().urgency().respond_by()),
            FromTimestamp(p1->ingest_time()) + absl::Hours(1));

  std::vector<opinia::v1::Review> all;
  for (const std::string& name : names) {
    auto r = reviews_.Get(testing::Caller("shop-a"), name);
    ASSERT_TRUE(r.ok()) << r.status();
    all.push_back(*r);
  }
  struct Case {
    const char* order_by;
    std::vector<opinia::v1::Priority> priorities;
    bool urgency;  // rank first
  };
  const Case cases[] = {
      {"priority asc, respond_by asc",
       {opinia::v1::P1, opinia::v1::P2, opinia::v1::P3}, true},
      {"  Priority ASC ,respond_by", {}, true},
      {"respond_by asc", {}, false},
      {"respond_by", {opinia::v1::P4, opinia::v1::NONE}, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.order_by);
    ListReviewsRequest inbox;
    inbox.add_statuses(opinia::v1::NEW);
    inbox.add_statuses(opinia::v1::ACKNOWLEDGED);
    for (auto p : c.priorities) inbox.add_priorities(p);
    inbox.set_order_by(c.order_by);
    std::vector<opinia::v1::Review> want;
    for (const auto& r : all) {
      const int rank = std::get<0>(UrgencyKey(r));
      const bool open = r.status() == opinia::v1::NEW ||
                        r.status() == opinia::v1::ACKNOWLEDGED;
      const bool listed =
          c.priorities.empty() ||
          std::find(c.priorities.begin(), c.priorities.end(), rank) !=
              c.priorities.end();
      if (open && !r.deleted() && listed) want.push_back(r);
    }
    std::sort(want.begin(), want.end(), [&](const auto& a, const auto& b) {
      auto ka = UrgencyKey(a), kb = UrgencyKey(b);
      if (!c.urgency) std::get<0>(ka) = std::get<0>(kb) = 0;
      return ka < kb;
    });
    std::vector<std::string> want_names;
    for (const auto& r : want) want_names.push_back(r.name());
    ASSERT_GE(want_names.size(), 5u);
    auto first = reviews_.List(testing::Caller("shop-a"), inbox);
    ASSERT_TRUE(first.ok()) << first.status();
    EXPECT_EQ(first->total_size(), static_cast<int>(want_names.size()));
    EXPECT_EQ(ListAll(inbox, 3), want_names);
  }
  // The P1 overrides lead the inbox; the review without a deadline ends
  // the nearest-deadline list.
  ListReviewsRequest inbox;
  inbox.add_statuses(opinia::v1::NEW);
  inbox.set_order_by("priority asc, respond_by asc");
  auto page = reviews_.List(testing::Caller("shop-a"), inbox);
  ASSERT_TRUE(page.ok());
  ASSERT_GE(page->reviews_size(), 2);
  EXPECT_EQ(page->reviews(0).name(), names[5]);
  EXPECT_EQ(page->reviews(1).name(), names[11]);
  inbox.set_order_by("respond_by asc");
  inbox.set_page_size(1000);
  page = reviews_.List(testing::Caller("shop-a"), inbox);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->reviews(page->reviews_size() - 1).name(), names[7]);
}

TEST_F(ReviewsTest, FiltersAndTotalSize) {
  Seed(50);
  struct Case {
    const char* name;
    void (*set)(ListReviewsRequest*);
    int want;
  } cases[] = {
      {"all", [](ListReviewsRequest*) {}, 50},
      {"source", [](ListReviewsRequest* r) { r->add_sources("google"); }, 25},
      {"rating 5", [](ListReviewsRequest* r) { r->set_min_rating(5); }, 10},
      {"rating 1..2",
       [](ListReviewsRequest* r) {
         r->set_min_rating(1);
         r->set_max_rating(2);
       },
       20},
      {"positive",
       [](ListReviewsRequest* r) { r->add_labels(opinia::v1::POSITIVE); }, 20},
      {"P2", [](ListReviewsRequest* r) { r->add_priorities(opinia::v1::P2); },
       10},
      {"status NEW",
       [](ListReviewsRequest* r) { r->add_statuses(opinia::v1::NEW); }, 50},
      {"first 10 minutes",
       [](ListReviewsRequest* r) {
         r->mutable_end_time()->set_seconds(absl::ToUnixSeconds(TestEpoch()) +
                                            600);
       },
       10},
      {"language",
       [](ListReviewsRequest* r) { r->add_languages("de"); }, 0},
  };
  for (const auto& c : cases) {
    ListReviewsRequest r;
    c.set(&r);
    r.set_page_size(5);
    auto page = reviews_.List(testing::Caller("shop-a"), r);
    ASSERT_TRUE(page.ok()) << c.name << ": " << page.status();
    EXPECT_EQ(page->total_size(), c.want) << c.name;
    EXPECT_EQ(page->reviews_size(), std::min(5, c.want)) << c.name;
  }
}

TEST_F(ReviewsTest, BadListArgumentsNameTheField) {
  Seed(10);
  ListReviewsRequest first;
  first.set_page_size(3);
  auto page = reviews_.List(testing::Caller("shop-a"), first);
  ASSERT_TRUE(page.ok());
  const std::string token = page->next_page_token();
  ASSERT_FALSE(token.empty());

  struct Case {
    const char* name;
    ListReviewsRequest request;
    absl::StatusCode code;
    std::string field;
  };
  std::vector<Case> cases;
  auto add = [&](const char* name, auto edit, absl::StatusCode code,
                 std::string field) {
    ListReviewsRequest r;
    edit(&r);
    cases.push_back({name, r, code, field});
  };
  using C = absl::StatusCode;
  add("garbage token", [](auto* r) { r->set_page_token("garbage!!"); },
      C::kInvalidArgument, "page_token");
  add("short token", [](auto* r) { r->set_page_token("AAAA"); },
      C::kInvalidArgument, "page_token");
  add("token with other filter",
      [&](auto* r) {
        r->set_page_token(token);
        r->add_sources("google");
      },
      C::kInvalidArgument, "page_token");
  add("token with other order",
      [&](auto* r) {
        r->set_page_token(token);
        r->set_order_by("create_time asc");
      },
      C::kInvalidArgument, "page_token");
  add(
      "forged cursor",
      [&](auto* r) {
        r->set_page_token(
            EncodePageToken(store_->ServerSecret(), "x", "1:2:3"));
      },
      C::kInvalidArgument, "page_token");
  add("negative page size", [](auto* r) { r->set_page_size(-1); },
      C::kInvalidArgument, "page_size");
  add("order_by rating", [](auto* r) { r->set_order_by("rating desc"); },
      C::kInvalidArgument, "order_by");
  add("order_by priority alone",
      [](auto* r) { r->set_order_by("priority asc"); }, C::kInvalidArgument,
      "order_by");
  add("order_by respond_by desc",
      [](auto* r) { r->set_order_by("respond_by desc"); },
      C::kInvalidArgument, "order_by");
  add("order_by with an empty key",
      [](auto* r) { r->set_order_by("priority asc, respond_by asc,"); },
      C::kInvalidArgument, "order_by");
  add("token of another order",
      [&](auto* r) {
        r->set_page_token(token);
        r->set_order_by("priority asc, respond_by asc");
      },
      C::kInvalidArgument, "page_token");
  add("forged inbox cursor",
      [&](auto* r) {
        r->set_order_by("respond_by asc");
        r->set_page_token(EncodePageToken(store_->ServerSecret(), "x",
                                          "u:1:none:3"));
      },
      C::kInvalidArgument, "page_token");
  add("min > max",
      [](auto* r) {
        r->set_min_rating(4);
        r->set_max_rating(2);
      },
      C::kInvalidArgument, "min_rating");
  add("max 6", [](auto* r) { r->set_max_rating(6); }, C::kInvalidArgument,
      "max_rating");
  add("unterminated quote in query",
      [](auto* r) { r->set_query("\"dostawa"); }, C::kInvalidArgument,
      "query");
  for (const auto& c : cases) {
    auto r = reviews_.List(testing::Caller("shop-a"), c.request);
    EXPECT_EQ(r.status().code(), c.code) << c.name << ": " << r.status();
    EXPECT_EQ(r.status().message().rfind(c.field, 0), 0u)
        << c.name << ": " << r.status();
  }
  // The error names every order there is.
  ListReviewsRequest bad_order;
  bad_order.set_order_by("rating desc");
  const std::string message(
      reviews_.List(testing::Caller("shop-a"), bad_order).status().message());
  for (const char* order : {"\"create_time desc\"", "\"create_time asc\"",
                            "\"priority asc, respond_by asc\"",
                            "\"respond_by asc\""}) {
    EXPECT_NE(message.find(order), std::string::npos) << message;
  }
  // The token is still good with the original request, and not for shop-b.
  first.set_page_token(token);
  EXPECT_TRUE(reviews_.List(testing::Caller("shop-a"), first).ok());
  EXPECT_EQ(reviews_.List(testing::Caller("shop-b"), first).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ReviewsTest, UpdateOverridesAndStatusAreAudited) {
  auto names = Seed(1);  // rating 1: NEGATIVE, P2
  opinia::v1::UpdateReviewRequest u;
  u.mutable_review()->set_name(names[0]);
  u.mutable_review()->mutable_override()->mutable_sentiment()->set_label(
      opinia::v1::POSITIVE);
  u.mutable_review()->mutable_override()->mutable_urgency()->set_priority(
      opinia::v1::P1);
  u.mutable_review()->set_status(opinia::v1::ACKNOWLEDGED);
  u.mutable_update_mask()->add_paths("override");
  u.mutable_update_mask()->add_paths("status");
  clock_.Advance(absl::Minutes(5));
  auto updated = reviews_.Update(testing::Caller("shop-a", "k1"), u);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->override().sentiment().label(), opinia::v1::POSITIVE);
  EXPECT_EQ(updated->override().urgency().priority(), opinia::v1::P1);
  EXPECT_EQ(updated->analysis().sentiment().label(), opinia::v1::NEGATIVE);
  EXPECT_EQ(updated->status(), opinia::v1::ACKNOWLEDGED);

  ListReviewsRequest p1;
  p1.add_priorities(opinia::v1::P1);
  EXPECT_EQ(reviews_.List(testing::Caller("shop-a"), p1)->total_size(), 1);

  // Clearing one override path leaves the other.
  opinia::v1::UpdateReviewRequest clear;
  clear.mutable_review()->set_name(names[0]);
  clear.mutable_update_mask()->add_paths("override.sentiment");
  auto cleared = reviews_.Update(testing::Caller("shop-a", "k2"), clear);
  ASSERT_TRUE(cleared.ok()) << cleared.status();
  EXPECT_FALSE(cleared->override().has_sentiment());
  EXPECT_EQ(cleared->override().urgency().priority(), opinia::v1::P1);

  std::vector<storage::AuditRow> audit;
  ASSERT_TRUE(store_
                  ->Read([&](storage::Txn& txn) -> absl::Status {
                    auto rows = txn.ListAudit("shop-a", names[0]);
                    if (!rows.ok()) return rows.status();
                    audit = *rows;
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].actor, "apiKeys/k1");
  EXPECT_EQ(audit[0].action, "review.update");
  EXPECT_EQ(audit[0].time, TestEpoch() + absl::Minutes(5));
  EXPECT_NE(audit[0].detail.find("\"old\":{\"override.sentiment\":"
                                 "\"SENTIMENT_LABEL_UNSPECIFIED\""),
            std::string::npos)
      << audit[0].detail;
  EXPECT_NE(audit[0].detail.find("\"status\":\"ACKNOWLEDGED\""),
            std::string::npos)
      << audit[0].detail;
  EXPECT_EQ(audit[1].actor, "apiKeys/k2");
}

TEST_F(ReviewsTest, UpdateRejectsBadMasksAndValues) {
  auto names = Seed(1);
  struct Case {
    const char* name;
    std::string path;
    void (*set)(opinia::v1::Review*);
    absl::StatusCode code;
    std::string field;
  } cases[] = {
      {"no mask", "", [](opinia::v1::Review*) {},
       absl::StatusCode::kInvalidArgument, "update_mask"},
      {"input path", "input.text", [](opinia::v1::Review*) {},
       absl::StatusCode::kInvalidArgument, "update_mask"},
      {"status unspecified", "status", [](opinia::v1::Review*) {},
       absl::StatusCode::kInvalidArgument, "review.status"},
      {"label 42", "override.sentiment",
       [](opinia::v1::Review* r) {
         r->mutable_override()->mutable_sentiment()->set_label(
             static_cast<opinia::v1::SentimentLabel>(42));
       },
       absl::StatusCode::kInvalidArgument, "review.override.sentiment.label"},
      {"priority 9", "override.urgency.priority",
       [](opinia::v1::Review* r) {
         r->mutable_override()->mutable_urgency()->set_priority(
             static_cast<opinia::v1::Priority>(9));
       },
       absl::StatusCode::kInvalidArgument, "review.override.urgency.priority"},
  };
  for (const auto& c : cases) {
    opinia::v1::UpdateReviewRequest u;
    u.mutable_review()->set_name(names[0]);
    c.set(u.mutable_review());
    if (!c.path.empty()) u.mutable_update_mask()->add_paths(c.path);
    auto r = reviews_.Update(testing::Caller("shop-a", "k"), u);
    EXPECT_EQ(r.status().code(), c.code) << c.name << ": " << r.status();
    EXPECT_EQ(r.status().message().rfind(c.field, 0), 0u)
        << c.name << ": " << r.status();
  }
  opinia::v1::UpdateReviewRequest other_tenant;
  other_tenant.mutable_review()->set_name(names[0]);
  other_tenant.mutable_review()->set_status(opinia::v1::RESOLVED);
  other_tenant.mutable_update_mask()->add_paths("status");
  EXPECT_EQ(reviews_.Update(testing::Caller("shop-b", "k"), other_tenant).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ReviewsTest, DeleteIsSoftAuditedAndHidden) {
  auto names = Seed(3);
  auto deleted = reviews_.Delete(testing::Caller("shop-a", "k1"), names[1]);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_TRUE(deleted->deleted());
  EXPECT_TRUE(reviews_.Delete(testing::Caller("shop-a", "k1"), names[1]).ok());
  EXPECT_EQ(reviews_.Delete(testing::Caller("shop-b", "k1"), names[1]).status().code(),
            absl::StatusCode::kNotFound);

  EXPECT_EQ(reviews_.List(testing::Caller("shop-a"), {})->total_size(), 2);
  ListReviewsRequest with_deleted;
  with_deleted.set_show_deleted(true);
  EXPECT_EQ(reviews_.List(testing::Caller("shop-a"), with_deleted)->total_size(), 3);
  auto got = reviews_.Get(testing::Caller("shop-a"), names[1]);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->deleted());

  opinia::v1::RecordResponseRequest respond;
  respond.set_name(names[1]);
  respond.mutable_response()->set_text("Dziękujemy");
  EXPECT_EQ(reviews_.RecordResponse(testing::Caller("shop-a", "k1"), respond)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);

  size_t audit_rows = 0;
  ASSERT_TRUE(store_
                  ->Read([&](storage::Txn& txn) -> absl::Status {
                    auto rows = txn.ListAudit("shop-a", names[1]);
                    if (!rows.ok()) return rows.status();
                    audit_rows = rows->size();
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(audit_rows, 1u) << "the second, no-op delete is not audited";
}

TEST_F(ReviewsTest, RecordResponseSetsRespondedAndValidates) {
  auto names = Seed(1);
  opinia::v1::RecordResponseRequest r;
  r.set_name(names[0]);
  r.mutable_response()->set_text("Przepraszamy, już wysyłamy nową.");
  r.mutable_response()->set_author("Sklep");
  clock_.Advance(absl::Hours(2));
  auto got = reviews_.RecordResponse(testing::Caller("shop-a", "k1"), r);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->status(), opinia::v1::RESPONDED);
  EXPECT_EQ(got->response().author(), "Sklep");
  EXPECT_EQ(got->response().response_time().seconds(),
            absl::ToUnixSeconds(TestEpoch() + absl::Hours(2)));

  struct Case {
    const char* name;
    std::string text;
    std::string field;
  } cases[] = {
      {"empty", "", "response.text"},
      {"bad utf8", "\xff", "response.text"},
      {"too long", std::string(64 * 1024 + 1, 'x'), "response.text"},
  };
  for (const auto& c : cases) {
    r.mutable_response()->set_text(c.text);
    auto bad = reviews_.RecordResponse(testing::Caller("shop-a", "k1"), r);
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(bad.status().message().rfind(c.field, 0), 0u) << bad.status();
  }
}

}  // namespace
}  // namespace opinia::core
