// Insights benchmark: builds a tenant of N reviews (default 1,000,000) from
// the texts in ../shared/data/sentiment through the real SQLite store (its
// InsertReview, so rollups, aspect rows and full-text search are maintained
// by the same triggers as in production), then times dashboard queries
// through core (core::Insights and core::Reviews::List, the code behind the
// RPCs, without gRPC) and prints p50/p99 of wall and thread CPU time:
//   summary  GetReputationSummary over 7 days .. everything, with and
//            without source/subject/language filters, edges not aligned
//   trends   GetTrends DAY over 90 days, WEEK over a year, MONTH over 2 years
//   search   ListReviews with `query` (page of 50 plus total_size)
//
// Data: bench/review_corpus.h (the real analyzer of --models, each
// distinct text analysed once), inserted in transactions of --batch
// reviews.
//
//   build/bench/opinia_insights_bench [--db=PATH] [--reviews=N]
//       [--queries=N] [--data=DIR] [--models=DIR] [--batch=N] [--reuse]
//       [--write-bench=N] [--verbose]
// --reuse keeps an existing database of the same size (skips generation).
// --write-bench=N first inserts N more reviews into a fresh database
// (PATH.write) in transactions of 100, the ingest batch size, at the
// density of the tenant's latest days (a live feed), and prints
// reviews/s and CPU per review of the store's write path (no analysis).
// --verbose prints every summary and search with its time.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/review_corpus.h"
#include "opinia/v1/insights.pb.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/auth/auth.h"
#include "service/core/insights/insights.h"
#include "service/core/reviews/reviews.h"
#include "service/core/util/clock.h"
#include "service/core/util/time_proto.h"
#include "service/storage/sqlite/sqlite_store.h"

using opinia::bench::CpuMs;
using opinia::bench::CreateTimes;
using opinia::bench::Flag;
using opinia::bench::Insert;
using opinia::bench::kSources;
using opinia::bench::LoadAverage;
using opinia::bench::Ms;
using opinia::bench::Prepared;
using opinia::bench::Report;
using opinia::bench::Text;
using opinia::core::ToTimestamp;

int main(int argc, char** argv) {
  const std::string db = Flag(argc, argv, "db", "/tmp/opinia-insights-bench.db");
  int64_t n = 1'000'000;
  int queries = 200;
  int64_t batch = 20000;
  int64_t write_bench = 0;
  absl::SimpleAtoi(Flag(argc, argv, "reviews", "1000000"), &n);
  absl::SimpleAtoi(Flag(argc, argv, "queries", "200"), &queries);
  absl::SimpleAtoi(Flag(argc, argv, "batch", "20000"), &batch);
  absl::SimpleAtoi(Flag(argc, argv, "write-bench", "0"), &write_bench);
  if (batch < 1) batch = 1;
  const std::string data =
      Flag(argc, argv, "data", OPINIA_DEFAULT_DATA_DIR "/sentiment");
  const std::string models =
      Flag(argc, argv, "models", OPINIA_DEFAULT_MODELS_DIR);
  const bool reuse = Flag(argc, argv, "reuse", "") == "1";
  const bool verbose = Flag(argc, argv, "verbose", "") == "1";
  const absl::Time now = absl::FromCivil(absl::CivilSecond(2026, 11, 23, 14, 7, 31),
                                         absl::UTCTimeZone());
  opinia::core::FakeClock clock(now);
  const char* tenant = "bench";
  std::printf("load average at start: %s\n", LoadAverage().c_str());

  // Texts and their analyses, only when something is to be generated.
  std::vector<Text> texts;
  std::vector<Prepared> prepared;
  auto prepare = [&]() -> bool {
    return !prepared.empty() ||
           opinia::bench::PrepareCorpus(data, models, &texts, &prepared);
  };

  if (write_bench > 0) {
    const std::string path = db + ".write";
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path + suffix);
    }
    opinia::storage::SqliteOptions options;  // production: synchronous FULL
    auto wstore = opinia::storage::OpenSqliteStore(path, options);
    if (!wstore.ok() || !prepare()) return 1;
    (*wstore)->Write([&](opinia::storage::Txn& txn) {
      return txn.InsertTenant({tenant, "Bench shop", "Europe/Warsaw", now});
    }).IgnoreError();
    std::mt19937_64 rng(43);
    // The density of the generated tenant's last days (~2,700 a day), as a
    // live feed writes them.
    const std::vector<absl::Time> times = CreateTimes(
        write_bench, now, rng, std::max(1.0, write_bench / 1350.0));
    const auto t0 = std::chrono::steady_clock::now();
    double cpu = 0;
    if (!Insert(**wstore, prepared, tenant, times, now, /*batch=*/100,
                /*report=*/write_bench, rng, &cpu)) {
      return 1;
    }
    const double secs = Ms(std::chrono::steady_clock::now() - t0) / 1000;
    std::printf("write path: %lld reviews in transactions of 100: %.0f "
                "reviews/s wall, %.1f us CPU per review (store only)\n",
                static_cast<long long>(write_bench),
                static_cast<double>(write_bench) / secs,
                1000 * cpu / static_cast<double>(write_bench));
  }

  if (!reuse) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(db + suffix);
    }
  }
  opinia::storage::SqliteOptions options;
  options.synchronous = opinia::storage::SqliteOptions::Synchronous::kNormal;
  const auto open_start = std::chrono::steady_clock::now();
  auto store = opinia::storage::OpenSqliteStore(db, options);
  // Opening an existing database migrates it to the latest schema.
  std::printf("opened %s in %.1f s\n", db.c_str(),
              Ms(std::chrono::steady_clock::now() - open_start) / 1000);
  if (!store.ok()) {
    std::fprintf(stderr, "open %s: %s\n", db.c_str(),
                 std::string(store.status().message()).c_str());
    return 1;
  }
  int64_t existing = 0;
  (*store)->Read([&](opinia::storage::Txn& txn) {
    auto c = txn.CountReviews(tenant, {});
    existing = c.ok() ? *c : 0;
    return absl::OkStatus();
  }).IgnoreError();

  if (existing != n) {
    if (existing != 0) {
      std::fprintf(stderr, "%s holds %lld reviews, not %lld; drop --reuse\n",
                   db.c_str(), static_cast<long long>(existing),
                   static_cast<long long>(n));
      return 1;
    }
    if (!prepare()) return 1;
    std::printf("generating %lld reviews from %zu texts into %s\n",
                static_cast<long long>(n), texts.size(), db.c_str());
    (*store)->Write([&](opinia::storage::Txn& txn) {
      return txn.InsertTenant({tenant, "Bench shop", "Europe/Warsaw", now});
    }).IgnoreError();
    std::mt19937_64 rng(42);
    const std::vector<absl::Time> times = CreateTimes(n, now, rng);
    double cpu = 0;
    if (!Insert(**store, prepared, tenant, times, now, batch, 50000, rng,
                &cpu)) {
      return 1;
    }
    std::printf("store CPU %.1f us per review\n",
                1000 * cpu / static_cast<double>(n));
  } else {
    std::printf("reusing %s with %lld reviews\n", db.c_str(),
                static_cast<long long>(existing));
  }

  if (queries <= 0) return 0;
  opinia::core::Insights insights(store->get(), &clock);
  opinia::core::Reviews reviews(store->get(), &clock);
  std::mt19937 rng(7);
  auto random_filter = [&](opinia::v1::SummaryRequest* q) {
    switch (rng() % 5) {
      case 1: q->add_sources(kSources[rng() % 6]); break;
      case 2: q->add_subject_ids(absl::StrCat("product-", rng() % 20)); break;
      case 3: q->add_languages("pl"); q->add_languages("en"); break;
      case 4:
        q->add_sources(kSources[rng() % 6]);
        q->add_sources(kSources[rng() % 6]);
        q->add_languages("pl");
        break;
      default: break;
    }
  };
  const int kRangesDays[] = {7, 30, 90, 365, 730, 0};
  std::vector<double> summary_ms, trends_ms, search_ms;
  // A read key of the generated tenant.
  const opinia::core::Principal reader{"bench", tenant,
                                       opinia::core::kRoleRead};
  std::vector<double> summary_cpu, trends_cpu, search_cpu;
  int64_t checksum = 0;
  for (int i = 0; i < queries; ++i) {
    opinia::v1::SummaryRequest q;
    random_filter(&q);
    const int days = kRangesDays[rng() % 6];
    // "the last N days" from an instant that is not a local midnight.
    const absl::Time end = now - absl::Minutes(rng() % 1000);
    if (days > 0) ToTimestamp(end - absl::Hours(24 * days), q.mutable_start_time());
    ToTimestamp(end, q.mutable_end_time());
    auto t0 = std::chrono::steady_clock::now();
    double c0 = CpuMs();
    auto s = insights.Summary(reader, q);
    summary_ms.push_back(Ms(std::chrono::steady_clock::now() - t0));
    summary_cpu.push_back(CpuMs() - c0);
    if (verbose) {
      std::printf("  summary %4d days  %s  %7.2f ms  cpu %7.2f ms\n", days,
                  q.ShortDebugString().c_str(), summary_ms.back(),
                  summary_cpu.back());
    }
    if (!s.ok()) {
      std::fprintf(stderr, "summary: %s\n", std::string(s.status().message()).c_str());
      return 1;
    }
    checksum += s->review_count();

    opinia::v1::TrendsRequest t;
    random_filter(t.mutable_filter());
    const int kind = static_cast<int>(rng() % 3);
    t.set_interval(kind == 0 ? opinia::v1::DAY
                   : kind == 1 ? opinia::v1::WEEK : opinia::v1::MONTH);
    ToTimestamp(end - absl::Hours(24 * (kind == 0 ? 90 : kind == 1 ? 365 : 730)),
                t.mutable_filter()->mutable_start_time());
    ToTimestamp(end, t.mutable_filter()->mutable_end_time());
    t0 = std::chrono::steady_clock::now();
    c0 = CpuMs();
    auto tr = insights.Trends(reader, t);
    trends_ms.push_back(Ms(std::chrono::steady_clock::now() - t0));
    trends_cpu.push_back(CpuMs() - c0);
    if (!tr.ok()) {
      std::fprintf(stderr, "trends: %s\n", std::string(tr.status().message()).c_str());
      return 1;
    }
    checksum += tr->points_size();
  }
  const char* const kQueries[] = {"zwrot*",  "dostawa", "great",   "book",
                                  "jakość",  "excellent quality",  "polecam",
                                  "\"nie polecam\"", "lekarz*", "money OR refund",
                                  "dostalem", "zolc"};
  for (int i = 0; i < queries; ++i) {
    opinia::v1::ListReviewsRequest req;
    req.set_query(kQueries[i % (sizeof(kQueries) / sizeof(kQueries[0]))]);
    req.set_page_size(50);
    if (i % 3 == 1) req.add_sources(kSources[rng() % 6]);
    if (i % 4 == 2) ToTimestamp(now - absl::Hours(24 * 90), req.mutable_start_time());
    auto t0 = std::chrono::steady_clock::now();
    const double c0 = CpuMs();
    auto page = reviews.List(reader, req);
    search_ms.push_back(Ms(std::chrono::steady_clock::now() - t0));
    search_cpu.push_back(CpuMs() - c0);
    if (verbose) {
      std::printf("  search %-20s %s  %7.2f ms  cpu %7.2f ms\n",
                  req.query().c_str(), req.ShortDebugString().c_str(),
                  search_ms.back(), search_cpu.back());
    }
    if (!page.ok()) {
      std::fprintf(stderr, "search %s: %s\n", req.query().c_str(),
                   std::string(page.status().message()).c_str());
      return 1;
    }
    checksum += page->total_size();
  }
  std::printf("queries over %lld reviews (checksum %lld):\n",
              static_cast<long long>(n), static_cast<long long>(checksum));
  Report("summary", summary_ms);
  Report("trends", trends_ms);
  Report("search", search_ms);
  Report("summary cpu", summary_cpu);
  Report("trends cpu", trends_cpu);
  Report("search cpu", search_cpu);
  std::printf("load average at end: %s\n", LoadAverage().c_str());
  return 0;
}
