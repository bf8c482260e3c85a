// opinia-clauses: how the compositional layer (nlp/polarity_rules.h) reads
// each line of stdin, clause by clause: weight, positive and negative
// evidence, hits. For tuning models/polarity.tsv on dev text.
//   opinia-clauses [--models=DIR] LANG < lines.txt
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "nlp/lexicon.h"
#include "nlp/polarity_rules.h"
#include "nlp/text.h"

int main(int argc, char** argv) {
  using namespace opinia::nlp;
  std::string models = "models";
  bool more_events = false;
  std::string lang;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (absl::StartsWith(a, "--models=")) {
      models = a.substr(9);
    } else if (a == "--more_events") {
      more_events = true;
    } else if (lang.empty() && a[0] != '-') {
      lang = a;
    } else {
      std::cerr << "usage: opinia-clauses [--models=DIR] [--more_events] LANG < lines\n";
      return 2;
    }
  }
  if (lang.empty()) {
    std::cerr << "usage: opinia-clauses [--models=DIR] [--more_events] LANG < lines\n";
    return 2;
  }
  auto rules = PolarityRules::Create(models, 0.0f, more_events);
  auto lexicon = Lexicon::Load(models + "/lexicon.tsv");
  if (!rules.ok() || !lexicon.ok()) {
    std::cerr << (rules.ok() ? lexicon.status() : rules.status()) << "\n";
    return 1;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    const TokenizedText t = Tokenize(line);
    for (const Sentence& s : t.sentences) {
      std::vector<Clause> clauses;
      const PolarityEvidence e =
          (*rules)->Score(t, s.first_token, s.end_token, lang, **lexicon, &clauses);
      std::cout << "sentence net " << e.Net() << " lexicon net "
                << e.lexicon_positive - e.lexicon_negative << " hits " << e.hits
                << (e.questions > 0 ? " question" : "") << "\n";
      for (const Clause& c : clauses) {
        std::cout << "  [w " << c.weight << " +" << c.positive << " -" << c.negative
                  << " hits " << c.hits << (c.contrast ? " but" : "")
                  << (c.concession ? " although" : "") << (c.worry ? " worry" : "")
                  << "] ";
        for (int i = c.first_token; i < c.end_token; ++i) std::cout << t.tokens[i].norm << ' ';
        std::cout << "\n";
      }
    }
  }
  return 0;
}
