// The FTS5 MATCH expression of a parsed search query (store.h SearchQuery)
// over reviews_fts. Every term is quoted, so no text a user typed can be an
// FTS5 operator and the expression is never a syntax error.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_FTS_QUERY_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_FTS_QUERY_H_

#include <string>

#include "service/storage/store.h"

namespace opinia::storage::sqlite {

// E.g. `("kurier" OR "poczta") AND "zwrot"*` or `("a") NOT ("b" OR "c")`;
// "" when the query has no group (no condition).
std::string FtsMatchExpression(const SearchQuery& query);

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_FTS_QUERY_H_
