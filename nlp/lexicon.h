// Sentiment lexicon: valence in [-1, 1] per (language, normalised token),
// plus language-independent entries (emoji, emoticons) under language "*".
// Loaded from models/lexicon.tsv, compiled by opinia-train --lexicons from
// ../shared/data/lexicons and the hand-written seed list in lexicon_seed.cc.
// Immutable after Load(); lookups are thread-safe and allocation-free.
#ifndef OPINIA_NLP_LEXICON_H_
#define OPINIA_NLP_LEXICON_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace opinia::nlp {

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
  // The maps of one language resolved once, for many lookups.
  struct View {
    const Map* lang = nullptr;
    const Map* any = nullptr;
  };
  View ForLanguage(std::string_view lang) const;
  static std::optional<float> Valence(const View& view, std::string_view norm);
  // Valence of a word token: its `norm`, then its diacritic-free `plain`
  // form, then (for words of 6+ bytes) the 5-letter stem key "~xxxxx" of
  // inflected languages ("~rozcz" for rozczarowany/-a/-e/-ie).
  static std::optional<float> WordValence(const View& view,
                                          std::string_view norm,
                                          std::string_view plain);
  size_t size() const { return size_; }

  // Adds or replaces an entry (used while compiling; not after sharing).
  void Add(std::string_view lang, std::string_view norm, float valence);

 private:
  // Each language's map with the "*" entries merged in (the language's own
  // entry wins), so a lookup is one probe; built by Load(), dropped by Add().
  void BuildMerged();
  absl::flat_hash_map<std::string, Map> by_lang_;
  absl::flat_hash_map<std::string, Map> merged_;
  size_t size_ = 0;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_LEXICON_H_
