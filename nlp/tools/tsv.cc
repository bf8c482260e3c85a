#include "nlp/tools/tsv.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "nlp/fnv1a.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace opinia::nlp::tools {

bool IsShopDev(const std::string& id) { return Fnv1a64(id) % 5 == 0; }

namespace {

// True when `dir` holds a file <table>_*.tsv.
bool HasTableFile(const std::string& dir, const std::string& table) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, table + "_") && absl::EndsWith(name, ".tsv")) return true;
  }
  return false;
}

}  // namespace

int TableSources::WeightOf(const std::string& model) const {
  auto it = weights.find(model);
  return it == weights.end() ? weight : it->second;
}

TableSources TableSources::Without(const std::vector<std::string>& drop) const {
  TableSources kept = *this;
  kept.tables.clear();
  for (const std::string& t : tables) {
    if (std::find(drop.begin(), drop.end(), t) == drop.end()) kept.tables.push_back(t);
  }
  return kept;
}

std::vector<std::string> TableSources::Files(const std::string& lang,
                                             const std::string& model) const {
  std::vector<std::string> out;
  const int n = WeightOf(model);
  for (const std::string& table : tables) {
    const std::string path = dir + "/" + table + "_" + lang + ".tsv";
    if (!std::ifstream(path) && HasTableFile(dir, table)) continue;  // not in this language
    for (int i = 0; i < n; ++i) out.push_back(path);
  }
  return out;
}

std::vector<std::string> TableSources::TranslatedFiles(const std::string& lang,
                                                       const std::string& model) const {
  std::vector<std::string> out;
  auto it = translated_weights.find(model);
  if (translated_dir.empty() || lang == "en" || it == translated_weights.end()) return out;
  for (const std::string& table : tables) {
    const std::string path = translated_dir + "/" + table + "_" + lang + ".tsv";
    for (int i = 0; i < it->second; ++i) out.push_back(path);
  }
  return out;
}

namespace {

// One shop corpus row, or false for a line to skip.
bool ShopRow(const std::string& line, Example* e) {
  std::vector<std::string> f = absl::StrSplit(line, '\t');
  if (f.size() < 5 || f[0].size() < 3 || f[0][2] != '-') return false;
  e->id = f[0];
  e->lang = f[0].substr(0, 2);
  if (!f[2].empty() && !absl::SimpleAtoi(f[2], &e->stars)) e->stars = 0;
  e->text = f[3];
  e->label = absl::AsciiStrToLower(f[4]);
  if (f.size() > 5) e->aspects = f[5];
  return true;
}

}  // namespace

absl::StatusOr<std::vector<Example>> ReadTsv(const std::string& spec) {
  std::string path = spec;
  // "@abc": only the writers' parts a, b, c (the letter after the language
  // in the id, "pl-b-0001").
  std::string writers;
  if (const size_t at = path.rfind('@'); at != std::string::npos) {
    writers = path.substr(at + 1);
    path.resize(at);
  }
  int part = -1;  // -1: all rows; 0: train; 1: dev
  if (absl::EndsWith(path, ":train")) {
    part = 0;
    path.resize(path.size() - 6);
  } else if (absl::EndsWith(path, ":dev")) {
    part = 1;
    path.resize(path.size() - 4);
  }
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot open " + path);
  std::string line;
  if (!std::getline(in, line)) return absl::InvalidArgumentError("bad header in " + path);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const bool cases = line == kCaseTableHeader;
  const bool shop = cases || line == kShopCorpusHeader;
  if (cases && (part >= 0 || !writers.empty())) {
    return absl::InvalidArgumentError(path + " is a case table: it has no split or parts");
  }
  if (!shop && line.rfind("lang\tlabel\tstars\ttext", 0) != 0) {
    return absl::InvalidArgumentError("bad header in " + path);
  }
  if (!shop && (part >= 0 || !writers.empty())) {
    return absl::InvalidArgumentError(path + " has no split or parts: only shop corpus files do");
  }
  std::vector<Example> out;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    Example e;
    if (shop) {
      if (!ShopRow(line, &e)) continue;
      // "MIXED|NEGATIVE": the first right label (the table's reading first).
      if (cases) e.label.resize(std::min(e.label.size(), e.label.find('|')));
      if (part >= 0 && IsShopDev(e.id) != (part == 1)) continue;
      if (!writers.empty() &&
          (e.id.size() < 4 || writers.find(e.id[3]) == std::string::npos)) {
        continue;  // "pl-" has no writer's part
      }
    } else {
      std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits('\t', 3));
      if (f.size() < 4) continue;
      e.lang = f[0];
      e.label = f[1];
      if (!f[2].empty() && !absl::SimpleAtoi(f[2], &e.stars)) e.stars = 0;
      e.text = f[3];
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace opinia::nlp::tools
