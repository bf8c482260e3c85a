// Training examples for the clause model (models/README.md, "Clause model
// (sixth pass)"): the clauses of the shop corpus's training rows
// (nlp/corpus/README.md) that name exactly one aspect, labelled with that
// aspect's gold sign.
#ifndef OPINIA_NLP_TOOLS_CLAUSE_DATA_H_
#define OPINIA_NLP_TOOLS_CLAUSE_DATA_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlp/aspects.h"
#include "nlp/lexicon.h"
#include "nlp/polarity_rules.h"
#include "nlp/tools/tsv.h"

namespace opinia::nlp::tools {

struct ClauseExample {
  std::string text;   // the clause: a span of its row's text
  std::string label;  // positive, negative or neutral
};

// How the examples of one language came about.
struct ClauseDataCounts {
  int rows = 0;           // training rows read
  int named = 0;          // clauses naming one gold aspect
  int single_clause = 0;  // one-clause rows labelled by their gold signs
};

// Segments rows into clauses as the analyzer does (PolarityRules) and
// finds their aspects with the analyzer's aspect matcher (models/aspects.tsv).
class ClauseLabeller {
 public:
  static absl::StatusOr<std::unique_ptr<ClauseLabeller>> Create(const std::string& models_dir);

  // The examples of one row: `text` in `language` with its gold `aspects`
  // ("DELIVERY:POS;PRICE:NEG", the corpus's column). A clause that names
  // exactly one aspect, which the gold list has, takes its sign (POS,
  // NEG, NEU); a row of one clause whose gold aspects all have one sign
  // takes that sign, whatever the clause names. `counts` (may be null)
  // counts which rule made each example.
  std::vector<ClauseExample> Label(const std::string& text, const std::string& language,
                                   const std::string& aspects,
                                   ClauseDataCounts* counts = nullptr) const;

 private:
  ClauseLabeller() = default;
  std::unique_ptr<PolarityRules> rules_;
  std::unique_ptr<Lexicon> lexicon_;
  std::unique_ptr<AspectExtractor> aspects_;
};

// Writes <out_dir>/clause_<lang>.tsv (the ../shared/data format: lang,
// label, stars, text) for each of `languages`, from the TRAIN part of
// <corpus_dir>/shop_<lang>.tsv, and <out_dir>/clause_rows_<lang>.tsv: the
// same part's whole rows labelled POSITIVE, NEGATIVE or NEUTRAL (not
// MIXED), with their labels; then the same from the rows of the case
// tables of `tables` (each file as often as it is listed), then from their
// translated rows (TableSources::TranslatedFiles, key "clause_<lang>");
// returns the
// counts per language. The corpus
// is read by ReadTsv ("shop_<lang>.tsv:train"), the tables whole, whose
// NOT_FOUND and INVALID_ARGUMENT it returns; INTERNAL when an output file
// cannot be written.
absl::StatusOr<std::map<std::string, ClauseDataCounts>> WriteClauseData(
    const std::string& corpus_dir, const std::string& models_dir, const std::string& out_dir,
    const std::vector<std::string>& languages, const TableSources& tables = {});

}  // namespace opinia::nlp::tools

#endif  // OPINIA_NLP_TOOLS_CLAUSE_DATA_H_
