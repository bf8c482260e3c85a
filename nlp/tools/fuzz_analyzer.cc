// libFuzzer target for Analyzer::Analyze: any bytes (as text, and split into
// title/hint/rating) must give a defined result with every span inside the
// text. Built only with -DOPINIA_FUZZ=ON (clang); run via scripts/fuzz.sh.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "nlp/analyzer.h"
#include "nlp/text.h"

namespace {

const opinia::nlp::Analyzer& GetAnalyzer() {
  static const opinia::nlp::Analyzer* analyzer = [] {
    const char* dir = std::getenv("OPINIA_MODELS_DIR");
    auto a = opinia::nlp::CreateAnalyzer(dir != nullptr ? dir
                                                         : OPINIA_DEFAULT_MODELS_DIR);
    if (!a.ok()) {
      std::fprintf(stderr, "CreateAnalyzer: %s\n", a.status().ToString().c_str());
      std::abort();
    }
    return a->release();
  }();
  return *analyzer;
}

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckSpan(const opinia::nlp::Span& s, size_t n) {
  Check(s.begin >= 0 && s.begin <= s.end && static_cast<size_t>(s.end) <= n);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const opinia::nlp::Analyzer& analyzer = GetAnalyzer();
  std::string text(reinterpret_cast<const char*>(data), size);
  opinia::nlp::AnalyzeOptions o;
  if (size > 2) {
    o.rating = data[0] % 7;  // 0..6: includes out-of-range ratings
    o.title = text.substr(1, data[1] % 16);
    if (data[1] & 0x80) o.language_hint = "pl";
  }
  opinia::nlp::Analysis a = analyzer.Analyze(text, o);
  Check(a.sentiment.score >= -1 && a.sentiment.score <= 1);
  Check(a.sentiment.confidence >= 0 && a.sentiment.confidence <= 1);
  Check(opinia::nlp::IsValidUtf8(a.language));
  for (const auto& s : a.sentences) CheckSpan(s.span, size);
  for (const auto& as : a.aspects) {
    for (const auto& e : as.evidence) CheckSpan(e, size);
  }
  for (const auto& e : a.urgency.evidence) CheckSpan(e, size);
  opinia::nlp::TokenizedText t = opinia::nlp::Tokenize(text);
  for (const auto& tok : t.tokens) {
    CheckSpan(tok.span, size);
    Check(opinia::nlp::IsValidUtf8(tok.norm) && opinia::nlp::IsValidUtf8(tok.plain));
  }
  return 0;
}
