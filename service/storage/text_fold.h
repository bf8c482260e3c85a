// Folding for full-text search. SQLite's unicode61 tokenizer (with
// remove_diacritics 2) already ignores case and strips diacritics that
// Unicode decomposes (ż, ó, ć, ü, é ...). Letters that do not decompose
// (Polish ł, Scandinavian ø, German ß, ...) are mapped here, on both the
// indexed text and the query, so "dostalem" finds "dostałem".
#ifndef OPINIA_SERVICE_STORAGE_TEXT_FOLD_H_
#define OPINIA_SERVICE_STORAGE_TEXT_FOLD_H_

#include <string>
#include <string_view>

namespace opinia::storage {

// `text` with every non-decomposable letter replaced by its ASCII base
// (ł->l, Ł->L, ø->o, ß->ss, æ->ae, œ->oe, đ->d, ð->d, þ->th, ı->i, ħ->h).
// Deterministic: the FTS index relies on folding old text identically.
std::string FoldForSearch(std::string_view text);

}  // namespace opinia::storage

#endif  // OPINIA_SERVICE_STORAGE_TEXT_FOLD_H_
