#include "bench/review_corpus.h"

#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "nlp/analyzer.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/reviews/review_model.h"
#include "service/core/util/time_proto.h"

namespace opinia::bench {
namespace {

using opinia::core::FromTimestamp;
using opinia::core::ToTimestamp;

const absl::Time kAnalysedAt = absl::FromUnixSeconds(1'700'000'000);

opinia::v1::ReviewInput InputOf(const Text& t) {
  opinia::v1::ReviewInput in;
  in.set_rating(std::clamp(t.stars, 0, 5));
  in.set_text(t.text);
  return in;
}

// The analysis of `p` as if received at `received` (the SLA clock moves).
opinia::v1::Analysis AnalysisAt(const Prepared& p, absl::Time received) {
  opinia::v1::Analysis a = p.analysis;
  if (a.urgency().has_respond_by()) {
    ToTimestamp(FromTimestamp(a.urgency().respond_by()) + (received - kAnalysedAt),
                a.mutable_urgency()->mutable_respond_by());
  }
  return a;
}

}  // namespace

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

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double CpuMs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one;
}

std::vector<Prepared> Analyse(const std::vector<Text>& texts,
                              const opinia::core::TextAnalysis& analysis) {
  std::vector<Prepared> out(texts.size());
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < texts.size(); ++i) {
    const opinia::v1::ReviewInput in = InputOf(texts[i]);
    out[i].text = &texts[i];
    out[i].analysis = analysis.Analyze(in, kAnalysedAt);
    out[i].content_hash = opinia::core::ContentHash(in);
    if ((i + 1) % 10000 == 0 || i + 1 == texts.size()) {
      std::printf("  analysed %zu/%zu texts  %.0f s\n", i + 1, texts.size(),
                  std::chrono::duration<double>(
                      std::chrono::steady_clock::now() - start)
                      .count());
      std::fflush(stdout);
    }
  }
  return out;
}

bool PrepareCorpus(const std::string& data_dir, const std::string& models_dir,
                   std::vector<Text>* texts, std::vector<Prepared>* prepared) {
  *texts = LoadTexts(data_dir);
  if (texts->empty()) {
    std::fprintf(stderr, "no texts in %s\n", data_dir.c_str());
    return false;
  }
  auto analyzer = opinia::nlp::CreateAnalyzer(models_dir);
  if (!analyzer.ok()) {
    std::fprintf(stderr, "models %s: %s\n", models_dir.c_str(),
                 std::string(analyzer.status().message()).c_str());
    return false;
  }
  std::printf("analysing %zu distinct texts once (%s)\n", texts->size(),
              (*analyzer)->ModelVersion().c_str());
  opinia::core::TextAnalysis analysis(analyzer->get());
  *prepared = Analyse(*texts, analysis);
  return true;
}

opinia::storage::ReviewRow MakeRow(const std::vector<Prepared>& prepared,
                                   const char* tenant, int64_t i,
                                   absl::Time created, absl::Time now,
                                   std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0, 1);
  const Prepared& p = prepared[rng() % prepared.size()];
  opinia::v1::ReviewInput in = InputOf(*p.text);
  const int source = static_cast<int>(rng() % 6);
  in.set_source(kSources[source]);
  // Increasing per source, like a platform's ids: the unique index grows
  // at its end instead of at random places.
  in.set_external_id(absl::StrCat(kSources[source], "-", 100000000 + i));
  const int subject = static_cast<int>(60 * unit(rng) * unit(rng));
  in.set_subject_id(absl::StrCat("product-", subject));
  ToTimestamp(created, in.mutable_create_time());
  opinia::storage::ReviewRow row;
  row.tenant_id = tenant;
  row.source = in.source();
  row.external_id = in.external_id();
  row.subject_id = in.subject_id();
  row.rating = in.rating();
  row.create_time = created;
  row.ingest_time = std::min(now, created + absl::Minutes(1));
  row.modify_time = row.ingest_time;
  row.status = opinia::v1::NEW;
  row.content_hash = p.content_hash;
  row.input_hash = opinia::core::InputHash(in);
  row.input = in.SerializeAsString();
  row.search_text = in.text();
  opinia::core::SetAnalysis(AnalysisAt(p, row.ingest_time), row.ingest_time,
                            &row);
  if (unit(rng) < 0.3) {
    const double hours = 48 * unit(rng) * unit(rng) * unit(rng);
    row.response_time = std::min(
        now, created + absl::Seconds(static_cast<int64_t>(hours * 3600 + 60)));
    row.response_text = "Dziękujemy za opinię";
    row.status = opinia::v1::RESPONDED;
  }
  return row;
}

std::vector<absl::Time> CreateTimes(int64_t n, absl::Time now,
                                    std::mt19937_64& rng, double days) {
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<absl::Time> out;
  out.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const double age_days = days * (1 - std::sqrt(unit(rng)));
    absl::Time created =
        now - absl::Seconds(static_cast<int64_t>(age_days * 86400));
    const absl::CivilSecond utc = absl::ToCivilSecond(created, absl::UTCTimeZone());
    if (utc.hour() < 6 && unit(rng) < 0.7) created += absl::Hours(10);
    if (created > now) created = now - absl::Minutes(5);
    out.push_back(created);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool Insert(opinia::storage::Store& store, const std::vector<Prepared>& prepared,
            const char* tenant, const std::vector<absl::Time>& times,
            absl::Time now, int64_t batch, int64_t report, std::mt19937_64& rng,
            double* cpu_ms, const StoreRow& store_row) {
  const auto start = std::chrono::steady_clock::now();
  const double cpu0 = CpuMs();
  const int64_t n = static_cast<int64_t>(times.size());
  std::vector<opinia::storage::ReviewRow> rows;
  double cpu_rows = 0;
  for (int64_t done = 0; done < n; done += batch) {
    const double c0 = CpuMs();
    rows.clear();
    for (int64_t i = done; i < std::min(n, done + batch); ++i) {
      rows.push_back(MakeRow(prepared, tenant, i, times[static_cast<size_t>(i)],
                             now, rng));
    }
    cpu_rows += CpuMs() - c0;
    absl::Status s = store.Write([&](opinia::storage::Txn& txn) {
      for (auto row : rows) {  // a copy: Write may run this again
        if (store_row) {
          if (absl::Status st = store_row(txn, row); !st.ok()) return st;
        } else if (auto id = txn.InsertReview(row); !id.ok()) {
          return id.status();
        }
      }
      return absl::OkStatus();
    });
    if (!s.ok()) {
      std::fprintf(stderr, "write: %s\n", std::string(s.message()).c_str());
      return false;
    }
    const int64_t stored = std::min(n, done + batch);
    if (stored % report < batch || stored == n) {
      const double secs =
          Ms(std::chrono::steady_clock::now() - start) / 1000;
      std::printf("  %8lld reviews  %6.0f s  %6.0f reviews/s  load %s\n",
                  static_cast<long long>(stored), secs,
                  static_cast<double>(stored) / secs, LoadAverage().c_str());
      std::fflush(stdout);
    }
  }
  // CPU of the store's part only (row building excluded).
  *cpu_ms = CpuMs() - cpu0 - cpu_rows;
  return true;
}

void Report(const char* what, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))];
  };
  std::printf("%-12s n=%-5zu p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms\n",
              what, ms.size(), pct(0.50), pct(0.99), ms.back());
}

}  // namespace opinia::bench
