// Prints every field of every Analysis of the texts in the given TSV files,
// floats in hex (%a), so that a change meant to preserve outputs (a speed
// change) can be checked byte for byte: run the tree before and after on the
// same files and `cmp` the two outputs.
//
//   opinia_analysis_fields [--models=DIR] FILE.tsv...
//
// Each file needs a header line with a `text` column; a `rating` or `stars`
// column (1..5) and a `lang` column are used when present. Every text is
// analysed twice: with no options, and with the rating, the language as a
// hint, every third text from source "twitter" and every fifth with its
// first words as a title.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "nlp/analyzer.h"
#include "nlp/analyzer_config.h"

namespace {

using opinia::nlp::Analysis;
using opinia::nlp::AnalyzeOptions;
using opinia::nlp::Sentiment;

void PrintSentiment(const Sentiment& s) {
  std::printf(" %a %d %a", s.score, static_cast<int>(s.label), s.confidence);
}

void Print(const Analysis& a) {
  std::printf("lang %s %a |", a.language.c_str(), a.language_confidence);
  PrintSentiment(a.sentiment);
  std::printf(" | sentences");
  for (const auto& s : a.sentences) {
    std::printf(" [%d,%d)", s.span.begin, s.span.end);
    PrintSentiment(s.sentiment);
  }
  std::printf(" | aspects");
  for (const auto& as : a.aspects) {
    std::printf(" %d%s", static_cast<int>(as.aspect), as.named ? "" : "~");
    PrintSentiment(as.sentiment);
    for (const auto& e : as.evidence) std::printf(" [%d,%d)", e.begin, e.end);
  }
  std::printf(" | urgency P%d", static_cast<int>(a.urgency.priority));
  for (const auto& r : a.urgency.reasons) std::printf(" %s", r.c_str());
  for (const auto& e : a.urgency.evidence) std::printf(" [%d,%d)", e.begin, e.end);
  std::printf(" | %s\n", a.model_version.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  std::string models = std::getenv("OPINIA_MODELS_DIR")
                           ? std::getenv("OPINIA_MODELS_DIR")
                           : OPINIA_DEFAULT_MODELS_DIR;
  std::vector<std::string> files;
  int polish_letters = opinia::nlp::AnalyzerConfig().lid_polish_letters;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (absl::StartsWith(a, "--models=")) {
      models = a.substr(9);
    } else if (absl::StartsWith(a, "--lid_polish_letters=")) {
      polish_letters = std::atoi(a.c_str() + 21);
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s [--models=DIR] FILE.tsv...\n", argv[0]);
    return 2;
  }
  // --lid_polish_letters=N: the speed setting of nlp/analyzer_config.h.
  auto analyzer = opinia::nlp::CreateAnalyzerWithConfig(models, [&] {
    opinia::nlp::AnalyzerConfig c;
    c.lid_polish_letters = polish_letters;
    return c;
  }());
  if (!analyzer.ok()) {
    std::fprintf(stderr, "CreateAnalyzer(%s): %s\n", models.c_str(),
                 analyzer.status().ToString().c_str());
    return 1;
  }
  long n = 0;
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    if (!in || !std::getline(in, line)) {
      std::fprintf(stderr, "cannot read %s\n", path.c_str());
      return 1;
    }
    int text_col = -1, rating_col = -1, lang_col = -1;
    const std::vector<std::string> header = absl::StrSplit(line, '\t');
    for (size_t c = 0; c < header.size(); ++c) {
      if (header[c] == "text") text_col = static_cast<int>(c);
      if (header[c] == "rating" || header[c] == "stars") rating_col = static_cast<int>(c);
      if (header[c] == "lang") lang_col = static_cast<int>(c);
    }
    if (text_col < 0) {
      std::fprintf(stderr, "%s: no text column\n", path.c_str());
      return 1;
    }
    int row = 0;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const std::vector<std::string> cols = absl::StrSplit(line, '\t');
      if (static_cast<int>(cols.size()) <= text_col) continue;
      const std::string& text = cols[text_col];
      ++row;
      std::printf("%s:%d plain: ", path.c_str(), row);
      Print((*analyzer)->Analyze(text, AnalyzeOptions()));
      AnalyzeOptions o;
      if (rating_col >= 0 && rating_col < static_cast<int>(cols.size())) {
        int r = 0;
        if (absl::SimpleAtoi(cols[rating_col], &r) && r >= 1 && r <= 5) o.rating = r;
      }
      if (lang_col >= 0 && lang_col < static_cast<int>(cols.size())) {
        o.language_hint = cols[lang_col];
      }
      if (row % 3 == 0) o.source = "twitter";
      if (row % 5 == 0) o.title = text.substr(0, text.find(' ', 20));
      std::printf("%s:%d options: ", path.c_str(), row);
      Print((*analyzer)->Analyze(text, o));
      ++n;
    }
  }
  std::fprintf(stderr, "%ld texts, each analysed twice\n", n);
  return 0;
}
