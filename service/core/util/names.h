// Resource names of the API ("reviews/{id}", "tenants/{id}", "apiKeys/{id}",
// "alerts/{id}", ...) and the ids inside them. Parse functions answer
// INVALID_ARGUMENT naming `field` when the name is malformed.
//
// Every name with a numeric id goes through ParseNumericName, so all kinds
// agree on one spelling per id: "alerts/1" names alert 1, and "alerts/01",
// "alerts/+1", "alerts/ 1" or "alerts/1x" name nothing.
#ifndef OPINIA_SERVICE_CORE_UTIL_NAMES_H_
#define OPINIA_SERVICE_CORE_UTIL_NAMES_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace opinia::core {

// AIP-122 style id: lowercase letter first, then lowercase letters, digits
// and '-', at most 63 characters, not ending in '-'.
bool IsValidResourceId(std::string_view id);

// "{collection}/{id}" with `collection` e.g. "alerts": the id in its one
// canonical spelling, decimal digits without sign, spaces or leading zeros,
// 1..2^63-1.
absl::StatusOr<int64_t> ParseNumericName(std::string_view name,
                                         std::string_view collection,
                                         std::string_view field);

std::string ReviewName(int64_t id);
// "reviews/{positive int64}".
absl::StatusOr<int64_t> ParseReviewName(std::string_view name,
                                        std::string_view field);

std::string TenantName(std::string_view id);
absl::StatusOr<std::string> ParseTenantName(std::string_view name,
                                            std::string_view field);

std::string ApiKeyName(std::string_view id);
absl::StatusOr<std::string> ParseApiKeyName(std::string_view name,
                                            std::string_view field);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_NAMES_H_
