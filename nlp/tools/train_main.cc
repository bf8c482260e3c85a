// opinia-train: rebuilds the sentiment models in models/ from ../shared/data.
//
//   opinia-train --data=/work/shared/data --out=models [--only=lexicon,pl,en,multi]
//                [--dump_dir=DIR] [--c=C] [--chars=MIN,MAX] [--char_weight=W]
//
// Every training text goes through Tokenize() + ReviewInput() +
// LinearFeatures(), exactly as at serving time. LIBLINEAR's logistic
// regression is deterministic, so the same data gives byte-identical models.
// Hyper-parameters were chosen on the dev splits only (see models/README.md);
// --c, --chars and --char_weight override them for experiments.
#include <linear.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "nlp/linear_model.h"
#include "nlp/sentiment_features.h"
#include "nlp/text.h"
#include "nlp/tools/lexicon_compile.h"
#include "nlp/tools/tsv.h"

namespace opinia::nlp::tools {
namespace {

struct ModelSpec {
  std::string name;                // output file name in --out
  std::vector<std::string> files;  // under <data>/sentiment/
  double c;                        // LIBLINEAR's C (inverse regularisation)
  // Auxiliary-domain training files (may be empty), used by "frustratingly
  // easy" domain adaptation (Daume III, ACL 2007): every feature gets a
  // shared copy and a copy for its text's domain (main or auxiliary); the
  // model served is the shared + main copies' weights, so the auxiliary data
  // shapes the shared weights without overriding what the main domain says.
  std::vector<std::string> aux_files = {};
  // Character n-grams of the words (LinearFeatures()), and the factor on
  // their TF-IDF values (folded into their stored idf, so serving needs
  // nothing else): {0, 0} for none.
  CharGrams chars = {};
  double char_weight = 1.0;
};

std::vector<ModelSpec> Specs() {
  return std::vector<ModelSpec>{
      // PolEmo 2.0 medicine (doctors' reviews) as plain extra training data
      // lowered dev accuracy (fastText 0.57-0.63 vs 0.66, logistic
      // regression 0.645 vs 0.697); as an auxiliary domain it raises it
      // (0.720 vs 0.697 model alone; +2.3 points in 5-fold CV on the
      // CLARIN-Emo training set, every fold up). See models/README.md.
      {"sentiment_pl.lin", {"pl_clarin_emo.train.tsv"}, 8.0,
       {"pl_polemo2_medicine.train.tsv"}},
      {"sentiment_en.lin",
       {"en_amazon_reviews.train.tsv", "en_uci_sentences.train.tsv"}, 8.0},
      // Character 3-6-grams at half weight: multi_tweets.dev macro-F1
      // 0.564 -> 0.576 in the analyzer, and up in every fold of a 5-fold CV
      // on the training set (+0.2 ... +1.9, mean +0.95). Sizes 2-5, 3-5,
      // weights 0.3-1 and C 2-8 all gave 0.567-0.576 on dev. Not for pl or en:
      // lower there (models/README.md).
      {"sentiment_multi.lin", {"multi_tweets.train.tsv"}, 4.0, {}, {3, 6}, 0.5},
  };
}

// A feature must occur in this many training texts to enter the model: the
// rest (mostly one-off bigrams) cannot generalise and would triple the size
// (same dev accuracy with 1 or 2).
constexpr int kMinDocFreq = 2;

std::string Line(const Example& e) {
  TokenizedText t = Tokenize(e.text);
  return "__label__" + e.label + " " + ReviewInput(t);
}

void Quiet(const char*) {}

template <typename T>
void WritePod(std::ostream& out, T v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof(T));
}

// Trains one LinearModel file (format: nlp/linear_model.h) from the texts of
// spec.files, each through Tokenize() + ReviewInput() as at serving time.
// LIBLINEAR's L2-regularised logistic regression (primal Newton) is
// deterministic: same data, same bytes.
bool TrainLinear(const std::string& data, const ModelSpec& spec,
                 const std::string& out_path) {
  std::vector<std::vector<std::pair<uint64_t, int>>> docs;  // (feature, count)
  std::vector<std::string> labels;
  std::vector<bool> aux;  // from an auxiliary-domain file
  std::vector<uint64_t> feats, char_feats;
  absl::flat_hash_set<uint64_t> is_char;  // features that are n-grams
  std::vector<std::pair<std::string, bool>> files;
  for (const std::string& f : spec.files) files.emplace_back(f, false);
  for (const std::string& f : spec.aux_files) files.emplace_back(f, true);
  const bool adapt = !spec.aux_files.empty();
  for (const auto& [f, is_aux] : files) {
    auto examples = ReadTsv(data + "/sentiment/" + f);
    if (!examples.ok()) {
      std::cerr << examples.status() << "\n";
      return false;
    }
    for (const Example& e : *examples) {
      feats.clear();
      char_feats.clear();
      LinearFeatures(ReviewInput(Tokenize(e.text)), &feats, spec.chars, &char_feats);
      is_char.insert(char_feats.begin(), char_feats.end());
      feats.insert(feats.end(), char_feats.begin(), char_feats.end());
      std::sort(feats.begin(), feats.end());
      std::vector<std::pair<uint64_t, int>> doc;
      for (uint64_t h : feats) {
        if (!doc.empty() && doc.back().first == h) {
          ++doc.back().second;
        } else {
          doc.emplace_back(h, 1);
        }
      }
      docs.push_back(std::move(doc));
      labels.push_back(e.label);
      aux.push_back(is_aux);
    }
  }
  absl::flat_hash_map<uint64_t, int> df;
  for (const auto& doc : docs) {
    for (const auto& [h, c] : doc) ++df[h];
  }
  std::vector<uint64_t> vocab;
  for (const auto& [h, n] : df) {
    if (n >= kMinDocFreq) vocab.push_back(h);
  }
  std::sort(vocab.begin(), vocab.end());  // deterministic feature indices
  absl::flat_hash_map<uint64_t, int> index;
  std::vector<double> idf(vocab.size());
  const double n_docs = static_cast<double>(docs.size());
  for (size_t i = 0; i < vocab.size(); ++i) {
    index[vocab[i]] = static_cast<int>(i) + 1;  // LIBLINEAR counts from 1
    idf[i] = std::log((n_docs + 1) / (df[vocab[i]] + 1)) + 1;
    // A hash that is both a word feature and a gram (never seen: 64 bits)
    // would be weighted as a gram.
    if (is_char.contains(vocab[i])) idf[i] *= spec.char_weight;
  }
  std::vector<std::string> names = labels;
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  const int n = static_cast<int>(vocab.size());
  // With domain adaptation, feature i has LIBLINEAR indices i (shared),
  // n + i (main domain) and 2n + i (auxiliary domain).
  const int copies = adapt ? 3 : 1;
  std::vector<std::vector<feature_node>> rows(docs.size());
  std::vector<feature_node*> x(docs.size());
  std::vector<double> y(docs.size());
  for (size_t d = 0; d < docs.size(); ++d) {
    auto& row = rows[d];
    double norm2 = 0;
    for (const auto& [h, c] : docs[d]) {
      auto it = index.find(h);
      if (it == index.end()) continue;
      const double v = (1 + std::log(static_cast<double>(c))) * idf[it->second - 1];
      row.push_back({it->second, v});
      norm2 += v * v;
      if (adapt) {
        row.push_back({it->second + (aux[d] ? 2 * n : n), v});
        norm2 += v * v;
      }
    }
    std::sort(row.begin(), row.end(),
              [](const feature_node& a, const feature_node& b) { return a.index < b.index; });
    const double inv = norm2 > 0 ? 1 / std::sqrt(norm2) : 0;
    for (auto& node : row) node.value *= inv;
    row.push_back({copies * n + 1, 1.0});  // bias
    row.push_back({-1, 0.0});
    x[d] = row.data();
    y[d] = static_cast<double>(
        std::lower_bound(names.begin(), names.end(), labels[d]) - names.begin() + 1);
  }
  problem prob{};
  prob.l = static_cast<int>(docs.size());
  prob.n = copies * n + 1;
  prob.y = y.data();
  prob.x = x.data();
  prob.bias = 1.0;
  parameter param{};
  param.solver_type = L2R_LR;
  param.eps = 0.01;
  param.C = spec.c;
  param.p = 0.1;
  set_print_string_function(&Quiet);
  if (const char* err = check_parameter(&prob, &param)) {
    std::cerr << err << "\n";
    return false;
  }
  model* m = train(&prob, &param);
  const int k = get_nr_class(m);
  std::vector<int> ids(static_cast<size_t>(k));
  get_labels(m, ids.data());

  std::ofstream out(out_path, std::ios::binary);
  // Quantized: idf and weights as binary16 (nlp/linear_model.h, OPLM3).
  out.write("OPLM3\n", 6);
  WritePod<uint32_t>(out, spec.chars.enabled() ? spec.chars.min : 0);
  WritePod<uint32_t>(out, spec.chars.enabled() ? spec.chars.max : 0);
  bool representable = true;
  auto half = [&](double v) {
    if (!(std::fabs(v) < 65504.0)) representable = false;
    return FloatToHalf(static_cast<float>(v));
  };
  WritePod<uint32_t>(out, static_cast<uint32_t>(k));
  for (int id : ids) {
    const std::string& name = names[static_cast<size_t>(id - 1)];
    WritePod<uint32_t>(out, static_cast<uint32_t>(name.size()));
    out.write(name.data(), static_cast<std::streamsize>(name.size()));
  }
  // The bias is the weight of feature n+1 (value 1).
  for (int c = 0; c < k; ++c) {
    WritePod<float>(out, static_cast<float>(get_decfun_bias(m, c)));
  }
  // Every vocabulary feature is written, also one whose weights are 0: it
  // still counts in the text's norm. With domain adaptation a main-domain
  // text's vector is (x, x, 0) / (sqrt(2) |x|), so its decision value is
  // x . (w_shared + w_main) / (sqrt(2) |x|): the served weights are
  // (w_shared + w_main) / sqrt(2) over the usual normalisation.
  const double scale = adapt ? 1 / std::sqrt(2.0) : 1.0;
  WritePod<uint64_t>(out, static_cast<uint64_t>(n));
  for (int i = 1; i <= n; ++i) {
    WritePod<uint64_t>(out, vocab[static_cast<size_t>(i - 1)]);
    WritePod<uint16_t>(out, half(idf[static_cast<size_t>(i - 1)]));
    for (int c = 0; c < k; ++c) {
      double w = get_decfun_coef(m, i, c);
      if (adapt) w += get_decfun_coef(m, n + i, c);
      WritePod<uint16_t>(out, half(w * scale));
    }
  }
  free_and_destroy_model(&m);
  if (!representable) {
    std::cerr << out_path << ": a weight or idf is beyond binary16's range\n";
    return false;
  }
  std::cerr << out_path << ": " << k << " classes, " << n << " features, "
            << docs.size() << " texts\n";
  return static_cast<bool>(out);
}

}  // namespace
}  // namespace opinia::nlp::tools

int main(int argc, char** argv) {
  using namespace opinia::nlp::tools;  // NOLINT
  std::string data = "/work/shared/data", out = "models", only, dump_dir;
  // Experiment overrides (apply to every selected model); the committed
  // models use the defaults above.
  double c_override = 0, char_weight = -1;
  opinia::nlp::CharGrams chars;
  bool chars_set = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--c=")) c_override = std::stod(a.substr(4));
    else if (absl::StartsWith(a, "--char_weight=")) char_weight = std::stod(a.substr(14));
    else if (absl::StartsWith(a, "--chars=")) {
      // --chars=MIN,MAX (0,0: none)
      std::vector<std::string> v = absl::StrSplit(a.substr(8), ',');
      if (v.size() != 2) return 2;
      chars.min = static_cast<uint32_t>(std::stoul(v[0]));
      chars.max = static_cast<uint32_t>(std::stoul(v[1]));
      chars_set = true;
    }
    else if (absl::StartsWith(a, "--data=")) data = a.substr(7);
    else if (absl::StartsWith(a, "--out=")) out = a.substr(6);
    else if (absl::StartsWith(a, "--only=")) only = a.substr(7);
    else if (absl::StartsWith(a, "--dump_dir=")) dump_dir = a.substr(11);
    else {
      std::cerr << "usage: opinia-train --data=DIR --out=DIR [--only=lexicon,pl,en,multi]"
                   " [--dump_dir=DIR] [--c=C] [--chars=MIN,MAX] [--char_weight=W]\n";
      return 2;
    }
  }
  std::vector<std::string> wanted = absl::StrSplit(only, ',', absl::SkipEmpty());
  bool want_lexicon = wanted.empty();
  for (const auto& w : wanted) want_lexicon |= w == "lexicon";
  if (want_lexicon && dump_dir.empty()) {
    // First: the sentiment inputs do not depend on it, the analyzer does.
    absl::Status s = CompileLexicon(data, out + "/lexicon.tsv");
    if (!s.ok()) {
      std::cerr << s << "\n";
      return 1;
    }
  }
  if (!dump_dir.empty()) {
    // Experiment helper: every TSV under data/sentiment as fastText lines.
    for (const char* split : {"train", "dev", "test"}) {
      for (const char* set : {"pl_clarin_emo", "pl_polemo2_medicine",
                              "en_amazon_reviews", "en_uci_sentences",
                              "multi_tweets"}) {
        std::string name = std::string(set) + "." + split;
        auto ex = ReadTsv(data + "/sentiment/" + name + ".tsv");
        if (!ex.ok()) continue;
        std::ofstream o(dump_dir + "/" + name + ".txt");
        for (const Example& e : *ex) o << Line(e) << "\n";
      }
    }
    return 0;
  }
  for (ModelSpec spec : Specs()) {
    if (c_override > 0) spec.c = c_override;
    if (chars_set) spec.chars = chars;
    if (char_weight >= 0) spec.char_weight = char_weight;
    bool want = wanted.empty();
    for (const auto& w : wanted) {
      want |= absl::StrContains(spec.name, "_" + w + ".");
    }
    if (!want) continue;
    std::cerr << "training " << spec.name << "\n";
    if (!TrainLinear(data, spec, out + "/" + spec.name)) return 1;
  }
  return 0;
}
