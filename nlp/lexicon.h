// Sentiment lexicon: valence in [-1, 1] per (language, normalised token),
// plus language-independent entries (emoji, emoticons) under language "*".
// Loaded from models/lexicon.tsv, compiled by opinia-train --lexicons from
// ../shared/data/lexicons and the hand-written seed list in lexicon_seed.cc.
// Immutable after Load(); lookups are thread-safe and allocation-free.
#ifndef OPINIA_NLP_LEXICON_H_
#define OPINIA_NLP_LEXICON_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace opinia::nlp {

struct TokenizedText;

class Lexicon {
 public:
  // File format: one entry per line, `lang<TAB>token<TAB>valence`.
  // NOT_FOUND when the file is missing; INVALID_ARGUMENT on a bad line.
  static absl::StatusOr<std::unique_ptr<Lexicon>> Load(const std::string& path);

  // Valence of `norm` in `lang`, falling back to the "*" entries.
  std::optional<float> Valence(std::string_view lang,
                               std::string_view norm) const;
  bool HasLanguage(std::string_view lang) const;

 private:
  using Map = absl::flat_hash_map<std::string, float>;

 public:
  // A quick "certainly not a key" test of a map's keys: one bit per cheap
  // hash of a key's length and first and last two bytes, about eight bits
  // per key. Most words of a text are in no lexicon; this rules nearly all
  // of them out before the full hash and the probe of a table of hundreds
  // of kilobytes (a cache miss). No false negatives: built from every key
  // of its map, which does not change afterwards.
  class KeyFilter {
   public:
    void Build(const Map& map);
    bool MayContain(std::string_view w) const {
      const uint32_t k = Key(w) & mask_;
      return (bits_[k >> 6] >> (k & 63) & 1) != 0;
    }

   private:
    static uint32_t Key(std::string_view w) {
      const size_t n = w.size();
      if (n == 0) return 0;
      const auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(w[i])); };
      const uint32_t head = b(0) | b(n > 1 ? 1 : 0) << 8;
      const uint32_t tail = b(n - 1) | b(n > 1 ? n - 2 : 0) << 8;
      uint32_t h = static_cast<uint32_t>(n) * 0x9E3779B1u ^ head * 0x85EBCA77u ^ tail * 0xC2B2AE3Du;
      h ^= h >> 15;
      h *= 0x2C1B3C6Du;
      return h ^ (h >> 13);
    }
    std::vector<uint64_t> bits_ = std::vector<uint64_t>(1, ~uint64_t{0});  // empty: all pass
    uint32_t mask_ = 63;
  };

  // The maps of one language resolved once, for many lookups.
  struct View {
    const Map* lang = nullptr;
    const Map* any = nullptr;
    const KeyFilter* lang_filter = nullptr;  // of `lang`; null: none
  };
  View ForLanguage(std::string_view lang) const;
  static std::optional<float> Valence(const View& view, std::string_view norm);
  // Valence of a word token: its `norm`, then its diacritic-free `plain`
  // form, then (for words of 6+ bytes) the 5-letter stem key "~xxxxx" of
  // inflected languages ("~rozcz" for rozczarowany/-a/-e/-ie).
  static std::optional<float> WordValence(const View& view,
                                          std::string_view norm,
                                          std::string_view plain);

  // WordValence(view, norm, plain) of the tokens [first, end) of one text,
  // each looked up at most once: the rule passes over a sentence
  // (PolarityRules::Score, ScoreRules) ask for the same words. Of() answers
  // from the memo only for the view, text and range given to Reset() (the
  // maps do not change after loading, the text not while it is analysed),
  // else it looks the word up. One per thread; not shared.
  class WordValences {
   public:
    void Reset(const View& view, const TokenizedText& t, int first, int end);
    std::optional<float> Of(const View& view, const TokenizedText& t, int i) {
      const size_t k = static_cast<size_t>(i) - static_cast<size_t>(first_);
      if (&t != t_ || k >= value_.size() || view.lang != view_.lang || view.any != view_.any ||
          view.lang_filter != view_.lang_filter) {
        return Lookup(view, t, i);
      }
      float v = value_[k];
      if (v == kUnknown) {
        const std::optional<float> found = Lookup(view, t, i);
        // (A value equal to a marker, which Load() never reads, is not kept.)
        if (found && (*found == kUnknown || *found == kNone)) return found;
        v = value_[k] = found.value_or(kNone);
      }
      if (v == kNone) return std::nullopt;
      return v;
    }

   private:
    // Markers outside the valences' range [-1, 1].
    static constexpr float kUnknown = 2.0f;
    static constexpr float kNone = 3.0f;
    static std::optional<float> Lookup(const View& view, const TokenizedText& t, int i);
    View view_;
    const TokenizedText* t_ = nullptr;
    int first_ = 0;
    std::vector<float> value_;  // by token - first_: the value, kNone or kUnknown
  };
  size_t size() const { return size_; }

  // Adds or replaces an entry (used while compiling; not after sharing).
  void Add(std::string_view lang, std::string_view norm, float valence);

 private:
  // Each language's map with the "*" entries merged in (the language's own
  // entry wins), so a lookup is one probe; built by Load(), dropped by Add().
  void BuildMerged();
  absl::flat_hash_map<std::string, Map> by_lang_;
  struct Merged {
    Map map;
    KeyFilter filter;  // of `map`
  };
  absl::flat_hash_map<std::string, Merged> merged_;
  size_t size_ = 0;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_LEXICON_H_
