#include "nlp/tools/aspect_signs_train.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "nlp/analyzer_config.h"
#include "nlp/aspect_signs.h"
#include "nlp/tools/eval_cases.h"
#include "nlp/tools/multinomial.h"

namespace opinia::nlp::tools {
namespace {

// The number of the corpus dev part's folds (CorpusDevFold).
constexpr int kCorpusFolds = 5;
constexpr double kCs[] = {0.003, 0.01, 0.03, 0.1, 0.3, 1};
constexpr double kThresholds[] = {0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

// One expected aspect the analysis found.
struct Row {
  std::vector<float> x;
  int gold = 0;  // Polarity: 0 POS, 1 NEG, 2 NEU (the arbiter's class order)
  int base = 0;  // the analyzer's polarity
  int fold = 0;
  std::string source, lang;
};

// W: 3 x (F + 1), bias first, on the raw features (the standardisation
// of `rows` folded in).
using Weights = std::array<std::vector<double>, 3>;

Weights Fit(const std::vector<const Row*>& rows, double c) {
  std::vector<const std::vector<float>*> x(rows.size());
  std::vector<int> y(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    x[r] = &rows[r]->x;
    y[r] = rows[r]->gold;
  }
  std::vector<std::vector<double>> raw;
  FitStandardised(x, y, 3, c, 1e-9, &raw);
  Weights w;
  for (size_t k = 0; k < 3; ++k) {
    w[k].push_back(raw[k].back());
    w[k].insert(w[k].end(), raw[k].begin(), raw[k].end() - 1);
  }
  return w;
}

std::string Format(const Weights& w, double threshold) {
  std::vector<double> bias(3);
  std::vector<std::vector<double>> raw(3);
  for (size_t k = 0; k < 3; ++k) {
    bias[k] = w[k][0];
    raw[k].assign(w[k].begin() + 1, w[k].end());
  }
  return FormatSoftmaxModel(AspectSignFormat(), threshold, bias, raw);
}

void Collect(const Analyzer& analyzer, const std::vector<std::vector<float>>& features,
             const std::vector<EvalCase>& cases, Split split, const std::string& source,
             const std::string& lang, int fold, std::vector<Row>* rows) {
  for (const EvalCase& c : cases) {
    if (!InSplit(c.id, split)) continue;
    AnalyzeOptions o;
    o.rating = c.rating;
    const Analysis a = analyzer.Analyze(c.text, o);
    for (const ExpectedAspect& e : c.aspects) {
      for (size_t i = 0; i < a.aspects.size(); ++i) {
        if (a.aspects[i].aspect != e.aspect) continue;
        Row r;
        r.x = std::vector<float>(features[i]);
        r.gold = static_cast<int>(e.polarity);
        r.base = static_cast<int>(PolarityOf(a.aspects[i].sentiment.score));
        r.fold = fold >= 0 ? fold
                           : kCorpusFolds + CorpusDevFold(c.id);
        r.source = source;
        r.lang = lang;
        rows->push_back(std::move(r));
        break;
      }
    }
  }
}

std::array<double, 3> Probs(const Weights& w, const std::vector<float>& x) {
  std::array<double, 3> d{};
  double top = -1e300;
  for (size_t k = 0; k < 3; ++k) {
    d[k] = w[k][0];
    for (size_t i = 0; i < x.size(); ++i) d[k] += w[k][i + 1] * x[i];
    top = std::max(top, d[k]);
  }
  double sum = 0;
  for (double& v : d) sum += (v = std::exp(v - top));
  for (double& v : d) v /= sum;
  return d;
}

// The arbiter's polarity of a row with probabilities `p` at `threshold`.
int Decide(const Row& r, const std::array<double, 3>& p, double threshold) {
  int best = 0;
  for (int k = 1; k < 3; ++k) {
    if (p[k] > p[best]) best = k;
  }
  // As AspectSignModel::FromProbs: ties go to NEU, then POS.
  if (p[2] >= p[0] && p[2] >= p[1]) best = 2;
  else if (p[0] >= p[1]) best = 0;
  return p[best] >= threshold && !KeepsItsSign(r.x) ? best : r.base;
}

// An analyzer without the arbiter and the feature rows it records.
struct Reader {
  std::vector<std::vector<float>> features;
  std::unique_ptr<Analyzer> analyzer;
};

// The reader of `models_dir` (created on first use); null on an error.
Reader* ReaderOf(const std::string& models_dir,
                 std::map<std::string, std::unique_ptr<Reader>>* readers) {
  std::unique_ptr<Reader>& r = (*readers)[models_dir];
  if (r != nullptr) return r.get();
  auto reader = std::make_unique<Reader>();
  AnalyzerConfig config;
  config.sentiment = TrainingReadParams();
  config.aspect_signs = false;
  config.aspect_sign_rows = &reader->features;
  auto analyzer = CreateAnalyzerWithConfig(models_dir, config);
  if (!analyzer.ok()) {
    std::cerr << analyzer.status() << "\n";
    return nullptr;
  }
  reader->analyzer = std::move(*analyzer);
  r = std::move(reader);
  return r.get();
}

}  // namespace

bool TrainAspectSigns(const std::string& models_dir, const std::string& corpus_dir,
                      const std::string& cases_dir, bool write, const TableReaders& table_readers) {
  std::map<std::string, std::unique_ptr<Reader>> readers;  // by models directory
  Reader* own = ReaderOf(models_dir, &readers);
  if (own == nullptr) return false;
  std::vector<Row> rows;
  for (const char* lang : kTuningLanguages) {
    std::vector<EvalCase> cases;
    const std::string path = corpus_dir + "/shop_" + lang + ".tsv";
    if (!ReadCaseFile(path, &cases)) {
      std::cerr << "cannot read " << path << "\n";
      return false;
    }
    Collect(*own->analyzer, own->features, cases, Split::kCorpusDev, "shop", lang, -1, &rows);
  }
  int fold = 0;
  for (const char* table : kSpentTables) {
    const std::string& models = ModelsReading(table_readers, table, models_dir);
    Reader* reader = ReaderOf(models, &readers);
    if (reader == nullptr) return false;
    if (reader != own) std::fprintf(stderr, "aspect signs: %s read by %s\n", table, models.c_str());
    for (const char* lang : kTuningLanguages) {
      std::vector<EvalCase> cases;
      // A table without a file for a language (cases3 has no fr, it).
      if (!ReadCaseFile(cases_dir + "/" + table + "_" + lang + ".tsv", &cases)) continue;
      Collect(*reader->analyzer, reader->features, cases, Split::kAll, table, lang, fold, &rows);
    }
    ++fold;
  }
  if (rows.empty()) {
    std::fprintf(stderr, "aspect signs: no found expected aspects (corpus, --cases?)\n");
    return false;
  }
  const int folds = fold + kCorpusFolds;
  int base_right = 0;
  for (const Row& r : rows) base_right += r.base == r.gold;
  std::fprintf(stderr, "aspect signs: %zu found expected aspects, analyzer right %d\n",
               rows.size(), base_right);
  // Out-of-fold probabilities for each C.
  double best_c = 0, best_t = 0;
  int best_right = -1;
  std::vector<std::array<double, 3>> best_oof;
  for (double c : kCs) {
    std::vector<std::array<double, 3>> oof(rows.size());
    for (int f = 0; f < folds; ++f) {
      std::vector<const Row*> train;
      for (const Row& r : rows) {
        if (r.fold != f) train.push_back(&r);
      }
      const Weights w = Fit(train, c);
      for (size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].fold == f) oof[i] = Probs(w, rows[i].x);
      }
    }
    std::fprintf(stderr, "  C %-5g", c);
    for (double t : kThresholds) {
      int right = 0;
      for (size_t i = 0; i < rows.size(); ++i) right += Decide(rows[i], oof[i], t) == rows[i].gold;
      std::fprintf(stderr, "  t %.1f: %d", t, right);
      // A threshold above 0 (keeping the analyzer's sign when the arbiter
      // is unsure: two decision paths) only when it is right more often
      // than replacing every sign by more than one row in a thousand.
      const int margin = t > 0 ? static_cast<int>(rows.size() / 1000) : 0;
      if (right > best_right + margin) {
        best_right = right;
        best_c = c;
        best_t = t;
        best_oof = oof;
      }
    }
    std::fprintf(stderr, "\n");
  }
  std::fprintf(stderr, "chosen C %g, threshold %.1f: out-of-fold right %d of %zu (analyzer %d)\n",
               best_c, best_t, best_right, rows.size(), base_right);
  // Per source and language, at the chosen pair.
  std::map<std::string, std::map<std::string, std::array<int, 3>>> table;  // n, base, oof
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    const int oof = Decide(r, best_oof[i], best_t) == r.gold;
    for (const std::string& lang : {r.lang, std::string("all")}) {
      std::array<int, 3>& cell = table[r.source][lang];
      ++cell[0];
      cell[1] += r.base == r.gold;
      cell[2] += oof;
    }
  }
  std::fprintf(stderr, "%-8s", "source");
  for (const char* lang : kTuningLanguages) std::fprintf(stderr, " %16s", lang);
  std::fprintf(stderr, " %16s\n", "all");
  for (const auto& [source, by_lang] : table) {
    std::fprintf(stderr, "%-8s", source.c_str());
    for (const std::string lang : {"pl", "en", "de", "es", "fr", "it", "all"}) {
      auto it = by_lang.find(lang);
      if (it == by_lang.end()) {
        std::fprintf(stderr, " %16s", "-");
        continue;
      }
      char cell[64];
      std::snprintf(cell, sizeof(cell), "%d->%d/%d", it->second[1], it->second[2],
                    it->second[0]);
      std::fprintf(stderr, " %16s", cell);
    }
    std::fprintf(stderr, "\n");
  }
  // Per gold sign: how many the analyzer and the arbiter get right.
  static constexpr const char* kGold[] = {"POS", "NEG", "NEU"};
  std::array<std::array<int, 3>, 3> by_gold{};  // n, base, oof
  for (size_t i = 0; i < rows.size(); ++i) {
    std::array<int, 3>& g = by_gold[static_cast<size_t>(rows[i].gold)];
    ++g[0];
    g[1] += rows[i].base == rows[i].gold;
    g[2] += Decide(rows[i], best_oof[i], best_t) == rows[i].gold;
  }
  for (size_t k = 0; k < 3; ++k) {
    std::fprintf(stderr, "gold %s: %d -> %d of %d\n", kGold[k], by_gold[k][1], by_gold[k][2],
                 by_gold[k][0]);
  }
  if (!write) return true;
  std::vector<const Row*> all;
  for (const Row& r : rows) all.push_back(&r);
  const std::string path = models_dir + "/" + kAspectSignsFile;
  std::ofstream out(path, std::ios::binary);
  out << Format(Fit(all, best_c), best_t);
  if (!out) std::cerr << "cannot write " << path << "\n";
  return static_cast<bool>(out);
}

}  // namespace opinia::nlp::tools
