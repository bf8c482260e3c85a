// opinia-train: rebuilds the sentiment models in models/ from ../shared/data.
//
//   opinia-train --data=/work/shared/data --out=models [--only=lexicon,pl,en,multi]
//                [--dump_dir=DIR]
//
// Every training text goes through Tokenize() + SentimentInput(), exactly as
// at serving time. Training is single-threaded with a fixed seed, so the same
// data gives byte-identical models. Hyper-parameters were chosen on the dev
// splits only (see models/README.md).
#include <fasttext/args.h>
#include <fasttext/fasttext.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "nlp/sentiment_features.h"
#include "nlp/text.h"
#include "nlp/tools/lexicon_compile.h"
#include "nlp/tools/tsv.h"

namespace opinia::nlp::tools {
namespace {

struct ModelSpec {
  std::string name;                // output file stem in --out
  std::vector<std::string> files;  // under <data>/sentiment/
  int epoch;
  double lr;
  int word_ngrams;
  int minn;
  int maxn;
  int dim;
  int bucket;
  size_t cutoff;  // quantization: keep this many words/ngrams (0 = all)
};

std::vector<ModelSpec> Specs() {
  return std::vector<ModelSpec>{
      // PolEmo 2.0 medicine was tried as extra Polish training data and
      // lowered dev accuracy (0.57-0.63 vs 0.66): CLARIN-Emo only.
      {"sentiment_pl", {"pl_clarin_emo.train.tsv"},
       50, 0.5, 2, 0, 0, 50, 200000, 50000},
      {"sentiment_en",
       {"en_amazon_reviews.train.tsv", "en_uci_sentences.train.tsv"},
       25, 0.5, 2, 0, 0, 50, 200000, 100000},
      {"sentiment_multi", {"multi_tweets.train.tsv"},
       15, 0.3, 2, 0, 0, 50, 200000, 100000},
  };
}

std::string Line(const Example& e) {
  TokenizedText t = Tokenize(e.text);
  return "__label__" + e.label + " " + ReviewInput(t);
}

bool WriteTrainingFile(const std::string& data, const ModelSpec& spec,
                       const std::string& path) {
  std::ofstream out(path);
  for (const std::string& f : spec.files) {
    auto examples = ReadTsv(data + "/sentiment/" + f);
    if (!examples.ok()) {
      std::cerr << examples.status() << "\n";
      return false;
    }
    for (const Example& e : *examples) out << Line(e) << "\n";
  }
  return static_cast<bool>(out);
}

bool Train(const ModelSpec& spec, const std::string& input,
           const std::string& out_dir) {
  fasttext::Args a;
  a.input = input;
  a.output = out_dir + "/" + spec.name;
  a.model = fasttext::model_name::sup;
  a.loss = fasttext::loss_name::softmax;
  a.minCount = 1;
  a.epoch = spec.epoch;
  a.lr = spec.lr;
  a.wordNgrams = spec.word_ngrams;
  a.minn = spec.minn;
  a.maxn = spec.maxn;
  a.dim = spec.dim;
  a.bucket = spec.bucket;
  a.thread = 1;  // determinism
  a.seed = 20261123;
  a.verbose = 0;
  fasttext::FastText ft;
  ft.train(a);
  fasttext::Args q = a;
  q.qnorm = true;
  q.retrain = spec.cutoff > 0;
  q.cutoff = spec.cutoff;
  q.dsub = 2;
  ft.quantize(q);
  ft.saveModel(out_dir + "/" + spec.name + ".ftz");
  return true;
}

}  // namespace
}  // namespace opinia::nlp::tools

int main(int argc, char** argv) {
  using namespace opinia::nlp::tools;  // NOLINT
  std::string data = "/work/shared/data", out = "models", only, dump_dir;
  // Experiment overrides (apply to every selected model); the committed
  // models use the defaults above.
  std::vector<std::pair<std::string, double>> overrides;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool is_override = false;
    for (const char* k : {"epoch", "lr", "ngrams", "minn", "maxn", "dim",
                          "bucket", "cutoff"}) {
      std::string p = std::string("--") + k + "=";
      if (absl::StartsWith(a, p)) {
        overrides.emplace_back(k, std::stod(a.substr(p.size())));
        is_override = true;
      }
    }
    if (is_override) continue;
    if (absl::StartsWith(a, "--data=")) data = a.substr(7);
    else if (absl::StartsWith(a, "--out=")) out = a.substr(6);
    else if (absl::StartsWith(a, "--only=")) only = a.substr(7);
    else if (absl::StartsWith(a, "--dump_dir=")) dump_dir = a.substr(11);
    else {
      std::cerr << "usage: opinia-train --data=DIR --out=DIR [--only=lexicon,pl,en,multi]"
                   " [--dump_dir=DIR]\n";
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
    for (const auto& [k, v] : overrides) {
      if (k == "epoch") spec.epoch = static_cast<int>(v);
      if (k == "lr") spec.lr = v;
      if (k == "ngrams") spec.word_ngrams = static_cast<int>(v);
      if (k == "minn") spec.minn = static_cast<int>(v);
      if (k == "maxn") spec.maxn = static_cast<int>(v);
      if (k == "dim") spec.dim = static_cast<int>(v);
      if (k == "bucket") spec.bucket = static_cast<int>(v);
      if (k == "cutoff") spec.cutoff = static_cast<size_t>(v);
    }
    bool want = wanted.empty();
    for (const auto& w : wanted) want |= absl::EndsWith(spec.name, "_" + w);
    if (!want) continue;
    std::string input = out + "/." + spec.name + ".train.txt";
    if (!WriteTrainingFile(data, spec, input)) return 1;
    std::cerr << "training " << spec.name << "\n";
    bool ok = Train(spec, input, out);
    std::remove(input.c_str());
    if (!ok) return 1;
  }
  return 0;
}
