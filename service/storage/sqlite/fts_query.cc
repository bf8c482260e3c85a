#include "service/storage/sqlite/fts_query.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace opinia::storage::sqlite {
namespace {

// An FTS5 string (a phrase of the tokens in it); "*" after it makes the
// last token a prefix.
std::string Quote(const SearchTerm& term) {
  std::string out = "\"";
  for (char c : term.text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  if (term.prefix) out.push_back('*');
  return out;
}

std::string JoinQuoted(const std::vector<SearchTerm>& terms,
                       absl::string_view separator) {
  return absl::StrJoin(terms, separator, [](std::string* out,
                                            const SearchTerm& term) {
    out->append(Quote(term));
  });
}

}  // namespace

std::string FtsMatchExpression(const SearchQuery& query) {
  if (query.all_of.empty()) return "";
  std::vector<std::string> ands;
  for (const std::vector<SearchTerm>& any_of : query.all_of) {
    ands.push_back(any_of.size() == 1
                       ? Quote(any_of[0])
                       : absl::StrCat("(", JoinQuoted(any_of, " OR "), ")"));
  }
  std::string out = absl::StrJoin(ands, " AND ");
  if (!query.none_of.empty()) {
    out = absl::StrCat("(", out, ") NOT (", JoinQuoted(query.none_of, " OR "),
                       ")");
  }
  return out;
}

}  // namespace opinia::storage::sqlite
