// The user syntax of ListReviewsRequest.query, translated into an FTS5
// MATCH expression that can never be a syntax error: every word is quoted,
// so FTS5 operators typed by a user are just words.
//
//   zwrot paczka        both words (AND)
//   zwrot*              prefix: zwrot, zwrotu, zwrotem ...
//   "nie polecam"       phrase
//   kurier OR poczta    either (OR binds the neighbouring items)
//   -allegro            exclude (at least one non-excluded item required)
//
// Matching ignores case and diacritics ("zolc" finds "żółć", "dostalem"
// finds "dostałem"): the tokenizer strips what Unicode decomposes and
// storage::FoldForSearch folds the rest, on the index and on the query.
#ifndef OPINIA_SERVICE_CORE_SEARCH_QUERY_H_
#define OPINIA_SERVICE_CORE_SEARCH_QUERY_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace opinia::core {

inline constexpr size_t kMaxQueryBytes = 1024;
inline constexpr int kMaxQueryItems = 32;

// INVALID_ARGUMENT naming `query` for invalid UTF-8, more than
// kMaxQueryBytes or kMaxQueryItems, an unterminated quote, or no word to
// find (empty, only punctuation, or only exclusions).
absl::StatusOr<std::string> BuildFtsQuery(std::string_view query);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_SEARCH_QUERY_H_
