// TermMatcher: finds lexicon phrases in tokenized text, fast. Shared by the
// aspect extractor and the urgency assessor, which differ only in their
// lexicons and in what they do with a match.
//
// A phrase is one or more words separated by spaces. Each word is matched
// against one token, on the token's `plain` form (case-folded, diacritics
// removed: people often type Polish and German without them):
//   dostawa     the whole token equals "dostawa"
//   dostaw*     the token starts with "dostaw"  (inflection: dostawy, dostawę)
//   *lieferung  the token ends with "lieferung" (German compounds:
//               Expresslieferung, Lieferung)
//   =sąd        the token's `norm` (with diacritics) equals "sąd" — for words
//               that collide with another word once diacritics are dropped
// Pattern words are normalised by Tokenize(), so they are folded exactly as
// the text is; a pattern word that Tokenize splits ("e-mail") becomes several
// consecutive pattern tokens.
//
// French and Italian elide an article into the next word, and Tokenize()
// keeps the two as one token ("l'emballage", "dell’assistenza": UAX #29 joins
// letters across an apostrophe). For text in those languages (or of unknown
// language) a word is also matched against the token's part after an elided
// article (fr l' d' j' n' s' c' qu' jusqu', it l' d' dell' dall' all' nell'
// sull' un' quell' quest'; either apostrophe), so "emballage*" finds
// "l'emballage". The match still covers the whole token.
//
// Scan() reports matches left to right without overlap. Where several phrases
// start at the same token, the longest wins (more tokens, then exact words
// over prefix/suffix words, then more matched characters). A phrase labelled
// kStop wins like any other but is not reported: it masks false friends
// ("za pomocą" = "by means of" is not about customer service).
//
// Immutable and thread-safe once built.
#ifndef OPINIA_NLP_TERM_MATCHER_H_
#define OPINIA_NLP_TERM_MATCHER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "nlp/text.h"

namespace opinia::nlp {

class TermMatcher {
 public:
  static constexpr int kStop = -1;

  struct Match {
    int first_token;
    int end_token;  // one past the last token
    int label;
  };

  class Builder {
   public:
    Builder();
    ~Builder();
    // Adds `phrase` for `language` (a primary BCP-47 subtag such as "pl", or
    // "*" for every language). `label` >= 0 is reported with matches; kStop
    // masks. INVALID_ARGUMENT for an empty phrase or a malformed word.
    absl::Status Add(std::string_view language, std::string_view phrase,
                     int label);
    std::unique_ptr<TermMatcher> Build() &&;

   private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
  };

  ~TermMatcher();

  // The set of languages to match for `language` ("pl", "pl-PL", "PL"): that
  // language plus "*" phrases; every language when it has no phrases of its
  // own ("und", "", "fr") — a language-independent fallback.
  uint32_t LanguageMask(std::string_view language) const;

  // Calls fn(const Match&) for each match inside tokens [begin, end) of `t`.
  // Phrases never extend past `end`. Allocation-free.
  template <typename Fn>
  void Scan(const TokenizedText& t, int begin, int end, uint32_t languages,
            Fn&& fn) const {
    ScanIndex(IndexFor(languages), t, begin, end, languages, fn);
  }
  // Scan() walking the index of every language whatever `languages` is: the
  // same matches (tests compare the two).
  template <typename Fn>
  void ScanAllLanguagesIndexForTesting(const TokenizedText& t, int begin, int end,
                                       uint32_t languages, Fn&& fn) const {
    ScanIndex(all_, t, begin, end, languages, fn);
  }

  // Number of phrases, for tests and logs.
  int size() const { return static_cast<int>(all_.phrases.size()); }

 private:
  enum class Mode : uint8_t { kExact, kPrefix, kSuffix, kNorm };
  static constexpr uint16_t kSecondPlainFront = 1;
  static constexpr uint16_t kSecondNormFront = 2;
  static constexpr uint16_t kSecondPlainBack = 3;
  struct Word {
    std::string text;  // plain form; the norm form for kNorm
    Mode mode;
  };
  // A phrase as the builder collects it.
  struct PendingPhrase {
    std::vector<Word> words;
    uint32_t languages;
    int label;
  };
  // A built phrase: its words are Index::words[first_word, first_word +
  // num_words). Phrases are stored in the order the trie nodes list them,
  // so that the candidates of a node lie together.
  struct Phrase {
    int32_t first_word;
    int16_t num_words;
    // What the first word adds to the score once the trie walk has matched
    // it (kPerExactWord for an exact word, plus its length), so that Fit()
    // reads no word of a one-word phrase; -1 for a kNorm first word (Fit
    // compares it) or one too long for 15 bits.
    int16_t first_score;
    uint32_t languages;
    int label;
  };
  // A byte trie flattened into arrays. Node 0 is the root. The walk is
  // bound by cache misses (three matchers' tries and the model tables do
  // not fit in the L2 cache together), so the nodes are numbered in
  // depth-first order (a word's chain of nodes lies together; a node's
  // first child, in byte order, is the next node), a node is 16 bytes (four
  // to a cache line) and knows its first child's byte, so that a walk down
  // a chain reads no edge, and an edge keeps its byte and target side by
  // side.
  struct Trie {
    struct Node {
      int32_t edge_begin = 0;  // edges[edge_begin, edge_begin + num_edges)
      // Index::phrases[terminal_begin, open_begin()): phrases whose first
      // word ends here; [open_begin(), open_end()): prefix (suffix) words
      // ending here.
      int32_t terminal_begin = 0;
      uint16_t num_edges = 0;
      uint16_t num_terminal = 0;
      uint16_t num_open = 0;
      unsigned char first_byte = 0;  // of edges[edge_begin], whose target is the next node
      int32_t open_begin() const { return terminal_begin + num_terminal; }
      int32_t open_end() const { return open_begin() + num_open; }
    };
    struct Edge {
      unsigned char byte;
      int32_t target;
    };
    std::vector<Node> nodes;
    // By node: the languages of every phrase at or below it. Read only in
    // the walk of the index of every language: in a language's own index
    // every node has a phrase of the language at or below it.
    std::vector<uint32_t> languages;
    std::vector<Edge> edges;  // each node's sorted by byte
    int32_t root_child[256];
    int32_t Child(int32_t node, unsigned char b) const;
  };

  // Phrases with their words and the two tries that find them. `all_` holds
  // every phrase; `by_bit_[b]` only those of language bit b (with the "*"
  // ones). A text of one language walks its own index: the walk of `all_`
  // with that language's mask visits exactly the nodes and candidates of the
  // language's index (a node is entered when a phrase of the language lies
  // at or below it; a candidate is tried when it is of the language), in
  // the same order (an index keeps the phrases' order of addition), so the
  // matches are the same; the smaller trie is walked with fewer cache
  // misses and shorter edge lists.
  struct Index {
    std::vector<Phrase> phrases;
    std::vector<Word> words;
    // By phrase: a byte test on its second word that Fit() would fail
    // without it (most candidates fail on their second word), so that
    // Longest() can skip the call: 0 for none (a one-word phrase, an empty
    // second word), else (kind << 8) | byte, kind kSecondPlainFront (the
    // token's plain form must start with byte: kExact, kPrefix),
    // kSecondNormFront (its norm: kNorm) or kSecondPlainBack (its plain
    // form must end with it: kSuffix). Only used outside eliding languages
    // (there a token's bare form may match instead).
    std::vector<uint16_t> second;
    Trie forward;   // exact, prefix and norm first words
    Trie backward;  // suffix first words, bytes reversed
  };

  TermMatcher() = default;
  // Fills `index` with `phrases` (in their order of addition).
  static void BuildIndex(const std::vector<const PendingPhrase*>& phrases, Index* index);
  // The index to walk for `languages` (a LanguageMask): the language's own
  // when `languages` is a single bit that has one, else `all_`.
  const Index& IndexFor(uint32_t languages) const;
  template <typename Fn>
  void ScanIndex(const Index& index, const TokenizedText& t, int begin, int end,
                 uint32_t languages, Fn&& fn) const {
    for (int i = begin; i < end;) {
      Match m;
      if (t.tokens[i].kind == TokenKind::kWord &&
          Longest(index, t, i, end, languages, &m)) {
        if (m.label != kStop) fn(m);
        i = m.end_token;
      } else {
        ++i;
      }
    }
  }
  bool Longest(const Index& index, const TokenizedText& t, int i, int end,
               uint32_t languages, Match* best) const;
  // Score of `p` (a phrase of `index`) matched at token i, or -1 when the
  // rest of it does not match. The trie walk that found `p` already matched
  // its first word unless that word is kNorm (keyed by its plain form): that
  // comparison is skipped.
  int64_t Fit(const Index& index, const Phrase& p, const TokenizedText& t, int i,
              int end, uint32_t languages) const;
  // `form` (a token's plain or norm form) without a leading elided article of
  // one of `languages`; `form` itself when it has none.
  std::string_view Elided(std::string_view form, uint32_t languages) const;

  Index all_;
  std::vector<std::unique_ptr<Index>> by_bit_;  // 32 entries, null when unused
  absl::flat_hash_map<std::string, uint32_t> language_bits_;
  uint32_t all_languages_ = 0;
  uint32_t elision_languages_ = 0;  // fr and it, when the lexicon has them
  struct Article {
    std::string_view text;  // without its apostrophe: "l", "dell"
    uint32_t languages;
  };
  std::vector<Article> articles_;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_TERM_MATCHER_H_
