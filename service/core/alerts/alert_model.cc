#include "service/core/alerts/alert_model.h"

#include <algorithm>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/core/util/absl_sv.h"
#include "service/core/util/names.h"
#include "service/core/util/time_proto.h"
#include "service/core/util/utf8.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

constexpr std::string_view kAlerts = "alerts";
constexpr std::string_view kRules = "alertRules";
constexpr size_t kMaxListItems = 100;
constexpr size_t kMaxKeywordBytes = 200;
constexpr size_t kMaxDisplayNameBytes = 200;
constexpr int64_t kMaxCooldownSeconds = 30LL * 24 * 3600;

template <typename T>
bool In(const google::protobuf::RepeatedField<T>& list, T v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}
bool In(const google::protobuf::RepeatedPtrField<std::string>& list,
        const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

template <typename IsValid>
absl::Status CheckEnums(const google::protobuf::RepeatedField<int>& values,
                        std::string_view field, IsValid is_valid) {
  if (values.size() > static_cast<int>(kMaxListItems)) {
    return absl::InvalidArgumentError(
        absl::StrCat("rule.", Av(field), ": at most ", kMaxListItems));
  }
  for (int i = 0; i < values.size(); ++i) {
    if (values[i] == 0 || !is_valid(values[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "rule.", Av(field), "[", i, "]: unknown or unspecified value ",
          values[i]));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckStrings(
    const google::protobuf::RepeatedPtrField<std::string>& values,
    std::string_view field) {
  if (values.size() > static_cast<int>(kMaxListItems)) {
    return absl::InvalidArgumentError(
        absl::StrCat("rule.", Av(field), ": at most ", kMaxListItems));
  }
  for (int i = 0; i < values.size(); ++i) {
    if (values[i].empty() || values[i].size() > kMaxKeywordBytes ||
        !IsValidUtf8(values[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "rule.", Av(field), "[", i, "]: must be non-empty UTF-8 of at most ",
          kMaxKeywordBytes, " bytes"));
    }
  }
  return absl::OkStatus();
}

// Appends the lower-case form of one code point.
void AppendFolded(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
    return;
  }
  // Latin-1 capitals (except x) and Latin Extended-A pairs (even = capital).
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) {
    cp += 0x20;
  } else if (cp >= 0x100 && cp <= 0x17F) {
    // Ł (0x141), Ń (0x143), Ź (0x179), Ż (0x17B) are odd-numbered capitals.
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) {
      if (cp % 2 == 1) ++cp;
    } else if (cp % 2 == 0) {
      ++cp;
    }
  }
  if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

std::string AlertName(int64_t id) {
  return absl::StrCat(Av(kAlerts), "/", id);
}
std::string AlertRuleName(int64_t id) {
  return absl::StrCat(Av(kRules), "/", id);
}

absl::StatusOr<int64_t> ParseAlertName(std::string_view name,
                                       std::string_view field) {
  return ParseNumericName(name, kAlerts, field);
}
absl::StatusOr<int64_t> ParseAlertRuleName(std::string_view name,
                                           std::string_view field) {
  return ParseNumericName(name, kRules, field);
}

bool IsReasonCode(std::string_view reason) {
  if (reason.empty() || reason.front() < 'A' || reason.front() > 'Z') {
    return false;
  }
  return std::all_of(reason.begin(), reason.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

opinia::v1::Alert AlertFromRow(const storage::AlertRow& row) {
  opinia::v1::Alert a;
  a.set_name(AlertName(row.id));
  a.set_kind(static_cast<opinia::v1::AlertKind>(row.kind));
  a.set_priority(static_cast<opinia::v1::Priority>(row.priority));
  if (row.review_id > 0) a.set_review(ReviewName(row.review_id));
  if (row.rule_id > 0) a.set_rule(AlertRuleName(row.rule_id));
  for (const auto& r : row.reasons) {
    if (IsReasonCode(r)) a.add_reasons(r);
  }
  a.set_state(static_cast<opinia::v1::AlertState>(row.state));
  ToTimestamp(row.create_time, a.mutable_create_time());
  a.set_summary(row.summary);
  if (row.state == storage::kAlertSnoozed) {
    ToTimestamp(row.snooze_until, a.mutable_snooze_until());
  }
  a.set_source(row.source);
  return a;
}

absl::StatusOr<opinia::v1::AlertRule> RuleFromRow(
    const storage::AlertRuleRow& row) {
  opinia::v1::AlertRule rule;
  if (!rule.ParseFromString(row.spec)) {
    return absl::InternalError(
        absl::StrCat("stored alert rule ", row.id, " is corrupt"));
  }
  rule.set_name(AlertRuleName(row.id));
  ToTimestamp(row.create_time, rule.mutable_create_time());
  return rule;
}

opinia::v1::AlertRule DefaultAlertRule() {
  opinia::v1::AlertRule rule;
  rule.set_display_name("P1 and P2 reviews");
  rule.set_enabled(true);
  rule.add_priorities(opinia::v1::P1);
  rule.add_priorities(opinia::v1::P2);
  return rule;
}

absl::Status ValidateAlertRule(const opinia::v1::AlertRule& rule) {
  if (rule.display_name().size() > kMaxDisplayNameBytes ||
      !IsValidUtf8(rule.display_name())) {
    return absl::InvalidArgumentError(
        absl::StrCat("rule.display_name: UTF-8 of at most ",
                     kMaxDisplayNameBytes, " bytes"));
  }
  RETURN_IF_ERROR(CheckEnums(rule.priorities(), "priorities", [](int v) {
    return opinia::v1::Priority_IsValid(v);
  }));
  RETURN_IF_ERROR(CheckEnums(rule.labels(), "labels", [](int v) {
    return opinia::v1::SentimentLabel_IsValid(v);
  }));
  RETURN_IF_ERROR(CheckEnums(rule.aspects(), "aspects", [](int v) {
    return opinia::v1::Aspect_IsValid(v);
  }));
  if (rule.has_max_sentiment_score() &&
      !(rule.max_sentiment_score() >= -1 && rule.max_sentiment_score() <= 1)) {
    return absl::InvalidArgumentError(
        "rule.max_sentiment_score: outside [-1, 1]");
  }
  if (rule.max_rating() < 0 || rule.max_rating() > 5) {
    return absl::InvalidArgumentError("rule.max_rating: outside 0..5");
  }
  for (auto [list, field] :
       {std::pair{&rule.keywords(), "keywords"},
        std::pair{&rule.sources(), "sources"},
        std::pair{&rule.languages(), "languages"},
        std::pair{&rule.subject_ids(), "subject_ids"}}) {
    RETURN_IF_ERROR(CheckStrings(*list, field));
  }
  if (rule.cooldown_seconds() < 0 ||
      rule.cooldown_seconds() > kMaxCooldownSeconds) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rule.cooldown_seconds: outside 0..", kMaxCooldownSeconds));
  }
  if (rule.priorities().empty() && rule.labels().empty() &&
      !rule.has_max_sentiment_score() && rule.max_rating() == 0 &&
      rule.aspects().empty() && rule.keywords().empty()) {
    return absl::InvalidArgumentError(
        "rule: needs at least one condition (priorities, labels, "
        "max_sentiment_score, max_rating, aspects or keywords)");
  }
  return absl::OkStatus();
}

std::string FoldCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    uint32_t cp = c;
    size_t len = 1;
    if (c >= 0xC0 && c < 0xE0 && i + 1 < text.size()) {
      cp = ((c & 0x1F) << 6) | (text[i + 1] & 0x3F);
      len = 2;
    } else if (c >= 0xE0) {
      // Three- and four-byte sequences are copied unchanged.
      len = c >= 0xF0 ? 4 : 3;
      len = std::min(len, text.size() - i);
      out.append(text.substr(i, len));
      i += len;
      continue;
    }
    AppendFolded(cp, &out);
    i += len;
  }
  return out;
}

bool RuleMatches(const opinia::v1::AlertRule& rule, const RuleSubject& s) {
  const storage::ReviewRow& row = *s.row;
  if (!rule.enabled() || row.deleted) return false;
  if (!rule.priorities().empty() && !In(rule.priorities(), row.priority)) {
    return false;
  }
  if (!rule.labels().empty() && !In(rule.labels(), row.label)) return false;
  if (rule.has_max_sentiment_score() &&
      !(row.score <= rule.max_sentiment_score())) {
    return false;
  }
  if (rule.max_rating() > 0 &&
      (row.rating == 0 || row.rating > rule.max_rating())) {
    return false;
  }
  if (!rule.sources().empty() && !In(rule.sources(), row.source)) return false;
  if (!rule.languages().empty() && !In(rule.languages(), row.language)) {
    return false;
  }
  if (!rule.subject_ids().empty() && !In(rule.subject_ids(), row.subject_id)) {
    return false;
  }
  if (!rule.aspects().empty()) {
    bool any = false;
    if (s.analysis != nullptr) {
      for (const auto& a : s.analysis->aspects()) {
        if (In(rule.aspects(), static_cast<int>(a.aspect()))) {
          any = true;
          break;
        }
      }
    }
    if (!any) return false;
  }
  if (!rule.keywords().empty()) {
    const std::string text = FoldCase(row.search_text);
    bool any = false;
    for (const std::string& k : rule.keywords()) {
      if (absl::StrContains(text, FoldCase(k))) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

}  // namespace opinia::core
