#include "service/core/ingest/ingest.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "service/core/reviews/aspect_ratings.h"
#include "service/core/reviews/reviews.h"
#include "tests/service/core/test_env.h"
#include "tests/service/core/two_shops_test.h"

namespace opinia::core {
namespace {

using opinia::v1::IngestResult;
using opinia::v1::ReviewInput;
using testing::CountingAnalyzer;
using testing::OpenTestStore;
using testing::TestEpoch;

ReviewInput Input(const std::string& id, const std::string& text,
                  int rating = 5) {
  ReviewInput in;
  in.set_source("allegro");
  in.set_external_id(id);
  in.set_subject_id("seller-1");
  in.set_rating(rating);
  in.set_text(text);
  return in;
}

class IngestTest : public testing::TwoShopsTest {
 protected:
  std::vector<IngestResult> IngestOk(const std::vector<ReviewInput>& in,
                                     const std::string& tenant = "shop-a") {
    auto r = ingestor_.Ingest(testing::Caller(tenant), in);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : std::vector<IngestResult>{};
  }
};

// Runs `race` once, at the first analysis: between ingest's batch read and
// its write, where a concurrent call may store the same review.
class RacingAnalyzer : public CountingAnalyzer {
 public:
  nlp::Analysis Analyze(std::string_view text,
                        const nlp::AnalyzeOptions& options) const override {
    if (race) std::exchange(race, nullptr)();
    return CountingAnalyzer::Analyze(text, options);
  }
  mutable std::function<void()> race;
};

TEST_F(IngestTest, ReviewStoredByAConcurrentCallIsFoundNotDuplicated) {
  RacingAnalyzer racing;
  TextAnalysis racing_analysis{&racing};
  Ingestor ingestor{store_.get(), &racing_analysis, &clock_, IngestLimits{}};
  std::string raced_name;
  racing.race = [&] {
    auto raced = IngestOk({Input("1", "Super")});
    ASSERT_EQ(raced.size(), 1u);
    EXPECT_EQ(raced[0].outcome(), IngestResult::CREATED);
    raced_name = raced[0].name();
  };
  auto r = ingestor.Ingest(testing::Caller("shop-a"), {Input("1", "Super"), Input("2", "Nie")});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].outcome(), IngestResult::UNCHANGED);
  EXPECT_EQ((*r)[0].name(), raced_name);
  EXPECT_EQ((*r)[1].outcome(), IngestResult::CREATED);
  int64_t count = -1;
  ASSERT_TRUE(store_
                  ->Read([&](storage::Txn& txn) {
                    auto n = txn.CountReviews("shop-a", storage::ReviewFilter{});
                    count = n.value_or(-1);
                    return n.status();
                  })
                  .ok());
  EXPECT_EQ(count, 2);
}

TEST_F(IngestTest, OutcomesCreatedUnchangedUpdated) {
  auto created = IngestOk({Input("1", "Super"), Input("2", "Okropne", 1)});
  ASSERT_EQ(created.size(), 2u);
  for (const auto& r : created) {
    EXPECT_EQ(r.outcome(), IngestResult::CREATED) << r.error();
    EXPECT_EQ(r.analysis().model_version(), "counting-1");
  }
  EXPECT_NE(created[0].name(), created[1].name());

  auto again = IngestOk({Input("1", "Super"), Input("2", "Okropne", 1)});
  EXPECT_EQ(again[0].outcome(), IngestResult::UNCHANGED);
  EXPECT_EQ(again[1].outcome(), IngestResult::UNCHANGED);
  EXPECT_EQ(again[0].name(), created[0].name());

  ReviewInput edited = Input("1", "Super");
  edited.set_author_name("Ania");  // not content: UPDATED, no re-analysis
  auto updated = IngestOk({edited});
  EXPECT_EQ(updated[0].outcome(), IngestResult::UPDATED);
  EXPECT_EQ(updated[0].name(), created[0].name());

  // The same identity in another tenant is another review.
  auto other = IngestOk({Input("1", "Super")}, "shop-b");
  EXPECT_EQ(other[0].outcome(), IngestResult::CREATED);
  EXPECT_NE(other[0].name(), created[0].name());
}

TEST_F(IngestTest, ReanalysesOnlyWhenTitleTextOrRatingChange) {
  IngestOk({Input("1", "Super")});
  ASSERT_EQ(analyzer_.calls(), 1);
  struct Case {
    const char* name;
    void (*edit)(ReviewInput*);
    bool reanalysed;
  } cases[] = {
      {"identical", [](ReviewInput*) {}, false},
      {"author", [](ReviewInput* in) { in->set_author_name("Jan"); }, false},
      {"url", [](ReviewInput* in) { in->set_url("https://x"); }, false},
      {"attributes",
       [](ReviewInput* in) { (*in->mutable_attributes())["k"] = "v"; }, false},
      {"text", [](ReviewInput* in) { in->set_text("Super!"); }, true},
      {"title", [](ReviewInput* in) { in->set_title("Tytuł"); }, true},
      {"rating", [](ReviewInput* in) { in->set_rating(2); }, true},
      {"aspect rating",
       [](ReviewInput* in) {
         (*in->mutable_attributes())["aspect_rating.delivery"] = "1";
       },
       true},
  };
  for (const auto& c : cases) {
    ReviewInput in = Input("1", "Super");
    c.edit(&in);
    const int before = analyzer_.calls();
    IngestOk({in});
    EXPECT_EQ(analyzer_.calls() - before, c.reanalysed ? 1 : 0) << c.name;
    IngestOk({Input("1", "Super")});  // back to the original
  }
}

TEST_F(IngestTest, ValidationTableRejectsItemsAndStoresTheRest) {
  struct Case {
    const char* name;
    void (*edit)(ReviewInput*);
    std::string reason;  // prefix of the error after "reviews[1]."
  } cases[] = {
      {"bad utf8 text", [](ReviewInput* in) { in->set_text("ok \xff\xfe"); },
       "text: invalid UTF-8"},
      {"bad utf8 source", [](ReviewInput* in) { in->set_source("a\xc3"); },
       "source: invalid UTF-8"},
      {"overlong utf8", [](ReviewInput* in) { in->set_title("\xc0\xaf"); },
       "title: invalid UTF-8"},
      {"surrogate", [](ReviewInput* in) { in->set_author_name("\xed\xa0\x80"); },
       "author_name: invalid UTF-8"},
      {"bad utf8 attribute",
       [](ReviewInput* in) { (*in->mutable_attributes())["k"] = "\x80"; },
       "attributes[\"k\"]: invalid UTF-8"},
      {"empty source", [](ReviewInput* in) { in->clear_source(); },
       "source: required"},
      {"empty external_id", [](ReviewInput* in) { in->clear_external_id(); },
       "external_id: required"},
      {"rating above scale", [](ReviewInput* in) { in->set_rating(9); },
       "rating: 9 is outside 0..5"},
      {"negative rating", [](ReviewInput* in) { in->set_rating(-1); },
       "rating:"},
      {"rating above custom scale",
       [](ReviewInput* in) {
         in->set_rating_scale(10);
         in->set_rating(11);
       },
       "rating:"},
      {"scale 1", [](ReviewInput* in) { in->set_rating_scale(1); },
       "rating_scale:"},
      {"scale 1000", [](ReviewInput* in) { in->set_rating_scale(1000); },
       "rating_scale:"},
      {"text over limit",
       [](ReviewInput* in) { in->set_text(std::string(64 * 1024 + 1, 'a')); },
       "text: 65537 bytes, at most 65536"},
      {"title over limit",
       [](ReviewInput* in) { in->set_title(std::string(2000, 'a')); },
       "title:"},
      {"too many attributes",
       [](ReviewInput* in) {
         for (int i = 0; i < 65; ++i) {
           (*in->mutable_attributes())[std::to_string(i)] = "v";
         }
       },
       "attributes: 65 entries"},
      {"bad create_time",
       [](ReviewInput* in) { in->mutable_create_time()->set_nanos(-1); },
       "create_time:"},
      {"unknown rated aspect",
       [](ReviewInput* in) {
         (*in->mutable_attributes())["aspect_rating.weather"] = "3";
       },
       "attributes[\"aspect_rating.weather\"]: unknown aspect"},
      {"rated aspect in upper case",
       [](ReviewInput* in) {
         (*in->mutable_attributes())["aspect_rating.DELIVERY"] = "3";
       },
       "attributes[\"aspect_rating.DELIVERY\"]: unknown aspect"},
      {"rated aspect above scale",
       [](ReviewInput* in) {
         (*in->mutable_attributes())["aspect_rating.delivery"] = "6";
       },
       "attributes[\"aspect_rating.delivery\"]: an integer in 1..5"},
      {"rated aspect not a number",
       [](ReviewInput* in) {
         (*in->mutable_attributes())["aspect_rating.price"] = "good";
       },
       "attributes[\"aspect_rating.price\"]: an integer in 1..5"},
  };
  int n = 0;
  for (const auto& c : cases) {
    ReviewInput bad = Input("bad-" + std::to_string(n), "x");
    c.edit(&bad);
    const std::string good_id = "good-" + std::to_string(n++);
    auto r = IngestOk({Input(good_id, "fine"), bad, Input(good_id + "b", "ok")});
    ASSERT_EQ(r.size(), 3u) << c.name;
    EXPECT_EQ(r[0].outcome(), IngestResult::CREATED) << c.name;
    EXPECT_EQ(r[2].outcome(), IngestResult::CREATED) << c.name;
    EXPECT_EQ(r[1].outcome(), IngestResult::REJECTED) << c.name;
    EXPECT_EQ(r[1].error().rfind("reviews[1]." + c.reason, 0), 0u)
        << c.name << ": " << r[1].error();
    EXPECT_TRUE(r[1].name().empty()) << c.name;
  }
  // Exactly the valid items were stored.
  auto all = reviews_.List(testing::Caller("shop-a"), {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total_size(), 2 * n);
}

TEST_F(IngestTest, ReviewNeedsTextOrRating) {
  auto r = IngestOk({Input("empty", "", 0), Input("blank", " \n\t", 0),
                     Input("rating only", "", 4), Input("text only", "ok", 0)});
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].outcome(), IngestResult::REJECTED);
  EXPECT_EQ(r[0].error(), "reviews[0]: text or rating required");
  EXPECT_EQ(r[1].outcome(), IngestResult::REJECTED);
  EXPECT_EQ(r[1].error(), "reviews[1]: text or rating required");
  EXPECT_EQ(r[2].outcome(), IngestResult::CREATED) << r[2].error();
  EXPECT_EQ(r[3].outcome(), IngestResult::CREATED) << r[3].error();
}

TEST_F(IngestTest, OversizeBatchIsRefusedWholeAndStoresNothing) {
  std::vector<ReviewInput> batch;
  for (int i = 0; i < 1001; ++i) batch.push_back(Input(std::to_string(i), "t"));
  auto r = ingestor_.Ingest(testing::Caller("shop-a"), batch);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("reviews"), std::string::npos);
  batch.pop_back();
  auto ok = ingestor_.Ingest(testing::Caller("shop-a"), batch);
  ASSERT_TRUE(ok.ok()) << ok.status();
  auto all = reviews_.List(testing::Caller("shop-a"), {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total_size(), 1000);
}

TEST_F(IngestTest, DuplicateIdentityInOneBatch) {
  auto r = IngestOk({Input("1", "a"), Input("1", "a"), Input("1", "b")});
  EXPECT_EQ(r[0].outcome(), IngestResult::CREATED);
  EXPECT_EQ(r[1].outcome(), IngestResult::UNCHANGED);
  EXPECT_EQ(r[2].outcome(), IngestResult::UPDATED);
  EXPECT_EQ(r[0].name(), r[2].name());
}

TEST_F(IngestTest, OverridesSurviveReingestAndRescore) {
  auto created = IngestOk({Input("1", "Super", 5)});
  opinia::v1::UpdateReviewRequest update;
  update.mutable_review()->set_name(created[0].name());
  update.mutable_review()->mutable_override()->mutable_sentiment()->set_label(
      opinia::v1::NEGATIVE);
  update.mutable_update_mask()->add_paths("override.sentiment");
  ASSERT_TRUE(reviews_.Update(testing::Caller("shop-a", "k1"), update).ok());

  IngestOk({Input("1", "Super, naprawdę", 4)});  // content change
  auto review = reviews_.Get(testing::Caller("shop-a"), created[0].name());
  ASSERT_TRUE(review.ok());
  EXPECT_EQ(review->override().sentiment().label(), opinia::v1::NEGATIVE);
  EXPECT_EQ(review->analysis().sentiment().label(), opinia::v1::POSITIVE);
  EXPECT_EQ(review->input().text(), "Super, naprawdę");

  opinia::v1::ListReviewsRequest negatives;
  negatives.add_labels(opinia::v1::NEGATIVE);
  auto listed = reviews_.List(testing::Caller("shop-a"), negatives);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->total_size(), 1) << "effective label is the override";

  const int before = analyzer_.calls();
  auto rescored = ingestor_.Rescore(
      Principal{"op", "", core::kRoleAdmin}, {});
  ASSERT_TRUE(rescored.ok()) << rescored.status();
  EXPECT_EQ(rescored->rescored(), 1);
  EXPECT_EQ(rescored->model_version(), "counting-1");
  EXPECT_EQ(analyzer_.calls() - before, 1);
  review = reviews_.Get(testing::Caller("shop-a"), created[0].name());
  ASSERT_TRUE(review.ok());
  EXPECT_EQ(review->override().sentiment().label(), opinia::v1::NEGATIVE);
}

// A stated aspect rating becomes an aspect of the analysis even when the
// text says nothing about it; one the text found keeps its evidence.
TEST_F(IngestTest, StatedAspectRatingsBecomeAspects) {
  ReviewInput in = Input("rated", "Wszystko OK", 4);
  (*in.mutable_attributes())["aspect_rating.delivery"] = "1";
  (*in.mutable_attributes())["aspect_rating.customer_service"] = "5";
  (*in.mutable_attributes())["aspect_rating.price"] = "3";
  (*in.mutable_attributes())["other"] = "x";
  auto r = IngestOk({in});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0].outcome(), IngestResult::CREATED) << r[0].error();
  const auto& aspects = r[0].analysis().aspects();
  ASSERT_EQ(aspects.size(), 3);  // in Aspect order
  EXPECT_EQ(aspects[0].aspect(), opinia::v1::PRICE);
  EXPECT_EQ(aspects[0].sentiment().label(), opinia::v1::NEUTRAL);
  EXPECT_EQ(aspects[1].aspect(), opinia::v1::DELIVERY);
  EXPECT_EQ(aspects[1].sentiment().label(), opinia::v1::NEGATIVE);
  EXPECT_FLOAT_EQ(aspects[1].sentiment().score(), -1.0f);
  EXPECT_FLOAT_EQ(aspects[1].sentiment().confidence(), 1.0f);
  EXPECT_EQ(aspects[2].aspect(), opinia::v1::CUSTOMER_SERVICE);
  EXPECT_EQ(aspects[2].sentiment().label(), opinia::v1::POSITIVE);
  // Stored, and counted by insights' aspect rows.
  auto stored = reviews_.Get(testing::Caller("shop-a"), r[0].name());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->analysis().aspects_size(), 3);

  opinia::v1::Analysis from_text;
  auto* found = from_text.add_aspects();
  found->set_aspect(opinia::v1::DELIVERY);
  found->mutable_sentiment()->set_label(opinia::v1::POSITIVE);
  found->add_evidence()->set_end(7);
  ReviewInput ten = Input("ten", "Kurier szybki", 0);
  ten.set_rating_scale(10);
  (*ten.mutable_attributes())["aspect_rating.delivery"] = "2";
  ApplyAspectRatings(ten, &from_text);
  ASSERT_EQ(from_text.aspects_size(), 1);
  EXPECT_EQ(from_text.aspects(0).sentiment().label(), opinia::v1::NEGATIVE);
  EXPECT_NEAR(from_text.aspects(0).sentiment().score(), -1.0f + 2.0f / 9, 1e-6);
  EXPECT_EQ(from_text.aspects(0).evidence_size(), 1) << "the text's evidence";
}

TEST(IngestWithoutAnalyzerTest, StoresEmptyAnalysisMarkedNone) {
  auto store = OpenTestStore();
  ASSERT_TRUE(store->Write([](storage::Txn& txn) {
                     return txn.InsertTenant({"shop-a", "A", "Europe/Warsaw"});
                   }).ok());
  FakeClock clock(TestEpoch());
  TextAnalysis none(nullptr);
  Ingestor ingestor(store.get(), &none, &clock, IngestLimits{});
  auto r = ingestor.Ingest(testing::Caller("shop-a"), {Input("1", "Okropne", 1)});
  ASSERT_TRUE(r.ok()) << r.status();
  const auto& a = (*r)[0].analysis();
  EXPECT_EQ(a.model_version(), "none");
  EXPECT_EQ(a.language(), "und");
  EXPECT_EQ(a.sentiment().label(), opinia::v1::SENTIMENT_LABEL_UNSPECIFIED);
  EXPECT_EQ(a.urgency().priority(), opinia::v1::PRIORITY_UNSPECIFIED);
  EXPECT_EQ(a.aspects_size(), 0);
  // What the customer stated is reported without an analyzer too.
  ReviewInput rated = Input("2", "", 2);
  (*rated.mutable_attributes())["aspect_rating.delivery"] = "1";
  auto stated = ingestor.Ingest(testing::Caller("shop-a"), {rated});
  ASSERT_TRUE(stated.ok()) << stated.status();
  ASSERT_EQ((*stated)[0].analysis().aspects_size(), 1);
  EXPECT_EQ((*stated)[0].analysis().aspects(0).aspect(), opinia::v1::DELIVERY);
  EXPECT_EQ((*stated)[0].analysis().model_version(), "none");
  EXPECT_EQ(ingestor.Rescore(Principal{"op", "", core::kRoleAdmin}, {})
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace opinia::core
