// Full-text search on PostgreSQL with the semantics of the SQLite backend
// (store.h SearchTerm/SearchQuery): diacritic- and case-insensitive, also
// for letters Unicode does not decompose (FoldForSearch: `zolc` finds
// `żółć`, `dostalem` finds `dostałem`), prefixes, phrases, OR groups and
// exclusions.
//
// What we chose and why: the text is folded and split into tokens here, in
// C++, and PostgreSQL only stores and matches them. Folding: FoldForSearch,
// then ICU: NFD, nonspacing marks dropped, simple case folding. Tokens:
// maximal runs of letters, digits, private-use characters and spacing
// marks; everything else separates (as SQLite's unicode61 tokenizer with
// remove_diacritics 2 does). reviews.search holds the tsvector built
// directly as tsvector input text ('token':position ...), and a query is
// tsquery input text built from the same tokens: a phrase is its tokens
// joined by <-> (next to each other, in order), a prefix term's last token
// gets :*, a group is ( a | b ), groups are joined by &, and exclusions
// follow as & !( x | y ). Neither to_tsvector nor to_tsquery ever runs, so
// PostgreSQL's parser (whose idea of a word depends on the database's
// locale) and its dictionaries never see the text: tokens are exactly the
// ones folded here, on any server, and no user text can be tsquery syntax.
// The 'simple' configuration would give the same for plain words, but not
// for e.g. hyphenated words or URLs, which its parser splits its own way.
// A GIN index on reviews.search serves `search @@ query`.
//
// PostgreSQL's limits, and what happens at them: a position is at most
// 16383 (later tokens are stored at 16383, so a phrase that far into a text
// may not match; texts are at most --max-text-bytes, 64 KiB, by default), a
// lexeme keeps at most 256 positions (later occurrences of one word count
// for single-word terms but not in phrases), and a lexeme is at most 2 KiB
// (tokens are cut at kMaxTokenBytes here, on both sides, so a longer word
// still matches itself).
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_SEARCH_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_SEARCH_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/storage/store.h"

namespace opinia::storage::pg {

// Longest token kept, in bytes (cut at a character boundary).
inline constexpr size_t kMaxTokenBytes = 1000;

// The folded tokens of `text`, in order.
std::vector<std::string> SearchTokens(std::string_view text);

// reviews.search of a review with this search_text: tsvector input text.
std::string TsVectorText(std::string_view search_text);

// `query` as tsquery input text; std::nullopt when it can match no review
// (a group whose terms have no token at all). Exclusion terms without a
// token exclude nothing. Call only for a non-empty query.
std::optional<std::string> TsQueryText(const SearchQuery& query);

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_SEARCH_H_
