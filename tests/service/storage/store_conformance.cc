#include "tests/service/storage/store_conformance.h"

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "tests/service/storage/store_conformance_util.h"

namespace opinia::storage::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Every column, compared field by field so a failure names the field.
void ExpectSameReview(const ReviewRow& a, const ReviewRow& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.tenant_id, b.tenant_id);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.external_id, b.external_id);
  EXPECT_EQ(a.subject_id, b.subject_id);
  EXPECT_EQ(a.rating, b.rating);
  EXPECT_EQ(a.language, b.language);
  EXPECT_EQ(a.label, b.label);
  EXPECT_EQ(a.score, b.score);
  EXPECT_EQ(a.priority, b.priority);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.deleted, b.deleted);
  EXPECT_EQ(a.create_time, b.create_time);
  EXPECT_EQ(a.ingest_time, b.ingest_time);
  EXPECT_EQ(a.modify_time, b.modify_time);
  EXPECT_EQ(a.respond_by, b.respond_by);
  EXPECT_EQ(a.content_hash, b.content_hash);
  EXPECT_EQ(a.input_hash, b.input_hash);
  EXPECT_EQ(a.input, b.input);
  EXPECT_EQ(a.analysis, b.analysis);
  EXPECT_EQ(a.override_analysis, b.override_analysis);
  EXPECT_EQ(a.response_text, b.response_text);
  EXPECT_EQ(a.response_author, b.response_author);
  EXPECT_EQ(a.response_time, b.response_time);
  EXPECT_EQ(a.search_text, b.search_text);
  ASSERT_EQ(a.aspects.size(), b.aspects.size());
  for (size_t i = 0; i < a.aspects.size(); ++i) {
    EXPECT_EQ(a.aspects[i].aspect, b.aspects[i].aspect) << "aspect " << i;
    EXPECT_EQ(a.aspects[i].label, b.aspects[i].label) << "aspect " << i;
    EXPECT_EQ(a.aspects[i].score, b.aspects[i].score) << "aspect " << i;
    EXPECT_EQ(a.aspects[i].begin, b.aspects[i].begin) << "aspect " << i;
    EXPECT_EQ(a.aspects[i].end, b.aspects[i].end) << "aspect " << i;
  }
}

std::vector<std::string> ExternalIds(const std::vector<ReviewRow>& rows) {
  std::vector<std::string> ids;
  for (const ReviewRow& r : rows) ids.push_back(r.external_id);
  return ids;
}

}  // namespace

void StoreConformanceTest::SetUp() {
  std::string tmpl = ::testing::TempDir() + "/store_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  dir_ = tmpl;
  store_ = GetParam().make(dir_);
  ASSERT_NE(store_, nullptr);
}

void StoreConformanceTest::TearDown() {
  store_.reset();
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

namespace {

TEST_P(StoreConformanceTest, TenantsInsertGetListAndUniqueness) {
  ASSERT_OK(store_->Write([](Txn& txn) {
    for (const char* id : {"b", "a", "c"}) {
      if (absl::Status s = txn.InsertTenant(Tenant(id)); !s.ok()) return s;
    }
    return absl::OkStatus();
  }));
  EXPECT_CODE(
      store_->Write([](Txn& txn) { return txn.InsertTenant(Tenant("a")); }),
      kAlreadyExists);
  ASSERT_OK(store_->Read([](Txn& txn) {
    absl::StatusOr<TenantRow> a = txn.GetTenant("a");
    EXPECT_TRUE(a.ok()) << a.status();
    if (a.ok()) {
      EXPECT_EQ(a->display_name, "Shop a");
      EXPECT_EQ(a->time_zone, "Europe/Warsaw");
      EXPECT_EQ(a->create_time, kT0);
    }
    EXPECT_CODE(txn.GetTenant("zz").status(), kNotFound);

    absl::StatusOr<std::vector<TenantRow>> page = txn.ListTenants("", 2);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> ids;
    for (const TenantRow& t : *page) ids.push_back(t.id);
    EXPECT_THAT(ids, ElementsAre("a", "b"));
    page = txn.ListTenants("b", 2);
    EXPECT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->size(), 1u);
    EXPECT_EQ(page->at(0).id, "c");
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, ApiKeysCrudUniquenessAndRevoke) {
  ASSERT_OK(store_->Write([](Txn& txn) {
    if (absl::Status s = txn.InsertTenant(Tenant("t1")); !s.ok()) return s;
    if (absl::Status s = txn.InsertTenant(Tenant("t2")); !s.ok()) return s;
    if (absl::Status s = txn.InsertApiKey(Key("k1", "t1", "h1")); !s.ok())
      return s;
    if (absl::Status s = txn.InsertApiKey(Key("k2", "t2", "h2")); !s.ok())
      return s;
    return txn.InsertApiKey(Key("k0", "", "h0"));  // operator key
  }));
  // A failed insert may end its transaction: one Write each.
  const std::pair<ApiKeyRow, absl::StatusCode> refused[] = {
      {Key("k1", "t1", "other"), absl::StatusCode::kAlreadyExists},
      {Key("k9", "t1", "h1"), absl::StatusCode::kAlreadyExists},
      {Key("k9", "missing-tenant", "h9"), absl::StatusCode::kNotFound},
  };
  for (const auto& [key, code] : refused) {
    EXPECT_EQ(store_->Write([&](Txn& txn) { return txn.InsertApiKey(key); })
                  .code(),
              code)
        << key.id << " " << key.secret_hash;
  }
  ASSERT_OK(store_->Write([](Txn& txn) {
    EXPECT_CODE(txn.RevokeApiKey("nope"), kNotFound);  // no such row: usable
    return txn.RevokeApiKey("k2");
  }));
  ASSERT_OK(store_->Read([](Txn& txn) {
    absl::StatusOr<ApiKeyRow> k1 = txn.GetApiKey("k1");
    EXPECT_TRUE(k1.ok()) << k1.status();
    if (k1.ok()) {
      EXPECT_EQ(k1->tenant_id, "t1");
      EXPECT_EQ(k1->roles, kRoles);
      EXPECT_EQ(k1->display_name, "key k1");
      EXPECT_EQ(k1->secret_hash, "h1");
      EXPECT_EQ(k1->create_time, kT0 + absl::Seconds(1));
      EXPECT_FALSE(k1->revoked);
    }
    absl::StatusOr<ApiKeyRow> by_hash = txn.GetApiKeyByHash("h2");
    EXPECT_TRUE(by_hash.ok()) << by_hash.status();
    if (by_hash.ok()) {
      EXPECT_EQ(by_hash->id, "k2");
      EXPECT_TRUE(by_hash->revoked);
    }
    absl::StatusOr<ApiKeyRow> op = txn.GetApiKeyByHash("h0");
    EXPECT_TRUE(op.ok() && op->tenant_id.empty()) << op.status();
    EXPECT_CODE(txn.GetApiKey("nope").status(), kNotFound);
    EXPECT_CODE(txn.GetApiKeyByHash("nope").status(), kNotFound);

    struct Case {
      std::optional<std::string_view> tenant;
      std::string after;
      int limit;
      std::vector<std::string> want;
    };
    const Case cases[] = {
        {std::nullopt, "", 10, {"k0", "k1", "k2"}},
        {std::nullopt, "k0", 1, {"k1"}},
        {"t1", "", 10, {"k1"}},
        {"t2", "", 10, {"k2"}},
        {"", "", 10, {"k0"}},
        {"t3", "", 10, {}},
    };
    for (const Case& c : cases) {
      absl::StatusOr<std::vector<ApiKeyRow>> keys =
          txn.ListApiKeys(c.tenant, c.after, c.limit);
      EXPECT_TRUE(keys.ok()) << keys.status();
      std::vector<std::string> ids;
      for (const ApiKeyRow& k : *keys) ids.push_back(k.id);
      EXPECT_EQ(ids, c.want)
          << "tenant=" << c.tenant.value_or("<all>") << " after=" << c.after;
    }
    absl::StatusOr<int64_t> count = txn.CountApiKeys();
    EXPECT_TRUE(count.ok()) << count.status();
    EXPECT_EQ(count.value_or(-1), 3);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, ReviewInsertFindGetUpdateRoundTripEveryColumn) {
  ReviewRow row = Review("t1", "ext-1", kT0 + absl::Microseconds(7));
  row.content_hash = std::string("\0\x01\xff", 3);  // raw bytes survive
  row.input_hash = std::string("\x80zz\0", 4);
  row.input = std::string("a\0b", 3);
  row.respond_by = absl::InfiniteFuture();
  row.response_time = absl::InfinitePast();
  // Scores of every magnitude keep all their float bits.
  row.aspects = {{1, 3, 0.123456789f, 0, 5}, {4, 1, -0.75f, 10, 20},
                 {7, 2, 1e-7f, 0, 0}};
  ASSERT_OK(store_->Write([&](Txn& txn) {
    if (absl::Status s = txn.InsertTenant(Tenant("t1")); !s.ok()) return s;
    absl::StatusOr<int64_t> id = txn.InsertReview(row);
    if (!id.ok()) return id.status();
    row.id = *id;
    absl::StatusOr<int64_t> id2 = txn.InsertReview(Review("t1", "ext-2", kT0));
    if (!id2.ok()) return id2.status();
    EXPECT_GT(row.id, 0);
    EXPECT_NE(*id2, row.id);
    return absl::OkStatus();
  }));
  EXPECT_CODE(
      store_->Write([&](Txn& txn) { return txn.InsertReview(row).status(); }),
      kAlreadyExists);
  EXPECT_CODE(store_->Write([&](Txn& txn) {
    return txn.InsertReview(Review("nope", "x", kT0)).status();
  }),
              kNotFound);
  ASSERT_OK(store_->Read([&](Txn& txn) {
    absl::StatusOr<ReviewRow> got = txn.GetReview("t1", row.id);
    EXPECT_TRUE(got.ok()) << got.status();
    if (got.ok()) ExpectSameReview(*got, row);
    absl::StatusOr<std::optional<ReviewRow>> found =
        txn.FindReview("t1", "google", "ext-1");
    EXPECT_TRUE(found.ok() && found->has_value()) << found.status();
    if (found.ok() && found->has_value()) ExpectSameReview(**found, row);
    found = txn.FindReview("t1", "google", "absent");
    EXPECT_TRUE(found.ok() && !found->has_value()) << found.status();
    found = txn.FindReview("t1", "other-source", "ext-1");
    EXPECT_TRUE(found.ok() && !found->has_value()) << found.status();
    EXPECT_CODE(txn.GetReview("t1", row.id + 1000).status(), kNotFound);
    return absl::OkStatus();
  }));

  ReviewRow changed = row;
  changed.subject_id = "store-2";
  changed.rating = 1;
  changed.language = "en";
  changed.label = 1;
  changed.score = -0.75f;
  changed.priority = 4;
  changed.status = 3;
  changed.deleted = true;
  changed.create_time = kT0 - absl::Hours(1);
  changed.modify_time = kT0 + absl::Hours(1);
  changed.respond_by = kT0 + absl::Hours(24);
  changed.content_hash = "c2";
  changed.input_hash = "i2";
  changed.input = "input2";
  changed.analysis = "analysis2";
  changed.override_analysis = "override";
  changed.response_text = "Thank you";
  changed.response_author = "owner";
  changed.response_time = kT0 + absl::Hours(2);
  changed.search_text = "new text";
  changed.aspects = {{2, 4, 0.1f, 1, 2}};
  ASSERT_OK(store_->Write([&](Txn& txn) {
    ReviewRow missing = changed;
    missing.id += 1000;
    EXPECT_CODE(txn.UpdateReview(missing), kNotFound);
    return txn.UpdateReview(changed);
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    absl::StatusOr<ReviewRow> got = txn.GetReview("t1", row.id);
    EXPECT_TRUE(got.ok()) << got.status();
    if (got.ok()) ExpectSameReview(*got, changed);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, TenantsAreIsolated) {
  int64_t id_a = 0;
  ASSERT_OK(store_->Write([&](Txn& txn) {
    if (absl::Status s = txn.InsertTenant(Tenant("a")); !s.ok()) return s;
    if (absl::Status s = txn.InsertTenant(Tenant("b")); !s.ok()) return s;
    absl::StatusOr<int64_t> id = txn.InsertReview(Review("a", "same", kT0));
    if (!id.ok()) return id.status();
    id_a = *id;
    // The same identity in another tenant is a different review.
    if (absl::StatusOr<int64_t> id_b =
            txn.InsertReview(Review("b", "same", kT0));
        !id_b.ok()) {
      return id_b.status();
    }
    if (absl::StatusOr<int64_t> id_b =
            txn.InsertReview(Review("b", "only-b", kT0));
        !id_b.ok()) {
      return id_b.status();
    }
    AuditRow audit{0, "a", "apiKeys/k", "review.delete", "reviews/1", "", kT0};
    return txn.InsertAudit(audit).status();
  }));
  ASSERT_OK(store_->Write([&](Txn& txn) {
    ReviewRow hijack = Review("b", "same", kT0);
    hijack.id = id_a;  // a's id under b's tenant
    hijack.external_id = "hijacked";
    EXPECT_CODE(txn.UpdateReview(hijack), kNotFound);
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_CODE(txn.GetReview("b", id_a).status(), kNotFound);
    absl::StatusOr<ReviewRow> a = txn.GetReview("a", id_a);
    EXPECT_TRUE(a.ok() && a->external_id == "same") << a.status();
    absl::StatusOr<std::optional<ReviewRow>> found =
        txn.FindReview("a", "google", "only-b");
    EXPECT_TRUE(found.ok() && !found->has_value());
    absl::StatusOr<std::vector<ReviewRow>> list =
        txn.ListReviews("a", ReviewFilter{}, std::nullopt, 100);
    EXPECT_TRUE(list.ok()) << list.status();
    EXPECT_THAT(ExternalIds(*list), ElementsAre("same"));
    EXPECT_EQ(list->at(0).id, id_a);
    EXPECT_EQ(txn.CountReviews("b", ReviewFilter{}).value_or(-1), 2);
    EXPECT_EQ(txn.CountReviews("c", ReviewFilter{}).value_or(-1), 0);
    absl::StatusOr<std::vector<AuditRow>> audit = txn.ListAudit("b", "");
    EXPECT_TRUE(audit.ok() && audit->empty());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, NonOkStatusRollsBackEverything) {
  const absl::Status failure = absl::FailedPreconditionError("changed my mind");
  EXPECT_EQ(store_->Write([&](Txn& txn) {
    EXPECT_TRUE(txn.InsertTenant(Tenant("t")).ok());
    EXPECT_TRUE(txn.InsertApiKey(Key("k", "t", "h")).ok());
    EXPECT_TRUE(txn.InsertReview(Review("t", "r", kT0)).ok());
    EXPECT_TRUE(txn.InsertAudit({0, "t", "a", "x", "y", "", kT0}).ok());
    return failure;
  }),
            failure);
  ASSERT_OK(store_->Read([](Txn& txn) {
    EXPECT_CODE(txn.GetTenant("t").status(), kNotFound);
    EXPECT_CODE(txn.GetApiKey("k").status(), kNotFound);
    EXPECT_EQ(txn.CountApiKeys().value_or(-1), 0);
    EXPECT_EQ(txn.CountReviews("t", ReviewFilter{}).value_or(-1), 0);
    EXPECT_THAT(txn.ListAudit("t", "").value_or(std::vector<AuditRow>(1)),
                IsEmpty());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, InsertOrFindReviewInsertsOnceThenFindsIt) {
  ReviewRow row = Review("t", "r", kT0);
  row.aspects = {{3, 1, -0.5f, 2, 9}};
  int64_t id = 0;
  ASSERT_OK(store_->Write([&](Txn& txn) {
    if (absl::Status s = txn.InsertTenant(Tenant("t")); !s.ok()) return s;
    absl::StatusOr<InsertOrFindResult> first = txn.InsertOrFindReview(row);
    if (!first.ok()) return first.status();
    EXPECT_FALSE(first->existing.has_value());
    EXPECT_GT(first->id, 0);
    id = first->id;
    // In the same transaction and in a later one: found, nothing changed.
    ReviewRow again = row;
    again.subject_id = "other";
    absl::StatusOr<InsertOrFindResult> second = txn.InsertOrFindReview(again);
    if (!second.ok()) return second.status();
    EXPECT_EQ(second->id, id);
    EXPECT_TRUE(second->existing.has_value());
    // The transaction goes on.
    return txn.InsertReview(Review("t", "after", kT0)).status();
  }));
  ReviewRow stored = row;
  stored.id = id;
  ASSERT_OK(store_->Write([&](Txn& txn) {
    ReviewRow again = row;
    again.search_text = "changed";
    absl::StatusOr<InsertOrFindResult> found = txn.InsertOrFindReview(again);
    if (!found.ok()) return found.status();
    EXPECT_EQ(found->id, id);
    EXPECT_TRUE(found->existing.has_value());
    if (found->existing.has_value()) ExpectSameReview(*found->existing, stored);
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_EQ(txn.CountReviews("t", ReviewFilter{}).value_or(-1), 2);
    absl::StatusOr<ReviewRow> got = txn.GetReview("t", id);
    EXPECT_TRUE(got.ok()) << got.status();
    if (got.ok()) ExpectSameReview(*got, stored);
    return absl::OkStatus();
  }));
  EXPECT_CODE(store_->Write([&](Txn& txn) {
    return txn.InsertOrFindReview(Review("nope", "x", kT0)).status();
  }),
              kNotFound);
  EXPECT_CODE(store_->Read([&](Txn& txn) {
    return txn.InsertOrFindReview(Review("t", "y", kT0)).status();
  }),
              kFailedPrecondition);
}

// Store::Write: ABORTED (a conflict) runs fn again; only the run that
// commits leaves its writes.
TEST_P(StoreConformanceTest, AbortedWriteRunsAgainAndCommitsOnlyTheLastRun) {
  ASSERT_OK(
      store_->Write([](Txn& txn) { return txn.InsertTenant(Tenant("t")); }));
  int runs = 0;
  ASSERT_OK(store_->Write([&](Txn& txn) -> absl::Status {
    ++runs;
    const std::string run = absl::StrCat("run", runs);
    if (absl::Status s = txn.InsertTenant(Tenant(run)); !s.ok()) return s;
    if (absl::StatusOr<int64_t> id =
            txn.InsertAudit({0, "t", "a", run, "retried", "", kT0});
        !id.ok()) {
      return id.status();
    }
    if (runs == 1) return absl::AbortedError("conflict");
    return absl::OkStatus();
  }));
  EXPECT_EQ(runs, 2);
  ASSERT_OK(store_->Read([](Txn& txn) {
    absl::StatusOr<std::vector<AuditRow>> audit = txn.ListAudit("t", "retried");
    EXPECT_TRUE(audit.ok()) << audit.status();
    if (audit.ok()) {
      EXPECT_EQ(audit->size(), 1u);  // committed once
      if (!audit->empty()) {
        EXPECT_EQ(audit->back().action, "run2");
      }
    }
    EXPECT_CODE(txn.GetTenant("run1").status(), kNotFound);
    EXPECT_TRUE(txn.GetTenant("run2").ok());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, WriteThatKeepsConflictingEndsAborted) {
  int runs = 0;
  EXPECT_CODE(store_->Write([&](Txn& txn) -> absl::Status {
    ++runs;
    if (absl::Status s = txn.InsertTenant(Tenant("t")); !s.ok()) return s;
    return absl::AbortedError("conflict");
  }),
              kAborted);
  EXPECT_GE(runs, 2);
  EXPECT_LE(runs, 100);  // bounded
  ASSERT_OK(store_->Read([](Txn& txn) {
    EXPECT_CODE(txn.GetTenant("t").status(), kNotFound);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, ReadIsReadOnly) {
  ASSERT_OK(
      store_->Write([](Txn& txn) { return txn.InsertTenant(Tenant("t")); }));
  int64_t id = 0;
  ASSERT_OK(store_->Write([&](Txn& txn) {
    absl::StatusOr<int64_t> r = txn.InsertReview(Review("t", "r", kT0));
    id = r.value_or(0);
    return r.status();
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    ReviewRow row = Review("t", "r", kT0);
    row.id = id;
    EXPECT_CODE(txn.InsertTenant(Tenant("u")), kFailedPrecondition);
    EXPECT_CODE(txn.InsertApiKey(Key("k", "t", "h")), kFailedPrecondition);
    EXPECT_CODE(txn.RevokeApiKey("k"), kFailedPrecondition);
    EXPECT_CODE(txn.InsertReview(Review("t", "new", kT0)).status(),
                kFailedPrecondition);
    EXPECT_CODE(txn.UpdateReview(row), kFailedPrecondition);
    EXPECT_CODE(txn.InsertAudit({0, "t", "a", "x", "y", "", kT0}).status(),
                kFailedPrecondition);
    return absl::OkStatus();
  }));
  // Read returns fn's status.
  EXPECT_CODE(store_->Read([](Txn&) { return absl::CancelledError("x"); }),
              kCancelled);
  ASSERT_OK(store_->Read([](Txn& txn) {
    EXPECT_CODE(txn.GetTenant("u").status(), kNotFound);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, KeysetPaginationWithEqualTimesHasNoGapsOrRepeats) {
  constexpr int kRows = 2500;
  std::vector<std::pair<absl::Time, int64_t>> all;  // (create_time, id)
  ASSERT_OK(store_->Write([&](Txn& txn) {
    if (absl::Status s = txn.InsertTenant(Tenant("t")); !s.ok()) return s;
    if (absl::Status s = txn.InsertTenant(Tenant("other")); !s.ok()) return s;
    for (int i = 0; i < kRows; ++i) {
      // 50 distinct times, inserted out of time order: many ties on time.
      const absl::Time t = kT0 + absl::Seconds((i * 7) % 50);
      absl::StatusOr<int64_t> id =
          txn.InsertReview(Review("t", absl::StrCat("r", i), t));
      if (!id.ok()) return id.status();
      all.emplace_back(t, *id);
      if (i % 10 == 0) {  // noise in another tenant
        absl::StatusOr<int64_t> other =
            txn.InsertReview(Review("other", absl::StrCat("r", i), t));
        if (!other.ok()) return other.status();
      }
    }
    return absl::OkStatus();
  }));
  std::sort(all.begin(), all.end());

  for (const bool ascending : {false, true}) {
    SCOPED_TRACE(ascending ? "ascending" : "descending");
    ReviewFilter filter;
    filter.order =
        ascending ? ReviewOrder::kCreateTimeAsc : ReviewOrder::kCreateTimeDesc;
    std::vector<std::pair<absl::Time, int64_t>> seen;
    std::optional<ReviewCursor> cursor;
    int pages = 0;
    ASSERT_OK(store_->Read([&](Txn& txn) {
      while (true) {
        absl::StatusOr<std::vector<ReviewRow>> page =
            txn.ListReviews("t", filter, cursor, 97);
        if (!page.ok()) return page.status();
        if (page->empty()) break;
        // A cursor that does not advance would page forever.
        if (++pages > kRows) return absl::InternalError("cursor stuck");
        for (const ReviewRow& r : *page) {
          EXPECT_EQ(r.tenant_id, "t");
          seen.emplace_back(r.create_time, r.id);
        }
        cursor = ReviewCursor{page->back().create_time, page->back().id};
      }
      return absl::OkStatus();
    }));
    std::vector<std::pair<absl::Time, int64_t>> want = all;
    if (!ascending) std::reverse(want.begin(), want.end());
    EXPECT_EQ(pages, (kRows + 96) / 97);
    EXPECT_EQ(seen, want);  // same rows, each once, in keyset order
  }
}

TEST_P(StoreConformanceTest, EveryFilterMatchesListAndCount) {
  // name, source, subject, language, label, priority, status, rating,
  // create_time offset in hours, deleted
  struct Spec {
    const char* name;
    const char* source;
    const char* subject;
    const char* language;
    int label, priority, status, rating, hour;
    bool deleted;
  };
  const Spec specs[] = {
      {"r1", "google", "s1", "pl", 1, 1, 1, 1, 0, false},
      {"r2", "google", "s2", "en", 3, 2, 2, 5, 1, false},
      {"r3", "trustpilot", "s1", "pl", 3, 3, 3, 4, 2, false},
      {"r4", "trustpilot", "s3", "de", 2, 4, 1, 0, 3, false},
      {"r5", "google", "s1", "pl", 4, 1, 4, 3, 4, false},
      {"r6", "google", "s1", "pl", 1, 1, 1, 2, 5, true},
  };
  ASSERT_OK(store_->Write([&](Txn& txn) {
    if (absl::Status s = txn.InsertTenant(Tenant("t")); !s.ok()) return s;
    for (const Spec& s : specs) {
      ReviewRow r = Review("t", s.name, kT0 + absl::Hours(s.hour));
      r.source = s.source;
      r.subject_id = s.subject;
      r.language = s.language;
      r.label = s.label;
      r.priority = s.priority;
      r.status = s.status;
      r.rating = s.rating;
      r.deleted = s.deleted;
      if (absl::StatusOr<int64_t> id = txn.InsertReview(r); !id.ok()) {
        return id.status();
      }
    }
    return absl::OkStatus();
  }));

  struct Case {
    const char* what;
    ReviewFilter filter;
    std::vector<std::string> want;  // newest first
  };
  auto f = [](auto set) {
    ReviewFilter filter;
    set(filter);
    return filter;
  };
  const Case cases[] = {
      {"none", ReviewFilter{}, {"r5", "r4", "r3", "r2", "r1"}},
      {"include_deleted",
       f([](ReviewFilter& x) { x.include_deleted = true; }),
       {"r6", "r5", "r4", "r3", "r2", "r1"}},
      {"source",
       f([](ReviewFilter& x) { x.sources = {"trustpilot"}; }),
       {"r4", "r3"}},
      {"sources",
       f([](ReviewFilter& x) {
         x.sources = {"trustpilot", "google"};
       }),
       {"r5", "r4", "r3", "r2", "r1"}},
      {"subject",
       f([](ReviewFilter& x) { x.subject_ids = {"s1"}; }),
       {"r5", "r3", "r1"}},
      {"subjects",
       f([](ReviewFilter& x) {
         x.subject_ids = {"s2", "s3"};
       }),
       {"r4", "r2"}},
      {"language",
       f([](ReviewFilter& x) {
         x.languages = {"en", "de"};
       }),
       {"r4", "r2"}},
      {"label", f([](ReviewFilter& x) { x.labels = {3}; }), {"r3", "r2"}},
      {"priority",
       f([](ReviewFilter& x) {
         x.priorities = {1, 4};
       }),
       {"r5", "r4", "r1"}},
      {"status", f([](ReviewFilter& x) { x.statuses = {1}; }), {"r4", "r1"}},
      {"min_rating",
       f([](ReviewFilter& x) { x.min_rating = 4; }),
       {"r3", "r2"}},
      {"max_rating",
       f([](ReviewFilter& x) { x.max_rating = 2; }),
       {"r1"}},  // r4 has no rating (0): a rating bound excludes it
      {"rating range",
       f([](ReviewFilter& x) {
         x.min_rating = 3;
         x.max_rating = 4;
       }),
       {"r5", "r3"}},
      {"start_time",
       f([](ReviewFilter& x) { x.start_time = kT0 + absl::Hours(3); }),
       {"r5", "r4"}},
      {"sub-microsecond start_time",
       f([](ReviewFilter& x) {
         x.start_time = kT0 + absl::Hours(3) + absl::Nanoseconds(1);
       }),
       {"r5"}},
      {"sub-microsecond end_time",
       f([](ReviewFilter& x) {
         x.end_time = kT0 + absl::Hours(1) + absl::Nanoseconds(1);
       }),
       {"r2", "r1"}},
      {"end_time exclusive",
       f([](ReviewFilter& x) { x.end_time = kT0 + absl::Hours(2); }),
       {"r2", "r1"}},
      {"combined",
       f([](ReviewFilter& x) {
         x.sources = {"google"};
         x.languages = {"pl"};
         x.include_deleted = true;
         x.start_time = kT0 + absl::Hours(1);
       }),
       {"r6", "r5"}},
      {"no match", f([](ReviewFilter& x) { x.subject_ids = {"none"}; }), {}},
      {"ascending",
       f([](ReviewFilter& x) {
         x.order = ReviewOrder::kCreateTimeAsc;
         x.labels = {1, 2};
       }),
       {"r1", "r4"}},
  };
  ASSERT_OK(store_->Read([&](Txn& txn) {
    for (const Case& c : cases) {
      absl::StatusOr<std::vector<ReviewRow>> rows =
          txn.ListReviews("t", c.filter, std::nullopt, 100);
      EXPECT_TRUE(rows.ok()) << c.what << ": " << rows.status();
      if (rows.ok()) {
        EXPECT_EQ(ExternalIds(*rows), c.want) << c.what;
      }
      absl::StatusOr<int64_t> count = txn.CountReviews("t", c.filter);
      EXPECT_EQ(count.value_or(-1), static_cast<int64_t>(c.want.size()))
          << c.what;
    }
    return absl::OkStatus();
  }));
}

// The inbox orders (ReviewOrder::kUrgency and kRespondBy): every filter
// shape, paged through with many ties, against the order computed here.
// The inbox's own filter (statuses NEW/ACKNOWLEDGED, not deleted) is the
// one the backends answer from their partial indexes; the others check
// that leaving those indexes changes no result.
TEST_P(StoreConformanceTest, InboxOrdersSortByUrgencyAndDeadlineAcrossPages) {
  struct Want {
    int64_t id;
    int32_t priority, status;
    absl::Time respond_by;
    bool deleted;
    std::string source;
  };
  std::vector<Want> all;
  const absl::Time deadlines[] = {absl::InfinitePast(), kT0 - absl::Hours(5),
                                  kT0 + absl::Hours(1), kT0 + absl::Hours(4),
                                  kT0 + absl::Hours(1) + absl::Microseconds(1)};
  constexpr int kRows = 700;
  ASSERT_OK(store_->Write([&](Txn& txn) {
    if (absl::Status s = txn.InsertTenant(Tenant("t")); !s.ok()) return s;
    if (absl::Status s = txn.InsertTenant(Tenant("u")); !s.ok()) return s;
    for (int i = 0; i < kRows; ++i) {
      // Every priority 0..5, every status, a few deleted; few distinct
      // deadlines, so long runs of ties on (priority, respond_by).
      ReviewRow r = Review("t", absl::StrCat("r", i),
                           kT0 + absl::Seconds((i * 7) % 13));
      r.priority = (i * 5) % 6;
      r.status = 1 + (i * 3) % 4;
      r.respond_by = deadlines[(i * 11) % 5];
      r.deleted = i % 17 == 0;
      r.source = i % 2 == 0 ? "google" : "allegro";
      absl::StatusOr<int64_t> id = txn.InsertReview(r);
      if (!id.ok()) return id.status();
      all.push_back({*id, r.priority, r.status, r.respond_by, r.deleted,
                     r.source});
      if (i % 9 == 0) {  // noise in another tenant, same keys
        r.tenant_id = "u";
        if (absl::StatusOr<int64_t> other = txn.InsertReview(r); !other.ok()) {
          return other.status();
        }
      }
    }
    return absl::OkStatus();
  }));
  auto rank = [](int32_t p) { return p == 0 ? 6 : p; };
  auto due = [](absl::Time t) {
    return t == absl::InfinitePast() ? absl::InfiniteFuture() : t;
  };
  auto in = [](const std::vector<int32_t>& list, int32_t v) {
    return list.empty() ||
           std::find(list.begin(), list.end(), v) != list.end();
  };

  struct Case {
    const char* what;
    std::vector<int32_t> statuses, priorities;
    bool include_deleted = false;
    std::vector<std::string> sources;
  };
  const Case cases[] = {
      {"inbox", {1, 2}, {1, 2, 3}, false, {}},
      {"open, every priority", {1, 2}, {}, false, {}},
      {"new only, one priority", {1}, {2}, false, {}},
      {"open, priorities with a gap and unspecified", {2, 1}, {0, 4, 1},
       false, {}},
      {"open and a source", {1, 2}, {1, 2, 3}, false, {"allegro"}},
      {"every review", {}, {}, false, {}},
      {"answered", {3, 4}, {1, 2, 3}, false, {}},
      {"open with deleted ones", {1, 2}, {}, true, {}},
  };
  for (const ReviewOrder order :
       {ReviewOrder::kUrgency, ReviewOrder::kRespondBy}) {
    for (const Case& c : cases) {
      SCOPED_TRACE(absl::StrCat(
          order == ReviewOrder::kUrgency ? "urgency: " : "respond_by: ",
          c.what));
      ReviewFilter filter;
      filter.order = order;
      filter.statuses = c.statuses;
      filter.priorities = c.priorities;
      filter.include_deleted = c.include_deleted;
      filter.sources = c.sources;
      std::vector<Want> want;
      for (const Want& w : all) {
        if (in(c.statuses, w.status) && in(c.priorities, w.priority) &&
            (c.include_deleted || !w.deleted) &&
            (c.sources.empty() || c.sources[0] == w.source)) {
          want.push_back(w);
        }
      }
      std::sort(want.begin(), want.end(), [&](const Want& a, const Want& b) {
        const int ra = order == ReviewOrder::kUrgency ? rank(a.priority) : 0;
        const int rb = order == ReviewOrder::kUrgency ? rank(b.priority) : 0;
        return std::make_tuple(ra, due(a.respond_by), a.id) <
               std::make_tuple(rb, due(b.respond_by), b.id);
      });
      std::vector<int64_t> seen;
      std::optional<ReviewCursor> cursor;
      int pages = 0;
      ASSERT_OK(store_->Read([&](Txn& txn) {
        while (true) {
          absl::StatusOr<std::vector<ReviewRow>> page =
              txn.ListReviews("t", filter, cursor, 37);
          if (!page.ok()) return page.status();
          if (page->empty()) break;
          if (++pages > kRows) return absl::InternalError("cursor stuck");
          for (const ReviewRow& r : *page) {
            EXPECT_EQ(r.tenant_id, "t");
            seen.push_back(r.id);
          }
          cursor = ReviewCursor::After(page->back());
        }
        EXPECT_EQ(VALUE(txn.CountReviews("t", filter)),
                  static_cast<int64_t>(want.size()));
        return absl::OkStatus();
      }));
      EXPECT_FALSE(want.empty());
      EXPECT_EQ(seen, IdsOf(want));  // each once, in the order
    }
  }
}

TEST_P(StoreConformanceTest, FullTextTermsPhrasesPrefixesGroupsExclusions) {
  auto term = [](const char* text, bool prefix = false) {
    return SearchTerm{text, prefix};
  };
  ExpectSearches(
      *store_,
      {
          {"r1", "kurier zgubil paczke"},
          {"r2", "poczta szybka"},
          {"r3", "nie polecam kuriera"},
          {"r4", "polecam allegro"},
      },
      {
          {"word", {{{term("kurier")}}, {}}, {"r1"}},
          {"prefix", {{{term("kurier", true)}}, {}}, {"r3", "r1"}},
          {"and", {{{term("kurier")}, {term("poczta")}}, {}}, {}},
          {"or", {{{term("kurier"), term("poczta")}}, {}}, {"r2", "r1"}},
          {"phrase", {{{term("nie polecam")}}, {}}, {"r3"}},
          {"phrase order", {{{term("polecam nie")}}, {}}, {}},
          {"exclusion", {{{term("polecam")}}, {term("allegro")}}, {"r3"}},
          {"exclusions or",
           {{{term("polecam")}}, {term("x"), term("nie")}},
           {"r4"}},
          {"no group", {}, {"r4", "r3", "r2", "r1"}},
      });
}

// Outbox positions (alert event ids, webhook delivery ids) are in commit
// order: a reader tailing "after the last id I saw" while writers commit
// concurrently sees every row exactly once, in id order.
TEST_P(StoreConformanceTest, OutboxPositionsAreInCommitOrder) {
  int64_t webhook = 0;
  ASSERT_OK(store_->Write([&](Txn& txn) -> absl::Status {
    if (absl::Status s = txn.InsertTenant(Tenant("t")); !s.ok()) return s;
    WebhookRow w;
    w.tenant_id = "t";
    w.url = "http://127.0.0.1:1/hook";
    w.secret = "s";
    w.create_time = kT0;
    absl::StatusOr<int64_t> id = txn.webhooks().InsertWebhook(w);
    webhook = id.value_or(0);
    return id.status();
  }));
  constexpr int kWriters = 4;
  constexpr int kPerWriter = 40;
  std::atomic<int> writers_left{kWriters};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        EXPECT_TRUE(store_
                        ->Write([&](Txn& txn) -> absl::Status {
                          AlertRow alert;
                          alert.tenant_id = "t";
                          alert.kind = 1;
                          alert.priority = 1;
                          alert.create_time = kT0;
                          alert.update_time = kT0;
                          alert.dedup_key = absl::StrCat("w", w, ":", i);
                          absl::StatusOr<int64_t> id =
                              txn.alerts().InsertAlert(alert);
                          if (!id.ok()) return id.status();
                          absl::StatusOr<int64_t> event =
                              txn.alerts().InsertAlertEvent(
                                  "t", *id, kAlertEventReopened, kT0);
                          if (!event.ok()) return event.status();
                          DeliveryRow d;
                          d.webhook_id = webhook;
                          d.tenant_id = "t";
                          d.alert_id = *id;
                          d.event_id = *event;
                          d.create_time = kT0;
                          d.update_time = kT0;
                          return txn.webhooks().InsertDelivery(d).status();
                        })
                        .ok());
      }
      --writers_left;
    });
  }
  // Tails both outboxes until the writers are done and a last pass finds
  // nothing new.
  std::vector<int64_t> events, deliveries;
  int64_t event_cursor = 0, delivery_cursor = 0;
  bool done = false;
  while (!done) {
    done = writers_left == 0;
    ASSERT_OK(store_->Read([&](Txn& txn) -> absl::Status {
      absl::StatusOr<std::vector<AlertEventRow>> e =
          txn.alerts().ListAlertEventsAfter("t", event_cursor, 1000);
      if (!e.ok()) return e.status();
      for (const AlertEventRow& row : *e) events.push_back(row.id);
      if (!e->empty()) event_cursor = e->back().id;
      absl::StatusOr<std::vector<DeliveryRow>> d =
          txn.webhooks().ListDeliveries(webhook, delivery_cursor, 1000);
      if (!d.ok()) return d.status();
      for (const DeliveryRow& row : *d) deliveries.push_back(row.id);
      if (!d->empty()) delivery_cursor = d->back().id;
      return absl::OkStatus();
    }));
  }
  for (std::thread& t : writers) t.join();
  std::vector<int64_t> all_events, all_deliveries;
  ASSERT_OK(store_->Read([&](Txn& txn) -> absl::Status {
    absl::StatusOr<std::vector<AlertEventRow>> e =
        txn.alerts().ListAlertEventsAfter("t", 0, 100000);
    if (!e.ok()) return e.status();
    for (const AlertEventRow& row : *e) all_events.push_back(row.id);
    absl::StatusOr<std::vector<DeliveryRow>> d =
        txn.webhooks().ListDeliveries(webhook, 0, 100000);
    if (!d.ok()) return d.status();
    for (const DeliveryRow& row : *d) all_deliveries.push_back(row.id);
    return absl::OkStatus();
  }));
  // InsertAlert appends a created event too: two events per write.
  EXPECT_EQ(all_events.size(), 2u * kWriters * kPerWriter);
  EXPECT_EQ(all_deliveries.size(), 1u * kWriters * kPerWriter);
  EXPECT_TRUE(std::is_sorted(all_events.begin(), all_events.end()));
  EXPECT_EQ(events, all_events);  // the tailer missed none, saw each once
  EXPECT_EQ(deliveries, all_deliveries);
}

TEST_P(StoreConformanceTest, AuditRowsByTargetOldestFirst) {
  InsertTenants(*store_, {Tenant("t"), Tenant("u")});
  std::vector<int64_t> ids;
  ASSERT_OK(store_->Write([&](Txn& txn) {
    const AuditRow rows[] = {
        {0, "t", "apiKeys/1", "review.override", "reviews/1", "{\"a\":1}", kT0},
        {0, "t", "apiKeys/1", "review.delete", "reviews/2", "", kT0},
        {0, "u", "apiKeys/2", "review.delete", "reviews/1", "", kT0},
        {0, "t", "apiKeys/3", "review.delete", "reviews/1", "gone",
         kT0 + absl::Seconds(1)},
    };
    for (const AuditRow& r : rows) {
      absl::StatusOr<int64_t> id = txn.InsertAudit(r);
      if (!id.ok()) return id.status();
      ids.push_back(*id);
    }
    return absl::OkStatus();
  }));
  EXPECT_EQ(std::set<int64_t>(ids.begin(), ids.end()).size(), ids.size());
  ASSERT_OK(store_->Read([&](Txn& txn) {
    absl::StatusOr<std::vector<AuditRow>> rows =
        txn.ListAudit("t", "reviews/1");
    EXPECT_TRUE(rows.ok()) << rows.status();
    EXPECT_EQ(rows->size(), 2u);
    if (rows->size() == 2) {
      EXPECT_EQ((*rows)[0].id, ids[0]);
      EXPECT_EQ((*rows)[0].action, "review.override");
      EXPECT_EQ((*rows)[0].actor, "apiKeys/1");
      EXPECT_EQ((*rows)[0].detail, "{\"a\":1}");
      EXPECT_EQ((*rows)[0].time, kT0);
      EXPECT_EQ((*rows)[1].id, ids[3]);
      EXPECT_EQ((*rows)[1].tenant_id, "t");
      EXPECT_EQ((*rows)[1].detail, "gone");
    }
    EXPECT_EQ(txn.ListAudit("t", "").value_or(std::vector<AuditRow>()).size(),
              3u);
    EXPECT_EQ(txn.ListAudit("u", "reviews/1")
                  .value_or(std::vector<AuditRow>())
                  .size(),
              1u);
    EXPECT_THAT(
        txn.ListAudit("t", "reviews/9").value_or(std::vector<AuditRow>()),
        IsEmpty());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, TimesAreTruncatedToTheMicrosecond) {
  const absl::Time fine = kT0 + absl::Nanoseconds(1'999);
  const absl::Time want = kT0 + absl::Microseconds(1);
  TenantRow tenant = Tenant("t");
  tenant.create_time = fine;
  ApiKeyRow key = Key("k", "t", "h");
  key.create_time = fine;
  ASSERT_OK(store_->Write([&](Txn& txn) {
    EXPECT_OK(txn.InsertTenant(tenant));
    EXPECT_OK(txn.InsertApiKey(key));
    return txn.InsertAudit({0, "t", "a", "x", "y", "", fine}).status();
  }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    EXPECT_EQ(VALUE(txn.GetTenant("t")).create_time, want);
    EXPECT_EQ(VALUE(txn.GetApiKey("k")).create_time, want);
    const std::vector<AuditRow> audit = VALUE(txn.ListAudit("t", ""));
    EXPECT_EQ(audit.size(), 1u);
    if (!audit.empty()) {
      EXPECT_EQ(audit[0].time, want);
    }
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, NonPositiveLimitIsInvalidArgument) {
  ForEachNonPositiveLimit(*store_, [](Txn& txn, int limit) {
    EXPECT_CODE(txn.ListTenants("", limit), kInvalidArgument);
    EXPECT_CODE(txn.ListApiKeys(std::nullopt, "", limit), kInvalidArgument);
    EXPECT_CODE(txn.ListReviews("t", ReviewFilter{}, std::nullopt, limit),
                kInvalidArgument);
  });
}

}  // namespace
}  // namespace opinia::storage::conformance
