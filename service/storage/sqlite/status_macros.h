// Early-return helpers for the SQLite store's implementation files.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_STATUS_MACROS_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define STORE_RETURN_IF_ERROR(expr)                       \
  do {                                                    \
    if (absl::Status _st = (expr); !_st.ok()) return _st; \
  } while (0)

#define STORE_CONCAT_INNER(a, b) a##b
#define STORE_CONCAT(a, b) STORE_CONCAT_INNER(a, b)
#define STORE_ASSIGN_OR_RETURN(lhs, expr) \
  STORE_ASSIGN_OR_RETURN_IMPL(STORE_CONCAT(_statusor_, __LINE__), lhs, expr)
#define STORE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(*tmp)

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_STATUS_MACROS_H_
