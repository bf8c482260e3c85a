// How the SQLite backend keeps a review's aspects in reviews.aspects: a JSON
// array of {"a": aspect, "l": label, "s": score, "b": begin, "e": end}. The
// column stays JSON because the frozen update trigger of migration 9
// (reviews_aspects_au) rebuilds review_aspects from it with json_each.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_ASPECTS_JSON_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_ASPECTS_JSON_H_

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "service/storage/store.h"

namespace opinia::storage::sqlite {

// Scores keep every bit of the float (9 significant digits); a non-finite
// one is written as 0 (StoredScore).
std::string AspectsToJson(const std::vector<ReviewAspect>& aspects);

// The score as the column holds it.
inline double StoredScore(float score) {
  return std::isfinite(score) ? score : 0.0;
}

// The inverse, for what AspectsToJson and earlier versions wrote ("" or
// "[]" = none). A missing or non-numeric member reads as 0, as the trigger's
// coalesce(json_extract(...), 0) does; what is not an array of objects
// reads as no aspects.
std::vector<ReviewAspect> AspectsFromJson(std::string_view json);

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_ASPECTS_JSON_H_
