// Reader for the labelled data format of ../shared/data: UTF-8 TSV with the
// header `lang label stars text`, for the shop corpus of nlp/corpus
// (header `id situation rating text label aspects urgent reasons`) and for
// the case tables of nlp/eval (`id category rating ...`, the same columns).
#ifndef OPINIA_NLP_TOOLS_TSV_H_
#define OPINIA_NLP_TOOLS_TSV_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace opinia::nlp::tools {

struct Example {
  std::string lang;
  std::string label;  // positive, negative, neutral, mixed
  int stars = 0;      // 0 = none
  std::string text;
  std::string id;  // the shop corpus's id; empty for ../shared/data
  std::string aspects;  // the shop corpus's aspects column ("PRICE:NEG;...")
};

// The shop corpus's header line (nlp/corpus/README.md).
inline constexpr char kShopCorpusHeader[] =
    "id\tsituation\trating\ttext\tlabel\taspects\turgent\treasons";

// The case tables' header line (nlp/eval/README.md).
inline constexpr char kCaseTableHeader[] =
    "id\tcategory\trating\ttext\tlabel\taspects\turgent\treasons";

// The shop corpus's fixed split (nlp/corpus/README.md): a row is dev when
// the FNV-1a 64 hash of its id is divisible by 5 (a fifth), else train.
bool IsShopDev(const std::string& id);

// NOT_FOUND when the file cannot be opened; INVALID_ARGUMENT on a bad header.
// Lines with fewer than 4 fields are skipped (in a shop corpus file: fewer
// than 5, or an id not "xx-..."). A shop corpus file gives its rows with
// the language of the id's prefix ("de-a-0001" -> de) and the label
// lower-cased; `path` may end in ":train" or ":dev" to read only that part
// of its split, then in "@" and letters to read only those writers' parts
// ("shop_pl.tsv:train@abcdef": the letter after the language in the id;
// an id "xx-" is in no part) (INVALID_ARGUMENT on a file of the other
// format). A case table (nlp/eval/<table>_<lang>.tsv) is read like a shop
// corpus file without split or parts; a row with more than one right
// label ("MIXED|NEGATIVE") gives its first ("mixed").
absl::StatusOr<std::vector<Example>> ReadTsv(const std::string& path);

// Case tables as training data (models/README.md, "Tenth pass: the spent
// tables as training data"): the files <dir>/<table>_<lang>.tsv of `tables`
// for one language, each listed `weight` times (a row counted that often).
// A table whose files are there but not in `lang` (cases3 has no fr, it)
// gives none; a table with no file at all is listed (its reader reports
// NOT_FOUND).
// `weights` overrides `weight` for one model (--table_weights): the key is
// a review model's name after "sentiment_" ("pl", "en", "de", "romance") or
// "clause_<lang>"; 0 leaves the tables out of that model.
struct TableSources {
  std::string dir;
  std::vector<std::string> tables;
  int weight = 1;
  std::map<std::string, int> weights = {};
  // Machine translations of the tables' English rows
  // (scripts/translate_tables.sh): <translated_dir>/<table>_<lang>.tsv,
  // each listed translated_weights[model] times (a model not in the map:
  // none; opinia-train --translated_table_weights). A table's translations
  // go with it: Without() drops them too.
  std::string translated_dir = {};
  std::map<std::string, int> translated_weights = {};
  int WeightOf(const std::string& model) const;
  // The files of one language for `model` ("": `weight`).
  std::vector<std::string> Files(const std::string& lang, const std::string& model = "") const;
  // The translated files of one language for `model`, table by table
  // (none for English, the source language, or without translated_dir).
  std::vector<std::string> TranslatedFiles(const std::string& lang,
                                           const std::string& model) const;
  // The same sources without the tables named in `drop` (the spent tables
  // for --spent_tables_off, a cross-fitting fold's group).
  TableSources Without(const std::vector<std::string>& drop) const;
};

}  // namespace opinia::nlp::tools

#endif  // OPINIA_NLP_TOOLS_TSV_H_
