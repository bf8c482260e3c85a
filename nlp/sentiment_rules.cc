#include "nlp/sentiment_rules.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "nlp/sentiment_features.h"
#include "nlp/word_filter.h"

namespace opinia::nlp {
namespace {

// The word classes below, looked up once per word: one hash probe instead
// of comparing every word with ~80 strings.
struct WordClass {
  bool contrast = false;
  float factor = 1.0f;  // intensifier (>1) or down-toner (<1)
};

struct WordClasses {
  absl::flat_hash_map<absl::string_view, WordClass> map;
  WordFilter filter;  // of map's keys
};

const WordClasses& Classes() {
  static const WordClasses* classes = [] {
    auto* wc = new WordClasses();
    auto* m = &wc->map;
    // Intensifiers first: a word in both lists stays an intensifier.
    for (absl::string_view w :
         {"bardzo", "naprawdę", "mega", "totalnie", "wyjątkowo", "niezwykle",
          "absolutnie", "całkowicie", "kompletnie", "zupełnie", "strasznie",
          "niesamowicie", "super", "wielce", "ogromnie", "najbardziej",
          "very", "really", "extremely", "absolutely", "totally",
          "completely", "incredibly", "so", "truly", "highly", "super",
          "utterly", "sehr", "wirklich", "total", "muy", "très", "molto",
          "muito"}) {
      (*m)[w].factor = 1.5f;
    }
    for (absl::string_view w :
         {"trochę", "nieco", "lekko", "dość", "dosyć", "raczej", "troszkę",
          "slightly", "somewhat", "fairly", "rather", "bit", "kinda",
          "quite", "etwas", "ziemlich", "poco"}) {
      WordClass& c = (*m)[w];
      if (c.factor == 1.0f) c.factor = 0.6f;
    }
    // Clause markers: what follows weighs more than what precedes.
    for (absl::string_view w :
         {"ale", "jednak", "jednakże", "lecz", "niestety", "natomiast",
          "but", "however", "although", "though", "unfortunately",
          "yet", "aber", "jedoch", "leider", "pero", "mais", "ma",
          "però", "mas", "porém", "sin"}) {
      (*m)[w].contrast = true;
    }
    for (const auto& [w, c] : *m) wc->filter.Add(std::string_view(w.data(), w.size()));
    return wc;
  }();
  return *classes;
}

WordClass ClassOf(std::string_view w) {
  const WordClasses& c = Classes();
  if (!c.filter.MayContain(w)) return WordClass();
  auto it = c.map.find(absl::string_view(w.data(), w.size()));
  return it == c.map.end() ? WordClass() : it->second;
}

// Negators whose scope skips one more word ("nie jest dobry").
constexpr int kNegScope = 3;

}  // namespace

RuleScore ScoreRules(const TokenizedText& t, int first_token, int end_token,
                     std::string_view lang, const Lexicon& lexicon,
                     Lexicon::WordValences* valences) {
  RuleScore r;
  first_token = std::max(first_token, 0);
  end_token = std::min<int>(end_token, static_cast<int>(t.tokens.size()));
  // Per-token contributions, then clause weighting around contrast words.
  thread_local std::vector<float> contrib;
  thread_local std::vector<int> contrast_at;  // token indexes
  contrib.assign(static_cast<size_t>(std::max(0, end_token - first_token)), 0);
  contrast_at.clear();
  const Lexicon::View view = lexicon.ForLanguage(lang);
  int neg_scope = 0;
  float intensity = 1.0f;
  int bangs = 0;
  for (int i = first_token; i < end_token; ++i) {
    const Token& tok = t.tokens[i];
    if (tok.kind == TokenKind::kPunct) {
      const std::string_view n = tok.norm;
      if (n == "!") ++bangs;
      if (n != "-" && n != "'") {
        neg_scope = 0;
        intensity = 1.0f;
      }
      continue;
    }
    if (tok.kind == TokenKind::kNumber) continue;
    if (tok.kind == TokenKind::kWord) {
      const WordClass wc = ClassOf(tok.norm);
      if (wc.contrast) contrast_at.push_back(i);
      if (IsNegator(tok.norm)) {
        neg_scope = kNegScope;
        continue;
      }
      const float f = wc.factor;
      if (f != 1.0f) {
        intensity *= f;
        // "bardzo" itself carries nothing; "super" may (handled below).
        if (!Lexicon::Valence(view, tok.norm)) continue;
      }
    }
    std::optional<float> v = tok.kind == TokenKind::kWord
                                 ? (valences != nullptr
                                        ? valences->Of(view, t, i)
                                        : Lexicon::WordValence(view, tok.norm, tok.plain))
                                 : Lexicon::Valence(view, tok.norm);
    if (!v) {
      if (neg_scope > 0 && tok.kind == TokenKind::kWord) --neg_scope;
      continue;
    }
    float val = *v * intensity;
    intensity = 1.0f;
    if (neg_scope > 0 && tok.kind == TokenKind::kWord) {
      // "not good" is less negative than "bad"; "no problems" is positive.
      val = val > 0 ? -0.75f * val : -0.9f * val;
      neg_scope = 0;
    }
    contrib[i - first_token] = val;
    ++r.hits;
  }
  if (r.hits == 0) return r;
  // Contrast: only the last contrast word matters; before x0.5, after x1.5.
  // A contrast word that is itself valenced ("niestety") sits after.
  if (!contrast_at.empty()) {
    int c = contrast_at.back() - first_token;
    for (int k = 0; k < static_cast<int>(contrib.size()); ++k) {
      contrib[k] *= k < c ? 0.5f : 1.5f;
    }
  }
  float sum = 0;
  for (size_t k = 0; k < contrib.size(); ++k) {
    const float c = contrib[k];
    sum += c;
    if (c > 0) r.positive += c;
    if (c < 0) r.negative -= c;
    const TokenKind kind = t.tokens[first_token + static_cast<int>(k)].kind;
    if (kind == TokenKind::kEmoji || kind == TokenKind::kEmoticon) r.emoji += c;
  }
  if (bangs > 0 && sum != 0) {
    sum += (sum > 0 ? 1 : -1) * 0.1f * std::min(bangs, 3);
  }
  r.sum = sum;
  r.score = sum / std::sqrt(sum * sum + 1.0f);
  return r;
}

RuleScore JoinRules(const RuleScore* const* parts, size_t n) {
  RuleScore r;
  for (size_t i = 0; i < n; ++i) {
    r.sum += parts[i]->sum;
    r.positive += parts[i]->positive;
    r.negative += parts[i]->negative;
    r.hits += parts[i]->hits;
    r.emoji += parts[i]->emoji;
  }
  r.score = r.sum / std::sqrt(r.sum * r.sum + 1.0f);
  return r;
}

}  // namespace opinia::nlp
