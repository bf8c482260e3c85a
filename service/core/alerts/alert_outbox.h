// Reading the alert outbox (the tenant's alert event log, alert_store.h)
// for one subscriber. StreamAlerts streams and webhooks both page through it
// here, so "which events does this subscriber get" has one answer.
#ifndef OPINIA_SERVICE_CORE_ALERTS_ALERT_OUTBOX_H_
#define OPINIA_SERVICE_CORE_ALERTS_ALERT_OUTBOX_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/storage/alert_store.h"

namespace opinia::core {

// Which alerts a subscriber wants. Conditions are ANDed; an empty list
// matches every value.
struct SubscriberFilter {
  std::vector<int32_t> priorities;  // opinia.v1.Priority
  std::vector<int32_t> kinds;       // opinia.v1.AlertKind
  std::vector<std::string> sources;
};

// Whether `alert` passes `filter`.
bool SubscriberWants(const SubscriberFilter& filter,
                     const storage::AlertRow& alert);

struct OutboxPage {
  // The events read whose alert passes the filter, oldest first.
  std::vector<storage::AlertEventRow> events;
  // Where the next page starts: the last event read, passed or not, so
  // filtered-out events are never read again; the given position when the
  // page read nothing.
  int64_t next_position = 0;
  // The page was full: more events may follow next_position.
  bool more = false;
};

// Reads up to `limit` events of `tenant_id` after `after_position` and keeps
// those whose alert passes `filter`. Storage errors as for
// ListAlertEventsAfter (INVALID_ARGUMENT for limit <= 0).
absl::StatusOr<OutboxPage> ReadOutbox(storage::AlertTxn& txn,
                                      std::string_view tenant_id,
                                      int64_t after_position,
                                      const SubscriberFilter& filter,
                                      int limit);

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_ALERTS_ALERT_OUTBOX_H_
