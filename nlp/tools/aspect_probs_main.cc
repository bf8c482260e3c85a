// opinia-aspect-probs: the aspect detector's P(aspect) over the review
// (nlp/aspect_detect.h) for every case of the given case files (the
// evaluation tables' or the shop corpus's format, nlp/eval/README.md), one
// line per case: its id, then one probability per aspect of the file, in
// its order. For choosing the detector's thresholds on dev
// (scripts/aspect_detect_tune.sh; models/README.md, "Aspect detection
// (seventh pass)").
//
//   opinia-aspect-probs --models=DIR FILE.tsv...
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "nlp/aspect_detect.h"
#include "nlp/sentiment_features.h"
#include "nlp/text.h"
#include "nlp/tools/eval_cases.h"

int main(int argc, char** argv) {
  using namespace opinia::nlp;  // NOLINT
  std::string models;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (absl::StartsWith(a, "--models=")) {
      models = a.substr(9);
    } else if (!absl::StartsWith(a, "--")) {
      files.push_back(a);
    } else {
      files.clear();
      break;
    }
  }
  if (models.empty() || files.empty()) {
    std::cerr << "usage: opinia-aspect-probs --models=DIR FILE.tsv...\n";
    return 2;
  }
  auto detector = AspectDetector::Load(models);
  if (!detector.ok() || *detector == nullptr) {
    std::cerr << (detector.ok() ? models + ": no " + AspectDetector::kFile
                                : std::string(detector.status().message()))
              << "\n";
    return 1;
  }
  std::vector<float> p;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto cases = tools::ParseCases(text.str(), file);
    if (!in || !cases.ok()) {
      std::cerr << (in ? std::string(cases.status().message())
                       : "cannot read " + file)
                << "\n";
      return 1;
    }
    for (const tools::EvalCase& c : *cases) {
      (*detector)->Probabilities(ReviewInput(Tokenize(c.text)), &p);
      std::cout << c.id;
      for (float v : p) std::cout << '\t' << v;
      std::cout << '\n';
    }
  }
  return 0;
}
