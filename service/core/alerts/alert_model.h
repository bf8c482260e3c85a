// Alerts and alert rules: stored rows <-> API messages, resource names
// ("alerts/{id}", "alertRules/{id}"), rule validation and matching.
#ifndef OPINIA_SERVICE_CORE_ALERTS_ALERT_MODEL_H_
#define OPINIA_SERVICE_CORE_ALERTS_ALERT_MODEL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "opinia/v1/alerts.pb.h"
#include "opinia/v1/common.pb.h"
#include "service/storage/store.h"

namespace opinia::core {

std::string AlertName(int64_t id);
std::string AlertRuleName(int64_t id);
// INVALID_ARGUMENT naming `field` unless "alerts/{positive int}", spelt as
// util/names.h ParseNumericName asks.
absl::StatusOr<int64_t> ParseAlertName(std::string_view name,
                                       std::string_view field);
absl::StatusOr<int64_t> ParseAlertRuleName(std::string_view name,
                                           std::string_view field);

// The codes alerts add to Alert.reasons besides the urgency reasons of the
// review (LEGAL_THREAT, STRONG_NEGATIVE, ...). The human account of an
// alert - which rule matched, the deadline, the spike's numbers - is its
// summary, never a reason.
inline constexpr char kReasonNoResponseByDeadline[] = "NO_RESPONSE_BY_DEADLINE";
inline constexpr char kReasonAboveBaseline[] = "NEGATIVE_VOLUME_ABOVE_BASELINE";
// Why an alert was resolved by Opinia rather than by a person.
inline constexpr char kReasonReviewDeleted[] = "REVIEW_DELETED";
inline constexpr char kReasonNoLongerMatches[] = "NO_LONGER_MATCHES_RULE";
inline constexpr char kReasonSuperseded[] = "SUPERSEDED_BY_HIGHER_PRIORITY";

// Whether `reason` is a machine-readable code: UPPER_SNAKE, a letter first.
bool IsReasonCode(std::string_view reason);

// Only reason codes are shown: a stored row may hold prose reasons, which
// are left out (IsReasonCode).
opinia::v1::Alert AlertFromRow(const storage::AlertRow& row);
// INTERNAL when the stored spec does not parse.
absl::StatusOr<opinia::v1::AlertRule> RuleFromRow(
    const storage::AlertRuleRow& row);

// The rule every new tenant gets: P1 and P2 reviews alert.
opinia::v1::AlertRule DefaultAlertRule();

// INVALID_ARGUMENT naming the offending field ("rule.priorities[1]", ...)
// for unknown enum values, out-of-range bounds, empty/oversized keywords or
// lists, a negative cooldown, or a rule without any condition.
absl::Status ValidateAlertRule(const opinia::v1::AlertRule& rule);

// What a rule looks at: the stored row (effective label, score, priority,
// language; rating, source, subject, text) plus the aspects of the machine
// analysis.
struct RuleSubject {
  const storage::ReviewRow* row = nullptr;
  const opinia::v1::Analysis* analysis = nullptr;  // may be nullptr
};

// True when every condition set in `rule` holds (lists: any element).
// Keywords match case-insensitively (ASCII and Polish/German letters) as
// substrings of the title and text. Disabled rules never match.
bool RuleMatches(const opinia::v1::AlertRule& rule, const RuleSubject& subject);

// Lower-cases ASCII and the common Latin-1/Latin Extended-A letters
// (Polish, German) in UTF-8 text.
std::string FoldCase(std::string_view text);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_ALERTS_ALERT_MODEL_H_
