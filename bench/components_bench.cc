// Per-component CPU cost of the analysis (thread CPU time, so a busy machine
// does not distort it): Tokenize, language id, sentence sentiment, full
// Analyze. Helps find what to optimise when analyzer_bench is below target.
//   opinia_components_bench [--data=DIR] [--models=DIR]
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "nlp/analyzer.h"
#include "nlp/language_id.h"
#include "nlp/sentiment.h"
#include "nlp/text.h"

namespace {

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

std::vector<std::string> ReadTexts(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    size_t p = 0;
    for (int k = 0; k < 3 && p != std::string::npos; ++k) {
      p = line.find('\t', p);
      if (p != std::string::npos) ++p;
    }
    if (p != std::string::npos) out.push_back(line.substr(p));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace opinia::nlp;  // NOLINT
  std::string data = "/work/shared/data";
  std::string models = OPINIA_DEFAULT_MODELS_DIR;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--data=")) data = a.substr(7);
    if (absl::StartsWith(a, "--models=")) models = a.substr(9);
  }
  double t = CpuSeconds();
  auto analyzer = CreateAnalyzer(models);
  std::printf("CreateAnalyzer cpu %.3f s\n", CpuSeconds() - t);
  auto lid = LanguageIdentifier::Create(models);
  auto sent = SentimentClassifier::Create(models);
  if (!analyzer.ok() || !lid.ok() || !sent.ok()) return 1;
  for (const char* file : {"pl_clarin_emo.test", "en_amazon_reviews.test"}) {
    auto texts = ReadTexts(data + "/sentiment/" + file + ".tsv");
    std::vector<TokenizedText> toks;
    const int reps = 3;
    t = CpuSeconds();
    for (int r = 0; r < reps; ++r) {
      toks.clear();
      for (const auto& s : texts) toks.push_back(Tokenize(s));
    }
    double tok = (CpuSeconds() - t) / reps / texts.size() * 1e6;
    t = CpuSeconds();
    for (int r = 0; r < reps; ++r) {
      for (size_t i = 0; i < texts.size(); ++i) (*lid)->Identify(texts[i], toks[i], "");
    }
    double l = (CpuSeconds() - t) / reps / texts.size() * 1e6;
    t = CpuSeconds();
    for (int r = 0; r < reps; ++r) {
      for (size_t i = 0; i < texts.size(); ++i) {
        for (const auto& s : toks[i].sentences) {
          (*sent)->Classify(toks[i], s.first_token, s.end_token, file[0] == 'p' ? "pl" : "en");
        }
      }
    }
    double c = (CpuSeconds() - t) / reps / texts.size() * 1e6;
    t = CpuSeconds();
    for (int r = 0; r < reps; ++r) {
      for (const auto& s : texts) (*analyzer)->Analyze(s, AnalyzeOptions());
    }
    double full = (CpuSeconds() - t) / reps / texts.size() * 1e6;
    std::printf("%s: per text CPU us: tokenize %.1f, lid %.1f, sentence "
                "sentiment %.1f, full Analyze %.1f (=> %.0f texts/s/core)\n",
                file, tok, l, c, full, 1e6 / full);
  }
  return 0;
}
