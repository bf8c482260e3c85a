// Insights benchmark: builds a tenant of N reviews (default 1,000,000) from
// the texts in ../shared/data/sentiment through the real SQLite store (with
// its rollup, aspect and full-text triggers), then times dashboard queries
// through core (core::Insights and core::Reviews::List, the code behind the
// RPCs, without gRPC) and prints p50/p99:
//   summary  GetReputationSummary over 7 days .. everything, with and
//            without source/subject/language filters, edges not aligned
//   trends   GetTrends DAY over 90 days, WEEK over a year, MONTH over 2 years
//   search   ListReviews with `query` (page of 50 plus total_size)
//
// Data: timestamps over the two years before --now with a daily rhythm,
// 6 sources, 60 subjects (skewed), ratings from the data set's stars,
// languages from it (pl/en/...), 30% of the reviews answered after a
// skewed delay. The NLP analysis is NOT run (about 1 ms per review would
// make generation take half an hour); a documented stand-in fills it: the
// label is the data set's label, priority P2 for 1 star and P4 for 2 stars
// (with a deadline), and 0..2 aspects found by keywords, labelled like the
// review, evidence = the keyword.
//
//   build/bench/opinia_insights_bench [--db=PATH] [--reviews=N]
//       [--queries=N] [--data=DIR] [--reuse]
// --reuse keeps an existing database of the same size (skips generation).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "opinia/v1/insights.pb.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/clock.h"
#include "service/core/insights.h"
#include "service/core/review_model.h"
#include "service/core/reviews.h"
#include "service/core/time_proto.h"
#include "service/storage/sqlite/sqlite_store.h"

namespace {

using opinia::core::FromTimestamp;
using opinia::core::ToTimestamp;

struct Text {
  std::string lang, label, text;
  int stars = 0;
};

std::string Flag(int argc, char** argv, const std::string& name,
                 const std::string& fallback) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--" + name) return "1";
    if (a.rfind("--" + name + "=", 0) == 0) return a.substr(name.size() + 3);
  }
  return fallback;
}

std::vector<Text> LoadTexts(const std::string& dir) {
  std::vector<Text> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".tsv") continue;
    std::ifstream in(entry.path());
    std::string line;
    std::getline(in, line);  // header: lang label stars text
    while (std::getline(in, line)) {
      std::vector<std::string> f = absl::StrSplit(line, '\t');
      if (f.size() < 4 || f[3].empty()) continue;
      Text t{f[0], f[1], f[3]};
      if (!absl::SimpleAtoi(f[2], &t.stars)) t.stars = 0;
      out.push_back(std::move(t));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Text& a, const Text& b) { return a.text < b.text; });
  return out;
}

const char* const kSources[] = {"google",   "allegro",  "ceneo",
                                "facebook", "app_store", "trustpilot"};

struct Keyword {
  const char* word;
  opinia::v1::Aspect aspect;
};
const Keyword kKeywords[] = {
    {"dostaw", opinia::v1::DELIVERY},     {"deliver", opinia::v1::DELIVERY},
    {"paczk", opinia::v1::PACKAGING},     {"packag", opinia::v1::PACKAGING},
    {"cena", opinia::v1::PRICE},          {"price", opinia::v1::PRICE},
    {"zwrot", opinia::v1::RETURNS},       {"return", opinia::v1::RETURNS},
    {"obsług", opinia::v1::CUSTOMER_SERVICE},
    {"service", opinia::v1::CUSTOMER_SERVICE},
    {"jakoś", opinia::v1::PRODUCT_QUALITY}, {"quality", opinia::v1::PRODUCT_QUALITY},
    {"płat", opinia::v1::PAYMENT},        {"pay", opinia::v1::PAYMENT},
    {"easy", opinia::v1::USABILITY},      {"łatw", opinia::v1::USABILITY},
};

opinia::v1::SentimentLabel LabelOf(const std::string& s) {
  if (s == "positive") return opinia::v1::POSITIVE;
  if (s == "negative") return opinia::v1::NEGATIVE;
  if (s == "neutral") return opinia::v1::NEUTRAL;
  if (s == "mixed" || s == "ambivalent") return opinia::v1::MIXED;
  return opinia::v1::NEUTRAL;
}

// The stand-in analysis (see the file comment).
opinia::v1::Analysis StandIn(const Text& t, int rating, absl::Time received) {
  opinia::v1::Analysis a;
  a.set_language(t.lang);
  a.set_model_version("bench-stand-in");
  const auto label = LabelOf(t.label);
  const float score = label == opinia::v1::POSITIVE   ? 0.7f
                      : label == opinia::v1::NEGATIVE ? -0.7f
                                                      : 0.0f;
  a.mutable_sentiment()->set_label(label);
  a.mutable_sentiment()->set_score(score);
  int found = 0;
  for (const Keyword& k : kKeywords) {
    const size_t at = t.text.find(k.word);
    if (at == std::string::npos || found == 2) continue;
    auto* as = a.add_aspects();
    as->set_aspect(k.aspect);
    as->mutable_sentiment()->set_label(label);
    as->mutable_sentiment()->set_score(score + (at % 13) / 100.0f);
    as->add_evidence()->set_begin(static_cast<int>(at));
    as->mutable_evidence(0)->set_end(
        static_cast<int>(at + std::string(k.word).size()));
    ++found;
  }
  if (rating == 1 || rating == 2) {
    a.mutable_urgency()->set_priority(rating == 1 ? opinia::v1::P2
                                                  : opinia::v1::P4);
    ToTimestamp(received + absl::Hours(rating == 1 ? 24 : 72),
                a.mutable_urgency()->mutable_respond_by());
  } else {
    a.mutable_urgency()->set_priority(opinia::v1::NONE);
  }
  return a;
}

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// CPU time of this thread in ms: on a shared, overloaded machine wall time
// mostly measures the wait for a core; both are reported.
double CpuMs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void Report(const char* what, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))];
  };
  std::printf("%-12s n=%-5zu p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms\n",
              what, ms.size(), pct(0.50), pct(0.99), ms.back());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string db = Flag(argc, argv, "db", "/tmp/opinia-insights-bench.db");
  int64_t n = 1'000'000;
  int queries = 200;
  absl::SimpleAtoi(Flag(argc, argv, "reviews", "1000000"), &n);
  absl::SimpleAtoi(Flag(argc, argv, "queries", "200"), &queries);
  const std::string data =
      Flag(argc, argv, "data", OPINIA_DEFAULT_DATA_DIR "/sentiment");
  const bool reuse = Flag(argc, argv, "reuse", "") == "1";
  const absl::Time now = absl::FromCivil(absl::CivilSecond(2026, 11, 23, 14, 7, 31),
                                         absl::UTCTimeZone());
  opinia::core::FakeClock clock(now);
  const char* tenant = "bench";

  if (!reuse) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(db + suffix);
    }
  }
  opinia::storage::SqliteOptions options;
  options.synchronous = opinia::storage::SqliteOptions::Synchronous::kNormal;
  auto store = opinia::storage::OpenSqliteStore(db, options);
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
    const std::vector<Text> texts = LoadTexts(data);
    if (texts.empty()) {
      std::fprintf(stderr, "no texts in %s\n", data.c_str());
      return 1;
    }
    std::printf("generating %lld reviews from %zu texts into %s\n",
                static_cast<long long>(n), texts.size(), db.c_str());
    (*store)->Write([&](opinia::storage::Txn& txn) {
      return txn.InsertTenant({tenant, "Bench shop", "Europe/Warsaw", now});
    }).IgnoreError();
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> unit(0, 1);
    const auto start = std::chrono::steady_clock::now();
    const int64_t kBatch = 5000;
    for (int64_t done = 0; done < n; done += kBatch) {
      absl::Status s = (*store)->Write([&](opinia::storage::Txn& txn) {
        for (int64_t i = done; i < std::min(n, done + kBatch); ++i) {
          const Text& t = texts[rng() % texts.size()];
          // Two years back, growing volume, a daily rhythm (day > night).
          const double age_days = 730 * (1 - std::sqrt(unit(rng)));
          absl::Time created = now - absl::Seconds(static_cast<int64_t>(
                                         age_days * 86400));
          const absl::CivilSecond local =
              absl::ToCivilSecond(created, absl::UTCTimeZone());
          if (local.hour() < 7 && unit(rng) < 0.7) created += absl::Hours(10);
          if (created > now) created = now - absl::Minutes(5);
          opinia::v1::ReviewInput in;
          in.set_source(kSources[rng() % 6]);
          in.set_external_id(absl::StrCat("b", i));
          const int subject = static_cast<int>(60 * unit(rng) * unit(rng));
          in.set_subject_id(absl::StrCat("product-", subject));
          in.set_rating(std::clamp(t.stars, 0, 5));
          in.set_text(t.text);
          ToTimestamp(created, in.mutable_create_time());
          opinia::storage::ReviewRow row;
          row.tenant_id = tenant;
          row.source = in.source();
          row.external_id = in.external_id();
          row.subject_id = in.subject_id();
          row.rating = in.rating();
          row.create_time = created;
          row.ingest_time = created + absl::Minutes(1);
          row.modify_time = row.ingest_time;
          row.status = opinia::v1::NEW;
          row.input = in.SerializeAsString();
          row.search_text = in.text();
          opinia::core::SetAnalysis(StandIn(t, row.rating, row.ingest_time),
                                    row.ingest_time, &row);
          if (unit(rng) < 0.3) {
            const double hours = 48 * unit(rng) * unit(rng) * unit(rng);
            row.response_time =
                std::min(now, created + absl::Seconds(static_cast<int64_t>(
                                            hours * 3600 + 60)));
            row.response_text = "Dziękujemy za opinię";
            row.status = opinia::v1::RESPONDED;
          }
          if (auto id = txn.InsertReview(row); !id.ok()) return id.status();
        }
        return absl::OkStatus();
      });
      if (!s.ok()) {
        std::fprintf(stderr, "write: %s\n", std::string(s.message()).c_str());
        return 1;
      }
      if ((done + kBatch) % 50000 == 0 || done + kBatch >= n) {
        const double secs = Ms(std::chrono::steady_clock::now() - start) / 1000;
        std::printf("  %8lld reviews  %6.0f s  %6.0f reviews/s\n",
                    static_cast<long long>(std::min(n, done + kBatch)), secs,
                    static_cast<double>(std::min(n, done + kBatch)) / secs);
        std::fflush(stdout);
      }
    }
  } else {
    std::printf("reusing %s with %lld reviews\n", db.c_str(),
                static_cast<long long>(existing));
  }

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
    auto s = insights.Summary(tenant, q);
    summary_ms.push_back(Ms(std::chrono::steady_clock::now() - t0));
    summary_cpu.push_back(CpuMs() - c0);
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
    auto tr = insights.Trends(tenant, t);
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
    auto page = reviews.List(tenant, req);
    search_ms.push_back(Ms(std::chrono::steady_clock::now() - t0));
    search_cpu.push_back(CpuMs() - c0);
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
  return 0;
}
