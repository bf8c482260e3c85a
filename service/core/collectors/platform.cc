// The registry: the built-in platforms (platforms/builtin.cc) indexed by
// kind, built once on first use.
#include "service/core/collectors/platform.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "service/core/collectors/format_util.h"
#include "util/status_macros.h"

namespace opinia::core::collectors {
namespace {

struct Registry {
  std::vector<std::unique_ptr<Platform>> owned;
  std::vector<const Platform*> by_kind;  // sorted by kind
};

const Registry& TheRegistry() {
  static const Registry* const registry = [] {
    auto* r = new Registry{BuiltinPlatforms(), {}};
    for (const auto& p : r->owned) r->by_kind.push_back(p.get());
    std::stable_sort(r->by_kind.begin(), r->by_kind.end(),
                     [](const Platform* a, const Platform* b) {
                       return a->kind() < b->kind();
                     });
    return r;
  }();
  return *registry;
}

}  // namespace

absl::Status Platform::ValidateEndpoint(const std::string& endpoint,
                                        std::string_view field) const {
  return absl::OkStatus();
}

absl::Status Platform::ValidateMapping(const FeedMapping& mapping,
                                       std::string_view field) const {
  if (mapping.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      std::string(field), ": only for ",
      KindNames([](const Platform& p) { return p.uses_mapping(); }, "and")));
}

absl::Status Platform::ValidateCredentials(const Credentials& credentials,
                                           std::string_view field) const {
  std::set<std::string> allowed = credentials_.allowed;
  for (AuthKind kind : credentials_.auth.kinds) {
    for (const auto* keys : {&KeysOf(kind).required, &KeysOf(kind).optional}) {
      allowed.insert(keys->begin(), keys->end());
    }
  }
  RETURN_IF_ERROR(CheckCredentials(kind_, credentials, allowed,
                                   credentials_.required, field));
  return CheckAuthKind(kind_, credentials_.auth, credentials, field);
}

std::string Platform::FirstPageUrl(const std::string& endpoint) const {
  return endpoint;
}

std::string Platform::NextPageUrl(const std::string& current,
                                  const std::string& next) const {
  return ResolveUrl(current, next);
}

HttpHeaders Platform::RequestHeaders(const Credentials& credentials) const {
  return CredentialHeaders(credentials, "application/json", "X-Api-Key");
}

bool Platform::SupportsReply(ReplyAction action) const { return false; }

absl::StatusOr<ReplyHttpRequest> Platform::BuildReplyRequest(
    ReplyAction action, const ReplyTarget& target) const {
  return absl::UnimplementedError(absl::StrCat(
      opinia::v1::CollectorKind_Name(kind_), ": replies cannot be ",
      action == ReplyAction::kDelete ? "deleted" : "published",
      " on this platform through its API"));
}

ReplyResult Platform::ParseReplyResponse(ReplyAction action, int status,
                                         std::string_view body) const {
  return ReadReplyAnswer(status, body, "");
}

absl::StatusOr<ReplyHttpRequest> Platform::BuildReplyCheckRequest(
    const ReplyTarget& target) const {
  return absl::UnimplementedError(
      absl::StrCat(opinia::v1::CollectorKind_Name(kind_),
                   ": cannot read a review's reply back"));
}

absl::StatusOr<PlatformReply> Platform::ParseReplyCheck(
    std::string_view body) const {
  return absl::UnimplementedError(
      absl::StrCat(opinia::v1::CollectorKind_Name(kind_),
                   ": cannot read a review's reply back"));
}

absl::StatusOr<ReplyHttpRequest> Platform::BuildRemovalRequest(
    const ReplyTarget& target) const {
  return absl::UnimplementedError(
      absl::StrCat(opinia::v1::CollectorKind_Name(kind_),
                   ": the platform's API takes no removal requests"));
}

ReplyResult Platform::ParseRemovalResponse(int status,
                                           std::string_view body) const {
  return ReadReplyAnswer(status, body, "");
}

const std::vector<const Platform*>& AllPlatforms() {
  return TheRegistry().by_kind;
}

absl::StatusOr<const Platform*> PlatformFor(opinia::v1::CollectorKind kind) {
  for (const Platform* p : AllPlatforms()) {
    if (p->kind() == kind) return p;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "kind: unknown collector kind ", static_cast<int>(kind), "; use ",
      KindNames([](const Platform&) { return true; }, "or")));
}

std::string KindNames(bool (*pick)(const Platform&), std::string_view last) {
  std::vector<std::string> names;
  for (const Platform* p : AllPlatforms()) {
    if (pick(*p)) names.push_back(opinia::v1::CollectorKind_Name(p->kind()));
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      absl::StrAppend(&out, i + 1 == names.size()
                                ? absl::StrCat(" ", std::string(last), " ")
                                : ", ");
    }
    absl::StrAppend(&out, names[i]);
  }
  return out;
}

}  // namespace opinia::core::collectors
