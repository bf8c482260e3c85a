#include "service/storage/sqlite/functions.h"

#include <sqlite3.h>

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "service/storage/local_time.h"
#include "service/storage/sqlite/connection.h"
#include "service/storage/text_fold.h"

namespace opinia::storage::sqlite {
namespace {

std::string_view TextArg(sqlite3_value* v) {
  const unsigned char* p = sqlite3_value_text(v);
  if (p == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(p),
                          static_cast<size_t>(sqlite3_value_bytes(v)));
}

void LocalDayFn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const int64_t micros = sqlite3_value_int64(argv[0]);
  const absl::Time t = DecodeTime(micros);
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) {
    sqlite3_result_int64(ctx, 0);
    return;
  }
  sqlite3_result_int64(ctx, LocalDay(t, TextArg(argv[1])));
}

void FoldFn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const std::string folded = FoldForSearch(TextArg(argv[0]));
  sqlite3_result_text64(ctx, folded.data(), folded.size(), SQLITE_TRANSIENT,
                        SQLITE_UTF8);
}

}  // namespace

absl::Status RegisterFunctions(sqlite3* db) {
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  int rc = sqlite3_create_function_v2(db, "opinia_local_day", 2, flags,
                                      nullptr, LocalDayFn, nullptr, nullptr,
                                      nullptr);
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "opinia_fold", 1, flags, nullptr,
                                    FoldFn, nullptr, nullptr, nullptr);
  }
  if (rc != SQLITE_OK) return SqliteError(db, rc, "register SQL functions");
  return absl::OkStatus();
}

}  // namespace opinia::storage::sqlite
