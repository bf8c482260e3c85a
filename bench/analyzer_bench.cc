// Benchmark of the full analysis (language, sentiment per review and
// sentence, aspects, urgency) on one core:
//   - analyzer start-up time (CreateAnalyzer) and RSS after loading models;
//   - reviews/s and MB/s over pl_clarin_emo.test (Polish sentences) and
//     en_amazon_reviews.test (English reviews), and overall MB/s.
// Targets (issue 3): >= 20,000 reviews/s for the Polish sentences, >= 5 MB/s
// overall, <= 150 MB RSS, <= 1 s start-up.
//
//   opinia_analyzer_bench [--data=DIR] [--models=DIR] [--passes=N]
//                         [--repeats=R]
// Each of R rounds times N passes over each file; the rounds' results and
// their median are printed (on a shared machine single runs vary by
// +-30 %, the median of a few rounds much less).
// DIR defaults: $OPINIA_DATA_DIR or /work/shared/data; $OPINIA_MODELS_DIR or
// the source tree's models/.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "nlp/analyzer.h"
#include "nlp/analyzer_config.h"
#include "nlp/tools/tsv.h"

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> ReadTexts(const std::string& path) {
  std::vector<std::string> out;
  auto examples = opinia::nlp::tools::ReadTsv(path);
  if (!examples.ok()) return out;  // the caller reports "no texts"
  for (opinia::nlp::tools::Example& e : *examples) out.push_back(std::move(e.text));
  return out;
}

long RssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Wall-clock and thread-CPU rates: on a shared machine the wall clock also
// counts time the core spent on other processes; CPU time is what one core
// of our own costs.
struct Result {
  double reviews_per_s = 0;
  double mb_per_s = 0;
  double cpu_reviews_per_s = 0;
  double cpu_mb_per_s = 0;
  size_t bytes = 0;
  double seconds = 0;
  double cpu_seconds = 0;
};

Result Run(const opinia::nlp::Analyzer& a, const std::vector<std::string>& texts,
           int passes) {
  Result r;
  size_t sink = 0;
  auto start = Clock::now();
  const double cpu_start = ThreadCpuSeconds();
  for (int p = 0; p < passes; ++p) {
    for (const std::string& t : texts) {
      opinia::nlp::Analysis an = a.Analyze(t, opinia::nlp::AnalyzeOptions());
      sink += an.sentences.size() + an.aspects.size();
      r.bytes += t.size();
    }
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.cpu_seconds = ThreadCpuSeconds() - cpu_start;
  r.reviews_per_s = static_cast<double>(texts.size()) * passes / r.seconds;
  r.mb_per_s = static_cast<double>(r.bytes) / 1e6 / r.seconds;
  r.cpu_reviews_per_s = static_cast<double>(texts.size()) * passes / r.cpu_seconds;
  r.cpu_mb_per_s = static_cast<double>(r.bytes) / 1e6 / r.cpu_seconds;
  if (sink == 0) std::printf("(no sentences?)\n");
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = std::getenv("OPINIA_DATA_DIR") ? std::getenv("OPINIA_DATA_DIR")
                                                    : "/work/shared/data";
  std::string models = std::getenv("OPINIA_MODELS_DIR")
                           ? std::getenv("OPINIA_MODELS_DIR")
                           : OPINIA_DEFAULT_MODELS_DIR;
  int passes = 3;
  int repeats = 5;
  int polish_letters = opinia::nlp::AnalyzerConfig().lid_polish_letters;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--data=")) data = a.substr(7);
    else if (absl::StartsWith(a, "--models=")) models = a.substr(9);
    else if (absl::StartsWith(a, "--passes=")) {
      if (!absl::SimpleAtoi(a.substr(9), &passes) || passes < 1) passes = 3;
    } else if (absl::StartsWith(a, "--repeats=")) {
      if (!absl::SimpleAtoi(a.substr(10), &repeats) || repeats < 1) repeats = 5;
    } else if (absl::StartsWith(a, "--lid_polish_letters=")) {
      if (!absl::SimpleAtoi(a.substr(21), &polish_letters)) polish_letters = 0;
    } else {
      std::fprintf(stderr,
                   "usage: %s [--data=DIR] [--models=DIR] [--passes=N] "
                   "[--repeats=R]\n",
                   argv[0]);
      return 2;
    }
  }
  const long rss_before = RssKb();
  auto t0 = Clock::now();
  const double cpu0 = ThreadCpuSeconds();
  // --lid_polish_letters=N: the speed setting of nlp/analyzer_config.h.
  auto analyzer = opinia::nlp::CreateAnalyzerWithConfig(models, [&] {
    opinia::nlp::AnalyzerConfig c;
    c.lid_polish_letters = polish_letters;
    return c;
  }());
  const double startup = std::chrono::duration<double>(Clock::now() - t0).count();
  const double startup_cpu = ThreadCpuSeconds() - cpu0;
  if (!analyzer.ok()) {
    std::fprintf(stderr, "CreateAnalyzer(%s): %s\n", models.c_str(),
                 analyzer.status().ToString().c_str());
    return 1;
  }
  const long rss_loaded = RssKb();
  std::printf("model_version     %s\n", (*analyzer)->ModelVersion().c_str());
  std::printf("startup           wall %.3f s | cpu %.3f s (target <= 1 s)\n",
              startup, startup_cpu);
  std::printf("rss_after_load    %.1f MB (process before load %.1f MB; target "
              "<= 150 MB)\n", rss_loaded / 1024.0, rss_before / 1024.0);

  const auto pl = ReadTexts(data + "/sentiment/pl_clarin_emo.test.tsv");
  const auto en = ReadTexts(data + "/sentiment/en_amazon_reviews.test.tsv");
  if (pl.empty() || en.empty()) {
    std::fprintf(stderr, "no data under %s/sentiment\n", data.c_str());
    return 1;
  }
  // Warm-up: per-thread ICU clones, page-in of the models.
  Run(**analyzer, pl, 1);
  Run(**analyzer, en, 1);

  std::vector<Result> pls, ens;
  std::vector<double> overall, overall_cpu;
  for (int r = 0; r < repeats; ++r) {
    const Result rpl = Run(**analyzer, pl, passes);
    const Result ren = Run(**analyzer, en, passes);
    pls.push_back(rpl);
    ens.push_back(ren);
    overall.push_back(static_cast<double>(rpl.bytes + ren.bytes) / 1e6 /
                      (rpl.seconds + ren.seconds));
    overall_cpu.push_back(static_cast<double>(rpl.bytes + ren.bytes) / 1e6 /
                          (rpl.cpu_seconds + ren.cpu_seconds));
    std::printf("round %d           pl %.0f reviews/s cpu | en %.0f reviews/s "
                "cpu | overall %.2f MB/s cpu (%.2f wall)\n",
                r + 1, rpl.cpu_reviews_per_s, ren.cpu_reviews_per_s,
                overall_cpu.back(), overall.back());
  }
  // The round with the median overall CPU rate stands for the run.
  std::vector<size_t> order(repeats);
  for (int r = 0; r < repeats; ++r) order[r] = static_cast<size_t>(r);
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return overall_cpu[a] < overall_cpu[b]; });
  const size_t med = order[order.size() / 2];
  const Result& rpl = pls[med];
  const Result& ren = ens[med];
  double cpu_seconds = 0, seconds = 0;
  for (int r = 0; r < repeats; ++r) {
    cpu_seconds += pls[r].cpu_seconds + ens[r].cpu_seconds;
    seconds += pls[r].seconds + ens[r].seconds;
  }
  std::printf("median of %d rounds (%d passes each):\n", repeats, passes);
  std::printf("pl_clarin_emo     wall %.0f reviews/s %.2f MB/s | cpu %.0f "
              "reviews/s %.2f MB/s (%zu texts x %d; target >= 20000 "
              "reviews/s)\n",
              rpl.reviews_per_s, rpl.mb_per_s, rpl.cpu_reviews_per_s,
              rpl.cpu_mb_per_s, pl.size(), passes);
  std::printf("en_amazon         wall %.0f reviews/s %.2f MB/s | cpu %.0f "
              "reviews/s %.2f MB/s (%zu texts x %d)\n",
              ren.reviews_per_s, ren.mb_per_s, ren.cpu_reviews_per_s,
              ren.cpu_mb_per_s, en.size(), passes);
  std::printf("overall           wall %.2f MB/s | cpu %.2f MB/s on one core "
              "(target >= 5 MB/s); rounds %.2f .. %.2f MB/s cpu\n",
              overall[med], overall_cpu[med], overall_cpu[order.front()],
              overall_cpu[order.back()]);
  std::printf("cpu share         %.0f%% of the wall time was our CPU time "
              "(shared machine)\n",
              100.0 * cpu_seconds / seconds);
  std::printf("rss_after_run     %.1f MB\n", RssKb() / 1024.0);
  return 0;
}
