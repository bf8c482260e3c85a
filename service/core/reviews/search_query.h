// The user syntax of ListReviewsRequest.query, parsed into a backend-neutral
// storage::SearchQuery (the backend renders it, e.g. as an FTS5 MATCH
// expression). Operators are only those below: anything else a user types
// is a word.
//
//   zwrot paczka        both words (AND)
//   zwrot*              prefix: zwrot, zwrotu, zwrotem ...
//   "nie polecam"       phrase
//   kurier OR poczta    either (OR binds the neighbouring items)
//   -allegro            exclude (at least one non-excluded item required)
//
// Matching ignores case and diacritics ("zolc" finds "żółć", "dostalem"
// finds "dostałem"): terms are folded with storage::FoldForSearch, like the
// indexed text.
#ifndef OPINIA_SERVICE_CORE_REVIEWS_SEARCH_QUERY_H_
#define OPINIA_SERVICE_CORE_REVIEWS_SEARCH_QUERY_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "service/storage/store.h"

namespace opinia::core {

inline constexpr size_t kMaxQueryBytes = 1024;
inline constexpr int kMaxQueryItems = 32;

// INVALID_ARGUMENT naming `query` for invalid UTF-8, a control character
// (NUL included; tab, newline and the other ASCII spaces separate words),
// more than
// kMaxQueryBytes or kMaxQueryItems, an unterminated quote, or no word to
// find (empty, only punctuation, or only exclusions).
absl::StatusOr<storage::SearchQuery> ParseSearchQuery(std::string_view query);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_REVIEWS_SEARCH_QUERY_H_
