#include "nlp/tools/lexicon_compile.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "nlp/lexicon_seed.h"
#include "nlp/text.h"
#include "util/status_macros.h"

namespace opinia::nlp::tools {
namespace {

using Table = std::map<std::string, std::map<std::string, float>>;  // sorted

absl::StatusOr<std::string> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot open " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Flat JSON object {"key": number, ...}; \" and \\ escapes only (all the
// lexicon files need).
std::vector<std::pair<std::string, float>> ParseFlatJson(const std::string& s) {
  std::vector<std::pair<std::string, float>> out;
  size_t i = 0;
  while ((i = s.find('"', i)) != std::string::npos) {
    std::string key;
    ++i;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      key.push_back(s[i++]);
    }
    ++i;
    size_t colon = s.find(':', i);
    if (colon == std::string::npos) break;
    size_t end = s.find_first_of(",}", colon);
    std::string num = s.substr(colon + 1, end - colon - 1);
    num.erase(std::remove_if(num.begin(), num.end(), ::isspace), num.end());
    float v = 0;
    if (absl::SimpleAtof(num, &v)) out.emplace_back(key, v);
    i = end == std::string::npos ? s.size() : end;
  }
  return out;
}

float Clamp(float v) { return std::max(-1.0f, std::min(1.0f, v)); }

// Adds `word` under `lang` when it is a single token; emoji and emoticons go
// to "*". Existing entries are kept unless `override`.
void Put(Table& t, const std::string& lang, const std::string& word, float v,
         bool override) {
  TokenizedText tt = Tokenize(word);
  if (tt.tokens.size() != 1) return;
  const Token& tok = tt.tokens[0];
  if (tok.kind == TokenKind::kPunct || tok.kind == TokenKind::kNumber) return;
  std::string l = (tok.kind == TokenKind::kEmoji || tok.kind == TokenKind::kEmoticon)
                      ? "*" : lang;
  auto& m = t[l];
  if (override || !m.count(tok.norm)) m[tok.norm] = Clamp(v);
  if (tok.plain != tok.norm && (override || !m.count(tok.plain))) {
    m[tok.plain] = Clamp(v);
  }
}

}  // namespace

absl::Status CompileLexicon(const std::string& data, const std::string& out_path) {
  Table t;
  const std::string dir = data + "/lexicons/";
  // Seed first: it wins (Put keeps existing entries).
  for (const SeedEntry& e : LexiconSeed()) {
    Put(t, std::string(e.lang), std::string(e.word), e.valence, true);
  }
  {
    ASSIGN_OR_RETURN(auto vader, Slurp(dir + "en_vader_lexicon.txt"));
    for (absl::string_view line : absl::StrSplit(vader, '\n')) {
      std::vector<std::string> f = absl::StrSplit(line, '\t');
      float v = 0;
      if (f.size() < 2 || !absl::SimpleAtof(f[1], &v)) continue;
      Put(t, "en", f[0], v / 4.0f, false);
    }
  }
  {
    auto pl = Slurp(dir + "pl_afinn_nlpjs.json");
    if (!pl.ok()) return pl.status();
    for (const auto& [k, v] : ParseFlatJson(*pl)) Put(t, "pl", k, v / 5.0f, false);
  }
  for (const char* lang : {"pl", "de", "es", "fr", "it", "pt", "nl", "cs", "sk",
                           "ru", "uk", "sv", "da", "fi", "hu", "ro"}) {
    auto j = Slurp(dir + "afinn_multilang/AFINN-" + lang + ".json");
    if (!j.ok()) continue;  // optional languages
    for (const auto& [k, v] : ParseFlatJson(*j)) Put(t, lang, k, v / 5.0f, false);
  }
  {
    ASSIGN_OR_RETURN(auto csv, Slurp(dir + "emoji_sentiment_ranking_v1.0.csv"));
    bool header = true;
    for (absl::string_view line : absl::StrSplit(csv, '\n')) {
      if (header) {
        header = false;
        continue;
      }
      std::vector<std::string> f = absl::StrSplit(line, ',');
      int occ = 0, neg = 0, pos = 0;
      if (f.size() < 7 || !absl::SimpleAtoi(f[2], &occ) ||
          !absl::SimpleAtoi(f[4], &neg) || !absl::SimpleAtoi(f[6], &pos) ||
          occ < 20) {
        continue;
      }
      float v = 1.5f * static_cast<float>(pos - neg) / static_cast<float>(occ);
      if (std::fabs(v) < 0.1f) continue;
      Put(t, "*", f[0], v, false);
    }
  }
  // Prefix stems for inflected languages: "~" + first 5 letters of the
  // ASCII-folded word, kept only when every word sharing it agrees in sign.
  for (auto& [lang, m] : t) {
    if (lang == "*" || lang == "en") continue;
    std::map<std::string, std::vector<float>> stems;
    for (const auto& [w, v] : m) {
      if (w.size() < 6 || w[0] == '~') continue;
      TokenizedText tt = Tokenize(w);
      if (tt.tokens.size() != 1 || tt.tokens[0].plain.size() < 6) continue;
      stems["~" + tt.tokens[0].plain.substr(0, 5)].push_back(v);
    }
    for (const auto& [s, vs] : stems) {
      bool pos = vs[0] > 0;
      bool agree = std::all_of(vs.begin(), vs.end(),
                               [&](float v) { return (v > 0) == pos && v != 0; });
      if (!agree) continue;
      float mean = 0;
      for (float v : vs) mean += v;
      m[s] = 0.8f * mean / static_cast<float>(vs.size());
    }
  }
  std::ofstream out(out_path);
  if (!out) return absl::NotFoundError("cannot write " + out_path);
  out << "# lang\ttoken\tvalence: compiled by opinia-train --lexicons "
         "(see models/README.md)\n";
  for (const auto& [lang, m] : t) {
    for (const auto& [w, v] : m) {
      if (w.find('\t') != std::string::npos || w.find('\n') != std::string::npos) {
        continue;
      }
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.3f", v);
      out << lang << '\t' << w << '\t' << buf << '\n';
    }
  }
  return out ? absl::OkStatus() : absl::InternalError("write failed");
}

}  // namespace opinia::nlp::tools
