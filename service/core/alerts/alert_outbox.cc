#include "service/core/alerts/alert_outbox.h"

#include <algorithm>
#include <utility>

#include "util/status_macros.h"

namespace opinia::core {
namespace {

template <typename T, typename V>
bool AnyOrContains(const std::vector<T>& allowed, const V& value) {
  return allowed.empty() ||
         std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

}  // namespace

bool SubscriberWants(const SubscriberFilter& filter,
                     const storage::AlertRow& alert) {
  return AnyOrContains(filter.priorities, alert.priority) &&
         AnyOrContains(filter.kinds, alert.kind) &&
         AnyOrContains(filter.sources, alert.source);
}

absl::StatusOr<OutboxPage> ReadOutbox(storage::AlertTxn& txn,
                                      std::string_view tenant_id,
                                      int64_t after_position,
                                      const SubscriberFilter& filter,
                                      int limit) {
  ASSIGN_OR_RETURN(auto rows,
                   txn.ListAlertEventsAfter(tenant_id, after_position, limit));
  OutboxPage page;
  page.next_position = rows.empty() ? after_position : rows.back().id;
  page.more = static_cast<int>(rows.size()) == limit;
  for (storage::AlertEventRow& row : rows) {
    if (SubscriberWants(filter, row.alert)) {
      page.events.push_back(std::move(row));
    }
  }
  return page;
}

}  // namespace opinia::core
