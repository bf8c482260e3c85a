// Conformance of ReplyTxn (reply_store.h): the reply outbox, one row per
// review, generations, the due scan and outcomes guarded by generation.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "tests/service/storage/store_conformance.h"
#include "tests/service/storage/store_conformance_util.h"

namespace opinia::storage::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

ReplyRow Reply(const std::string& tenant, int64_t review_id,
               const std::string& text, absl::Time due) {
  ReplyRow r;
  r.tenant_id = tenant;
  r.review_id = review_id;
  r.action = kReplyPublish;
  r.text = text;
  r.collector = "collectors/1";
  r.next_attempt_time = due;
  r.create_time = due;
  r.update_time = due;
  return r;
}

std::vector<int64_t> ReviewIdsOf(const std::vector<ReplyRow>& rows) {
  std::vector<int64_t> ids;
  for (const ReplyRow& r : rows) ids.push_back(r.review_id);
  return ids;
}

// Tenants "a" and "b" and three reviews (two of "a", one of "b").
std::vector<int64_t> ThreeReviews(Store& store) {
  InsertTenants(store, {Tenant("a"), Tenant("b")});
  std::vector<int64_t> ids;
  EXPECT_OK(store.Write([&](Txn& txn) -> absl::Status {
    for (const auto& [tenant, ext] :
         {std::pair<std::string, std::string>{"a", "r1"}, {"a", "r2"},
          {"b", "r3"}}) {
      absl::StatusOr<int64_t> id = txn.InsertReview(Review(tenant, ext, kT0));
      if (!id.ok()) return id.status();
      ids.push_back(*id);
    }
    return absl::OkStatus();
  }));
  return ids;
}

TEST_P(StoreConformanceTest, RepliesPutGetRoundTripAndGenerations) {
  const std::vector<int64_t> ids = ThreeReviews(*store_);
  ASSERT_EQ(ids.size(), 3u);
  ReplyRow first = Reply("a", ids[0], "Dzi\xc4\x99kujemy", kT0);
  first.in_flight = true;
  first.attempts = 2;
  first.last_error = "HTTP 503";
  first.policy_rejection = true;
  first.publish_time = kT0 + absl::Seconds(5);
  ASSERT_OK(store_->Write([&](Txn& txn) -> absl::Status {
    EXPECT_EQ(VALUE(txn.replies().PutReply(first)), 1);
    return absl::OkStatus();
  }));
  // An unknown tenant (PostgreSQL ends the transaction on the error).
  EXPECT_CODE(store_->Write([&](Txn& txn) {
    return txn.replies().PutReply(Reply("nope", ids[1], "x", kT0)).status();
  }),
              kNotFound);
  ASSERT_OK(store_->Write([&](Txn& txn) -> absl::Status {
    // Another tenant's review is not replaced.
    EXPECT_CODE(txn.replies().PutReply(Reply("b", ids[0], "x", kT0)),
                kNotFound);
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) -> absl::Status {
    const ReplyRow got = VALUE(txn.replies().GetReply("a", ids[0]));
    EXPECT_EQ(got.tenant_id, "a");
    EXPECT_EQ(got.review_id, ids[0]);
    EXPECT_EQ(got.generation, 1);
    EXPECT_EQ(got.action, kReplyPublish);
    EXPECT_EQ(got.text, first.text);
    EXPECT_EQ(got.collector, "collectors/1");
    EXPECT_EQ(got.state, kReplyPending);
    EXPECT_EQ(got.attempts, 2);
    EXPECT_EQ(got.next_attempt_time, kT0);
    EXPECT_TRUE(got.in_flight);
    EXPECT_EQ(got.publish_time, kT0 + absl::Seconds(5));
    EXPECT_EQ(got.last_error, "HTTP 503");
    EXPECT_TRUE(got.policy_rejection);
    EXPECT_EQ(got.create_time, kT0);
    EXPECT_EQ(got.update_time, kT0);
    EXPECT_CODE(txn.replies().GetReply("b", ids[0]), kNotFound);
    EXPECT_CODE(txn.replies().GetReply("a", ids[1]), kNotFound);
    EXPECT_CODE(txn.replies().PutReply(first), kFailedPrecondition);
    return absl::OkStatus();
  }));
  // An edit replaces the row at the next generation; create_time stays.
  ReplyRow edit = Reply("a", ids[0], "Poprawione", kT0 + absl::Hours(1));
  edit.action = kReplyDelete;
  ASSERT_OK(store_->Write([&](Txn& txn) -> absl::Status {
    EXPECT_EQ(VALUE(txn.replies().PutReply(edit)), 2);
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) -> absl::Status {
    const ReplyRow got = VALUE(txn.replies().GetReply("a", ids[0]));
    EXPECT_EQ(got.generation, 2);
    EXPECT_EQ(got.action, kReplyDelete);
    EXPECT_EQ(got.text, "Poprawione");
    EXPECT_EQ(got.attempts, 0);
    EXPECT_FALSE(got.in_flight);
    EXPECT_EQ(got.publish_time, absl::InfinitePast());
    EXPECT_EQ(got.last_error, "");
    EXPECT_FALSE(got.policy_rejection);
    EXPECT_EQ(got.create_time, kT0);
    EXPECT_EQ(got.update_time, kT0 + absl::Hours(1));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, RepliesDueScanBatchReadAndGuardedUpdate) {
  const std::vector<int64_t> ids = ThreeReviews(*store_);
  ASSERT_EQ(ids.size(), 3u);
  ASSERT_OK(store_->Write([&](Txn& txn) -> absl::Status {
    EXPECT_OK(txn.replies().PutReply(
        Reply("a", ids[0], "late", kT0 + absl::Minutes(2))));
    EXPECT_OK(txn.replies().PutReply(Reply("a", ids[1], "early", kT0)));
    EXPECT_OK(txn.replies().PutReply(
        Reply("b", ids[2], "b's", kT0 + absl::Minutes(1))));
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) -> absl::Status {
    EXPECT_THAT(ReviewIdsOf(VALUE(txn.replies().ListDueReplies(
                    kT0 + absl::Minutes(5), 10))),
                ElementsAre(ids[1], ids[2], ids[0]));
    EXPECT_THAT(ReviewIdsOf(VALUE(txn.replies().ListDueReplies(
                    kT0 + absl::Minutes(1), 10))),
                ElementsAre(ids[1], ids[2]));
    EXPECT_THAT(ReviewIdsOf(VALUE(txn.replies().ListDueReplies(
                    kT0 + absl::Minutes(5), 1))),
                ElementsAre(ids[1]));
    EXPECT_THAT(VALUE(txn.replies().ListDueReplies(kT0 - absl::Seconds(1),
                                                   10)),
                IsEmpty());
    EXPECT_THAT(ReviewIdsOf(VALUE(
                    txn.replies().GetReplies("a", {ids[0], ids[1], ids[2]}))),
                UnorderedElementsAre(ids[0], ids[1]));
    EXPECT_THAT(VALUE(txn.replies().GetReplies("a", {})), IsEmpty());
    EXPECT_CODE(txn.replies().ListDueReplies(kT0, 0), kInvalidArgument);
    return absl::OkStatus();
  }));

  // The outcome of generation 1 is written; a stale one (after an edit)
  // is not.
  ReplyRow done = VALUE([&] {
    absl::StatusOr<ReplyRow> r;
    EXPECT_OK(store_->Read([&](Txn& txn) {
      r = txn.replies().GetReply("a", ids[1]);
      return r.status();
    }));
    return r;
  }());
  done.state = kReplyDone;
  done.attempts = 1;
  done.publish_time = kT0 + absl::Seconds(30);
  done.update_time = kT0 + absl::Seconds(31);
  ASSERT_OK(store_->Write([&](Txn& txn) -> absl::Status {
    EXPECT_TRUE(VALUE(txn.replies().UpdateReply(done)));
    ReplyRow other_tenant = done;
    other_tenant.tenant_id = "b";
    EXPECT_FALSE(VALUE(txn.replies().UpdateReply(other_tenant)));
    EXPECT_OK(txn.replies().PutReply(Reply("a", ids[0], "edited", kT0)));
    ReplyRow stale = VALUE(txn.replies().GetReply("a", ids[0]));
    stale.generation = 1;
    stale.state = kReplyFailed;
    EXPECT_FALSE(VALUE(txn.replies().UpdateReply(stale)));
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) -> absl::Status {
    const ReplyRow got = VALUE(txn.replies().GetReply("a", ids[1]));
    EXPECT_EQ(got.state, kReplyDone);
    EXPECT_EQ(got.publish_time, kT0 + absl::Seconds(30));
    EXPECT_EQ(got.update_time, kT0 + absl::Seconds(31));
    EXPECT_EQ(VALUE(txn.replies().GetReply("a", ids[0])).state, kReplyPending);
    // Done rows leave the due scan.
    EXPECT_THAT(ReviewIdsOf(VALUE(txn.replies().ListDueReplies(
                    kT0 + absl::Minutes(5), 10))),
                ElementsAre(ids[0], ids[2]));
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace opinia::storage::conformance
