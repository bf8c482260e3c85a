#include "nlp/tools/clause_data.h"

#include <fstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlp/text.h"
#include "nlp/tools/tsv.h"
#include "util/status_macros.h"

namespace opinia::nlp::tools {
namespace {

// The corpus's sign ("POS", "NEG", "NEU") as a model label, or empty.
std::string SignLabel(absl::string_view sign) {
  if (sign == "POS") return "positive";
  if (sign == "NEG") return "negative";
  if (sign == "NEU") return "neutral";
  return "";
}

}  // namespace

absl::StatusOr<std::unique_ptr<ClauseLabeller>> ClauseLabeller::Create(
    const std::string& models_dir) {
  std::unique_ptr<ClauseLabeller> l(new ClauseLabeller());
  ASSIGN_OR_RETURN(l->rules_, PolarityRules::Create(models_dir));
  ASSIGN_OR_RETURN(l->lexicon_, Lexicon::Load(models_dir + "/lexicon.tsv"));
  ASSIGN_OR_RETURN(l->aspects_, AspectExtractor::Create(models_dir));
  return l;
}

std::vector<ClauseExample> ClauseLabeller::Label(const std::string& text,
                                                 const std::string& language,
                                                 const std::string& aspects,
                                                 ClauseDataCounts* counts) const {
  std::vector<std::pair<std::string, std::string>> gold;  // aspect name, label
  for (absl::string_view a : absl::StrSplit(aspects, ';', absl::SkipEmpty())) {
    const size_t colon = a.rfind(':');
    if (colon == std::string_view::npos) continue;
    std::string label = SignLabel(a.substr(colon + 1));
    if (!label.empty()) gold.emplace_back(std::string(a.substr(0, colon)), std::move(label));
  }
  std::vector<ClauseExample> out;
  if (gold.empty()) return out;
  bool single_sign = true;  // every gold aspect has gold[0]'s sign
  for (const auto& g : gold) single_sign = single_sign && g.second == gold[0].second;
  const TokenizedText t = Tokenize(text);
  std::vector<Clause> clauses;
  for (const Sentence& s : t.sentences) {
    rules_->Score(t, s.first_token, s.end_token, language, *lexicon_, &clauses);
  }
  for (const Clause& c : clauses) {
    if (c.first_token >= c.end_token) continue;
    const int begin = t.tokens[c.first_token].span.begin;
    const std::string clause =
        text.substr(begin, t.tokens[c.end_token - 1].span.end - begin);
    const std::vector<AspectSentiment> named =
        aspects_->Extract(clause, Tokenize(clause), language, {});
    if (named.size() == 1) {
      const std::string_view name = AspectName(named[0].aspect);
      for (const auto& [aspect, label] : gold) {
        if (aspect != name) continue;
        out.push_back({clause, label});
        if (counts != nullptr) ++counts->named;
        break;
      }
    }
    if (out.empty() && clauses.size() == 1 && single_sign) {
      out.push_back({clause, gold[0].second});
      if (counts != nullptr) ++counts->single_clause;
    }
  }
  return out;
}

absl::StatusOr<std::map<std::string, ClauseDataCounts>> WriteClauseData(
    const std::string& corpus_dir, const std::string& models_dir, const std::string& out_dir,
    const std::vector<std::string>& languages, const TableSources& tables) {
  ASSIGN_OR_RETURN(std::unique_ptr<ClauseLabeller> labeller, ClauseLabeller::Create(models_dir));
  std::map<std::string, ClauseDataCounts> counts;
  for (const std::string& lang : languages) {
    const std::string path = absl::StrCat(corpus_dir, "/shop_", lang, ".tsv");
    ASSIGN_OR_RETURN(std::vector<Example> examples, ReadTsv(path + ":train"));
    std::vector<std::string> files = tables.Files(lang, "clause_" + lang);
    for (std::string& f : tables.TranslatedFiles(lang, "clause_" + lang)) files.push_back(f);
    for (const std::string& file : files) {
      ASSIGN_OR_RETURN(std::vector<Example> rows, ReadTsv(file));
      examples.insert(examples.end(), rows.begin(), rows.end());
    }
    const std::string out_path = absl::StrCat(out_dir, "/clause_", lang, ".tsv");
    const std::string rows_path = absl::StrCat(out_dir, "/clause_rows_", lang, ".tsv");
    std::ofstream out(out_path, std::ios::binary);
    std::ofstream rows(rows_path, std::ios::binary);
    out << "lang\tlabel\tstars\ttext\n";
    rows << "lang\tlabel\tstars\ttext\n";
    ClauseDataCounts& n = counts[lang];
    for (const Example& e : examples) {
      ++n.rows;
      if (e.label == "positive" || e.label == "negative" || e.label == "neutral") {
        rows << lang << '\t' << e.label << "\t\t" << e.text << '\n';
      }
      for (const ClauseExample& c : labeller->Label(e.text, lang, e.aspects, &n)) {
        out << lang << '\t' << c.label << "\t\t" << c.text << '\n';
      }
    }
    if (!out || !rows) return absl::InternalError("cannot write " + out_path + " or " + rows_path);
  }
  return counts;
}

}  // namespace opinia::nlp::tools
