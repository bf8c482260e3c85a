// How the SQLite backend keeps a review's aspects in reviews.aspects: a JSON
// array of {"a": aspect, "l": label, "s": score, "b": begin, "e": end}. The
// column stays JSON because the frozen update trigger of migration 9
// (reviews_aspects_au) rebuilds review_aspects from it with json_each.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_ASPECTS_JSON_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_ASPECTS_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include "service/storage/store.h"

namespace opinia::storage::sqlite {

// Scores are written with 9 significant digits, enough to read the same
// float back; a non-finite one as 0.
std::string AspectsToJson(const std::vector<ReviewAspect>& aspects);

// review_aspects.score for `score`: the number the update trigger reads
// from AspectsToJson's text, so the insert path stores the same value.
double StoredScore(float score);

// The inverse, for what AspectsToJson and earlier versions wrote ("" or
// "[]" = none). A missing or non-numeric member reads as 0, as the trigger's
// coalesce(json_extract(...), 0) does; what is not an array of objects
// reads as no aspects.
std::vector<ReviewAspect> AspectsFromJson(std::string_view json);

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_ASPECTS_JSON_H_
