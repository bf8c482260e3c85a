// A generated tenant of many reviews for the dashboard benchmarks
// (insights_bench, inbox_bench): the real texts of ../shared/data/sentiment,
// each distinct text analysed once by the real analyzer, over two years of
// growing volume, written through the real Store (so rollups, aspect rows,
// full-text search and every index are maintained as in production).
//
// Data: timestamps over the two years before `now` with growing volume and
// a daily rhythm, 6 sources, 60 subjects (skewed), ratings from the data
// set's stars, 30% of the reviews answered after a skewed delay. A text's
// analysis is reused for every review of it (respond_by shifted to each
// review's ingest time), so a million reviews take minutes, not the ~50 min
// of one analysis per review. Reviews are numbered and inserted in
// create_time order (as a live feed arrives).
#ifndef OPINIA_BENCH_REVIEW_CORPUS_H_
#define OPINIA_BENCH_REVIEW_CORPUS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "opinia/v1/common.pb.h"
#include "service/core/ingest/analyze.h"
#include "service/storage/store.h"

namespace opinia::bench {

// --name=value (or "1" for a bare --name), else `fallback`.
std::string Flag(int argc, char** argv, const std::string& name,
                 const std::string& fallback);

struct Text {
  std::string lang, label, text;
  int stars = 0;
};

// Every text of the .tsv files of `dir` (header: lang label stars text),
// sorted by text.
std::vector<Text> LoadTexts(const std::string& dir);

inline const char* const kSources[] = {"google",   "allegro",  "ceneo",
                                       "facebook", "app_store", "trustpilot"};

double Ms(std::chrono::steady_clock::duration d);
// CPU time of this thread in ms: on a shared, overloaded machine wall time
// mostly measures the wait for a core; both are reported.
double CpuMs();
// The 1-minute load average, for the log.
std::string LoadAverage();

// One distinct text, analysed once.
struct Prepared {
  const Text* text = nullptr;
  opinia::v1::Analysis analysis;  // analysed as received at kAnalysedAt
  std::string content_hash;
};

// Analyses each text once (prints progress).
std::vector<Prepared> Analyse(const std::vector<Text>& texts,
                              const opinia::core::TextAnalysis& analysis);

// The texts of `data_dir` (LoadTexts), each analysed once by the models of
// `models_dir` (prints what it does); false and a message on stderr when
// there are no texts or no models. `prepared` points into `texts`.
bool PrepareCorpus(const std::string& data_dir, const std::string& models_dir,
                   std::vector<Text>* texts, std::vector<Prepared>* prepared);

// Review number `i` of the generated tenant, created at `created`.
opinia::storage::ReviewRow MakeRow(const std::vector<Prepared>& prepared,
                                   const char* tenant, int64_t i,
                                   absl::Time created, absl::Time now,
                                   std::mt19937_64& rng);

// Create times of n reviews over the `days` before `now`, ascending:
// growing volume, more by day than by night (local hours of Warsaw).
std::vector<absl::Time> CreateTimes(int64_t n, absl::Time now,
                                    std::mt19937_64& rng, double days = 730);

// Stores one generated row (and whatever else goes with it) in `txn`.
using StoreRow =
    std::function<absl::Status(opinia::storage::Txn&, opinia::storage::ReviewRow&)>;

// Inserts rows [0, times.size()) of the generated tenant into `store` in
// transactions of `batch`, each row through `store_row` (default: just
// InsertReview); prints progress every `report` reviews. `cpu_ms`: CPU of
// the store's part (row building excluded).
bool Insert(opinia::storage::Store& store, const std::vector<Prepared>& prepared,
            const char* tenant, const std::vector<absl::Time>& times,
            absl::Time now, int64_t batch, int64_t report, std::mt19937_64& rng,
            double* cpu_ms, const StoreRow& store_row = nullptr);

// Prints "what n=.. p50 .. p99 .. max .." of `ms` (not empty).
void Report(const char* what, std::vector<double> ms);

}  // namespace opinia::bench

#endif  // OPINIA_BENCH_REVIEW_CORPUS_H_
