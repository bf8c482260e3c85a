// Helpers shared by the conformance suite's files (store_conformance*.cc):
// status assertions and rows with every required field set. Written only
// against service/storage/store.h, like the suite.
#ifndef OPINIA_TESTS_SERVICE_STORAGE_STORE_CONFORMANCE_UTIL_H_
#define OPINIA_TESTS_SERVICE_STORAGE_STORE_CONFORMANCE_UTIL_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "service/storage/store.h"

namespace opinia::storage::conformance {

inline const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

// The value of a StatusOr; on an error, a failure at the caller's line and
// a value-initialised T, so the test goes on and reports what else differs.
template <typename T>
T ValueAt(absl::StatusOr<T> v, const char* expr, const char* file, int line) {
  if (v.ok()) return *std::move(v);
  ADD_FAILURE_AT(file, line) << expr << ": " << v.status();
  return T{};
}

}  // namespace opinia::storage::conformance

// `expr` is an absl::Status or absl::StatusOr.
#define ASSERT_OK(expr)                                              \
  do {                                                               \
    const absl::Status _s = ::opinia::storage::conformance::StatusOf( \
        (expr));                                                     \
    ASSERT_TRUE(_s.ok()) << _s;                                      \
  } while (0)
#define EXPECT_OK(expr)                                              \
  do {                                                               \
    const absl::Status _s = ::opinia::storage::conformance::StatusOf( \
        (expr));                                                     \
    EXPECT_TRUE(_s.ok()) << #expr << ": " << _s;                     \
  } while (0)
#define EXPECT_CODE(expr, code_)                                     \
  do {                                                               \
    const absl::Status _s = ::opinia::storage::conformance::StatusOf( \
        (expr));                                                     \
    EXPECT_EQ(_s.code(), absl::StatusCode::code_) << #expr << ": " << _s; \
  } while (0)
// The value of an absl::StatusOr expression (see ValueAt).
#define VALUE(expr) \
  ::opinia::storage::conformance::ValueAt((expr), #expr, __FILE__, __LINE__)

namespace opinia::storage::conformance {

inline const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);

inline TenantRow Tenant(std::string id,
                        std::string time_zone = "Europe/Warsaw") {
  return TenantRow{id, "Shop " + id, std::move(time_zone), kT0};
}

// Role bits mean nothing to a store; the high bit checks all 32 survive.
inline constexpr uint32_t kRoles = 0x80000003u;

inline ApiKeyRow Key(std::string id, std::string tenant, std::string hash) {
  ApiKeyRow k;
  k.id = std::move(id);
  k.tenant_id = std::move(tenant);
  k.roles = kRoles;
  k.display_name = "key " + k.id;
  k.secret_hash = std::move(hash);
  k.create_time = kT0 + absl::Seconds(1);
  return k;
}

inline ReviewRow Review(std::string tenant, std::string external_id,
                        absl::Time create_time) {
  ReviewRow r;
  r.tenant_id = std::move(tenant);
  r.source = "google";
  r.external_id = std::move(external_id);
  r.subject_id = "store-1";
  r.rating = 4;
  r.language = "pl";
  r.label = 3;
  r.score = 0.5f;
  r.priority = 1;
  r.status = 1;
  r.create_time = create_time;
  r.ingest_time = kT0;
  r.modify_time = kT0;
  r.input = "input-bytes";
  r.analysis = "analysis-bytes";
  r.search_text = "title text";
  return r;
}

// Runs `check(txn, limit)` in one read transaction for each limit that
// every List call refuses with INVALID_ARGUMENT: 0 and -1.
template <typename Check>
void ForEachNonPositiveLimit(Store& store, Check check) {
  EXPECT_OK(store.Read([&](Txn& txn) {
    for (const int limit : {0, -1}) {
      SCOPED_TRACE(limit);
      check(txn, limit);
    }
    return absl::OkStatus();
  }));
}

// The ids of rows, in their order.
template <typename Row>
std::vector<int64_t> IdsOf(const std::vector<Row>& rows) {
  std::vector<int64_t> ids;
  for (const Row& r : rows) ids.push_back(r.id);
  return ids;
}

// Inserts the rows in one transaction with `insert` (Txn&, const Row&) ->
// absl::StatusOr<int64_t>, setting each row's id to the one returned.
template <typename Row, typename Insert>
void InsertEach(Store& store, const std::vector<Row*>& rows, Insert insert) {
  EXPECT_OK(store.Write([&](Txn& txn) {
    for (Row* row : rows) row->id = VALUE(insert(txn, *row));
    return absl::OkStatus();
  }));
}

// `update` (an Update* method taking a row) fails with NOT_FOUND for `row`
// moved to `other_tenant`, and for `row` with id `missing_id`.
template <typename Row, typename Fn>
void ExpectUpdateNotFound(const Row& row, const std::string& other_tenant,
                          int64_t missing_id, Fn update) {
  Row foreign = row;
  foreign.tenant_id = other_tenant;
  EXPECT_EQ(StatusOf(update(foreign)).code(), absl::StatusCode::kNotFound)
      << "row of another tenant";
  Row missing = row;
  missing.id = missing_id;
  EXPECT_EQ(StatusOf(update(missing)).code(), absl::StatusCode::kNotFound)
      << "missing row";
}

// Sets the review's aspects (the insights input); review_id of the
// mentions is ignored. The one place that knows how aspects are passed.
inline void SetAspects(ReviewRow& row,
                       const std::vector<AspectMention>& aspects) {
  row.aspects.clear();
  for (const AspectMention& m : aspects) {
    row.aspects.push_back(
        ReviewAspect{m.aspect, m.label, m.score, m.begin, m.end});
  }
}

// Inserts the tenants in one transaction; fails the test on an error.
inline void InsertTenants(Store& store, const std::vector<TenantRow>& rows) {
  EXPECT_OK(store.Write([&](Txn& txn) {
    for (const TenantRow& t : rows) {
      if (absl::Status s = txn.InsertTenant(t); !s.ok()) return s;
    }
    return absl::OkStatus();
  }));
}

// A full-text search case over tenant "t": the external ids ListReviews
// returns, newest first (CountReviews agrees).
struct SearchCase {
  const char* what;
  SearchQuery query;
  std::vector<std::string> want;
};

// Inserts tenant "t" with one review per (external id, search text) of
// `texts`, an hour apart from kT0, then checks every case in one read.
inline void ExpectSearches(
    Store& store, const std::vector<std::pair<const char*, const char*>>& texts,
    const std::vector<SearchCase>& cases) {
  EXPECT_OK(store.Write([&](Txn& txn) {
    if (absl::Status s = txn.InsertTenant(Tenant("t")); !s.ok()) return s;
    int hour = 0;
    for (const auto& [name, text] : texts) {
      ReviewRow r = Review("t", name, kT0 + absl::Hours(hour++));
      r.search_text = text;
      if (absl::StatusOr<int64_t> id = txn.InsertReview(r); !id.ok()) {
        return id.status();
      }
    }
    return absl::OkStatus();
  }));
  EXPECT_OK(store.Read([&](Txn& txn) {
    for (const SearchCase& c : cases) {
      ReviewFilter filter;
      filter.text_query = c.query;
      absl::StatusOr<std::vector<ReviewRow>> rows =
          txn.ListReviews("t", filter, std::nullopt, 100);
      EXPECT_TRUE(rows.ok()) << c.what << ": " << rows.status();
      std::vector<std::string> ids;
      if (rows.ok()) {
        for (const ReviewRow& r : *rows) ids.push_back(r.external_id);
      }
      EXPECT_EQ(ids, c.want) << c.what;
      EXPECT_EQ(txn.CountReviews("t", filter).value_or(-1),
                static_cast<int64_t>(c.want.size()))
          << c.what;
    }
    return absl::OkStatus();
  }));
}

}  // namespace opinia::storage::conformance

#endif  // OPINIA_TESTS_SERVICE_STORAGE_STORE_CONFORMANCE_UTIL_H_
