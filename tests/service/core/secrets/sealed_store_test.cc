// The sealed store over a real SQLite file: core sees plaintext, the
// backend holds sealed values bound to their rows; SealStoredSecrets seals
// rows from before sealing, re-seals under a new key, and is idempotent.
#include "service/core/secrets/sealed_store.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/core/util/crypto.h"
#include "tests/service/core/test_env.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::shared_ptr<const SecretBox> Box(const std::string& key,
                                     const std::vector<std::string>& old = {}) {
  auto box = SecretBox::Create(key, old);
  EXPECT_TRUE(box.ok()) << box.status();
  return std::make_shared<const SecretBox>(*std::move(box));
}

// A key whose id differs from `other`'s.
std::string OtherKey(const std::string& other) {
  for (;;) {
    std::string k = RandomBytes(SecretBox::kKeySize);
    if (SecretBox::KeyIdOf(k) != SecretBox::KeyIdOf(other)) return k;
  }
}

class SealedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One database seen two ways: raw (what the database holds) and
    // through the sealed store (what core sees).
    const std::string dir = absl::StrCat(::testing::TempDir(), "/opinia-seal-",
                                         NewResourceId('d', 12));
    std::filesystem::create_directories(dir);
    auto db = opinia::testing::TestDb::Create(dir + "/test.db");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    raw_ = Open();
    ASSERT_TRUE(testing::InsertTwoShops(*raw_).ok());
    key_ = RandomBytes(SecretBox::kKeySize);
    sealed_ = NewSealedStore(Open(), Box(key_));
  }

  std::unique_ptr<storage::Store> Open() {
    auto store = opinia::testing::OpenTestDbStore(*db_);
    EXPECT_TRUE(store.ok()) << store.status();
    return *std::move(store);
  }

  static storage::WebhookRow Webhook(std::string tenant, std::string secret) {
    storage::WebhookRow w;
    w.tenant_id = std::move(tenant);
    w.url = "https://hooks.example/in";
    w.secret = std::move(secret);
    w.priorities = {1};
    return w;
  }
  static storage::CollectorRow Collector(std::string tenant,
                                         std::string spec) {
    storage::CollectorRow c;
    c.tenant_id = std::move(tenant);
    c.spec = std::move(spec);
    c.poll_interval_seconds = 60;
    c.next_run_time = absl::FromUnixSeconds(100);
    c.cursor = "cursor-1";
    return c;
  }

  // The id `insert` returns in a write transaction of `store`; 0 on error.
  template <typename Insert>
  static int64_t InsertOne(storage::Store& store, Insert insert) {
    int64_t id = 0;
    absl::Status s = store.Write([&](storage::Txn& txn) -> absl::Status {
      absl::StatusOr<int64_t> got = insert(txn);
      if (!got.ok()) return got.status();
      id = *got;
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return id;
  }
  static int64_t InsertWebhook(storage::Store& store,
                               const storage::WebhookRow& w) {
    return InsertOne(store, [&](storage::Txn& txn) {
      return txn.webhooks().InsertWebhook(w);
    });
  }
  static int64_t InsertCollector(storage::Store& store,
                                 const storage::CollectorRow& c) {
    return InsertOne(store, [&](storage::Txn& txn) {
      return txn.collectors().InsertCollector(c);
    });
  }

  // The result of `get` on a read transaction of `store`.
  template <typename Get>
  static auto ReadOne(storage::Store& store, Get get)
      -> decltype(get(std::declval<storage::Txn&>())) {
    decltype(get(std::declval<storage::Txn&>())) row =
        absl::UnknownError("not read");
    absl::Status s = store.Read([&](storage::Txn& txn) {
      row = get(txn);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return row;
  }
  static absl::StatusOr<storage::WebhookRow> GetWebhook(
      storage::Store& store, const std::string& tenant, int64_t id) {
    return ReadOne(store, [&](storage::Txn& txn) {
      return txn.webhooks().GetWebhook(tenant, id);
    });
  }
  static absl::StatusOr<storage::CollectorRow> GetCollector(
      storage::Store& store, const std::string& tenant, int64_t id) {
    return ReadOne(store, [&](storage::Txn& txn) {
      return txn.collectors().GetCollector(tenant, id);
    });
  }

  std::unique_ptr<opinia::testing::TestDb> db_;  // outlives the stores
  std::string key_;
  std::unique_ptr<storage::Store> raw_;
  std::unique_ptr<storage::Store> sealed_;
};

TEST_F(SealedStoreTest, CoreSeesPlaintextTheDatabaseHoldsSealedValues) {
  const int64_t w = InsertWebhook(*sealed_, Webhook("shop-a", "whsec-plain"));
  const int64_t c =
      InsertCollector(*sealed_, Collector("shop-a", "spec with tok-plain"));

  auto got_w = GetWebhook(*sealed_, "shop-a", w);
  ASSERT_TRUE(got_w.ok()) << got_w.status();
  EXPECT_EQ(got_w->secret, "whsec-plain");
  EXPECT_EQ(got_w->url, "https://hooks.example/in");
  auto got_c = GetCollector(*sealed_, "shop-a", c);
  ASSERT_TRUE(got_c.ok()) << got_c.status();
  EXPECT_EQ(got_c->spec, "spec with tok-plain");
  EXPECT_EQ(got_c->cursor, "cursor-1");
  EXPECT_EQ(got_c->poll_interval_seconds, 60);

  auto raw_w = GetWebhook(*raw_, "shop-a", w);
  ASSERT_TRUE(raw_w.ok());
  EXPECT_THAT(raw_w->secret, Not(HasSubstr("whsec")));
  EXPECT_EQ(SecretBox::SealedKeyId(raw_w->secret), SecretBox::KeyIdOf(key_));
  auto raw_c = GetCollector(*raw_, "shop-a", c);
  ASSERT_TRUE(raw_c.ok());
  EXPECT_THAT(raw_c->spec, Not(HasSubstr("tok-plain")));
  EXPECT_TRUE(SecretBox::LooksSealed(raw_c->spec));
  EXPECT_EQ(raw_c->cursor, "cursor-1");  // only the spec is sealed

  // Every read path opens; updates seal again.
  ASSERT_TRUE(sealed_
                  ->Write([&](storage::Txn& txn) -> absl::Status {
                    auto all = txn.webhooks().ListAllWebhooks(0, 10);
                    EXPECT_TRUE(all.ok());
                    EXPECT_EQ((*all)[0].secret, "whsec-plain");
                    auto mine = txn.webhooks().ListWebhooks("shop-a", 0, 10);
                    EXPECT_EQ((*mine)[0].secret, "whsec-plain");
                    auto due = txn.collectors().ListDueCollectors(
                        absl::FromUnixSeconds(200), 10);
                    EXPECT_TRUE(due.ok());
                    EXPECT_EQ((*due)[0].spec, "spec with tok-plain");
                    auto due_except = txn.collectors().ListDueCollectorsExcept(
                        absl::FromUnixSeconds(200), 10, {c + 1000});
                    EXPECT_TRUE(due_except.ok());
                    EXPECT_EQ((*due_except)[0].spec, "spec with tok-plain");
                    auto listed = txn.collectors().ListCollectors("shop-a", 0, 10);
                    EXPECT_EQ((*listed)[0].spec, "spec with tok-plain");
                    storage::CollectorRow row = (*listed)[0];
                    row.spec = "spec with tok-new";
                    row.last_error = "timeout";
                    RETURN_IF_ERROR(txn.collectors().UpdateCollector(row));
                    return txn.webhooks().SetWebhookSecret("shop-a", w,
                                                           "whsec-new");
                  })
                  .ok());
  EXPECT_EQ(GetCollector(*sealed_, "shop-a", c)->spec, "spec with tok-new");
  EXPECT_EQ(GetCollector(*sealed_, "shop-a", c)->last_error, "timeout");
  EXPECT_THAT(GetCollector(*raw_, "shop-a", c)->spec,
              Not(HasSubstr("tok-new")));
  EXPECT_EQ(GetWebhook(*sealed_, "shop-a", w)->secret, "whsec-new");
}

// An attacker who can write the database but has no key cannot move a
// tenant's sealed credentials to a row (or tenant) of their own, nor plant
// a plaintext value.
TEST_F(SealedStoreTest, SealedValuesDoNotMoveBetweenRows) {
  const int64_t wa = InsertWebhook(*sealed_, Webhook("shop-a", "secret-a"));
  const int64_t wb = InsertWebhook(*sealed_, Webhook("shop-b", "secret-b"));
  const int64_t ca = InsertCollector(*sealed_, Collector("shop-a", "spec-a"));
  const int64_t cb = InsertCollector(*sealed_, Collector("shop-b", "spec-b"));
  const std::string sealed_wa = GetWebhook(*raw_, "shop-a", wa)->secret;
  storage::CollectorRow raw_ca = *GetCollector(*raw_, "shop-a", ca);
  storage::CollectorRow raw_cb = *GetCollector(*raw_, "shop-b", cb);
  raw_cb.spec = raw_ca.spec;
  ASSERT_TRUE(raw_
                  ->Write([&](storage::Txn& txn) -> absl::Status {
                    RETURN_IF_ERROR(
                        txn.webhooks().SetWebhookSecret("shop-b", wb, sealed_wa));
                    return txn.collectors().UpdateCollector(raw_cb);
                  })
                  .ok());
  auto moved_w = GetWebhook(*sealed_, "shop-b", wb);
  EXPECT_EQ(moved_w.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(moved_w.status().message(),
              HasSubstr(absl::StrCat("webhooks/", wb)));
  auto moved_c = GetCollector(*sealed_, "shop-b", cb);
  EXPECT_EQ(moved_c.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(moved_c.status().message(),
              HasSubstr(absl::StrCat("collectors/", cb)));
  EXPECT_EQ(GetWebhook(*sealed_, "shop-a", wa)->secret, "secret-a");

  ASSERT_TRUE(raw_
                  ->Write([&](storage::Txn& txn) {
                    return txn.webhooks().SetWebhookSecret("shop-a", wa,
                                                           "planted");
                  })
                  .ok());
  EXPECT_EQ(GetWebhook(*sealed_, "shop-a", wa).status().code(),
            absl::StatusCode::kDataLoss);
  // A list with such a row fails as a whole rather than skip it silently.
  absl::Status listed = sealed_->Read([](storage::Txn& txn) {
    return txn.webhooks().ListAllWebhooks(0, 10).status();
  });
  EXPECT_EQ(listed.code(), absl::StatusCode::kDataLoss);
  // The startup pass refuses them too, naming the first.
  auto report = SealStoredSecrets(*raw_, *Box(key_));
  EXPECT_EQ(report.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(report.status().message(),
              HasSubstr(absl::StrCat("webhooks/", wb)));
}

// Rows written before sealing existed (plaintext) are sealed by the
// startup pass; a second run changes nothing.
TEST_F(SealedStoreTest, StartupSealsPlaintextRowsOnce) {
  std::vector<int64_t> webhooks, collectors;
  // More rows than one page of the pass.
  for (int i = 0; i < 230; ++i) {
    webhooks.push_back(InsertWebhook(
        *raw_, Webhook(i % 2 ? "shop-a" : "shop-b", absl::StrCat("plain-", i))));
  }
  for (int i = 0; i < 210; ++i) {
    collectors.push_back(InsertCollector(
        *raw_, Collector(i % 3 ? "shop-a" : "shop-b", absl::StrCat("spec-", i))));
  }
  EXPECT_EQ(*FindSealedKeyId(*raw_), std::nullopt);
  // Before the pass core cannot read them: plaintext is refused.
  EXPECT_EQ(GetWebhook(*sealed_, "shop-b", webhooks[0]).status().code(),
            absl::StatusCode::kDataLoss);

  auto report = SealStoredSecrets(*raw_, *Box(key_));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->sealed, 440);
  EXPECT_EQ(report->resealed, 0);
  EXPECT_EQ(report->current, 0);
  EXPECT_EQ(*FindSealedKeyId(*raw_), SecretBox::KeyIdOf(key_));
  for (size_t i = 0; i < webhooks.size(); ++i) {
    const std::string tenant = i % 2 ? "shop-a" : "shop-b";
    EXPECT_EQ(GetWebhook(*sealed_, tenant, webhooks[i])->secret,
              absl::StrCat("plain-", i));
    EXPECT_TRUE(
        SecretBox::LooksSealed(GetWebhook(*raw_, tenant, webhooks[i])->secret));
  }
  for (size_t i = 0; i < collectors.size(); ++i) {
    const std::string tenant = i % 3 ? "shop-a" : "shop-b";
    EXPECT_EQ(GetCollector(*sealed_, tenant, collectors[i])->spec,
              absl::StrCat("spec-", i));
  }

  const std::string before = GetWebhook(*raw_, "shop-b", webhooks[0])->secret;
  auto again = SealStoredSecrets(*raw_, *Box(key_));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->sealed, 0);
  EXPECT_EQ(again->resealed, 0);
  EXPECT_EQ(again->current, 440);
  EXPECT_EQ(GetWebhook(*raw_, "shop-b", webhooks[0])->secret, before);
}

TEST_F(SealedStoreTest, RotationResealsUnderTheNewKey) {
  const int64_t w = InsertWebhook(*sealed_, Webhook("shop-a", "whsec-rot"));
  const int64_t c = InsertCollector(*sealed_, Collector("shop-b", "spec-rot"));
  // And one row from before sealing: rotation seals it as well.
  const int64_t plain = InsertWebhook(*raw_, Webhook("shop-b", "whsec-old"));
  const std::string new_key = OtherKey(key_);

  // The new key alone does not open what the old one sealed.
  auto without_old = SealStoredSecrets(*raw_, *Box(new_key));
  EXPECT_EQ(without_old.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(without_old.status().message(),
              HasSubstr(absl::StrCat("webhooks/", w)));
  EXPECT_THAT(without_old.status().message(),
              HasSubstr(SecretBox::KeyIdName(SecretBox::KeyIdOf(key_))));

  auto rotated = SealStoredSecrets(*raw_, *Box(new_key, {key_}));
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_EQ(rotated->resealed, 2);
  EXPECT_EQ(rotated->sealed, 1);
  EXPECT_EQ(*FindSealedKeyId(*raw_), SecretBox::KeyIdOf(new_key));

  auto with_new = NewSealedStore(Open(), Box(new_key));
  EXPECT_EQ(GetWebhook(*with_new, "shop-a", w)->secret, "whsec-rot");
  EXPECT_EQ(GetWebhook(*with_new, "shop-b", plain)->secret, "whsec-old");
  EXPECT_EQ(GetCollector(*with_new, "shop-b", c)->spec, "spec-rot");
  // The old key no longer opens anything.
  EXPECT_EQ(GetWebhook(*sealed_, "shop-a", w).status().code(),
            absl::StatusCode::kFailedPrecondition);

  auto again = SealStoredSecrets(*raw_, *Box(new_key, {key_}));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->total(), 3);
  EXPECT_EQ(again->current, 3);
}

TEST_F(SealedStoreTest, DeletesAndOtherCallsPassThrough) {
  const int64_t w = InsertWebhook(*sealed_, Webhook("shop-a", "whsec-del"));
  const int64_t c = InsertCollector(*sealed_, Collector("shop-a", "spec-del"));
  ASSERT_TRUE(sealed_
                  ->Write([&](storage::Txn& txn) -> absl::Status {
                    RETURN_IF_ERROR(txn.webhooks().SetWebhookCursor(w, 9));
                    EXPECT_EQ(txn.webhooks()
                                  .SetWebhookSecret("shop-b", w, "x")
                                  .code(),
                              absl::StatusCode::kNotFound);
                    auto tenant = txn.GetTenant("shop-a");
                    EXPECT_TRUE(tenant.ok());
                    RETURN_IF_ERROR(txn.collectors().DeleteCollector("shop-a", c));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(GetWebhook(*sealed_, "shop-a", w)->cursor, 9);
  EXPECT_EQ(GetCollector(*sealed_, "shop-a", c).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(GetCollector(*sealed_, "shop-b", c).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(sealed_->ServerSecret(), raw_->ServerSecret());
}

}  // namespace
}  // namespace opinia::core
