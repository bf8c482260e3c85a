// SQL functions Opinia's schema relies on (triggers and review writes call
// them), registered on every connection by Connection::Open:
//   opinia_local_day(create_time_us, time_zone) -> local day number
//     (service/storage/local_time.h); NULL/empty zone = Europe/Warsaw.
//   opinia_fold(text) -> FoldForSearch(text) (service/storage/text_fold.h),
//     what the full-text index stores.
// Both are deterministic. A plain sqlite3 shell does not have them, so it
// can read an Opinia database but must not write reviews.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_FUNCTIONS_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_FUNCTIONS_H_

#include "absl/status/status.h"

struct sqlite3;

namespace opinia::storage::sqlite {

absl::Status RegisterFunctions(sqlite3* db);

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_FUNCTIONS_H_
