// Early returns on error, for functions that return absl::Status or
// absl::StatusOr<T>; every layer (nlp, storage, core, cli, ...) uses these.
//
//   RETURN_IF_ERROR(txn.InsertReview(row));
//   ASSIGN_OR_RETURN(storage::ReviewRow row, txn.GetReview(tenant, id));
//   ASSIGN_OR_RETURN(rows, txn.ListTenants(after, 500));  // existing `rows`
//
// RETURN_IF_ERROR(expr): evaluates `expr` (an absl::Status) once and returns
// it from the enclosing function unless it is OK.
// ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (an absl::StatusOr<T>) once;
// returns its status unless OK, else moves the value into `lhs` (a
// declaration or an existing variable). It expands to more than one
// statement: put it in braces under an `if`. At most one per line.
//
// Neither abseil (20220623), gRPC nor protobuf as shipped by Debian defines
// these names; a redefinition warning would say if one ever did.
#ifndef OPINIA_UTIL_STATUS_MACROS_H_
#define OPINIA_UTIL_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define RETURN_IF_ERROR(expr)                                         \
  do {                                                                \
    if (::absl::Status opinia_status_ = (expr); !opinia_status_.ok()) \
      return opinia_status_;                                          \
  } while (0)

#define OPINIA_STATUS_CONCAT_INNER_(a, b) a##b
#define OPINIA_STATUS_CONCAT_(a, b) OPINIA_STATUS_CONCAT_INNER_(a, b)
#define ASSIGN_OR_RETURN(lhs, expr) \
  OPINIA_ASSIGN_OR_RETURN_IMPL_(    \
      OPINIA_STATUS_CONCAT_(opinia_statusor_, __LINE__), lhs, expr)
#define OPINIA_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = *std::move(statusor)

#endif  // OPINIA_UTIL_STATUS_MACROS_H_
