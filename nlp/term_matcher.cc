#include "nlp/term_matcher.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace opinia::nlp {
namespace {

// Score weights: tokens matter most, then exact words, then characters.
constexpr int64_t kPerToken = 1'000'000;
constexpr int64_t kPerExactWord = 1'000;

struct BuildNode {
  std::map<unsigned char, int32_t> kids;
  std::vector<int32_t> terminal;
  std::vector<int32_t> open;
};

// Inserts `key` into a builder trie and returns the node it ends at.
int32_t Insert(std::vector<BuildNode>& nodes, std::string_view key) {
  int32_t n = 0;
  for (unsigned char b : key) {
    auto it = nodes[n].kids.find(b);
    if (it == nodes[n].kids.end()) {
      nodes.emplace_back();
      const int32_t child = static_cast<int32_t>(nodes.size()) - 1;
      nodes[n].kids[b] = child;
      n = child;
    } else {
      n = it->second;
    }
  }
  return n;
}

// Articles (and a few other words) that elide into the next word, without
// their apostrophe.
struct ElidingLanguage {
  const char* language;
  std::vector<std::string_view> articles;
};
const std::vector<ElidingLanguage>& ElidingLanguages() {
  static const auto* kLanguages = new std::vector<ElidingLanguage>{
      {"fr", {"l", "d", "j", "n", "s", "c", "qu", "jusqu"}},
      {"it",
       {"l", "d", "dell", "dall", "all", "nell", "sull", "un", "quell",
        "quest"}},
  };
  return *kLanguages;
}

std::string_view PrimaryTag(std::string_view language) {
  const size_t cut = language.find_first_of("-_");
  return cut == std::string_view::npos ? language : language.substr(0, cut);
}

}  // namespace

struct TermMatcher::Builder::Impl {
  struct Pending {
    std::string language;
    PendingPhrase phrase;
  };
  std::vector<Pending> pending;
};

TermMatcher::Builder::Builder() : impl_(std::make_unique<Impl>()) {}
TermMatcher::Builder::~Builder() = default;
TermMatcher::~TermMatcher() = default;

absl::Status TermMatcher::Builder::Add(std::string_view language,
                                       std::string_view phrase, int label) {
  PendingPhrase p;
  p.label = label;
  p.languages = 0;
  const absl::string_view aphrase(phrase.data(), phrase.size());
  for (absl::string_view raw :
       absl::StrSplit(aphrase, ' ', absl::SkipEmpty())) {
    Mode mode = Mode::kExact;
    if (raw.size() > 1 && raw.front() == '=') {
      mode = Mode::kNorm;
      raw.remove_prefix(1);
    } else if (raw.size() > 1 && raw.front() == '*') {
      mode = Mode::kSuffix;
      raw.remove_prefix(1);
    } else if (raw.size() > 1 && raw.back() == '*') {
      mode = Mode::kPrefix;
      raw.remove_suffix(1);
    }
    if (raw.find('*') != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("misplaced '*' in phrase \"", aphrase, "\""));
    }
    TokenizedText t = Tokenize(std::string_view(raw.data(), raw.size()));
    if (t.tokens.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("no token in word \"", raw, "\" of \"", aphrase, "\""));
    }
    const size_t n = t.tokens.size();
    for (size_t k = 0; k < n; ++k) {
      // Markers bind to the outer end of a word that Tokenize splits.
      Mode m = Mode::kExact;
      if (mode == Mode::kNorm) m = Mode::kNorm;
      if (mode == Mode::kSuffix && k == 0) m = Mode::kSuffix;
      if (mode == Mode::kPrefix && k == n - 1) m = Mode::kPrefix;
      const Token& tok = t.tokens[k];
      p.words.push_back({m == Mode::kNorm ? tok.norm : tok.plain, m});
    }
  }
  if (p.words.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "empty phrase for language \"",
        absl::string_view(language.data(), language.size()), "\""));
  }
  const std::string_view tag = PrimaryTag(language);
  impl_->pending.push_back(
      {absl::AsciiStrToLower(absl::string_view(tag.data(), tag.size())),
       std::move(p)});
  return absl::OkStatus();
}

std::unique_ptr<TermMatcher> TermMatcher::Builder::Build() && {
  auto m = std::unique_ptr<TermMatcher>(new TermMatcher());
  for (const Impl::Pending& pe : impl_->pending) {
    if (pe.language == "*" || m->language_bits_.contains(pe.language)) continue;
    const size_t bit = m->language_bits_.size();
    // More than 32 languages share the last bit: still correct, less precise.
    m->language_bits_[pe.language] = 1u << std::min<size_t>(bit, 31);
  }
  m->all_languages_ = ~0u;
  for (const ElidingLanguage& el : ElidingLanguages()) {
    auto it = m->language_bits_.find(el.language);
    if (it == m->language_bits_.end()) continue;
    m->elision_languages_ |= it->second;
    for (std::string_view a : el.articles) m->articles_.push_back({a, it->second});
  }

  std::vector<const PendingPhrase*> all;
  for (Impl::Pending& pe : impl_->pending) {
    pe.phrase.languages =
        pe.language == "*" ? ~0u : m->language_bits_.at(pe.language);
    all.push_back(&pe.phrase);
  }
  BuildIndex(all, &m->all_);
  m->by_bit_.resize(32);
  for (const auto& [language, bit] : m->language_bits_) {
    const int b = __builtin_ctz(bit);
    if (m->by_bit_[b] != nullptr) continue;  // languages past the 32nd share
    std::vector<const PendingPhrase*> own;
    for (const PendingPhrase* p : all) {
      if ((p->languages & bit) != 0) own.push_back(p);
    }
    m->by_bit_[b] = std::make_unique<Index>();
    BuildIndex(own, m->by_bit_[b].get());
  }
  return m;
}

void TermMatcher::BuildIndex(const std::vector<const PendingPhrase*>& pending,
                             Index* index) {
  std::vector<BuildNode> fwd(1), bwd(1);
  for (size_t i = 0; i < pending.size(); ++i) {
    const PendingPhrase& p = *pending[i];
    const int32_t id = static_cast<int32_t>(i);
    const Word& w = p.words.front();
    switch (w.mode) {
      case Mode::kExact:
        fwd[Insert(fwd, w.text)].terminal.push_back(id);
        break;
      case Mode::kNorm: {
        // Keyed by the plain form of the norm so one walk finds it.
        TokenizedText t = Tokenize(w.text);
        fwd[Insert(fwd, t.tokens.empty() ? w.text : t.tokens[0].plain)]
            .terminal.push_back(id);
        break;
      }
      case Mode::kPrefix:
        fwd[Insert(fwd, w.text)].open.push_back(id);
        break;
      case Mode::kSuffix: {
        std::string rev(w.text.rbegin(), w.text.rend());
        bwd[Insert(bwd, rev)].open.push_back(id);
        break;
      }
    }
  }

  auto add_phrase = [index](const PendingPhrase& p) {
    if (p.words.size() > INT16_MAX) {
      std::fprintf(stderr, "TermMatcher: a phrase of more than %d words\n", INT16_MAX);
      std::abort();
    }
    const Word& first = p.words.front();
    int64_t first_score = static_cast<int64_t>(first.text.size());
    if (first.mode == Mode::kExact) first_score += kPerExactWord;
    if (first.mode == Mode::kNorm || first_score > INT16_MAX) first_score = -1;
    index->phrases.push_back({static_cast<int32_t>(index->words.size()),
                              static_cast<int16_t>(p.words.size()),
                              static_cast<int16_t>(first_score), p.languages, p.label});
    uint16_t second = 0;
    if (p.words.size() >= 2 && !p.words[1].text.empty()) {
      const Word& w = p.words[1];
      switch (w.mode) {
        case Mode::kExact:
        case Mode::kPrefix:
          second = (kSecondPlainFront << 8) | static_cast<unsigned char>(w.text.front());
          break;
        case Mode::kNorm:
          second = (kSecondNormFront << 8) | static_cast<unsigned char>(w.text.front());
          break;
        case Mode::kSuffix:
          second = (kSecondPlainBack << 8) | static_cast<unsigned char>(w.text.back());
          break;
      }
    }
    index->second.push_back(second);
    for (const Word& w : p.words) index->words.push_back(w);
  };
  auto flatten = [&pending, &add_phrase, index](const std::vector<BuildNode>& in, Trie* out) {
    // Language masks, by builder index: children are created after their
    // parents, so a backward pass sees every child before its parent.
    std::vector<uint32_t> masks(in.size(), 0);
    for (size_t i = in.size(); i-- > 0;) {
      uint32_t mask = 0;
      for (int32_t id : in[i].terminal) mask |= pending[id]->languages;
      for (int32_t id : in[i].open) mask |= pending[id]->languages;
      for (const auto& kid : in[i].kids) mask |= masks[kid.second];
      masks[i] = mask;
    }
    // Depth-first (pre-order) numbering, children in byte order.
    std::vector<int32_t> order;  // new index -> builder index
    std::vector<int32_t> renumber(in.size(), -1);
    order.reserve(in.size());
    std::vector<int32_t> stack = {0};
    while (!stack.empty()) {
      const int32_t b = stack.back();
      stack.pop_back();
      renumber[b] = static_cast<int32_t>(order.size());
      order.push_back(b);
      for (auto it = in[b].kids.rbegin(); it != in[b].kids.rend(); ++it) {
        stack.push_back(it->second);
      }
    }
    out->nodes.resize(in.size());
    out->languages.resize(in.size());
    auto count = [](size_t n) {
      if (n > UINT16_MAX) {
        std::fprintf(stderr, "TermMatcher: more than %d phrases or edges at one node\n",
                     UINT16_MAX);
        std::abort();
      }
      return static_cast<uint16_t>(n);
    };
    for (size_t i = 0; i < order.size(); ++i) {
      const BuildNode& bn = in[order[i]];
      Trie::Node& n = out->nodes[i];
      out->languages[i] = masks[order[i]];
      n.edge_begin = static_cast<int32_t>(out->edges.size());
      for (const auto& [b, child] : bn.kids) out->edges.push_back({b, renumber[child]});
      n.num_edges = count(bn.kids.size());
      if (!bn.kids.empty()) {
        n.first_byte = bn.kids.begin()->first;
        // Pre-order numbering: the first child follows its parent.
        assert(renumber[bn.kids.begin()->second] == static_cast<int32_t>(i) + 1);
      }
      n.terminal_begin = static_cast<int32_t>(index->phrases.size());
      for (int32_t id : bn.terminal) add_phrase(*pending[id]);
      n.num_terminal = count(bn.terminal.size());
      for (int32_t id : bn.open) add_phrase(*pending[id]);
      n.num_open = count(bn.open.size());
    }
    std::fill(std::begin(out->root_child), std::end(out->root_child), -1);
    for (const auto& [b, child] : in[0].kids) out->root_child[b] = renumber[child];
  };
  flatten(fwd, &index->forward);
  flatten(bwd, &index->backward);
}

const TermMatcher::Index& TermMatcher::IndexFor(uint32_t languages) const {
  if (languages == 0 || (languages & (languages - 1)) != 0) return all_;
  const Index* own = by_bit_[__builtin_ctz(languages)].get();
  return own != nullptr ? *own : all_;
}

int32_t TermMatcher::Trie::Child(int32_t node, unsigned char b) const {
  if (node == 0) return root_child[b];
  const Node& n = nodes[node];
  if (n.num_edges == 0 || b < n.first_byte) return -1;
  if (b == n.first_byte) return node + 1;
  const int32_t end = n.edge_begin + n.num_edges;
  for (int32_t e = n.edge_begin + 1; e < end; ++e) {
    if (edges[e].byte == b) return edges[e].target;
    if (edges[e].byte > b) break;  // edges are sorted
  }
  return -1;
}

uint32_t TermMatcher::LanguageMask(std::string_view language) const {
  std::string_view tag = PrimaryTag(language);
  char buf[16];
  if (tag.empty() || tag.size() > sizeof(buf)) return all_languages_;
  for (size_t i = 0; i < tag.size(); ++i) {
    buf[i] = absl::ascii_tolower(static_cast<unsigned char>(tag[i]));
  }
  auto it = language_bits_.find(absl::string_view(buf, tag.size()));
  return it == language_bits_.end() ? all_languages_ : it->second;
}

std::string_view TermMatcher::Elided(std::string_view form,
                                     uint32_t languages) const {
  if ((languages & elision_languages_) == 0) return form;
  // The longest article is 5 bytes ("jusqu", "quest"); "’" is 3 bytes.
  const size_t apostrophe = form.substr(0, 6).find_first_of("'\xE2");
  if (apostrophe == std::string_view::npos || apostrophe == 0) return form;
  const std::string_view rest = form.substr(apostrophe);
  size_t skip = 0;
  if (rest.substr(0, 1) == "'") {
    skip = 1;
  } else if (rest.substr(0, 3) == "\xE2\x80\x99") {
    skip = 3;
  } else {
    return form;
  }
  if (rest.size() == skip) return form;
  const std::string_view article = form.substr(0, apostrophe);
  for (const Article& a : articles_) {
    if ((a.languages & languages) != 0 && a.text == article) {
      return form.substr(apostrophe + skip);
    }
  }
  return form;
}

int64_t TermMatcher::Fit(const Index& index, const Phrase& p,
                         const TokenizedText& t, int i, int end,
                         uint32_t languages) const {
  const int n = p.num_words;
  if (i + n > end) return -1;
  const bool elides = (languages & elision_languages_) != 0;
  int64_t score = kPerToken * n;
  for (int k = 0; k < n; ++k) {
    if (k == 0 && p.first_score >= 0) {
      // Matched by the trie walk (Longest): exact terminal, prefix path or
      // reversed suffix path.
      score += p.first_score;
      continue;
    }
    const Word& w = index.words[p.first_word + k];
    const Token& tok = t.tokens[i + k];
    if (k == 0 && w.mode != Mode::kNorm) {  // too long for first_score
      if (w.mode == Mode::kExact) score += kPerExactWord;
      score += static_cast<int64_t>(w.text.size());
      continue;
    }
    const std::string_view plain = tok.plain;
    // The token without an elided article, looked for only when the whole
    // token does not match (most candidates fail on their second word), and
    // only in an eliding language (Elided() returns the form itself in any
    // other: the call, out of line, is skipped).
    auto bare_differs = [&](auto matches) {
      if (!elides) return false;
      const std::string_view bare = Elided(plain, languages);
      return bare.size() != plain.size() && matches(bare);
    };
    switch (w.mode) {
      case Mode::kExact:
        if (plain != w.text &&
            !bare_differs([&](std::string_view b) { return b == w.text; })) {
          return -1;
        }
        score += kPerExactWord;
        break;
      case Mode::kNorm:
        if (tok.norm != w.text && (!elides || Elided(tok.norm, languages) != w.text)) {
          return -1;
        }
        score += kPerExactWord;
        break;
      case Mode::kPrefix:
        if (plain.substr(0, w.text.size()) != w.text &&
            !bare_differs([&](std::string_view b) {
              return b.substr(0, w.text.size()) == w.text;
            })) {
          return -1;
        }
        break;
      case Mode::kSuffix:
        // The suffix of the whole token is the suffix of its bare part.
        if (plain.size() < w.text.size() ||
            plain.substr(plain.size() - w.text.size()) != w.text) {
          return -1;
        }
        break;
    }
    score += static_cast<int64_t>(w.text.size());
  }
  return score;
}

bool TermMatcher::Longest(const Index& index, const TokenizedText& t, int i,
                          int end, uint32_t languages, Match* best) const {
  // A language's own index holds only nodes with a phrase of it below.
  const bool masked = &index == &all_;
  int64_t best_score = -1;
  const bool elides = (languages & elision_languages_) != 0;
  auto consider = [&](int32_t id) {
    const Phrase& p = index.phrases[id];
    if ((p.languages & languages) == 0) return;
    // Fit() would return -1 (no match) on the second word's first (last)
    // byte: skip the call.
    if (const uint16_t q = index.second[id]; q != 0 && !elides) {
      if (i + 1 >= end) return;  // Fit: i + num_words > end
      const Token& next = t.tokens[i + 1];
      const std::string& form = (q >> 8) == kSecondNormFront ? next.norm : next.plain;
      if (form.empty()) return;
      const char c = (q >> 8) == kSecondPlainBack ? form.back() : form.front();
      if (static_cast<unsigned char>(c) != (q & 0xFF)) return;
    }
    const int64_t s = Fit(index, p, t, i, end, languages);
    if (s > best_score) {
      best_score = s;
      *best = {i, i + p.num_words, p.label};
    }
  };
  const std::string_view plain = t.tokens[i].plain;
  auto walk_forward = [&](std::string_view form) {
    int32_t node = 0;
    for (size_t k = 0; k < form.size(); ++k) {
      node = index.forward.Child(node, static_cast<unsigned char>(form[k]));
      if (node < 0) break;
      if (masked && (index.forward.languages[node] & languages) == 0) break;
      const Trie::Node& n = index.forward.nodes[node];
      for (int32_t e = n.open_begin(); e < n.open_end(); ++e) {
        consider(e);
      }
      if (k + 1 == form.size()) {
        for (int32_t e = n.terminal_begin; e < n.open_begin(); ++e) {
          consider(e);
        }
      }
    }
  };
  walk_forward(plain);
  // (Checked here first: most texts are in no eliding language.)
  if ((languages & elision_languages_) != 0) {
    if (const std::string_view bare = Elided(plain, languages); bare.size() != plain.size()) {
      walk_forward(bare);
    }
  }
  int32_t node = 0;
  for (size_t k = plain.size(); k > 0; --k) {
    node = index.backward.Child(node, static_cast<unsigned char>(plain[k - 1]));
    if (node < 0) break;
    if (masked && (index.backward.languages[node] & languages) == 0) break;
    const Trie::Node& n = index.backward.nodes[node];
    for (int32_t e = n.open_begin(); e < n.open_end(); ++e) {
      consider(e);
    }
  }
  return best_score >= 0;
}

}  // namespace opinia::nlp
