#include "nlp/sentiment_features.h"

#include <algorithm>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "nlp/linear_model.h"
#include "nlp/word_filter.h"

namespace opinia::nlp {
namespace {

constexpr std::string_view kNegators[] = {
    "ain't",   "aren't",  "bez",     "can't",   "cannot",   "couldn't",
    "didn't",  "doesn't", "don't",   "hadn't",  "hasn't",   "haven't",
    "isn't",   "kein",    "keine",   "keinen",  "keiner",   "nada",
    "ne",      "never",   "nicht",   "nie",     "niente",   "nigdy",
    "no",      "non",     "nor",     "not",     "nothing",  "nunca",
    "shouldn't", "wasn't", "weren't", "without", "won't",   "wouldn't",
};

// At most one hash probe per word (IsNegator runs on every word, twice),
// and none for the words the filter rules out.
struct Negators {
  WordFilter filter;
  absl::flat_hash_set<absl::string_view> set;
  bool Contains(std::string_view w) const { return filter.MayContain(w) && InSet(w); }
  // Out of line, as is the curly apostrophe's case below: IsNegator, run on
  // every word several times, stays a leaf without a frame to set up.
  [[gnu::noinline]] bool InSet(std::string_view w) const {
    return set.contains(absl::string_view(w.data(), w.size()));
  }
};

[[gnu::noinline]] const Negators& GetNegators() {
  static const Negators* negators = [] {
    auto* n = new Negators();
    for (std::string_view w : kNegators) {
      n->filter.Add(w);
      n->set.insert(absl::string_view(w.data(), w.size()));
    }
    return n;
  }();
  return *negators;
}

constexpr int kScope = 3;
// Stem length in bytes: 5 letters keeps Polish/German roots apart while
// merging their endings.
constexpr size_t kStem = 5;

}  // namespace

namespace {

// IsNegator() of a word ending in "’t".
[[gnu::noinline]] bool CurlyNegator(const Negators& negators, std::string_view norm) {
  constexpr std::string_view kCurlyT = "\xE2\x80\x99t";
  if (norm.find("\xE2\x80\x99") < norm.size() - kCurlyT.size()) return false;
  std::string ascii(norm.substr(0, norm.size() - kCurlyT.size()));
  ascii += "'t";
  return negators.Contains(ascii);
}

}  // namespace

bool IsNegator(std::string_view norm) {
  // "don’t" with a typographic apostrophe: NFKC keeps U+2019, so map it.
  // Every negator with an apostrophe ends in "'t", so only a word ending in
  // "’t" can be one (a word with an earlier U+2019 is none either way): no
  // search through every word (IsNegator runs on every word, several
  // times).
  // (The set fetched once and the last bytes compared one by one, inline:
  // nearly every word ends the test at its last byte.)
  static const Negators& negators = GetNegators();
  const size_t n = norm.size();
  if (n > 4 && norm[n - 1] == 't' && norm[n - 2] == '\x99' && norm[n - 3] == '\x80' &&
      norm[n - 4] == '\xE2') {
    return CurlyNegator(negators, norm);
  }
  return negators.Contains(norm);
}

namespace {

// SentimentInput()'s bytes, written to a sink: a string (the input) or a
// LinearFeatureStream (its features). Separator(): a space unless nothing
// was written; Append(): bytes.
template <typename Sink>
void WriteSentimentInput(const TokenizedText& t, int first_token, int end_token, Sink& out) {
  // Part 1: the words, negation scopes marked.
  int scope = 0;
  for (int i = first_token; i < end_token; ++i) {
    const Token& tok = t.tokens[i];
    if (tok.kind == TokenKind::kPunct) {
      scope = 0;
      const std::string_view n = tok.norm;
      if (n != "!" && n != "?") continue;
    }
    out.Separator();
    out.Append(tok.norm);
    if (tok.kind != TokenKind::kWord) continue;
    if (IsNegator(tok.norm)) {
      scope = kScope;
      continue;
    }
    if (scope > 0) {
      out.Append(" neg_");
      out.Append(tok.norm);
      --scope;
    }
  }
  // Part 2: the words again as stems ("~" + first kStem bytes of the
  // diacritic-free form), so inflected forms share features (Polish
  // "polecam/polecamy/polecił" -> "~polec") without the cost of character
  // n-grams; word bigrams then also cover stem bigrams.
  for (int i = first_token; i < end_token; ++i) {
    const Token& tok = t.tokens[i];
    if (tok.kind != TokenKind::kWord || tok.plain.size() <= kStem) continue;
    size_t len = kStem;
    // Never cut a multi-byte character (non-Latin scripts).
    while (len > 0 && (static_cast<unsigned char>(tok.plain[len]) & 0xC0) == 0x80) {
      --len;
    }
    if (len == 0) continue;
    out.Append(" ~");
    out.Append(std::string_view(tok.plain).substr(0, len));
  }
}

struct StringSink {
  std::string& s;
  void Separator() {
    if (!s.empty()) s.push_back(' ');
  }
  void Append(std::string_view bytes) { s += bytes; }
};

struct FeatureSink {
  LinearFeatureStream& stream;
  // A space splits tokens; one more (before the first) splits none.
  void Separator() { stream.Append(" "); }
  void Append(std::string_view bytes) { stream.Append(bytes); }
};

}  // namespace

std::string SentimentInput(const TokenizedText& t, int first_token,
                           int end_token, const WordExpansion* words) {
  std::string out;
  first_token = std::max(first_token, 0);
  end_token = std::min<int>(end_token, static_cast<int>(t.tokens.size()));
  const size_t n = static_cast<size_t>(std::max(0, end_token - first_token));
  out.reserve(n * 16);
  StringSink sink{out};
  WriteSentimentInput(t, first_token, end_token, sink);
  // Part 3: the words' expansions (lemma, thesaurus group), unigrams only.
  if (words != nullptr) {
    for (int i = first_token; i < end_token; ++i) {
      const Token& tok = t.tokens[i];
      if (tok.kind == TokenKind::kWord) words->Append(tok.norm, &out);
    }
  }
  return out;
}

void SentimentFeatures(const TokenizedText& t, int first_token, int end_token,
                       std::vector<uint64_t>* out) {
  first_token = std::max(first_token, 0);
  end_token = std::min<int>(end_token, static_cast<int>(t.tokens.size()));
  LinearFeatureStream stream(out);
  FeatureSink sink{stream};
  WriteSentimentInput(t, first_token, end_token, sink);
  stream.Finish();
}

std::string ReviewInput(const TokenizedText& t, const WordExpansion* words) {
  std::string out;
  for (const Sentence& s : t.sentences) {
    std::string part = SentimentInput(t, s.first_token, s.end_token, words);
    if (part.empty()) continue;
    if (!out.empty()) out += ' ';
    out += part;
  }
  return out;
}

}  // namespace opinia::nlp
