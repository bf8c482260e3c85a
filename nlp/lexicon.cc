#include "nlp/lexicon.h"

#include <algorithm>
#include <fstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "nlp/text.h"

namespace opinia::nlp {

absl::StatusOr<std::unique_ptr<Lexicon>> Lexicon::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("lexicon not found: " + path);
  auto lex = std::make_unique<Lexicon>();
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
    float v = 0;
    if (f.size() != 3 || !absl::SimpleAtof(f[2], &v) || v < -1 || v > 1) {
      return absl::InvalidArgumentError(path + ":" + std::to_string(n) +
                                        ": expected lang<TAB>token<TAB>valence");
    }
    lex->Add(std::string_view(f[0].data(), f[0].size()),
             std::string_view(f[1].data(), f[1].size()), v);
  }
  lex->BuildMerged();
  return lex;
}

void Lexicon::BuildMerged() {
  merged_.clear();
  auto any = by_lang_.find("*");
  if (any == by_lang_.end()) return;
  for (const auto& [lang, map] : by_lang_) {
    if (lang == "*") continue;
    Merged& merged = merged_[lang];
    Map& m = merged.map;
    m = map;
    for (const auto& [norm, v] : any->second) m.try_emplace(norm, v);
    merged.filter.Build(m);
  }
}

void Lexicon::KeyFilter::Build(const Map& map) {
  size_t bits = 64;
  while (bits < 8 * map.size()) bits <<= 1;
  bits_.assign(bits / 64, 0);
  mask_ = static_cast<uint32_t>(bits - 1);
  for (const auto& [key, v] : map) {
    const uint32_t k = Key(key) & mask_;
    bits_[k >> 6] |= uint64_t{1} << (k & 63);
  }
}

void Lexicon::Add(std::string_view lang, std::string_view norm, float valence) {
  merged_.clear();
  auto [it, inserted] = by_lang_[std::string(lang)].insert_or_assign(std::string(norm), valence);
  if (inserted) ++size_;
}

bool Lexicon::HasLanguage(std::string_view lang) const {
  return by_lang_.contains(absl::string_view(lang.data(), lang.size()));
}

std::optional<float> Lexicon::Valence(std::string_view lang,
                                      std::string_view norm) const {
  auto l = by_lang_.find(absl::string_view(lang.data(), lang.size()));
  if (l != by_lang_.end()) {
    auto it = l->second.find(absl::string_view(norm.data(), norm.size()));
    if (it != l->second.end()) return it->second;
  }
  auto any = by_lang_.find("*");
  if (any != by_lang_.end()) {
    auto it = any->second.find(absl::string_view(norm.data(), norm.size()));
    if (it != any->second.end()) return it->second;
  }
  return std::nullopt;
}

Lexicon::View Lexicon::ForLanguage(std::string_view lang) const {
  View v;
  auto m = merged_.find(absl::string_view(lang.data(), lang.size()));
  if (m != merged_.end()) {
    v.lang = &m->second.map;
    v.lang_filter = &m->second.filter;
    return v;
  }
  auto l = by_lang_.find(absl::string_view(lang.data(), lang.size()));
  if (l != by_lang_.end()) v.lang = &l->second;
  auto any = by_lang_.find("*");
  if (any != by_lang_.end()) v.any = &any->second;
  return v;
}

std::optional<float> Lexicon::Valence(const View& view, std::string_view norm) {
  const absl::string_view key(norm.data(), norm.size());
  const Map* lang = view.lang;
  if (lang != nullptr && view.lang_filter != nullptr && !view.lang_filter->MayContain(norm)) {
    lang = nullptr;  // certainly not there
  }
  // Both maps are of one type (one stateless hasher): hash the key once.
  const Map* first = lang != nullptr ? lang : view.any;
  if (first == nullptr) return std::nullopt;
  const size_t hash = first->hash_function()(key);
  if (lang != nullptr) {
    auto it = lang->find(key, hash);
    if (it != lang->end()) return it->second;
  }
  if (view.any != nullptr) {
    auto it = view.any->find(key, hash);
    if (it != view.any->end()) return it->second;
  }
  return std::nullopt;
}

std::optional<float> Lexicon::WordValence(const View& view,
                                          std::string_view norm,
                                          std::string_view plain) {
  std::optional<float> v = Valence(view, norm);
  if (!v && plain != norm) v = Valence(view, plain);
  if (!v && plain.size() >= 6) {
    char key[6] = {'~'};
    std::copy(plain.begin(), plain.begin() + 5, key + 1);
    v = Valence(view, std::string_view(key, 6));
  }
  return v;
}

void Lexicon::WordValences::Reset(const View& view, const TokenizedText& t, int first, int end) {
  view_ = view;
  t_ = &t;
  first_ = first;
  value_.assign(static_cast<size_t>(std::max(0, end - first)), kUnknown);
}

std::optional<float> Lexicon::WordValences::Lookup(const View& view, const TokenizedText& t,
                                                   int i) {
  return WordValence(view, t.tokens[i].norm, t.tokens[i].plain);
}

}  // namespace opinia::nlp
