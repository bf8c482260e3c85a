#include "tests/testing/test_backend.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "service/storage/open/open_store.h"

namespace opinia::testing {
namespace {

bool ReadBackend() {
  const char* env = std::getenv("OPINIA_TEST_BACKEND");
  const std::string_view backend = env != nullptr ? env : "";
  if (backend.empty() || backend == "sqlite") return false;
  if (backend == "postgres") {
    std::fprintf(stderr,
                 "OPINIA_TEST_BACKEND=postgres: this test's databases are "
                 "fresh PostgreSQL schemas\n");
    return true;
  }
  std::fprintf(stderr,
               "OPINIA_TEST_BACKEND=%s: expected 'postgres' or 'sqlite'\n",
               env);
  std::abort();
}

// A store that owns what its database needs (a test schema) and releases it
// after the store is closed.
class StoreOnTestDb final : public storage::Store {
 public:
  StoreOnTestDb(std::shared_ptr<void> db, std::string location,
                std::unique_ptr<Store> store)
      : db_(std::move(db)),
        location_(std::move(location)),
        store_(std::move(store)) {}
  ~StoreOnTestDb() override { store_.reset(); }

  absl::Status Write(const TxnFn& fn) override { return store_->Write(fn); }
  absl::Status Read(const TxnFn& fn) override { return store_->Read(fn); }
  const std::string& ServerSecret() const override {
    return store_->ServerSecret();
  }
  storage::StoreStats Stats() override { return store_->Stats(); }
  void SetTenantListener(TenantListener listener) override {
    store_->SetTenantListener(std::move(listener));
  }

  const std::string& location() const { return location_; }

 private:
  std::shared_ptr<void> db_;  // released after store_
  std::string location_;      // what OpenStore takes
  std::unique_ptr<Store> store_;
};

}  // namespace

bool TestsOnPostgres() {
  static const bool on_postgres = ReadBackend();
  return on_postgres;
}

const char* TestBackendName() {
  return TestsOnPostgres() ? "postgres" : "sqlite";
}

absl::StatusOr<std::unique_ptr<TestDb>> TestDb::Create(
    const std::string& sqlite_path) {
  if (!TestsOnPostgres()) return Sqlite(sqlite_path);
  absl::StatusOr<std::unique_ptr<PgTestDb>> pg = PgTestDb::Create();
  if (!pg.ok()) return pg.status();
  std::string url = (*pg)->url();
  return std::unique_ptr<TestDb>(new TestDb(std::move(url), *std::move(pg)));
}

absl::StatusOr<std::unique_ptr<storage::Store>> OpenTestDbStore(
    const TestDb& db) {
  return storage::OpenStore(db.location());
}

std::unique_ptr<storage::Store> StoreOwningDb(
    std::unique_ptr<TestDb> db, std::unique_ptr<storage::Store> store) {
  std::string location = db->location();
  return std::make_unique<StoreOnTestDb>(std::move(db), std::move(location),
                                         std::move(store));
}

std::unique_ptr<storage::Store> StoreOwningDb(
    std::unique_ptr<PgTestDb> db, std::unique_ptr<storage::Store> store) {
  std::string location = db->url();
  return std::make_unique<StoreOnTestDb>(std::move(db), std::move(location),
                                         std::move(store));
}

absl::StatusOr<std::unique_ptr<storage::Store>> OpenAnotherStore(
    const storage::Store& store) {
  const auto* owner = dynamic_cast<const StoreOnTestDb*>(&store);
  if (owner == nullptr) {
    return absl::InvalidArgumentError(
        "OpenAnotherStore: not a store of OpenFreshTestStore/StoreOwningDb");
  }
  return storage::OpenStore(owner->location());
}

absl::StatusOr<std::unique_ptr<storage::Store>> OpenFreshTestStore(
    const std::string& sqlite_path) {
  absl::StatusOr<std::unique_ptr<TestDb>> db = TestDb::Create(sqlite_path);
  if (!db.ok()) return db.status();
  absl::StatusOr<std::unique_ptr<storage::Store>> store =
      OpenTestDbStore(**db);
  if (!store.ok()) return store.status();
  return StoreOwningDb(*std::move(db), *std::move(store));
}

}  // namespace opinia::testing
